//! The jury's forms.

use serde::{Deserialize, Serialize};

/// `POST /console/jury/judges` (an administrator appoints a judge).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppointJudgeForm {
    pub csrf: String,
    /// The account's id.
    pub organizer: String,
}

/// `POST /console/jury/scores`: `csrf` and one `score_{number}` per
/// nominee (0–100, or empty for not scored). The fields depend on the
/// ballot, so the form is read as its pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JuryScoresForm {
    pub pairs: Vec<(String, String)>,
}

impl JuryScoresForm {
    pub fn csrf(&self) -> &str {
        self.pairs
            .iter()
            .find(|(k, _)| k == "csrf")
            .map_or("", |(_, v)| v.as_str())
    }

    /// Each `score_{number}` field: the number as typed, and the score.
    pub fn scores(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("score_")?, v.as_str())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form_drift::{assert_named, fields};

    /// The views that render this capability's forms.
    const VIEWS: &[&str] = &[include_str!("page.rs")];

    /// Each form's fields are the `name="..."` of the inputs its view renders.
    #[test]
    fn every_field_is_named_in_its_view() {
        assert_named("AppointJudgeForm", fields::<AppointJudgeForm>(), VIEWS);
    }
}
