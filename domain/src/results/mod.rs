//! The public tally: counts per nominee, scored and ranked by the
//! campaign's published rule, as its stage allows.

use serde::{Deserialize, Serialize};

use crate::campaign::{Campaign, ResultsVisibility};
use crate::clock::Millis;
use crate::nominee::NomineeNumber;
use crate::publication::{CorrectionNote, ResultsStage};
use crate::ranking::{rank, Channels, Contender, Formula, RankRule, TieBreak, POINT};

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
    /// When the nominee's count last changed (the "earlier final count" rule).
    pub changed_at: Option<Millis>,
    /// The jury's average score in hundredths of a point; `None` before
    /// any judge scored the nominee.
    pub jury: Option<u64>,
}

impl TallyRow {
    /// Online and paper together.
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
    /// Competition ranking after the tie-breaks: nominees no rule separates
    /// share a rank. `None` when counts are hidden.
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
    /// The score the formula gives, as decimal text (`"73.25"`; the vote
    /// count under the plain sum); `None` when counts are hidden.
    pub score: Option<String>,
    /// The jury's average score (`"86.50"`), once a judge scored; `None`
    /// when counts are hidden.
    pub jury: Option<String>,
    /// The rule that placed this nominee below the one before it when
    /// their scores were equal.
    pub tie_break: Option<TieBreak>,
    /// Within the winners' line.
    pub winner: bool,
}

/// The ranking rule as the results publish it: in words and as data.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishedFormula {
    pub words_zh: String,
    pub words_en: String,
    pub rule: RankRule,
}

impl PublishedFormula {
    pub fn of(rule: &RankRule) -> Self {
        PublishedFormula {
            words_zh: rule.formula.describe(crate::lang::Lang::Zh),
            words_en: rule.formula.describe(crate::lang::Lang::En),
            rule: rule.clone(),
        }
    }
}

/// The public notice's dates and its objections so far.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeInfo {
    pub start: Millis,
    pub end: Millis,
    pub objections_filed: u32,
    pub objections_answered: u32,
    /// The published ranking's revision: 1 as first published, one more
    /// for each published correction.
    pub revision: u32,
    /// Why the notice was published before every polling station had
    /// reported, as the administrator wrote it.
    #[serde(default)]
    pub unreported_reason: Option<String>,
}

/// A campaign's counts as one read of the store saw them, with the rule
/// that ranks them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tally {
    pub rows: Vec<TallyRow>,
    pub stations: StationsReported,
    /// Grows with every committed change to the counts, and only then: of two
    /// reads, the one with the higher version saw everything the other saw.
    pub version: u64,
    pub rule: RankRule,
    /// Places drawn by lot (1 first), by nominee.
    pub lot_places: Vec<(NomineeNumber, u32)>,
}

/// What the results page, the API and the live stream show at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResultsSnapshot {
    pub campaign_slug: String,
    pub title_zh: String,
    pub title_en: String,
    /// During voting, what the organizers chose; afterwards `hidden` while
    /// closed and `frozen` once published.
    pub visibility: ResultsVisibility,
    /// live, hidden, frozen, closed, notice or final.
    pub state: ResultsStage,
    /// When the counts were read (or frozen, or published).
    pub as_of: Millis,
    /// The tally's version (0 while hidden): a reader that has seen one
    /// version is never shown a lower one.
    pub version: u64,
    pub total_votes: Option<u64>,
    /// Polling stations whose every tally sheet is definitive.
    pub stations_reported: u32,
    /// The campaign's polling stations.
    pub stations_total: u32,
    /// The published ranking rule.
    pub formula: PublishedFormula,
    /// How many nominees win.
    pub winners: u16,
    /// Nominees tied across the winners' line whom only a lot can separate
    /// (empty while counts are hidden).
    pub lot_pending: Vec<NomineeNumber>,
    /// The public notice, from its publication on.
    pub notice: Option<NoticeInfo>,
    /// The corrections published since, oldest first: why, and what each
    /// changed.
    pub corrections: Vec<CorrectionNote>,
    pub entries: Vec<ResultEntry>,
}

/// A score as decimal text: whole votes under the plain sum, points with
/// two decimals under a weighted formula.
pub fn score_text(formula: &Formula, micro: u64) -> String {
    match formula {
        Formula::PlainSum => (micro / POINT).to_string(),
        Formula::Weighted { .. } => {
            let hundredths = (micro + POINT / 200) / (POINT / 100);
            format!("{}.{:02}", hundredths / 100, hundredths % 100)
        }
    }
}

impl ResultsSnapshot {
    /// Scores and ranks the rows by the tally's rule. A stage that hides
    /// counts lists nominees by number with no counts and no ranks.
    pub fn build(campaign: &Campaign, stage: ResultsStage, tally: Tally, as_of: Millis) -> Self {
        let Tally {
            rows,
            version,
            stations,
            rule,
            lot_places,
        } = tally;
        let contenders: Vec<Contender> = rows
            .iter()
            .map(|r| Contender {
                number: r.number,
                channels: Channels {
                    online: r.online,
                    paper: r.paper,
                    jury: r.jury,
                },
                reached_final_at: r.changed_at,
                lot: lot_places
                    .iter()
                    .rev()
                    .find(|(n, _)| *n == r.number)
                    .map(|(_, place)| *place),
            })
            .collect();
        let ranking = rank(&rule, &contenders);
        let total = rows.iter().map(TallyRow::combined).sum();
        let mut by_number: std::collections::HashMap<NomineeNumber, TallyRow> =
            rows.into_iter().map(|r| (r.number, r)).collect();
        let entries = ranking
            .placed
            .iter()
            .filter_map(|p| {
                let r = by_number.remove(&p.number)?;
                let combined = r.combined();
                Some(ResultEntry {
                    rank: Some(p.rank),
                    number: r.number,
                    name: r.name,
                    street_zh: r.street_zh,
                    street_en: r.street_en,
                    community_zh: r.community_zh,
                    community_en: r.community_en,
                    votes: Some(combined),
                    online: Some(r.online),
                    paper: Some(r.paper),
                    combined: Some(combined),
                    score: Some(score_text(&rule.formula, p.score)),
                    jury: r.jury.map(crate::ranking::jury::hundredths_text),
                    tie_break: p.tie_break,
                    winner: p.winner,
                })
            })
            .collect();
        let shown = ResultsSnapshot {
            campaign_slug: campaign.slug.clone(),
            title_zh: campaign.title_zh.clone(),
            title_en: campaign.title_en.clone(),
            visibility: match stage {
                ResultsStage::Live => ResultsVisibility::Live,
                ResultsStage::Hidden | ResultsStage::Closed => ResultsVisibility::Hidden,
                _ => ResultsVisibility::Frozen,
            },
            state: stage,
            as_of,
            version,
            total_votes: Some(total),
            stations_reported: stations.reported,
            stations_total: stations.total,
            formula: PublishedFormula::of(&rule),
            winners: rule.winners,
            lot_pending: ranking.lot_needed,
            notice: None,
            corrections: Vec::new(),
            entries,
        };
        if stage.shows_counts() {
            shown
        } else {
            shown.hidden(stage)
        }
    }

    /// The same nominees with nothing counted: what a stage that hides
    /// counts (hidden, closed) shows the public.
    pub fn hidden(&self, stage: ResultsStage) -> Self {
        let mut entries: Vec<ResultEntry> = self
            .entries
            .iter()
            .map(|e| ResultEntry {
                rank: None,
                votes: None,
                online: None,
                paper: None,
                combined: None,
                score: None,
                jury: None,
                tie_break: None,
                winner: false,
                ..e.clone()
            })
            .collect();
        entries.sort_by_key(|e| e.number);
        ResultsSnapshot {
            visibility: ResultsVisibility::Hidden,
            state: stage,
            version: 0,
            total_votes: None,
            // When counts stopped showing is not news about the counts.
            as_of: Millis(0),
            lot_pending: Vec::new(),
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
                && (newer.state != self.state
                    || newer.entries != self.entries
                    || newer.formula != self.formula
                    || newer.lot_pending != self.lot_pending
                    || newer.notice != self.notice
                    || newer.stations_reported != self.stations_reported
                    || newer.stations_total != self.stations_total
                    || newer.title_zh != self.title_zh
                    || newer.title_en != self.title_en))
    }
}

#[cfg(test)]
mod tests;
