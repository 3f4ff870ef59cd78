//! The tally sheet and its checks, as a count makes them:
//! - **errors** keep a sheet from standing as complete: the box's ballots
//!   must be valid, invalid or blank; no nominee has more marks than there
//!   are valid ballots; all marks fit on the valid ballots; nothing missing;
//! - **warnings** let it stand once the operator has checked the numbers
//!   against the paper: ballots not accounted for, more in the box than were
//!   received, the very same numbers as another station's sheet, a turnout
//!   far above the station's usual.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::count::Count;
use crate::lang::Lang;
use crate::nominee::NomineeNumber;

/// A campaign's paper rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperRule {
    /// How many nominees one ballot may mark at most (the number of
    /// winners, 10, unless the campaign says otherwise).
    pub max_marks_per_ballot: u16,
}

impl Default for PaperRule {
    fn default() -> Self {
        PaperRule {
            max_marks_per_ballot: 10,
        }
    }
}

/// A turnout more than this many times the station's usual is a warning.
pub const HIGH_TURNOUT_FACTOR: f64 = 1.5;

/// The numbers on one sheet, as keyed; `None` is a field not filled in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetCounts {
    /// Blank ballots the station received.
    pub received: Option<Count>,
    /// Unused ballots returned.
    pub unused: Option<Count>,
    /// Ballots spoiled while filling in (and exchanged).
    pub spoiled: Option<Count>,
    /// Ballots found in the box.
    pub in_box: Option<Count>,
    /// Of those: valid, invalid (废票) and blank.
    pub valid: Option<Count>,
    pub invalid: Option<Count>,
    pub blank: Option<Count>,
    /// The marks counted per nominee.
    pub marks: BTreeMap<NomineeNumber, Option<Count>>,
}

/// A field of the sheet, to name in a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SheetField {
    Received,
    Unused,
    Spoiled,
    InBox,
    Valid,
    Invalid,
    Blank,
    Marks(NomineeNumber),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SheetError {
    Missing(SheetField),
    /// valid + invalid + blank ≠ in the box.
    BoxDoesNotAddUp {
        valid: u32,
        invalid: u32,
        blank: u32,
        in_box: u32,
    },
    /// A nominee marked on more ballots than were valid.
    MoreMarksThanValid {
        number: NomineeNumber,
        marks: u32,
        valid: u32,
    },
    /// More marks than the valid ballots can carry.
    TooManyMarks {
        total: u64,
        valid: u32,
        per_ballot: u16,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SheetWarning {
    /// received ≠ in the box + unused + spoiled.
    BallotsUnaccounted { received: u32, accounted: u64 },
    /// More ballots in the box than the station received.
    MoreInBoxThanReceived { in_box: u32, received: u32 },
    /// Every number the same as another sheet's: keyed twice by mistake?
    SameAsAnotherSheet { station: String },
    /// Far above the station's usual turnout.
    HighTurnout { in_box: u32, usual: u32 },
    /// More ballots received than the organizers recorded handing over.
    ReceivedAboveStock { received: u32, stock: u32 },
}

/// A sheet's errors and warnings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetCheck {
    pub errors: Vec<SheetError>,
    pub warnings: Vec<SheetWarning>,
}

impl SheetCheck {
    /// Whether the sheet may be saved as complete (warnings need a tick).
    pub fn complete(&self) -> bool {
        self.errors.is_empty()
    }
}

/// What a sheet is checked against besides its own numbers.
#[derive(Debug, Clone, Copy, Default)]
pub struct SheetContext<'a> {
    /// Other stations' sheets (station name, numbers).
    pub others: &'a [(String, SheetCounts)],
    /// The station's usual turnout, when a reference is set.
    pub usual_turnout: Option<u32>,
    /// The blank ballots recorded as handed to the station, when any were.
    pub stock: Option<u32>,
}

/// Checks a sheet as a count does.
pub fn check(sheet: &SheetCounts, rule: PaperRule, context: SheetContext<'_>) -> SheetCheck {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut need = |field: SheetField, value: Option<Count>| {
        if value.is_none() {
            errors.push(SheetError::Missing(field));
        }
        value.map(Count::get)
    };
    let received = need(SheetField::Received, sheet.received);
    let unused = need(SheetField::Unused, sheet.unused);
    let spoiled = need(SheetField::Spoiled, sheet.spoiled);
    let in_box = need(SheetField::InBox, sheet.in_box);
    let valid = need(SheetField::Valid, sheet.valid);
    let invalid = need(SheetField::Invalid, sheet.invalid);
    let blank = need(SheetField::Blank, sheet.blank);
    let marks: Vec<(NomineeNumber, Option<u32>)> = sheet
        .marks
        .iter()
        .map(|(n, m)| (*n, need(SheetField::Marks(*n), *m)))
        .collect();

    if let (Some(v), Some(i), Some(b), Some(t)) = (valid, invalid, blank, in_box) {
        if u64::from(v) + u64::from(i) + u64::from(b) != u64::from(t) {
            errors.push(SheetError::BoxDoesNotAddUp {
                valid: v,
                invalid: i,
                blank: b,
                in_box: t,
            });
        }
    }
    if let Some(v) = valid {
        for (number, m) in &marks {
            if let Some(m) = *m {
                if m > v {
                    errors.push(SheetError::MoreMarksThanValid {
                        number: *number,
                        marks: m,
                        valid: v,
                    });
                }
            }
        }
        let total: u64 = marks.iter().filter_map(|(_, m)| m.map(u64::from)).sum();
        if total > u64::from(v) * u64::from(rule.max_marks_per_ballot) {
            errors.push(SheetError::TooManyMarks {
                total,
                valid: v,
                per_ballot: rule.max_marks_per_ballot,
            });
        }
    }

    if let (Some(r), Some(t), Some(u), Some(s)) = (received, in_box, unused, spoiled) {
        let accounted = u64::from(t) + u64::from(u) + u64::from(s);
        if accounted != u64::from(r) {
            warnings.push(SheetWarning::BallotsUnaccounted {
                received: r,
                accounted,
            });
        }
    }
    if let (Some(t), Some(r)) = (in_box, received) {
        if t > r {
            warnings.push(SheetWarning::MoreInBoxThanReceived {
                in_box: t,
                received: r,
            });
        }
    }
    // A sheet of zeros is the same as any other empty station's: no news.
    let blank_sheet = in_box.unwrap_or(0) == 0;
    if !blank_sheet {
        for (station, other) in context.others {
            if other == sheet {
                warnings.push(SheetWarning::SameAsAnotherSheet {
                    station: station.clone(),
                });
            }
        }
    }
    if let (Some(t), Some(usual)) = (in_box, context.usual_turnout) {
        if f64::from(t) > f64::from(usual) * HIGH_TURNOUT_FACTOR {
            warnings.push(SheetWarning::HighTurnout { in_box: t, usual });
        }
    }
    if let (Some(r), Some(stock)) = (received, context.stock) {
        if r > stock {
            warnings.push(SheetWarning::ReceivedAboveStock { received: r, stock });
        }
    }
    SheetCheck { errors, warnings }
}

impl SheetField {
    pub fn label(self, lang: Lang) -> String {
        let text = match self {
            SheetField::Received => lang.pick("领取选票数", "ballots received"),
            SheetField::Unused => lang.pick("退回空白选票数", "unused ballots returned"),
            SheetField::Spoiled => lang.pick("作废换领选票数", "spoiled ballots"),
            SheetField::InBox => lang.pick("投票箱内选票数", "ballots in the box"),
            SheetField::Valid => lang.pick("有效票", "valid ballots"),
            SheetField::Invalid => lang.pick("废票", "invalid ballots"),
            SheetField::Blank => lang.pick("空白票", "blank ballots"),
            SheetField::Marks(n) => {
                return match lang {
                    Lang::Zh => format!("{} 号候选人得票", n.get()),
                    Lang::En => format!("marks for nominee {}", n.get()),
                }
            }
        };
        text.to_string()
    }
}

impl SheetError {
    /// The fields the error concerns: the entry form marks each of them.
    pub fn fields(&self) -> Vec<SheetField> {
        match self {
            SheetError::Missing(f) => vec![*f],
            SheetError::BoxDoesNotAddUp { .. } => vec![
                SheetField::InBox,
                SheetField::Valid,
                SheetField::Invalid,
                SheetField::Blank,
            ],
            SheetError::MoreMarksThanValid { number, .. } => {
                vec![SheetField::Valid, SheetField::Marks(*number)]
            }
            SheetError::TooManyMarks { .. } => vec![SheetField::Valid],
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (SheetError::Missing(f), Lang::Zh) => format!("请填写{}。", f.label(lang)),
            (SheetError::Missing(f), Lang::En) => format!("Please fill in the {}.", f.label(lang)),
            (SheetError::BoxDoesNotAddUp { valid, invalid, blank, in_box }, Lang::Zh) => format!(
                "有效票 {valid} + 废票 {invalid} + 空白票 {blank} 应等于投票箱内选票数 {in_box}。"
            ),
            (SheetError::BoxDoesNotAddUp { valid, invalid, blank, in_box }, Lang::En) => format!(
                "Valid {valid} + invalid {invalid} + blank {blank} must equal the {in_box} ballots in the box."
            ),
            (SheetError::MoreMarksThanValid { number, marks, valid }, Lang::Zh) => format!(
                "{} 号候选人得票 {marks}，超过了有效票 {valid}。",
                number.get()
            ),
            (SheetError::MoreMarksThanValid { number, marks, valid }, Lang::En) => format!(
                "Nominee {} has {marks} marks, more than the {valid} valid ballots.",
                number.get()
            ),
            (SheetError::TooManyMarks { total, valid, per_ballot }, Lang::Zh) => format!(
                "得票合计 {total}，超过了有效票 {valid} × 每张最多 {per_ballot} 人。"
            ),
            (SheetError::TooManyMarks { total, valid, per_ballot }, Lang::En) => format!(
                "{total} marks in all is more than {valid} valid ballots × at most {per_ballot} each."
            ),
        }
    }
}

impl SheetWarning {
    /// The fields the warning concerns: the entry form marks each of them.
    pub fn fields(&self) -> Vec<SheetField> {
        match self {
            SheetWarning::BallotsUnaccounted { .. } => vec![
                SheetField::Received,
                SheetField::Unused,
                SheetField::Spoiled,
                SheetField::InBox,
            ],
            SheetWarning::MoreInBoxThanReceived { .. } => {
                vec![SheetField::Received, SheetField::InBox]
            }
            SheetWarning::SameAsAnotherSheet { .. } => Vec::new(),
            SheetWarning::HighTurnout { .. } => vec![SheetField::InBox],
            SheetWarning::ReceivedAboveStock { .. } => vec![SheetField::Received],
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (SheetWarning::BallotsUnaccounted { received, accounted }, Lang::Zh) => format!(
                "领取 {received} 张，但投票箱内 + 退回 + 作废共 {accounted} 张，请与纸质计票单核对。"
            ),
            (SheetWarning::BallotsUnaccounted { received, accounted }, Lang::En) => format!(
                "{received} ballots received, but the box, the returned and the spoiled make {accounted}; check against the paper."
            ),
            (SheetWarning::MoreInBoxThanReceived { in_box, received }, Lang::Zh) => {
                format!("投票箱内 {in_box} 张，多于领取的 {received} 张。")
            }
            (SheetWarning::MoreInBoxThanReceived { in_box, received }, Lang::En) => {
                format!("{in_box} ballots in the box, more than the {received} received.")
            }
            (SheetWarning::SameAsAnotherSheet { station }, Lang::Zh) => {
                format!("所有数字与已确认的计票单「{station}」完全相同，是否重复录入或录错了计票单？")
            }
            (SheetWarning::SameAsAnotherSheet { station }, Lang::En) => format!(
                "Every number is the same as the counted sheet {station}: keyed twice, or the wrong sheet?"
            ),
            (SheetWarning::ReceivedAboveStock { received, stock }, Lang::Zh) => {
                format!("领取 {received} 张，多于登记发放给本站的 {stock} 张空白选票。")
            }
            (SheetWarning::ReceivedAboveStock { received, stock }, Lang::En) => format!(
                "{received} ballots received, more than the {stock} recorded as handed to this station."
            ),
            (SheetWarning::HighTurnout { in_box, usual }, Lang::Zh) => {
                format!("投票箱内 {in_box} 张，远高于本站通常的 {usual} 张。")
            }
            (SheetWarning::HighTurnout { in_box, usual }, Lang::En) => {
                format!("{in_box} ballots in the box, far above this station's usual {usual}.")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(n: u32) -> Option<Count> {
        Some(Count::new(n).unwrap())
    }

    fn n(number: u32) -> NomineeNumber {
        NomineeNumber::new(number).unwrap()
    }

    /// 长白新村's box: 500 ballots received, 412 in the box (400 valid, 8
    /// invalid, 4 blank), 80 returned, 8 spoiled; marks for three nominees.
    fn changbai() -> SheetCounts {
        SheetCounts {
            received: c(500),
            unused: c(80),
            spoiled: c(8),
            in_box: c(412),
            valid: c(400),
            invalid: c(8),
            blank: c(4),
            marks: [(n(1), c(388)), (n(2), c(377)), (n(3), c(21))].into(),
        }
    }

    fn check_alone(sheet: &SheetCounts) -> SheetCheck {
        check(sheet, PaperRule::default(), SheetContext::default())
    }

    #[test]
    fn a_sum_that_does_not_add_up_marks_the_fields_it_adds() {
        let mut sheet = changbai();
        sheet.blank = c(5);
        let checked = check_alone(&sheet);
        let fields: Vec<SheetField> = checked.errors.iter().flat_map(|e| e.fields()).collect();
        assert_eq!(
            fields,
            vec![
                SheetField::InBox,
                SheetField::Valid,
                SheetField::Invalid,
                SheetField::Blank
            ]
        );
        // The ballots received still add up: no warning marks anything.
        let warned: Vec<SheetField> = checked.warnings.iter().flat_map(|w| w.fields()).collect();
        assert!(warned.is_empty(), "{warned:?}");
        sheet.marks.insert(n(2), c(401));
        let marked: Vec<SheetField> = check_alone(&sheet)
            .errors
            .iter()
            .flat_map(|e| e.fields())
            .collect();
        assert!(marked.contains(&SheetField::Marks(n(2))), "{marked:?}");
    }

    #[test]
    fn a_sheet_that_adds_up_is_complete_with_no_warnings() {
        let checked = check_alone(&changbai());
        assert_eq!(checked, SheetCheck::default());
        assert!(checked.complete());
    }

    #[test]
    fn each_error_is_found_and_keeps_the_sheet_from_standing() {
        type Edit = fn(&mut SheetCounts);
        let cases: Vec<(&str, Edit, SheetError)> = vec![
            (
                "a missing count",
                |s| s.blank = None,
                SheetError::Missing(SheetField::Blank),
            ),
            (
                "a nominee left blank",
                |s| {
                    s.marks.insert(NomineeNumber::new(2).unwrap(), None);
                },
                SheetError::Missing(SheetField::Marks(NomineeNumber::new(2).unwrap())),
            ),
            (
                "the box does not add up",
                |s| s.invalid = Some(Count::new(9).unwrap()),
                SheetError::BoxDoesNotAddUp {
                    valid: 400,
                    invalid: 9,
                    blank: 4,
                    in_box: 412,
                },
            ),
            (
                "a nominee above the valid ballots",
                |s| {
                    s.marks.insert(
                        NomineeNumber::new(3).unwrap(),
                        Some(Count::new(401).unwrap()),
                    );
                },
                SheetError::MoreMarksThanValid {
                    number: NomineeNumber::new(3).unwrap(),
                    marks: 401,
                    valid: 400,
                },
            ),
        ];
        for (what, edit, expected) in cases {
            let mut sheet = changbai();
            edit(&mut sheet);
            let checked = check_alone(&sheet);
            assert!(!checked.complete(), "{what}");
            assert!(
                checked.errors.contains(&expected),
                "{what}: {:?}",
                checked.errors
            );
            assert!(!expected.message(Lang::Zh).is_empty());
        }
    }

    #[test]
    fn all_marks_must_fit_on_the_valid_ballots() {
        // Two valid ballots may carry at most 2 × 2 marks under a rule of two.
        let sheet = SheetCounts {
            received: c(10),
            unused: c(8),
            spoiled: c(0),
            in_box: c(2),
            valid: c(2),
            invalid: c(0),
            blank: c(0),
            marks: [(n(1), c(2)), (n(2), c(2)), (n(3), c(1))].into(),
        };
        let rule = PaperRule {
            max_marks_per_ballot: 2,
        };
        let checked = check(&sheet, rule, SheetContext::default());
        assert_eq!(
            checked.errors,
            vec![SheetError::TooManyMarks {
                total: 5,
                valid: 2,
                per_ballot: 2
            }]
        );
        assert!(checked.errors[0]
            .message(Lang::Zh)
            .contains("每张最多 2 人"));
        // Under the default rule of ten the same marks fit.
        assert!(check_alone(&sheet).complete());
    }

    #[test]
    fn warnings_let_the_sheet_stand_but_are_said() {
        // Ten ballots went missing between the desk and the box.
        let mut missing = changbai();
        missing.unused = c(70);
        let checked = check_alone(&missing);
        assert!(checked.complete());
        assert_eq!(
            checked.warnings,
            vec![SheetWarning::BallotsUnaccounted {
                received: 500,
                accounted: 490
            }]
        );
        // More in the box than were handed out.
        let mut stuffed = changbai();
        stuffed.received = c(400);
        stuffed.unused = c(0);
        stuffed.spoiled = c(0);
        let checked = check_alone(&stuffed);
        assert!(checked
            .warnings
            .contains(&SheetWarning::MoreInBoxThanReceived {
                in_box: 412,
                received: 400
            }));
        // The very same numbers as another station's sheet.
        let others = vec![
            ("控江路居委".to_string(), changbai()),
            ("延吉东路居委".to_string(), missing.clone()),
        ];
        let checked = check(
            &changbai(),
            PaperRule::default(),
            SheetContext {
                others: &others,
                usual_turnout: Some(250),
                stock: None,
            },
        );
        assert_eq!(
            checked.warnings,
            vec![
                SheetWarning::SameAsAnotherSheet {
                    station: "控江路居委".into()
                },
                SheetWarning::HighTurnout {
                    in_box: 412,
                    usual: 250
                },
            ]
        );
        assert!(checked.warnings[0].message(Lang::Zh).contains("控江路居委"));
        // Within half again the usual turnout is no news.
        let usual = check(
            &changbai(),
            PaperRule::default(),
            SheetContext {
                others: &[],
                usual_turnout: Some(300),
                stock: Some(500),
            },
        );
        assert!(
            usual.warnings.is_empty(),
            "all received ballots were handed over"
        );
        // More received than the organizers recorded handing over.
        let short = check(
            &changbai(),
            PaperRule::default(),
            SheetContext {
                stock: Some(450),
                ..SheetContext::default()
            },
        );
        assert_eq!(
            short.warnings,
            vec![SheetWarning::ReceivedAboveStock {
                received: 500,
                stock: 450
            }]
        );
        assert!(short.warnings[0].message(Lang::Zh).contains("450"));
    }

    #[test]
    fn two_empty_stations_are_not_the_same_sheet() {
        let empty = SheetCounts {
            received: c(100),
            unused: c(100),
            spoiled: c(0),
            in_box: c(0),
            valid: c(0),
            invalid: c(0),
            blank: c(0),
            marks: [(n(1), c(0))].into(),
        };
        let others = vec![("另一站".to_string(), empty.clone())];
        let checked = check(
            &empty,
            PaperRule::default(),
            SheetContext {
                others: &others,
                usual_turnout: None,
                stock: None,
            },
        );
        assert_eq!(checked, SheetCheck::default());
    }

    #[test]
    fn the_order_the_nominees_were_keyed_in_does_not_matter() {
        let mut reversed = SheetCounts {
            marks: BTreeMap::new(),
            ..changbai()
        };
        for (number, marks) in changbai().marks.into_iter().rev() {
            reversed.marks.insert(number, marks);
        }
        assert_eq!(check_alone(&reversed), check_alone(&changbai()));
    }
}
