//! Correcting a published result (更正). Once the notice is published the
//! ranking does not move silently: a correction is proposed by one
//! administrator with a written reason, confirmed by a second, and only
//! while it is open may the changes the published ranking forbids be made
//! (withdrawing a nominee, re-keying a sheet, …). The public keeps seeing the
//! published ranking until the corrected one is published as a new
//! revision, with a note saying why and what changed. An open correction
//! cannot be abandoned: the changes it let through may already be made, so
//! it ends by publishing (a note that says nothing changed, if so).

use serde::{Deserialize, Serialize};

use crate::clock::Millis;
use crate::lang::Lang;
use crate::nominee::NomineeNumber;
use crate::organizer::OrganizerId;
use crate::publication::Stage;
use crate::results::{ResultsSnapshot, StationsReported};
use crate::text::{FreeText, TextProblem, TextRule};

pub const REASON_MIN_CHARS: usize = 10;
pub const REASON_MAX_CHARS: usize = 1_000;

/// Where a correction is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CorrectionState {
    /// Proposed with a reason; waiting for a second administrator.
    Proposed,
    /// Confirmed: the changes the published ranking forbids may be made.
    Open,
    /// The corrected ranking is published as a new revision.
    Published,
    /// Withdrawn before it was confirmed.
    Cancelled,
}

impl CorrectionState {
    pub const ALL: [CorrectionState; 4] = [
        CorrectionState::Proposed,
        CorrectionState::Open,
        CorrectionState::Published,
        CorrectionState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CorrectionState::Proposed => "proposed",
            CorrectionState::Open => "open",
            CorrectionState::Published => "published",
            CorrectionState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Proposed or open: no second correction may start meanwhile.
    pub fn underway(self) -> bool {
        matches!(self, CorrectionState::Proposed | CorrectionState::Open)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            CorrectionState::Proposed => {
                lang.pick("待另一位管理员确认", "Awaiting a second administrator")
            }
            CorrectionState::Open => lang.pick("更正进行中", "Correction under way"),
            CorrectionState::Published => lang.pick("已发布更正", "Correction published"),
            CorrectionState::Cancelled => lang.pick("已撤销", "Cancelled"),
        }
    }
}

/// A correction as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    pub id: i64,
    pub state: CorrectionState,
    pub reason: String,
    pub proposed_by: OrganizerId,
    pub proposed_by_name: String,
    pub proposed_at: Millis,
    pub confirmed_by_name: Option<String>,
    pub confirmed_at: Option<Millis>,
    /// Who published or cancelled it, and when.
    pub ended_by_name: Option<String>,
    pub ended_at: Option<Millis>,
    /// The note published with it.
    pub note: Option<CorrectionNote>,
}

/// A correction's reason: 10 to 1,000 characters of readable text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionReason(FreeText);

impl CorrectionReason {
    pub fn parse(typed: &str) -> Result<Self, CorrectionRefusal> {
        let text =
            FreeText::parse(typed, TextRule::lines(REASON_MAX_CHARS)).map_err(|p| match p {
                TextProblem::Empty => CorrectionRefusal::ReasonTooShort,
                TextProblem::TooLong => CorrectionRefusal::ReasonTooLong,
                TextProblem::Control => CorrectionRefusal::ReasonUnreadable,
            })?;
        if text.as_str().chars().count() < REASON_MIN_CHARS {
            return Err(CorrectionRefusal::ReasonTooShort);
        }
        Ok(CorrectionReason(text))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// Why a correction step was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorrectionRefusal {
    /// Nothing is published yet: before the notice, changes need no correction.
    NotPublished,
    /// Another correction is proposed or open.
    Underway,
    /// The administrator who proposed it cannot also confirm it.
    SameAdmin,
    /// The correction is not at the step asked for (confirmed, published or
    /// cancelled meanwhile; an open one cannot be cancelled).
    WrongState,
    /// A tie straddles the winners' line: draw the lot first.
    LotPending,
    /// A sheet reopened for the correction is not definitive again.
    StationsNotReported,
    ReasonTooShort,
    ReasonTooLong,
    ReasonUnreadable,
}

impl CorrectionRefusal {
    pub const ALL: [CorrectionRefusal; 9] = [
        CorrectionRefusal::NotPublished,
        CorrectionRefusal::Underway,
        CorrectionRefusal::SameAdmin,
        CorrectionRefusal::WrongState,
        CorrectionRefusal::LotPending,
        CorrectionRefusal::StationsNotReported,
        CorrectionRefusal::ReasonTooShort,
        CorrectionRefusal::ReasonTooLong,
        CorrectionRefusal::ReasonUnreadable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CorrectionRefusal::NotPublished => "correction_not_published",
            CorrectionRefusal::Underway => "correction_underway",
            CorrectionRefusal::SameAdmin => "correction_same_admin",
            CorrectionRefusal::WrongState => "correction_wrong_state",
            CorrectionRefusal::LotPending => "correction_lot_pending",
            CorrectionRefusal::StationsNotReported => "correction_stations_not_reported",
            CorrectionRefusal::ReasonTooShort => "correction_reason_too_short",
            CorrectionRefusal::ReasonTooLong => "correction_reason_too_long",
            CorrectionRefusal::ReasonUnreadable => "correction_reason_unreadable",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            CorrectionRefusal::NotPublished => lang.pick(
                "结果尚未公示，无需走更正程序。",
                "Nothing is published yet: no correction is needed.",
            ),
            CorrectionRefusal::Underway => lang.pick(
                "已有一项更正在进行中，请先完成它。",
                "Another correction is under way; finish it first.",
            ),
            CorrectionRefusal::SameAdmin => lang.pick(
                "更正须由另一位管理员确认，提出人不能自己确认。",
                "A second administrator must confirm; the proposer cannot.",
            ),
            CorrectionRefusal::WrongState => lang.pick(
                "这项更正已不在这一步（可能已被确认、发布或撤销）。已确认的更正只能发布，不能撤销。请刷新页面。",
                "This correction is no longer at this step (confirmed, published or cancelled meanwhile). A confirmed correction can only be published. Reload the page.",
            ),
            CorrectionRefusal::LotPending => lang.pick(
                "更正后当选名额线上出现并列，须先现场抽签。",
                "After the correction a tie straddles the winners' line: draw the lot first.",
            ),
            CorrectionRefusal::StationsNotReported => lang.pick(
                "为更正重开的计票单尚未重新确认，请先完成两人录入。",
                "A sheet reopened for the correction is not definitive again: finish its two keyings first.",
            ),
            CorrectionRefusal::ReasonTooShort => lang.pick(
                "请写明更正的理由（至少 10 个字）。",
                "Write the reason for the correction (10 characters at least).",
            ),
            CorrectionRefusal::ReasonTooLong => lang.pick(
                "理由太长了（最多 1000 个字）。",
                "The reason is too long (1,000 characters at most).",
            ),
            CorrectionRefusal::ReasonUnreadable => lang.pick(
                "理由中含有无法显示的字符，请重新输入。",
                "The reason holds characters that cannot be shown; type it again.",
            ),
        }
    }
}

/// Whether a correction may be proposed: the results are published, and no
/// other correction is under way.
pub fn may_propose(
    stage: Option<Stage>,
    underway: Option<&Correction>,
) -> Result<(), CorrectionRefusal> {
    if !matches!(stage, Some(Stage::Notice | Stage::Final)) {
        return Err(CorrectionRefusal::NotPublished);
    }
    if underway.is_some() {
        return Err(CorrectionRefusal::Underway);
    }
    Ok(())
}

impl Correction {
    /// Whether `by` may confirm it: it is proposed, by someone else.
    pub fn may_confirm(&self, by: OrganizerId) -> Result<(), CorrectionRefusal> {
        if self.state != CorrectionState::Proposed {
            return Err(CorrectionRefusal::WrongState);
        }
        if self.proposed_by == by {
            return Err(CorrectionRefusal::SameAdmin);
        }
        Ok(())
    }

    /// Whether it may be cancelled: only before it is confirmed (after, the
    /// changes it let through may be made: it ends by publishing).
    pub fn may_cancel(&self) -> Result<(), CorrectionRefusal> {
        match self.state {
            CorrectionState::Proposed => Ok(()),
            _ => Err(CorrectionRefusal::WrongState),
        }
    }

    /// Whether the corrected ranking may be published: the correction is
    /// open, no tie waits for a lot, and every station that had reported
    /// when the ranking was published has reported again.
    pub fn may_publish(
        &self,
        published: &ResultsSnapshot,
        corrected: &ResultsSnapshot,
    ) -> Result<(), CorrectionRefusal> {
        if self.state != CorrectionState::Open {
            return Err(CorrectionRefusal::WrongState);
        }
        if !corrected.lot_pending.is_empty() {
            return Err(CorrectionRefusal::LotPending);
        }
        let before = StationsReported {
            reported: published.stations_reported,
            total: published.stations_total,
        };
        if corrected.stations_reported < before.reported {
            return Err(CorrectionRefusal::StationsNotReported);
        }
        Ok(())
    }
}

/// A nominee whose published score a correction changed. `None`: not on
/// the ranking on that side (withdrawn, or added).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CorrectedScore {
    pub number: NomineeNumber,
    pub name: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub rank_before: Option<u32>,
    pub rank_after: Option<u32>,
}

/// What the public is told about a published correction: why, when, which
/// revision of the results it made, and what it changed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CorrectionNote {
    /// The results' revision this correction published (the first
    /// publication is revision 1).
    pub revision: u32,
    pub published_at: Millis,
    pub reason: String,
    /// Winners the correction added, and removed.
    pub elected: Vec<NomineeNumber>,
    pub unelected: Vec<NomineeNumber>,
    /// Every nominee whose score or place changed.
    pub changes: Vec<CorrectedScore>,
}

impl CorrectionNote {
    /// The note for the ranking `corrected` replacing `published`.
    pub fn between(
        revision: u32,
        published_at: Millis,
        reason: &str,
        published: &ResultsSnapshot,
        corrected: &ResultsSnapshot,
    ) -> Self {
        let winners = |s: &ResultsSnapshot| -> Vec<NomineeNumber> {
            s.entries
                .iter()
                .filter(|e| e.winner)
                .map(|e| e.number)
                .collect()
        };
        let (before_w, after_w) = (winners(published), winners(corrected));
        let mut numbers: Vec<NomineeNumber> = published
            .entries
            .iter()
            .chain(&corrected.entries)
            .map(|e| e.number)
            .collect();
        numbers.sort();
        numbers.dedup();
        let changes = numbers
            .into_iter()
            .filter_map(|n| {
                let b = published.entries.iter().find(|e| e.number == n);
                let a = corrected.entries.iter().find(|e| e.number == n);
                let score =
                    |e: Option<&crate::results::ResultEntry>| e.and_then(|e| e.score.clone());
                let rank = |e: Option<&crate::results::ResultEntry>| e.and_then(|e| e.rank);
                let unchanged =
                    score(b) == score(a) && rank(b) == rank(a) && b.is_some() == a.is_some();
                (!unchanged).then(|| CorrectedScore {
                    number: n,
                    name: a.or(b).map(|e| e.name.clone()).unwrap_or_default(),
                    before: score(b),
                    after: score(a),
                    rank_before: rank(b),
                    rank_after: rank(a),
                })
            })
            .collect();
        CorrectionNote {
            revision,
            published_at,
            reason: reason.to_string(),
            elected: after_w
                .iter()
                .copied()
                .filter(|n| !before_w.contains(n))
                .collect(),
            unelected: before_w
                .iter()
                .copied()
                .filter(|n| !after_w.contains(n))
                .collect(),
            changes,
        }
    }

    /// Whether the correction left the ranking as it was.
    pub fn changed_nothing(&self) -> bool {
        self.changes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::{Campaign, CampaignId, Phases, ResultsVisibility, VoteRules};
    use crate::publication::ResultsStage;
    use crate::results::{Tally, TallyRow};

    const ADA: OrganizerId = OrganizerId(1);
    const BO: OrganizerId = OrganizerId(2);

    fn correction(state: CorrectionState) -> Correction {
        Correction {
            id: 7,
            state,
            reason: "第 3 投票点计票单录入有误".into(),
            proposed_by: ADA,
            proposed_by_name: "Ada".into(),
            proposed_at: Millis(1),
            confirmed_by_name: None,
            confirmed_at: None,
            ended_by_name: None,
            ended_at: None,
            note: None,
        }
    }

    /// A notice ranking of `votes` (nominee k has votes[k-1]), three winners,
    /// with `reported` of 2 stations reported.
    fn ranking(votes: &[u64], reported: u32) -> ResultsSnapshot {
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
        let rows = votes
            .iter()
            .zip(1u32..)
            .map(|(v, k)| TallyRow {
                number: NomineeNumber::new(k).unwrap(),
                name: format!("n{k}"),
                street_zh: String::new(),
                street_en: String::new(),
                community_zh: String::new(),
                community_en: String::new(),
                online: *v,
                paper: 0,
                changed_at: None,
                jury: None,
            })
            .collect();
        let mut tally = Tally {
            rows,
            version: 1,
            stations: StationsReported { reported, total: 2 },
            ..Tally::default()
        };
        tally.rule.winners = 3;
        ResultsSnapshot::build(&campaign, ResultsStage::Notice, tally, Millis(5))
    }

    fn numbers(ns: &[u32]) -> Vec<NomineeNumber> {
        ns.iter().map(|n| NomineeNumber::new(*n).unwrap()).collect()
    }

    #[test]
    fn a_correction_is_proposed_only_for_published_results_one_at_a_time() {
        let proposed = correction(CorrectionState::Proposed);
        let cases = [
            (None, None, Err(CorrectionRefusal::NotPublished)),
            (
                Some(Stage::Closed),
                None,
                Err(CorrectionRefusal::NotPublished),
            ),
            (Some(Stage::Notice), None, Ok(())),
            (Some(Stage::Final), None, Ok(())),
            (
                Some(Stage::Notice),
                Some(&proposed),
                Err(CorrectionRefusal::Underway),
            ),
        ];
        for (stage, underway, expected) in cases {
            assert_eq!(may_propose(stage, underway), expected, "{stage:?}");
        }
    }

    #[test]
    fn a_second_administrator_confirms_and_only_a_proposal_is_cancelled() {
        let proposed = correction(CorrectionState::Proposed);
        assert_eq!(proposed.may_confirm(ADA), Err(CorrectionRefusal::SameAdmin));
        assert_eq!(proposed.may_confirm(BO), Ok(()));
        assert_eq!(proposed.may_cancel(), Ok(()));
        for state in [
            CorrectionState::Open,
            CorrectionState::Published,
            CorrectionState::Cancelled,
        ] {
            let c = correction(state);
            assert_eq!(
                c.may_confirm(BO),
                Err(CorrectionRefusal::WrongState),
                "{state:?}"
            );
            assert_eq!(
                c.may_cancel(),
                Err(CorrectionRefusal::WrongState),
                "{state:?}"
            );
        }
    }

    #[test]
    fn only_an_open_correction_with_no_tie_and_every_station_back_is_published() {
        let before = ranking(&[50, 40, 30, 20], 2);
        let open = correction(CorrectionState::Open);
        assert_eq!(
            open.may_publish(&before, &ranking(&[50, 40, 20, 30], 2)),
            Ok(())
        );
        assert_eq!(
            correction(CorrectionState::Proposed).may_publish(&before, &before),
            Err(CorrectionRefusal::WrongState)
        );
        assert_eq!(
            open.may_publish(&before, &ranking(&[50, 40, 30, 30], 2)),
            Err(CorrectionRefusal::LotPending)
        );
        assert_eq!(
            open.may_publish(&before, &ranking(&[50, 40, 30, 20], 1)),
            Err(CorrectionRefusal::StationsNotReported)
        );
    }

    #[test]
    fn the_note_names_who_won_and_lost_a_place_and_every_changed_score() {
        let before = ranking(&[50, 40, 30, 20, 10], 2);
        // Station recount: nominee 3 loses 15, nominee 4 gains 5.
        let after = ranking(&[50, 40, 15, 25, 10], 2);
        let note = CorrectionNote::between(2, Millis(9), "复核", &before, &after);
        assert_eq!(note.revision, 2);
        assert_eq!(note.elected, numbers(&[4]));
        assert_eq!(note.unelected, numbers(&[3]));
        let changed: Vec<_> = note
            .changes
            .iter()
            .map(|c| {
                (
                    c.number.get(),
                    c.before.clone(),
                    c.after.clone(),
                    c.rank_before,
                    c.rank_after,
                )
            })
            .collect();
        assert_eq!(
            changed,
            vec![
                (3, Some("30".into()), Some("15".into()), Some(3), Some(4)),
                (4, Some("20".into()), Some("25".into()), Some(4), Some(3)),
            ]
        );
        assert!(!note.changed_nothing());
        assert!(CorrectionNote::between(2, Millis(9), "复核", &before, &before).changed_nothing());
    }

    #[test]
    fn a_withdrawn_nominee_is_named_as_no_longer_ranked() {
        let before = ranking(&[50, 40, 30, 20], 2);
        let mut after = ranking(&[50, 40, 30, 20], 2);
        after.entries.retain(|e| e.number.get() != 1);
        let note = CorrectionNote::between(2, Millis(9), "候选人撤回", &before, &after);
        let gone = note.changes.iter().find(|c| c.number.get() == 1).unwrap();
        assert_eq!((gone.after.clone(), gone.rank_after), (None, None));
        assert_eq!(gone.name, "n1");
        assert_eq!(note.unelected, numbers(&[1]));
    }

    #[test]
    fn a_reason_is_ten_to_a_thousand_readable_characters() {
        assert_eq!(
            CorrectionReason::parse("太短了").unwrap_err(),
            CorrectionRefusal::ReasonTooShort
        );
        assert_eq!(
            CorrectionReason::parse(&"长".repeat(1_001)).unwrap_err(),
            CorrectionRefusal::ReasonTooLong
        );
        assert_eq!(
            CorrectionReason::parse("第 3 投票点\0计票单录入有误").unwrap_err(),
            CorrectionRefusal::ReasonUnreadable
        );
        let ok = CorrectionReason::parse("  第 3 投票点计票单录入有误\r\n经复核更正  ").unwrap();
        assert_eq!(ok.as_str(), "第 3 投票点计票单录入有误\n经复核更正");
        for r in CorrectionRefusal::ALL {
            assert_eq!(CorrectionRefusal::parse(r.code()), Some(r));
        }
    }
}
