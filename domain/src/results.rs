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
    /// Valid online votes.
    pub online: u64,
    /// Marks on definitive paper tally sheets.
    pub paper: u64,
}

impl TallyRow {
    /// Online and paper together (the plain sum, until the campaign's
    /// formula says otherwise).
    pub fn combined(&self) -> u64 {
        self.online + self.paper
    }
}

/// How many of a campaign's polling stations have reported: every sheet of
/// theirs definitive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StationsReported {
    pub reported: u32,
    pub total: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// Online and paper combined (`combined`); `None` when counts are hidden.
    pub votes: Option<u64>,
    /// Valid online votes; `None` when counts are hidden.
    pub online: Option<u64>,
    /// Marks on definitive paper tally sheets; `None` when counts are hidden.
    pub paper: Option<u64>,
    /// Online + paper; `None` when counts are hidden.
    pub combined: Option<u64>,
}

/// A campaign's counts as one read of the store saw them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tally {
    pub rows: Vec<TallyRow>,
    pub stations: StationsReported,
    /// Grows with every committed change to the counts, and only then: of two
    /// reads, the one with the higher version saw everything the other saw.
    pub version: u64,
}

/// What the results page, the API and the live stream show at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResultsSnapshot {
    pub campaign_slug: String,
    pub title_zh: String,
    pub title_en: String,
    pub visibility: ResultsVisibility,
    /// When the counts were read (or frozen).
    pub as_of: Millis,
    /// The tally's version (0 while hidden): a reader that has seen one
    /// version is never shown a lower one.
    pub version: u64,
    pub total_votes: Option<u64>,
    /// Polling stations whose every tally sheet is definitive.
    pub stations_reported: u32,
    /// The campaign's polling stations.
    pub stations_total: u32,
    pub entries: Vec<ResultEntry>,
}

impl ResultsSnapshot {
    /// Ranks the rows: more votes first; equal votes share a rank and are
    /// listed by nominee number. Hidden results list nominees by number
    /// with no counts and no ranks.
    pub fn build(
        campaign: &Campaign,
        visibility: ResultsVisibility,
        tally: Tally,
        as_of: Millis,
    ) -> Self {
        let Tally {
            mut rows,
            version,
            stations,
        } = tally;
        let hidden = visibility == ResultsVisibility::Hidden;
        if hidden {
            rows.sort_by_key(|r| r.number);
        } else {
            rows.sort_by(|a, b| {
                b.combined()
                    .cmp(&a.combined())
                    .then(a.number.cmp(&b.number))
            });
        }
        let total = rows.iter().map(TallyRow::combined).sum();
        let mut entries = Vec::with_capacity(rows.len());
        let mut rank = 0u32;
        let mut previous: Option<u64> = None;
        for (i, r) in rows.into_iter().enumerate() {
            let combined = r.combined();
            if previous != Some(combined) {
                rank = i as u32 + 1;
                previous = Some(combined);
            }
            entries.push(ResultEntry {
                rank: (!hidden).then_some(rank),
                number: r.number,
                name: r.name,
                street_zh: r.street_zh,
                street_en: r.street_en,
                community_zh: r.community_zh,
                community_en: r.community_en,
                votes: (!hidden).then_some(combined),
                online: (!hidden).then_some(r.online),
                paper: (!hidden).then_some(r.paper),
                combined: (!hidden).then_some(combined),
            });
        }
        ResultsSnapshot {
            campaign_slug: campaign.slug.clone(),
            title_zh: campaign.title_zh.clone(),
            title_en: campaign.title_en.clone(),
            visibility,
            as_of,
            version: if hidden { 0 } else { version },
            total_votes: (!hidden).then_some(total),
            stations_reported: stations.reported,
            stations_total: stations.total,
            entries,
        }
    }

    /// The same nominees with nothing counted: what hidden results show.
    pub fn hidden(&self) -> Self {
        let mut entries: Vec<ResultEntry> = self
            .entries
            .iter()
            .map(|e| ResultEntry {
                rank: None,
                votes: None,
                online: None,
                paper: None,
                combined: None,
                ..e.clone()
            })
            .collect();
        entries.sort_by_key(|e| e.number);
        ResultsSnapshot {
            visibility: ResultsVisibility::Hidden,
            version: 0,
            total_votes: None,
            // When counts stopped showing is not news about the counts.
            as_of: Millis(0),
            entries,
            ..self.clone()
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

    /// Whether `newer`, read later, should replace this snapshot: never when
    /// it is older (a slow read finishing late), and only when something
    /// shown changed.
    pub fn superseded_by(&self, newer: &ResultsSnapshot) -> bool {
        newer.version > self.version
            || (newer.version == self.version
                && (newer.visibility != self.visibility
                    || newer.entries != self.entries
                    || newer.stations_reported != self.stations_reported
                    || newer.stations_total != self.stations_total
                    || newer.title_zh != self.title_zh
                    || newer.title_en != self.title_en))
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
        split_row(number, votes, 0)
    }

    fn split_row(number: u32, online: u64, paper: u64) -> TallyRow {
        TallyRow {
            number: NomineeNumber::new(number).unwrap(),
            name: format!("n{number}"),
            street_zh: String::new(),
            street_en: String::new(),
            community_zh: String::new(),
            community_en: String::new(),
            online,
            paper,
        }
    }

    fn tally(rows: Vec<TallyRow>, version: u64) -> Tally {
        Tally {
            rows,
            version,
            stations: StationsReported::default(),
        }
    }

    fn live(rows: Vec<TallyRow>, version: u64) -> ResultsSnapshot {
        let c = campaign(ResultsVisibility::Live);
        ResultsSnapshot::build(&c, ResultsVisibility::Live, tally(rows, version), Millis(7))
    }

    #[test]
    fn ranks_by_votes_and_shares_ranks_on_ties() {
        let s = ResultsSnapshot::build(
            &campaign(ResultsVisibility::Live),
            ResultsVisibility::Live,
            tally(vec![row(1, 5), row(2, 9), row(3, 5), row(4, 0)], 3),
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
    fn online_and_paper_rank_together_as_their_plain_sum() {
        let mut t = tally(
            vec![split_row(1, 10, 0), split_row(2, 3, 8), split_row(3, 0, 11)],
            5,
        );
        t.stations = StationsReported {
            reported: 37,
            total: 45,
        };
        let s = ResultsSnapshot::build(
            &campaign(ResultsVisibility::Live),
            ResultsVisibility::Live,
            t,
            Millis(7),
        );
        let got: Vec<_> = s
            .entries
            .iter()
            .map(|e| {
                (
                    e.rank.unwrap(),
                    e.number.get(),
                    e.online.unwrap(),
                    e.paper.unwrap(),
                    e.combined.unwrap(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![(1, 2, 3, 8, 11), (1, 3, 0, 11, 11), (3, 1, 10, 0, 10)]
        );
        assert!(s.entries.iter().all(|e| e.votes == e.combined));
        assert_eq!(s.total_votes, Some(32));
        assert_eq!((s.stations_reported, s.stations_total), (37, 45));
        let hidden = s.hidden();
        assert!(hidden
            .entries
            .iter()
            .all(|e| e.online.is_none() && e.paper.is_none() && e.combined.is_none()));
    }

    #[test]
    fn hidden_results_show_no_counts_and_no_order_by_count() {
        let s = ResultsSnapshot::build(
            &campaign(ResultsVisibility::Hidden),
            ResultsVisibility::Hidden,
            tally(vec![row(2, 9), row(1, 5)], 4),
            Millis(7),
        );
        assert_eq!(s.total_votes, None);
        assert_eq!(s.version, 0, "the version would tell how busy voting is");
        assert!(s
            .entries
            .iter()
            .all(|e| e.votes.is_none() && e.rank.is_none()));
        assert_eq!(s.entries[0].number.get(), 1);
        let json = serde_json::to_string(&s).unwrap();
        assert!(!json.contains("\"votes\":9"), "{json}");
    }

    #[test]
    fn hiding_a_live_snapshot_drops_counts_ranks_order_and_version() {
        let shown = live(vec![row(1, 5), row(2, 9)], 12);
        let hidden = shown.hidden();
        assert_eq!(hidden.visibility, ResultsVisibility::Hidden);
        assert_eq!((hidden.version, hidden.total_votes), (0, None));
        let numbers: Vec<_> = hidden.entries.iter().map(|e| e.number.get()).collect();
        assert_eq!(numbers, vec![1, 2]);
        assert!(hidden
            .entries
            .iter()
            .all(|e| e.votes.is_none() && e.rank.is_none()));
        assert_eq!(
            hidden.as_of,
            shown.hidden().as_of,
            "the same whenever hidden"
        );
    }

    #[test]
    fn an_older_read_never_replaces_a_newer_one() {
        let newer = live(vec![row(1, 5), row(2, 9)], 12);
        let older = live(vec![row(1, 5), row(2, 8)], 11);
        assert!(!newer.superseded_by(&older));
        assert!(older.superseded_by(&newer));
        // The same version read again is no news; a renamed campaign is.
        assert!(!newer.superseded_by(&newer.clone()));
        let mut renamed = newer.clone();
        renamed.title_zh = "新".into();
        assert!(newer.superseded_by(&renamed));
    }
}
