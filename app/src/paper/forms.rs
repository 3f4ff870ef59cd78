//! The paper-ballot forms: the contract between each page's `<form>` and
//! the server handler that reads it. Every field stays text: the server
//! reads it and names what it could not take.

use serde::{Deserialize, Serialize};

/// `POST /console/stations/{id}/sheets` (a new tally sheet, e.g. "第 1 天").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewSheetForm {
    pub csrf: String,
    pub label: String,
}

/// `POST /console/paper/rule` (how many nominees one ballot may mark).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PaperRuleForm {
    pub csrf: String,
    pub slug: String,
    pub max_marks: String,
}

/// `POST /console/paper/sheets/{id}/entry`: `csrf`, one field per sheet
/// field by its form name (`received`, …, `blank`, `mark_<number>`), the
/// `checked` box ("checked against the paper"), a `note`, and `action`:
/// `save` (a draft) or `finish`. The mark fields depend on the ballot, so
/// the form is read as its pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SheetEntryForm {
    pub pairs: Vec<(String, String)>,
}

impl SheetEntryForm {
    /// The value of a field (the first, if repeated); empty when absent.
    pub fn value(&self, name: &str) -> &str {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Whether the operator asked to finish the entry (else: a draft).
    pub fn finishing(&self) -> bool {
        self.value("action") == "finish"
    }

    /// Whether "checked against the paper" is ticked.
    pub fn checked(&self) -> bool {
        self.value("checked") == "on"
    }
}

/// `POST /console/paper/sheets/{id}/resolve` (a coordinator's decision).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResolveForm {
    pub csrf: String,
    /// `keep_first`, `keep_second` or `discard_both`.
    pub decision: String,
}

/// `POST /console/paper/sheets/{id}/reopen` (administrators, with a reason).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReopenForm {
    pub csrf: String,
    pub reason: String,
}

/// `POST /console/paper/sheets/{id}/photo-waiver` (administrators): let the
/// sheet count without its photo, with a reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PhotoWaiverForm {
    pub csrf: String,
    pub reason: String,
}

/// `POST /console/paper/sheets/{id}/photo`: multipart, `csrf` and a `photo` file.
pub const PHOTO_FIELD: &str = "photo";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form_drift::{assert_named, fields};

    /// The views that render this capability's forms.
    const VIEWS: &[&str] = &[
        include_str!("board.rs"),
        include_str!("sheet_page.rs"),
        include_str!("station_page.rs"),
        include_str!("stations_page.rs"),
    ];

    /// Each form's fields are the `name="..."` of the inputs its view renders.
    #[test]
    fn every_field_is_named_in_its_view() {
        assert_named("NewSheetForm", fields::<NewSheetForm>(), VIEWS);
        assert_named("PaperRuleForm", fields::<PaperRuleForm>(), VIEWS);
        assert_named("ResolveForm", fields::<ResolveForm>(), VIEWS);
        assert_named("ReopenForm", fields::<ReopenForm>(), VIEWS);
        assert_named("PhotoWaiverForm", fields::<PhotoWaiverForm>(), VIEWS);
    }
}
