//! The public tally: counts per nominee, ranked, as the visibility allows.

use serde::{Deserialize, Serialize};

use crate::campaign::{Campaign, ResultsVisibility};
use crate::clock::Millis;
use crate::nominee::NomineeNumber;

/// One nominee's count as the store reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyRow {
    pub number: NomineeNumber,
    pub name: String,
    pub street_zh: String,
    pub street_en: String,
    pub community_zh: String,
    pub community_en: String,
    pub votes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResultEntry {
    /// Competition ranking (1, 2, 2, 4): equal counts share a rank. `None` when counts are hidden.
    pub rank: Option<u32>,
    pub number: NomineeNumber,
    pub name: String,
    pub street_zh: String,
    pub street_en: String,
    pub community_zh: String,
    pub community_en: String,
    /// `None` when counts are hidden.
    pub votes: Option<u64>,
}

/// What the results page, the API and the live stream show at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResultsSnapshot {
    pub campaign_slug: String,
    pub title_zh: String,
    pub title_en: String,
    pub visibility: ResultsVisibility,
    /// When the counts were read (or frozen).
    pub as_of: Millis,
    pub total_votes: Option<u64>,
    pub entries: Vec<ResultEntry>,
}

impl ResultsSnapshot {
    /// Ranks the rows: more votes first; equal votes share a rank and are
    /// listed by nominee number. Hidden results list nominees by number
    /// with no counts and no ranks.
    pub fn build(campaign: &Campaign, mut rows: Vec<TallyRow>, as_of: Millis) -> Self {
        let visibility = campaign.results_visibility;
        let hidden = visibility == ResultsVisibility::Hidden;
        if hidden {
            rows.sort_by_key(|r| r.number);
        } else {
            rows.sort_by(|a, b| b.votes.cmp(&a.votes).then(a.number.cmp(&b.number)));
        }
        let total = rows.iter().map(|r| r.votes).sum();
        let mut entries = Vec::with_capacity(rows.len());
        let mut rank = 0u32;
        let mut previous: Option<u64> = None;
        for (i, r) in rows.into_iter().enumerate() {
            if previous != Some(r.votes) {
                rank = i as u32 + 1;
                previous = Some(r.votes);
            }
            entries.push(ResultEntry {
                rank: (!hidden).then_some(rank),
                number: r.number,
                name: r.name,
                street_zh: r.street_zh,
                street_en: r.street_en,
                community_zh: r.community_zh,
                community_en: r.community_en,
                votes: (!hidden).then_some(r.votes),
            });
        }
        ResultsSnapshot {
            campaign_slug: campaign.slug.clone(),
            title_zh: campaign.title_zh.clone(),
            title_en: campaign.title_en.clone(),
            visibility,
            as_of,
            total_votes: (!hidden).then_some(total),
            entries,
        }
    }

    /// The largest count, for scaling bar charts.
    pub fn max_votes(&self) -> u64 {
        self.entries
            .iter()
            .filter_map(|e| e.votes)
            .max()
            .unwrap_or(0)
    }

    /// Same counts and order, whatever the time: whether a new snapshot is news.
    pub fn same_counts(&self, other: &ResultsSnapshot) -> bool {
        self.visibility == other.visibility && self.entries == other.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::{CampaignId, Phases, VoteRules};

    fn campaign(visibility: ResultsVisibility) -> Campaign {
        let d = |n| Millis(0).plus_days(n);
        Campaign {
            id: CampaignId(1),
            slug: "t".into(),
            title_zh: "测".into(),
            title_en: "T".into(),
            description_zh: String::new(),
            description_en: String::new(),
            phases: Phases::new(d(0), d(1), d(2), d(3), d(4), d(5)).unwrap(),
            rules: VoteRules::new(10, 1).unwrap(),
            results_visibility: visibility,
            results_frozen_at: None,
        }
    }

    fn row(number: u32, votes: u64) -> TallyRow {
        TallyRow {
            number: NomineeNumber::new(number).unwrap(),
            name: format!("n{number}"),
            street_zh: String::new(),
            street_en: String::new(),
            community_zh: String::new(),
            community_en: String::new(),
            votes,
        }
    }

    #[test]
    fn ranks_by_votes_and_shares_ranks_on_ties() {
        let s = ResultsSnapshot::build(
            &campaign(ResultsVisibility::Live),
            vec![row(1, 5), row(2, 9), row(3, 5), row(4, 0)],
            Millis(7),
        );
        let got: Vec<_> = s
            .entries
            .iter()
            .map(|e| (e.rank.unwrap(), e.number.get(), e.votes.unwrap()))
            .collect();
        assert_eq!(got, vec![(1, 2, 9), (2, 1, 5), (2, 3, 5), (4, 4, 0)]);
        assert_eq!(s.total_votes, Some(19));
        assert_eq!(s.max_votes(), 9);
    }

    #[test]
    fn hidden_results_show_no_counts_and_no_order_by_count() {
        let s = ResultsSnapshot::build(
            &campaign(ResultsVisibility::Hidden),
            vec![row(2, 9), row(1, 5)],
            Millis(7),
        );
        assert_eq!(s.total_votes, None);
        assert!(s
            .entries
            .iter()
            .all(|e| e.votes.is_none() && e.rank.is_none()));
        assert_eq!(s.entries[0].number.get(), 1);
        let json = serde_json::to_string(&s).unwrap();
        assert!(!json.contains("\"votes\":9"), "{json}");
    }
}
