//! The publication forms: the contract between each page's `<form>` and the
//! server handler that reads it. Every field stays text: the server reads
//! it and names what it could not take.

use serde::{Deserialize, Serialize};

/// `POST /console/results/rule` (the formula, the winners and the ladder).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RankRuleForm {
    pub csrf: String,
    pub slug: String,
    /// `plain_sum` or `weighted`.
    pub formula: String,
    /// `to_maximum` or `to_total` (weighted only).
    pub scaling: String,
    /// Weights in percent (weighted only).
    pub online: String,
    pub paper: String,
    pub jury: String,
    pub winners: String,
    /// The ladder's rungs before the lot, in order: `more_paper`,
    /// `more_online`, `earlier_final`, or empty.
    pub tie1: String,
    pub tie2: String,
    pub tie3: String,
}

/// `POST /console/results/step` (close, publish the notice, finalize).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PublicationStepForm {
    pub csrf: String,
    pub slug: String,
    /// `close`, `notice` or `final`.
    pub step: String,
    /// When the notice ends (`datetime-local`, Shanghai time).
    pub notice_end: String,
    /// Why the notice is published before every station reported (shown
    /// on the notice); asked only while some station is missing.
    pub unreported_reason: String,
}

/// `POST /console/results/lot` (draw the lot with a witness present).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LotForm {
    pub csrf: String,
    pub slug: String,
    /// Who witnessed the draw ("公证员 王某某").
    pub witness: String,
}

/// `POST /console/results/corrections` (propose a correction of the
/// published ranking, with its reason).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CorrectionForm {
    pub csrf: String,
    pub slug: String,
    pub reason: String,
}

/// `POST /console/results/corrections/{id}/{confirm|cancel|publish}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CorrectionStepForm {
    pub csrf: String,
    pub slug: String,
}

/// `POST /console/results/objections/{id}/answer`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnswerForm {
    pub csrf: String,
    pub slug: String,
    pub answer: String,
}

/// `POST /results/objections` (a signed-in resident, during the notice).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ObjectionForm {
    pub reason: String,
    /// A WeChat ID or e-mail; never a phone number.
    pub contact: String,
    /// The nominee's number, or empty.
    pub nominee: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form_drift::{assert_named, fields};

    /// The views that render this capability's forms.
    const VIEWS: &[&str] = &[
        include_str!("console_page.rs"),
        include_str!("corrections.rs"),
        include_str!("objections.rs"),
        include_str!("notice_page.rs"),
    ];

    /// Each form's fields are the `name="..."` of the inputs its view renders.
    #[test]
    fn every_field_is_named_in_its_view() {
        // The ladder's rungs are named through the view's `select` helper.
        let (rungs, rest): (Vec<String>, Vec<String>) = fields::<RankRuleForm>()
            .into_iter()
            .partition(|f| f.starts_with("tie"));
        assert_eq!(rungs.len(), 3);
        for rung in rungs {
            assert!(VIEWS[0].contains(&format!("select(\"{rung}\"")), "{rung}");
        }
        assert_named("RankRuleForm", rest, VIEWS);
        assert_named(
            "PublicationStepForm",
            fields::<PublicationStepForm>(),
            VIEWS,
        );
        assert_named("LotForm", fields::<LotForm>(), VIEWS);
        assert_named("CorrectionForm", fields::<CorrectionForm>(), VIEWS);
        assert_named("CorrectionStepForm", fields::<CorrectionStepForm>(), VIEWS);
        assert_named("AnswerForm", fields::<AnswerForm>(), VIEWS);
        assert_named("ObjectionForm", fields::<ObjectionForm>(), VIEWS);
    }
}
