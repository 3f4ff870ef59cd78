//! Two people key every sheet. The first entry is saved as a draft until
//! finished; a **different** operator then keys the same paper without
//! seeing the first; equal entries make the sheet definitive, and any
//! differing field sends it to a coordinator, who keeps one entry or
//! discards both. A definitive sheet is reopened only by an administrator
//! with a written reason. These are the rules; storage records each step.

use serde::{Deserialize, Serialize};

use super::sheet::{SheetCheck, SheetCounts, SheetField};
use crate::lang::Lang;
use crate::organizer::OrganizerId;

/// Where a sheet is in its two entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SheetState {
    NotStarted,
    /// The first entry is being keyed (a draft).
    FirstEntry,
    /// The first entry is finished: another operator keys the second.
    AwaitingSecond,
    /// The second entry is being keyed (a draft).
    SecondEntry,
    /// The two entries differ: a coordinator decides.
    Different,
    /// Counted in the tally.
    Definitive,
}

impl SheetState {
    pub const ALL: [SheetState; 6] = [
        SheetState::NotStarted,
        SheetState::FirstEntry,
        SheetState::AwaitingSecond,
        SheetState::SecondEntry,
        SheetState::Different,
        SheetState::Definitive,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SheetState::NotStarted => "not_started",
            SheetState::FirstEntry => "first_entry",
            SheetState::AwaitingSecond => "awaiting_second",
            SheetState::SecondEntry => "second_entry",
            SheetState::Different => "different",
            SheetState::Definitive => "definitive",
        }
    }

    pub fn parse(s: &str) -> Option<SheetState> {
        SheetState::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            SheetState::NotStarted => lang.pick("未录入", "Not started"),
            SheetState::FirstEntry => lang.pick("第一次录入中", "First entry in progress"),
            SheetState::AwaitingSecond => lang.pick("待第二次录入", "Awaiting second entry"),
            SheetState::SecondEntry => lang.pick("第二次录入中", "Second entry in progress"),
            SheetState::Different => lang.pick("两次录入不一致", "Entries differ"),
            SheetState::Definitive => lang.pick("已确认", "Definitive"),
        }
    }

    /// Who the sheet waits for, in a word for the progress board.
    pub fn waits_for(self, lang: Lang) -> &'static str {
        match self {
            SheetState::NotStarted | SheetState::FirstEntry => {
                lang.pick("等待录入员", "Waits for an operator")
            }
            SheetState::AwaitingSecond | SheetState::SecondEntry => {
                lang.pick("等待另一位录入员", "Waits for another operator")
            }
            SheetState::Different => lang.pick("等待协调员", "Waits for the coordinator"),
            SheetState::Definitive => lang.pick("已计入", "Counted"),
        }
    }
}

/// Which of the two entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Round {
    First,
    Second,
}

impl Round {
    pub fn number(self) -> i32 {
        match self {
            Round::First => 1,
            Round::Second => 2,
        }
    }

    pub fn from_number(n: i64) -> Option<Round> {
        match n {
            1 => Some(Round::First),
            2 => Some(Round::Second),
            _ => None,
        }
    }
}

/// Who keyed (or keys) each entry of the sheet's current round.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Keyers {
    pub first: Option<OrganizerId>,
    pub second: Option<OrganizerId>,
}

/// Why an operator may not key this sheet now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyRefusal {
    /// Another operator is keying the first entry.
    FirstTakenByAnother,
    /// The second entry must come from another operator than the first.
    SameOperator,
    /// Another operator is keying the second entry.
    SecondTakenByAnother,
    /// Both entries are in: nothing is keyed until a decision.
    Closed,
}

impl KeyRefusal {
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            KeyRefusal::FirstTakenByAnother => lang.pick(
                "另一位录入员正在录入这张计票单的第一次录入。",
                "Another operator is keying this sheet's first entry.",
            ),
            KeyRefusal::SameOperator => lang.pick(
                "第二次录入必须由另一位录入员完成。",
                "The second entry must be keyed by another operator.",
            ),
            KeyRefusal::SecondTakenByAnother => lang.pick(
                "另一位录入员正在录入这张计票单的第二次录入。",
                "Another operator is keying this sheet's second entry.",
            ),
            KeyRefusal::Closed => lang.pick(
                "这张计票单的两次录入都已完成，不能再修改。",
                "Both entries of this sheet are in; it can no longer be keyed.",
            ),
        }
    }
}

/// The entry `who` keys now: the first, the second, or none and why.
pub fn round_for(state: SheetState, keyers: Keyers, who: OrganizerId) -> Result<Round, KeyRefusal> {
    match state {
        SheetState::NotStarted => Ok(Round::First),
        SheetState::FirstEntry if keyers.first == Some(who) => Ok(Round::First),
        SheetState::FirstEntry => Err(KeyRefusal::FirstTakenByAnother),
        SheetState::AwaitingSecond | SheetState::SecondEntry if keyers.first == Some(who) => {
            Err(KeyRefusal::SameOperator)
        }
        SheetState::AwaitingSecond => Ok(Round::Second),
        SheetState::SecondEntry if keyers.second == Some(who) => Ok(Round::Second),
        SheetState::SecondEntry => Err(KeyRefusal::SecondTakenByAnother),
        SheetState::Different | SheetState::Definitive => Err(KeyRefusal::Closed),
    }
}

/// Whether `viewer` may see an entry keyed by `keyer` on a sheet in `state`.
/// While a sheet is being keyed, an entry of the current round (`closed` is
/// false) is its keyer's alone: the second operator keys from the paper,
/// never from the first entry's numbers. Once both entries are in (the
/// sheet differs or is definitive), and for entries set aside by an earlier
/// round, everyone who reads the sheet sees them.
pub fn entry_visible(
    state: SheetState,
    closed: bool,
    keyer: OrganizerId,
    viewer: OrganizerId,
) -> bool {
    closed || keyer == viewer || matches!(state, SheetState::Different | SheetState::Definitive)
}

/// Why an entry cannot be finished yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FinishRefusal {
    /// Something typed is not a count, or a check found an error.
    HasErrors,
    /// Warnings stand until the operator ticks "checked against the paper".
    NotChecked,
    /// The second entry is the last word before the sheet counts: the
    /// photo of the signed sheet (or an administrator's waiver) comes first.
    PhotoNeeded,
}

impl FinishRefusal {
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            FinishRefusal::HasErrors => lang.pick(
                "计票单还有错误，已保存为草稿。请改正标红的数字后再提交。",
                "The sheet still has errors; it was saved as a draft. Correct the marked numbers, then finish.",
            ),
            FinishRefusal::NotChecked => lang.pick(
                "有需要核对的提示，已保存为草稿。请与纸质计票单核对后勾选“已与纸质计票单核对”。",
                "There are warnings; it was saved as a draft. Check against the paper sheet and tick \"checked against the paper\".",
            ),
            FinishRefusal::PhotoNeeded => lang.pick(
                "计入总票数之前，需要签字计票单的照片：请先上传照片再提交（录入内容已保存）。确实无法拍照时，请管理员写明原因后免除。",
                "The photo of the signed sheet comes before the sheet counts: upload it, then finish (what you keyed is saved). Where no photo can be taken, an administrator may waive it with a reason.",
            ),
        }
    }
}

/// What stands for the signed paper when a sheet is counted: its photo,
/// or an administrator's written waiver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaperEvidence {
    Photo,
    Waived,
    Missing,
}

impl PaperEvidence {
    pub fn of(has_photo: bool, waived: bool) -> PaperEvidence {
        match (has_photo, waived) {
            (true, _) => PaperEvidence::Photo,
            (false, true) => PaperEvidence::Waived,
            (false, false) => PaperEvidence::Missing,
        }
    }

    /// Whether a sheet may become definitive on it.
    pub fn present(self) -> bool {
        self != PaperEvidence::Missing
    }
}

/// Whether an entry may be finished: no typing problem, no error, and
/// warnings only when the operator has checked the paper. The second entry
/// (which makes the sheet definitive, or hands it to a coordinator who
/// decides with the photo) also needs the photo or its waiver: asked for
/// whatever the entries say, so the refusal tells nothing about the first.
pub fn may_finish(
    typing_problems: usize,
    check: &SheetCheck,
    checked_against_paper: bool,
    round: Round,
    evidence: PaperEvidence,
) -> Result<(), FinishRefusal> {
    if typing_problems > 0 || !check.errors.is_empty() {
        return Err(FinishRefusal::HasErrors);
    }
    if !check.warnings.is_empty() && !checked_against_paper {
        return Err(FinishRefusal::NotChecked);
    }
    if round == Round::Second && !evidence.present() {
        return Err(FinishRefusal::PhotoNeeded);
    }
    Ok(())
}

/// The fields where two entries differ, in the sheet's order.
pub fn differences(first: &SheetCounts, second: &SheetCounts) -> Vec<SheetField> {
    let mut fields: Vec<SheetField> = [
        (SheetField::Received, first.received, second.received),
        (SheetField::Unused, first.unused, second.unused),
        (SheetField::Spoiled, first.spoiled, second.spoiled),
        (SheetField::InBox, first.in_box, second.in_box),
        (SheetField::Valid, first.valid, second.valid),
        (SheetField::Invalid, first.invalid, second.invalid),
        (SheetField::Blank, first.blank, second.blank),
    ]
    .into_iter()
    .filter(|(_, a, b)| a != b)
    .map(|(f, _, _)| f)
    .collect();
    let numbers: std::collections::BTreeSet<_> =
        first.marks.keys().chain(second.marks.keys()).collect();
    for n in numbers {
        if first.marks.get(n).copied().flatten() != second.marks.get(n).copied().flatten() {
            fields.push(SheetField::Marks(*n));
        }
    }
    fields
}

/// What a finished second entry makes of the sheet.
pub fn after_second(first: &SheetCounts, second: &SheetCounts) -> SheetState {
    if differences(first, second).is_empty() {
        SheetState::Definitive
    } else {
        SheetState::Different
    }
}

/// A coordinator's decision on differing entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Resolution {
    KeepFirst,
    KeepSecond,
    /// Both set aside: the sheet is keyed again from the start.
    DiscardBoth,
}

impl Resolution {
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::KeepFirst => "keep_first",
            Resolution::KeepSecond => "keep_second",
            Resolution::DiscardBoth => "discard_both",
        }
    }

    pub fn parse(s: &str) -> Option<Resolution> {
        [
            Resolution::KeepFirst,
            Resolution::KeepSecond,
            Resolution::DiscardBoth,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }

    /// The entry kept, if any.
    pub fn kept(self) -> Option<Round> {
        match self {
            Resolution::KeepFirst => Some(Round::First),
            Resolution::KeepSecond => Some(Round::Second),
            Resolution::DiscardBoth => None,
        }
    }

    /// The sheet's state after the decision.
    pub fn state_after(self) -> SheetState {
        match self.kept() {
            Some(_) => SheetState::Definitive,
            None => SheetState::NotStarted,
        }
    }
}

/// The shortest and longest written reason for reopening a definitive sheet.
pub const REOPEN_REASON_CHARS: std::ops::RangeInclusive<usize> = 4..=500;

/// A reason good enough to reopen a counted sheet: written out, not a token.
pub fn reopen_reason(typed: &str) -> Option<String> {
    let reason = typed.trim();
    REOPEN_REASON_CHARS
        .contains(&reason.chars().count())
        .then(|| reason.to_string())
}

/// A reason good enough to count a sheet without its photo: written out
/// like a reopening's, and shown on the public list beside the sheet.
pub fn waiver_reason(typed: &str) -> Option<String> {
    reopen_reason(typed)
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_second_keyer_never_sees_the_first_entry_while_keying() {
        let (first, second) = (OrganizerId(1), OrganizerId(2));
        for state in [
            SheetState::FirstEntry,
            SheetState::AwaitingSecond,
            SheetState::SecondEntry,
        ] {
            assert!(!entry_visible(state, false, first, second), "{state:?}");
            assert!(
                entry_visible(state, false, first, first),
                "{state:?}: one's own draft"
            );
            assert!(
                entry_visible(state, true, first, second),
                "{state:?}: an earlier round"
            );
        }
        for state in [SheetState::Different, SheetState::Definitive] {
            assert!(entry_visible(state, false, first, second), "{state:?}");
        }
    }

    use super::*;
    use crate::nominee::NomineeNumber;
    use crate::paper::count::Count;
    use crate::paper::sheet::SheetWarning;

    const ANN: OrganizerId = OrganizerId(1);
    const BO: OrganizerId = OrganizerId(2);
    const CY: OrganizerId = OrganizerId(3);

    #[test]
    fn who_keys_which_entry() {
        use KeyRefusal::*;
        use SheetState::*;
        let none = Keyers::default();
        let first_ann = Keyers {
            first: Some(ANN),
            second: None,
        };
        let both = Keyers {
            first: Some(ANN),
            second: Some(BO),
        };
        let cases: &[(SheetState, Keyers, OrganizerId, Result<Round, KeyRefusal>)] = &[
            (NotStarted, none, ANN, Ok(Round::First)),
            (FirstEntry, first_ann, ANN, Ok(Round::First)),
            (FirstEntry, first_ann, BO, Err(FirstTakenByAnother)),
            (AwaitingSecond, first_ann, ANN, Err(SameOperator)),
            (AwaitingSecond, first_ann, BO, Ok(Round::Second)),
            (SecondEntry, both, BO, Ok(Round::Second)),
            (SecondEntry, both, ANN, Err(SameOperator)),
            (SecondEntry, both, CY, Err(SecondTakenByAnother)),
            (Different, both, CY, Err(Closed)),
            (Definitive, both, CY, Err(Closed)),
        ];
        for (state, keyers, who, expected) in cases {
            assert_eq!(
                round_for(*state, *keyers, *who),
                *expected,
                "{state:?} {who:?}"
            );
        }
    }

    fn counts(in_box: u32, marks: &[(u32, u32)]) -> SheetCounts {
        let c = |v| Some(Count::new(v).unwrap());
        SheetCounts {
            received: c(500),
            unused: c(500 - in_box),
            spoiled: c(0),
            in_box: c(in_box),
            valid: c(in_box),
            invalid: c(0),
            blank: c(0),
            marks: marks
                .iter()
                .map(|(n, m)| (NomineeNumber::new(*n).unwrap(), c(*m)))
                .collect(),
        }
    }

    #[test]
    fn equal_entries_stand_and_any_difference_goes_to_the_coordinator() {
        let first = counts(300, &[(1, 200), (2, 150)]);
        assert_eq!(after_second(&first, &first.clone()), SheetState::Definitive);
        let typo = counts(300, &[(1, 200), (2, 105)]);
        assert_eq!(after_second(&first, &typo), SheetState::Different);
        assert_eq!(
            differences(&first, &typo),
            vec![SheetField::Marks(NomineeNumber::new(2).unwrap())]
        );
        let other_box = counts(301, &[(1, 200), (2, 150)]);
        assert_eq!(
            differences(&first, &other_box),
            vec![SheetField::Unused, SheetField::InBox, SheetField::Valid]
        );
    }

    #[test]
    fn finishing_needs_no_errors_and_checked_warnings() {
        let clean = SheetCheck::default();
        let warned = SheetCheck {
            errors: vec![],
            warnings: vec![SheetWarning::HighTurnout {
                in_box: 900,
                usual: 300,
            }],
        };
        let wrong = SheetCheck {
            errors: vec![crate::paper::SheetError::Missing(SheetField::Blank)],
            warnings: vec![],
        };
        let first = |typing, check, ticked| {
            may_finish(typing, check, ticked, Round::First, PaperEvidence::Missing)
        };
        assert_eq!(first(0, &clean, false), Ok(()));
        assert_eq!(first(1, &clean, true), Err(FinishRefusal::HasErrors));
        assert_eq!(first(0, &wrong, true), Err(FinishRefusal::HasErrors));
        assert_eq!(first(0, &warned, false), Err(FinishRefusal::NotChecked));
        assert_eq!(first(0, &warned, true), Ok(()));
    }

    #[test]
    fn the_second_entry_waits_for_the_photo_or_its_waiver() {
        let clean = SheetCheck::default();
        let second = |evidence| may_finish(0, &clean, false, Round::Second, evidence);
        assert_eq!(
            second(PaperEvidence::Missing),
            Err(FinishRefusal::PhotoNeeded)
        );
        assert_eq!(second(PaperEvidence::Photo), Ok(()));
        assert_eq!(second(PaperEvidence::Waived), Ok(()));
        // What is wrong with the numbers is said first.
        assert_eq!(
            may_finish(1, &clean, false, Round::Second, PaperEvidence::Missing),
            Err(FinishRefusal::HasErrors)
        );
        assert_eq!(PaperEvidence::of(true, true), PaperEvidence::Photo);
        assert_eq!(PaperEvidence::of(false, true), PaperEvidence::Waived);
        assert!(!PaperEvidence::of(false, false).present());
        assert_eq!(waiver_reason("  无  "), None, "a token is no reason");
        assert!(waiver_reason("相机故障，纸质原件存档于街道").is_some());
    }

    #[test]
    fn decisions_and_states_read_back() {
        for r in [
            Resolution::KeepFirst,
            Resolution::KeepSecond,
            Resolution::DiscardBoth,
        ] {
            assert_eq!(Resolution::parse(r.as_str()), Some(r));
        }
        assert_eq!(Resolution::parse("keep_both"), None);
        assert_eq!(
            Resolution::DiscardBoth.state_after(),
            SheetState::NotStarted
        );
        assert_eq!(Resolution::KeepSecond.kept(), Some(Round::Second));
        for s in SheetState::ALL {
            assert_eq!(SheetState::parse(s.as_str()), Some(s));
            assert!(!s.label(Lang::Zh).is_empty());
        }
        assert_eq!(Round::from_number(2), Some(Round::Second));
        assert_eq!(Round::from_number(3), None);
    }

    #[test]
    fn a_reopen_needs_a_written_reason() {
        assert_eq!(reopen_reason("  "), None);
        assert_eq!(reopen_reason("错"), None);
        assert_eq!(
            reopen_reason(" 第3号得票抄错，原件为 215 "),
            Some("第3号得票抄错，原件为 215".into())
        );
        assert_eq!(reopen_reason(&"很".repeat(501)), None);
    }
}
