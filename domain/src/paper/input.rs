//! A sheet as the operator typed it: every field's text, kept exactly, so a
//! draft with a slip in it is saved and shown back as typed, and only the
//! check decides what stands.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::count::{Count, CountProblem};
use super::sheet::{
    check, PaperRule, SheetCheck, SheetContext, SheetCounts, SheetError, SheetField,
};
use crate::nominee::NomineeNumber;

/// The longest text one field keeps (a count has at most seven digits; the
/// rest is room for spaces and separators as people type them).
pub const MAX_FIELD_CHARS: usize = 16;

/// Every field of a sheet, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetInput {
    pub received: String,
    pub unused: String,
    pub spoiled: String,
    pub in_box: String,
    pub valid: String,
    pub invalid: String,
    pub blank: String,
    /// One field per nominee on the ballot, by number.
    pub marks: BTreeMap<NomineeNumber, String>,
}

/// The counts that could be read, and the fields that could not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadSheet {
    pub counts: SheetCounts,
    pub problems: Vec<(SheetField, CountProblem)>,
}

impl SheetInput {
    /// An empty sheet with a field for each nominee on the ballot.
    pub fn blank_for(numbers: impl IntoIterator<Item = NomineeNumber>) -> Self {
        SheetInput {
            marks: numbers.into_iter().map(|n| (n, String::new())).collect(),
            ..SheetInput::default()
        }
    }

    /// The typed text of a field (empty for a nominee not on the sheet).
    pub fn field(&self, field: SheetField) -> &str {
        match field {
            SheetField::Received => &self.received,
            SheetField::Unused => &self.unused,
            SheetField::Spoiled => &self.spoiled,
            SheetField::InBox => &self.in_box,
            SheetField::Valid => &self.valid,
            SheetField::Invalid => &self.invalid,
            SheetField::Blank => &self.blank,
            SheetField::Marks(n) => self.marks.get(&n).map_or("", String::as_str),
        }
    }

    /// Sets a field's text, cut to [`MAX_FIELD_CHARS`]. A nominee not on the
    /// sheet is ignored: the ballot decides which nominees a sheet counts.
    pub fn set(&mut self, field: SheetField, typed: &str) {
        let text: String = typed.trim().chars().take(MAX_FIELD_CHARS).collect();
        let slot = match field {
            SheetField::Received => &mut self.received,
            SheetField::Unused => &mut self.unused,
            SheetField::Spoiled => &mut self.spoiled,
            SheetField::InBox => &mut self.in_box,
            SheetField::Valid => &mut self.valid,
            SheetField::Invalid => &mut self.invalid,
            SheetField::Blank => &mut self.blank,
            SheetField::Marks(n) => match self.marks.get_mut(&n) {
                Some(slot) => slot,
                None => return,
            },
        };
        *slot = text;
    }

    /// Every field, in the order the paper sheet lists them.
    pub fn fields(&self) -> Vec<SheetField> {
        let mut fields = SheetField::TOTALS.to_vec();
        fields.extend(self.marks.keys().map(|n| SheetField::Marks(*n)));
        fields
    }

    /// Reads every field: what parses goes into the counts, what does not
    /// is named with its problem (and counts as not filled in).
    pub fn read(&self) -> ReadSheet {
        let mut problems = Vec::new();
        let mut read = |field: SheetField| match Count::parse(self.field(field)) {
            Ok(count) => count,
            Err(problem) => {
                problems.push((field, problem));
                None
            }
        };
        let counts = SheetCounts {
            received: read(SheetField::Received),
            unused: read(SheetField::Unused),
            spoiled: read(SheetField::Spoiled),
            in_box: read(SheetField::InBox),
            valid: read(SheetField::Valid),
            invalid: read(SheetField::Invalid),
            blank: read(SheetField::Blank),
            marks: self
                .marks
                .keys()
                .map(|n| (*n, read(SheetField::Marks(*n))))
                .collect(),
        };
        ReadSheet { counts, problems }
    }
}

/// What a sheet is checked against besides its own numbers, owned: the
/// server checks with it, and the entry screen in the browser with the
/// very same copy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetReference {
    pub rule: PaperRule,
    /// Other counted sheets ("station · label", numbers): the server
    /// checks with them and never sends them, so no page carries another
    /// station's counts.
    #[serde(skip)]
    pub others: Vec<(String, SheetCounts)>,
    /// Of the other counted sheets, those with the very numbers of the
    /// saved entry: what an entry page needs to repeat the server's
    /// warning, numbers the operator typed already.
    #[serde(default)]
    pub same_as_saved: Vec<(String, SheetCounts)>,
    pub usual_turnout: Option<u32>,
    /// The blank ballots recorded as handed to the station.
    pub stock: Option<u32>,
}

impl SheetReference {
    /// The reference an entry page is sent, for the entry saved so far.
    pub fn for_page(&self, saved: Option<&SheetInput>) -> SheetReference {
        let counts = saved.map(|s| s.read().counts);
        SheetReference {
            others: Vec::new(),
            same_as_saved: self
                .others
                .iter()
                .chain(&self.same_as_saved)
                .filter(|(_, c)| Some(c) == counts.as_ref())
                .cloned()
                .collect(),
            ..self.clone()
        }
    }

    /// The typing problems of an input, and the checks of what could be read.
    /// A field with a typing problem is named once, by that problem ("请只填写
    /// 数字"), not also as missing.
    pub fn check(&self, input: &SheetInput) -> (Vec<(SheetField, CountProblem)>, SheetCheck) {
        let read = input.read();
        let others: Vec<(String, SheetCounts)> = self
            .others
            .iter()
            .chain(&self.same_as_saved)
            .cloned()
            .collect();
        let mut checked = check(
            &read.counts,
            self.rule,
            SheetContext {
                others: &others,
                usual_turnout: self.usual_turnout,
                stock: self.stock,
            },
        );
        checked.errors.retain(|e| match e {
            SheetError::Missing(f) => !read.problems.iter().any(|(p, _)| p == f),
            _ => true,
        });
        (read.problems, checked)
    }
}

impl SheetField {
    /// The totals at the top of the sheet, in the order they are written.
    pub const TOTALS: [SheetField; 7] = [
        SheetField::Received,
        SheetField::Unused,
        SheetField::Spoiled,
        SheetField::InBox,
        SheetField::Valid,
        SheetField::Invalid,
        SheetField::Blank,
    ];

    /// The form field's name: `received`, …, `mark_12`.
    pub fn name(self) -> String {
        match self {
            SheetField::Received => "received".into(),
            SheetField::Unused => "unused".into(),
            SheetField::Spoiled => "spoiled".into(),
            SheetField::InBox => "in_box".into(),
            SheetField::Valid => "valid".into(),
            SheetField::Invalid => "invalid".into(),
            SheetField::Blank => "blank".into(),
            SheetField::Marks(n) => format!("mark_{}", n.get()),
        }
    }

    /// The field a form name stands for.
    pub fn from_name(name: &str) -> Option<SheetField> {
        if let Some(n) = name.strip_prefix("mark_") {
            let n: u32 = n.parse().ok()?;
            return NomineeNumber::new(n).ok().map(SheetField::Marks);
        }
        SheetField::TOTALS.into_iter().find(|f| f.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(k: u32) -> NomineeNumber {
        NomineeNumber::new(k).unwrap()
    }

    #[test]
    fn a_mistyped_field_is_named_once_by_its_typing_problem() {
        let mut input = SheetInput::blank_for([n(1)]);
        input.set(SheetField::Marks(n(1)), "3O");
        let (problems, check) = SheetReference::default().check(&input);
        assert_eq!(
            problems,
            vec![(SheetField::Marks(n(1)), CountProblem::NotANumber)]
        );
        assert!(!check
            .errors
            .contains(&SheetError::Missing(SheetField::Marks(n(1)))));
        // An empty field is still missing.
        assert!(check
            .errors
            .contains(&SheetError::Missing(SheetField::Received)));
    }

    #[test]
    fn a_page_gets_no_other_station_s_numbers() {
        let mut ours = SheetInput::blank_for([n(1)]);
        ours.set(SheetField::Received, "500");
        let mut theirs = ours.clone();
        theirs.set(SheetField::Received, "400");
        let reference = SheetReference {
            others: vec![
                ("甲站".into(), ours.read().counts),
                ("乙站".into(), theirs.read().counts),
            ],
            ..SheetReference::default()
        };
        let json = serde_json::to_string(&reference).unwrap();
        assert!(!json.contains("甲站") && !json.contains("乙站"), "{json}");
        let page = reference.for_page(Some(&ours));
        assert!(page.others.is_empty());
        assert_eq!(
            page.same_as_saved,
            vec![("甲站".to_string(), ours.read().counts)]
        );
        assert!(!serde_json::to_string(&page).unwrap().contains("乙站"));
        // The page repeats the server's warning for the saved numbers.
        assert_eq!(page.check(&ours).1, reference.check(&ours).1);
        assert!(reference.for_page(None).same_as_saved.is_empty());
    }

    #[test]
    fn typed_text_is_kept_and_read_field_by_field() {
        let mut input = SheetInput::blank_for([n(1), n(2)]);
        input.set(SheetField::Received, " ５００ ");
        input.set(SheetField::InBox, "41２");
        input.set(SheetField::Marks(n(1)), "12a");
        input.set(SheetField::Marks(n(9)), "5"); // not on the ballot: ignored
        assert_eq!(input.field(SheetField::Received), "５００");
        assert_eq!(input.field(SheetField::Marks(n(9))), "");
        let read = input.read();
        assert_eq!(read.counts.received.map(Count::get), Some(500));
        assert_eq!(read.counts.in_box.map(Count::get), Some(412));
        assert_eq!(read.counts.valid, None);
        assert_eq!(read.counts.marks.len(), 2);
        assert_eq!(
            read.problems,
            vec![(SheetField::Marks(n(1)), CountProblem::NotANumber)]
        );
    }

    #[test]
    fn a_field_keeps_at_most_sixteen_characters() {
        let mut input = SheetInput::default();
        input.set(SheetField::Blank, &"9".repeat(100));
        assert_eq!(input.blank.chars().count(), MAX_FIELD_CHARS);
        assert_eq!(input.read().problems.len(), 1);
    }

    #[test]
    fn form_names_go_both_ways() {
        let input = SheetInput::blank_for([n(3), n(12)]);
        let fields = input.fields();
        assert_eq!(fields.len(), 9);
        for field in fields {
            assert_eq!(SheetField::from_name(&field.name()), Some(field));
        }
        assert_eq!(SheetField::from_name("mark_0"), None);
        assert_eq!(SheetField::from_name("mark_x"), None);
        assert_eq!(SheetField::from_name("csrf"), None);
    }

    #[test]
    fn stored_as_json_and_back() {
        let mut input = SheetInput::blank_for([n(1)]);
        input.set(SheetField::Marks(n(1)), "7");
        let json = serde_json::to_string(&input).unwrap();
        assert_eq!(serde_json::from_str::<SheetInput>(&json).unwrap(), input);
    }
}
