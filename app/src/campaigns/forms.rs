//! The campaign settings form: the contract between each page's `<form>` and
//! the server handler that reads it. Field names are the `name="..."`
//! attributes in the views, exactly; a missing field reads as empty
//! (`#[serde(default)]`). The server reads its fields into the campaign or
//! names the first problem, so every field stays text.

use serde::{Deserialize, Serialize};

/// `POST /console/campaign` (editing a campaign, `slug` a hidden field) and
/// `POST /console/campaigns` (a new campaign, `slug` typed in): the same
/// fields. The server reads them into the campaign or names the first
/// problem (`CampaignProblem`), so every field stays text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CampaignForm {
    pub csrf: String,
    pub slug: String,
    pub title_zh: String,
    pub title_en: String,
    pub description_zh: String,
    pub description_en: String,
    /// The organisers' line (主办 / 承办), shown on the wall and the notice.
    pub hosts_zh: String,
    pub hosts_en: String,
    /// The organisers' telephone (组委会电话), given in every text.
    pub hotline: String,
    /// The phases, as `datetime-local` values in Shanghai time (`2027-03-01T09:00`).
    pub nomination_start: String,
    pub review_start: String,
    pub voting_start: String,
    pub voting_end: String,
    pub notice_end: String,
    pub ceremony_at: String,
    pub votes_per_day: String,
    pub per_nominee_per_day: String,
    /// `ResultsVisibility::as_str`: `live`, `hidden` or `frozen`.
    pub results_visibility: String,
}

impl CampaignForm {
    /// The phase fields, in order.
    pub const PHASE_FIELDS: [&'static str; 6] = [
        "nomination_start",
        "review_start",
        "voting_start",
        "voting_end",
        "notice_end",
        "ceremony_at",
    ];
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form_drift::{assert_named, fields};

    /// The views that render this capability's forms.
    const VIEWS: &[&str] = &[include_str!("campaign_page.rs")];

    /// Each form's fields are the `name="..."` of the inputs its view renders.
    #[test]
    fn every_field_is_named_in_its_view() {
        // The dates are named from `PHASE_FIELDS` itself.
        let named: Vec<String> = fields::<CampaignForm>()
            .into_iter()
            .filter(|f| !CampaignForm::PHASE_FIELDS.contains(&f.as_str()))
            .collect();
        assert_named("CampaignForm", named, VIEWS);
    }

    #[test]
    fn missing_fields_read_as_empty() {
        let f: CampaignForm = serde_json::from_str(r#"{"csrf":"t"}"#).unwrap();
        assert_eq!(f.title_zh, "");
    }
}
