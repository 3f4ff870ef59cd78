//! What one screen is sent: built here only, from its control and the
//! ranking, so that a public screen in a reveal never receives a place
//! not yet revealed (the operator's preview alone sees the next one).

use serde::{Deserialize, Serialize};

use super::control::{ScreenControl, ScreenMode};
use crate::clock::Millis;
use crate::nominee::NomineeNumber;
use crate::publication::CorrectionNote;
use crate::results::{ResultEntry, ResultsSnapshot};

/// The most rows a live or frozen screen lists: more is unreadable from
/// the back of a hall (and ten fill a 16:9 wall).
pub const MAX_ROWS: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScreenEntry {
    pub rank: u32,
    pub number: NomineeNumber,
    pub name: String,
    pub community_zh: String,
    pub community_en: String,
    pub photo_url: Option<String>,
    /// One line from the profile, for the reveal's card.
    #[serde(default)]
    pub line: Option<String>,
    /// Online + paper.
    pub votes: u64,
    pub score: String,
    /// The bar's length, in thousandths of the longest.
    pub bar: u16,
    pub winner: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScreenView {
    pub slug: String,
    pub title_zh: String,
    pub title_en: String,
    pub mode: ScreenMode,
    /// The operator's private rehearsal screen.
    pub rehearsal: bool,
    /// Voting is open: the screen shows the QR code to vote.
    pub voting_open: bool,
    /// While voting is open: when it closes (the wall counts down to it).
    #[serde(default)]
    pub voting_closes: Option<Millis>,
    /// The organisers' line and the ceremony's day, for the wall's foot.
    #[serde(default)]
    pub hosts_zh: String,
    #[serde(default)]
    pub hosts_en: String,
    #[serde(default)]
    pub ceremony_at: Option<Millis>,
    pub total_online: Option<u64>,
    pub total_paper: Option<u64>,
    pub stations_reported: u32,
    pub stations_total: u32,
    pub winners: u16,
    /// In a reveal: the places shown so far, from the last winner up.
    pub revealed: u16,
    /// Live and frozen: the top of the ranking. Reveal: the revealed
    /// places, best first. Otherwise empty.
    pub entries: Vec<ScreenEntry>,
    /// The next place a press reveals: on the operator's panel only.
    pub next: Option<ScreenEntry>,
    /// The latest published correction of the ranking shown, if any: the
    /// wall says the ranking was corrected, and why.
    pub correction: Option<CorrectionNote>,
    pub as_of: Millis,
}

impl ScreenView {
    /// The organisers' line in `lang` (the Chinese one where no English was given).
    pub fn hosts(&self, lang: crate::lang::Lang) -> &str {
        match lang {
            crate::lang::Lang::En if !self.hosts_en.is_empty() => &self.hosts_en,
            _ => &self.hosts_zh,
        }
    }
}

/// What a screen shows of a nominee beside the counts: the photo and one
/// line from the profile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Portrait {
    pub photo_url: Option<String>,
    pub line: Option<String>,
}

fn entry(e: &ResultEntry, longest: u64, portrait: Portrait) -> Option<ScreenEntry> {
    let votes = e.votes?;
    let bar = votes
        .saturating_mul(1000)
        .checked_div(longest)
        .map_or(0, |b| u16::try_from(b).unwrap_or(1000));
    Some(ScreenEntry {
        rank: e.rank?,
        number: e.number,
        name: e.name.clone(),
        community_zh: e.community_zh.clone(),
        community_en: e.community_en.clone(),
        photo_url: portrait.photo_url,
        line: portrait.line,
        votes,
        score: e.score.clone().unwrap_or_default(),
        bar,
        winner: e.winner,
    })
}

/// What a screen under `control` shows of `ranking` (the live or stored
/// ranking; for a frozen screen, the one frozen). `with_next` adds the
/// next place to reveal, for the operator.
pub fn screen_view(
    control: ScreenControl,
    ranking: &ResultsSnapshot,
    portrait: impl Fn(NomineeNumber) -> Portrait,
    voting_open: bool,
    rehearsal: bool,
    with_next: bool,
) -> ScreenView {
    let longest = ranking.max_votes();
    let winners = usize::from(ranking.winners).min(ranking.entries.len());
    let make = |e: &ResultEntry| entry(e, longest, portrait(e.number));
    let counts_shown = matches!(
        control.mode,
        ScreenMode::Live | ScreenMode::Frozen | ScreenMode::Reveal
    );
    let (entries, next) = match control.mode {
        ScreenMode::Live | ScreenMode::Frozen => (
            ranking
                .entries
                .iter()
                .take(MAX_ROWS)
                .filter_map(make)
                .collect(),
            None,
        ),
        ScreenMode::Reveal => {
            let shown = usize::from(control.revealed).min(winners);
            let from = winners - shown;
            let revealed = &ranking.entries[from..winners];
            // Bars are scaled among the revealed places: a bar measured
            // against the leader would tell the leader's hidden total.
            let longest = revealed.iter().filter_map(|e| e.votes).max().unwrap_or(0);
            let next = (with_next && from > 0)
                .then(|| ranking.entries.get(from - 1))
                .flatten()
                .and_then(|e| {
                    let longest = longest.max(e.votes.unwrap_or(0));
                    entry(e, longest, portrait(e.number))
                });
            (
                revealed
                    .iter()
                    .filter_map(|e| entry(e, longest, portrait(e.number)))
                    .collect(),
                next,
            )
        }
        ScreenMode::Waiting | ScreenMode::Hidden => (Vec::new(), None),
    };
    let total = |f: fn(&ResultEntry) -> Option<u64>| {
        (counts_shown && control.mode != ScreenMode::Reveal && ranking.total_votes.is_some())
            .then(|| ranking.entries.iter().filter_map(f).sum())
    };
    ScreenView {
        slug: ranking.campaign_slug.clone(),
        title_zh: ranking.title_zh.clone(),
        title_en: ranking.title_en.clone(),
        mode: control.mode,
        rehearsal,
        voting_open,
        voting_closes: None,
        hosts_zh: String::new(),
        hosts_en: String::new(),
        ceremony_at: None,
        total_online: total(|e| e.online),
        total_paper: total(|e| e.paper),
        stations_reported: ranking.stations_reported,
        stations_total: ranking.stations_total,
        winners: ranking.winners,
        revealed: control.revealed.min(ranking.winners),
        entries,
        next,
        // Not during a reveal: the note names winners not revealed yet.
        correction: ranking
            .corrections
            .last()
            .filter(|_| matches!(control.mode, ScreenMode::Live | ScreenMode::Frozen))
            .cloned(),
        // When the counts were read is news only where counts show.
        as_of: if counts_shown {
            ranking.as_of
        } else {
            Millis(0)
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::{Campaign, CampaignId, Phases, ResultsVisibility, VoteRules};
    use crate::publication::ResultsStage;
    use crate::results::{Tally, TallyRow};

    fn ranking(count: u32) -> ResultsSnapshot {
        let d = |n| Millis(0).plus_days(n);
        let campaign = Campaign {
            id: CampaignId(1),
            slug: "t".into(),
            title_zh: "测".into(),
            title_en: "T".into(),
            description_zh: String::new(),
            description_en: String::new(),
            hosts_zh: String::new(),
            hosts_en: String::new(),
            hotline: None,
            phases: Phases::new(d(0), d(1), d(2), d(3), d(4), d(5)).unwrap(),
            rules: VoteRules::new(10, 1).unwrap(),
            results_visibility: ResultsVisibility::Live,
            results_frozen_at: None,
        };
        let rows = (1..=count)
            .map(|k| TallyRow {
                number: NomineeNumber::new(k).unwrap(),
                name: format!("n{k}"),
                street_zh: String::new(),
                street_en: String::new(),
                community_zh: String::new(),
                community_en: String::new(),
                online: u64::from(100 - k),
                paper: 0,
                changed_at: None,
                jury: None,
            })
            .collect();
        let tally = Tally {
            rows,
            version: 1,
            ..Tally::default()
        };
        ResultsSnapshot::build(&campaign, ResultsStage::Live, tally, Millis(5))
    }

    fn reveal(k: u16) -> ScreenControl {
        ScreenControl {
            mode: ScreenMode::Reveal,
            revealed: k,
        }
    }

    #[test]
    fn a_reveal_sends_only_what_is_revealed_tenth_first() {
        let r = ranking(30);
        let none = |_| Portrait::default();
        for k in 0..=10u16 {
            let v = screen_view(reveal(k), &r, none, false, false, false);
            let shown: Vec<u16> = v.entries.iter().map(|e| e.number.get()).collect();
            let expected: Vec<u16> = ((11 - k)..=10).collect();
            assert_eq!(shown, expected, "after {k} presses");
            assert!(v.next.is_none(), "the public screen never gets the next");
            assert_eq!(
                (v.total_online, v.total_paper),
                (None, None),
                "no totals give the order away"
            );
            let json = serde_json::to_string(&v).unwrap();
            for hidden in 1..(11 - k) {
                assert!(
                    !json.contains(&format!("\"n{hidden}\"")),
                    "n{hidden} leaked after {k}"
                );
            }
        }
        let preview = screen_view(reveal(3), &r, none, false, true, true);
        let bars: Vec<u16> = preview.entries.iter().map(|e| e.bar).collect();
        // 8th, 9th, 10th: 92, 91 and 90 votes, scaled to the 8th's.
        assert_eq!(bars, vec![1000, 989, 978], "the leader's total stays out");
        assert_eq!(preview.next.map(|e| e.number.get()), Some(7));
        let done = screen_view(reveal(10), &r, none, false, true, true);
        assert!(done.next.is_none());
    }

    #[test]
    fn a_corrected_ranking_says_so_except_during_a_reveal() {
        let mut r = ranking(30);
        r.corrections.push(crate::publication::CorrectionNote {
            revision: 2,
            published_at: Millis(9),
            reason: "n3 撤回".into(),
            elected: vec![NomineeNumber::new(11).unwrap()],
            unelected: vec![NomineeNumber::new(3).unwrap()],
            changes: Vec::new(),
        });
        let none = |_| Portrait::default();
        let live = ScreenControl {
            mode: ScreenMode::Live,
            revealed: 0,
        };
        let shown = screen_view(live, &r, none, false, false, false);
        assert_eq!(shown.correction.map(|n| n.revision), Some(2));
        let revealing = screen_view(reveal(2), &r, none, false, false, false);
        assert_eq!(
            revealing.correction, None,
            "the note names unrevealed winners"
        );
        assert_eq!(
            screen_view(live, &ranking(30), none, false, false, false).correction,
            None
        );
    }

    #[test]
    fn live_lists_the_top_with_bars_and_totals_hidden_lists_nothing() {
        let r = ranking(30);
        let live = screen_view(
            ScreenControl {
                mode: ScreenMode::Live,
                revealed: 0,
            },
            &r,
            |n| Portrait {
                photo_url: Some(format!("/p/{n}")),
                line: Some(format!("{n} 的故事")),
            },
            true,
            false,
            false,
        );
        assert_eq!(live.entries.len(), MAX_ROWS);
        assert_eq!(live.entries[0].line.as_deref(), Some("001 的故事"));
        assert_eq!(live.entries[0].bar, 1000);
        assert_eq!(live.entries[0].photo_url.as_deref(), Some("/p/001"));
        assert_eq!(live.total_online, Some((70..=99).sum()));
        let hidden = screen_view(
            ScreenControl {
                mode: ScreenMode::Hidden,
                revealed: 0,
            },
            &r,
            |_| Portrait::default(),
            true,
            false,
            false,
        );
        assert!(hidden.entries.is_empty() && hidden.total_online.is_none());
    }

    #[test]
    fn fewer_nominees_than_winners_reveal_what_there_is() {
        let r = ranking(4);
        let v = screen_view(reveal(10), &r, |_| Portrait::default(), false, false, false);
        assert_eq!(v.entries.len(), 4);
    }
}
