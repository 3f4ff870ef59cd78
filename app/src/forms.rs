//! The HTML forms the pages render, one struct per form: the contract between
//! a page's `<form>` and the server handler that reads it. Field names are the
//! `name="..."` attributes in the views, exactly.
//!
//! Fields are typed as the server reads them today. Where the server turns a
//! bad value into an outcome code (a role, a nominee number, a date), the field
//! stays text, so a bad value still reaches the handler and gets its code
//! instead of a bare 422 from the extractor. A missing field reads as empty,
//! as the handlers' `unwrap_or_default` always did (`#[serde(default)]`).
//!
//! Most are plain `application/x-www-form-urlencoded` posts and deserialize
//! with `axum::Form<T>`. The exceptions are documented on their structs:
//! [`AssignStationsForm`] repeats a key (needs `axum_extra::extract::Form`,
//! i.e. `serde_html_form`), and the nominee and places-import forms are
//! multipart (their structs describe only the text fields).

use serde::{Deserialize, Serialize};

/// A checkbox: the browser sends `name=on` when it is ticked and nothing at
/// all when it is not. Reads `on` as `true`, anything else or nothing as
/// `false`; writes `true` as `on` and leaves `false` out.
/// Use with `#[serde(default, with = "checkbox")]`.
pub mod checkbox {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(ticked: &bool, s: S) -> Result<S::Ok, S::Error> {
        if *ticked {
            s.serialize_some("on")
        } else {
            s.serialize_none()
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        Ok(Option::<String>::deserialize(d)?.is_some_and(|v| v == "on"))
    }
}

/// A hidden `on`/`off` switch that is always sent. Reads `on` as `true`,
/// anything else as `false` (as the server does); writes `on` or `off`.
pub mod on_off {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(on: &bool, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(if *on { "on" } else { "off" })
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        Ok(Option::<String>::deserialize(d)?.is_some_and(|v| v == "on"))
    }
}

// ---------------------------------------------------------------- public pages

/// `POST /lang` (the language switch in the page header).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LangSwitchForm {
    /// `zh` or `en`; the server reads it with `Lang::parse` (anything else is Chinese).
    pub lang: String,
    /// Where to go back to; the server only follows a path on this site.
    pub next: Option<String>,
}

/// `GET /nominees` (the search form; a query string, not a post).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NomineeSearchQuery {
    /// A street id, or empty for all streets.
    pub street: Option<String>,
    /// A name or a nominee number.
    pub q: Option<String>,
}

/// `POST /login/code` (the phone form: send me a code).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PhoneForm {
    pub next: Option<String>,
    /// As typed; the server reads it with `PhoneNumber::parse` (`?error=bad_phone`).
    pub phone: String,
    /// The characters of the picture challenge, when one was asked for
    /// (its token is the `av_challenge` cookie the picture set).
    pub challenge: Option<String>,
}

/// `POST /login/session` (the code form: sign in with the text-message code).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CodeForm {
    /// The number the code was sent to: apps send it; the login page leaves
    /// it out and the server reads its login cookie instead.
    pub phone: String,
    pub next: Option<String>,
    pub code: String,
}

/// `POST /login/card` (sign in with a printed ballot card).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CardForm {
    pub next: Option<String>,
    pub card: String,
}

/// `POST /nominees/{number}/vote` (the one-tap vote button).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VoteForm {
    pub next: Option<String>,
    /// `{form_key}-{number}`: a double tap replays the first answer.
    pub request_key: Option<String>,
}

// `POST /logout` (the voter's sign-out button) sends no fields at all.

// --------------------------------------------------------------------- console

/// `POST /console/login`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsoleLoginForm {
    /// Where to go once signed in; the server only follows `/console…` paths.
    pub next: Option<String>,
    pub username: String,
    pub password: String,
}

/// A console form that carries nothing but the session's CSRF token:
/// `POST /console/logout`, `POST /console/logout-everywhere` and
/// `POST /console/communities/{id}/remove`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CsrfForm {
    pub csrf: String,
}

/// `POST /console/organizers` (a new account).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateOrganizerForm {
    pub csrf: String,
    pub username: String,
    pub display_name: String,
    /// `Role::as_str` of the chosen role; the server reads it with
    /// `Role::parse` (`?error=invalid`).
    pub role: String,
    pub password: String,
}

/// `POST /console/organizers/{id}` (an account's role and whether it is active).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateOrganizerForm {
    pub csrf: String,
    /// As in [`CreateOrganizerForm::role`].
    pub role: String,
    /// The `active` checkbox.
    #[serde(with = "checkbox")]
    pub active: bool,
}

/// `POST /console/stations` (a new polling station).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AddStationForm {
    pub csrf: String,
    pub name: String,
}

/// `POST /console/organizers/{id}/stations` (the stations a station operator
/// enters ballots for): one `station=<id>` per ticked box, none at all when
/// no box is ticked.
///
/// The key repeats, which `serde_urlencoded` (behind `axum::Form`) cannot put
/// into a `Vec`: deserialize this with `axum_extra::extract::Form` (backed by
/// `serde_html_form`), or read pairs as the handler does today.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AssignStationsForm {
    pub csrf: String,
    pub station: Vec<i64>,
}

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

/// `POST /console/streets/{id}` and `POST /console/communities/{id}` (rename a
/// street or a community, both names at once).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RenamePlaceForm {
    pub csrf: String,
    pub name_zh: String,
    pub name_en: String,
}

/// `POST /console/communities/{id}/remove`.
pub type RemoveCommunityForm = CsrfForm;

/// The text fields of `POST /console/nominees` (a new nominee) and
/// `POST /console/nominees/{id}` (an edit). These forms are
/// `multipart/form-data`, so the server cannot take them as `Form<T>`: it
/// reads the parts with `Multipart`. Besides these fields comes the file part
/// `photo` (optional: no file chosen means no new photo).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NomineeFields {
    pub csrf: String,
    /// 1 to 999 as typed (`NomineeProblem::Number`).
    pub number: String,
    pub name: String,
    /// The community's id as text (`NomineeProblem::Community`).
    pub community: String,
    pub story: String,
}

/// The name of the file part of the nominee forms.
pub const NOMINEE_PHOTO_FIELD: &str = "photo";

/// `POST /console/nominees/{id}/status` (withdraw or restore a nominee).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NomineeStatusForm {
    pub csrf: String,
    /// The hidden `active` field, `on` (restore) or `off` (withdraw).
    #[serde(with = "on_off")]
    pub active: bool,
}

/// The text fields of `POST /console/places` (the streets-and-communities
/// import). Multipart like the nominee forms; besides these comes the file
/// part `file`, which wins over `csv` when a file is chosen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlacesImportFields {
    pub csrf: String,
    /// Pasted CSV lines.
    pub csv: String,
}

/// The name of the file part of the places import.
pub const PLACES_FILE_FIELD: &str = "file";

/// `GET /console/audit` (the audit log's filter; a query string, which
/// `/console/audit.csv` takes too).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditFilterQuery {
    /// An action prefix such as `nominee.`, or empty for all.
    pub action: Option<String>,
    /// An organizer's id, or empty for everyone.
    pub actor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkboxes_are_on_or_absent() {
        let ticked: UpdateOrganizerForm =
            serde_json::from_str(r#"{"csrf":"t","role":"admin","active":"on"}"#).unwrap();
        assert!(ticked.active);
        let unticked: UpdateOrganizerForm =
            serde_json::from_str(r#"{"csrf":"t","role":"admin"}"#).unwrap();
        assert!(!unticked.active);
        assert_eq!(
            serde_json::to_value(&ticked).unwrap()["active"],
            serde_json::json!("on")
        );
        assert_eq!(
            serde_json::to_value(&unticked).unwrap()["active"],
            serde_json::Value::Null
        );
    }

    #[test]
    fn the_status_switch_is_on_or_off() {
        let off: NomineeStatusForm =
            serde_json::from_str(r#"{"csrf":"t","active":"off"}"#).unwrap();
        assert!(!off.active);
        let on: NomineeStatusForm = serde_json::from_str(r#"{"csrf":"t","active":"on"}"#).unwrap();
        assert!(on.active);
        assert_eq!(
            serde_json::to_value(&off).unwrap()["active"],
            serde_json::json!("off")
        );
    }

    fn fields<T: Serialize + Default>() -> Vec<String> {
        match serde_json::to_value(T::default()).unwrap() {
            serde_json::Value::Object(map) => map.keys().cloned().collect(),
            _ => unreachable!("form structs are structs"),
        }
    }

    /// Each struct's fields are the `name="..."` attributes of the view that
    /// renders its form, so the two cannot drift apart unnoticed.
    #[test]
    fn every_field_is_named_in_its_view() {
        let layout = include_str!("components/layout.rs");
        let vote = include_str!("components/vote.rs");
        let nominees = include_str!("pages/nominees.rs");
        let login = include_str!("pages/login.rs");
        let console = include_str!("pages/console/mod.rs");
        let console_login = include_str!("pages/console/login.rs");
        let organizers = include_str!("pages/console/organizers.rs");
        let campaign = include_str!("pages/console/campaign.rs");
        let admin_nominees = include_str!("pages/console/nominees.rs");
        let places = include_str!("pages/console/places.rs");
        let audit = include_str!("pages/console/audit.rs");
        let cases: Vec<(&str, Vec<String>, &str)> = vec![
            ("lang", fields::<LangSwitchForm>(), layout),
            ("search", fields::<NomineeSearchQuery>(), nominees),
            ("phone", fields::<PhoneForm>(), login),
            ("code", fields::<CodeForm>(), login),
            ("card", fields::<CardForm>(), login),
            ("vote", fields::<VoteForm>(), vote),
            ("console login", fields::<ConsoleLoginForm>(), console_login),
            ("csrf", fields::<CsrfForm>(), console),
            ("csrf", fields::<RemoveCommunityForm>(), places),
            ("new account", fields::<CreateOrganizerForm>(), organizers),
            ("account", fields::<UpdateOrganizerForm>(), organizers),
            ("station", fields::<AddStationForm>(), organizers),
            ("stations", fields::<AssignStationsForm>(), organizers),
            ("campaign", fields::<CampaignForm>(), campaign),
            ("rename", fields::<RenamePlaceForm>(), places),
            ("nominee", fields::<NomineeFields>(), admin_nominees),
            ("status", fields::<NomineeStatusForm>(), admin_nominees),
            ("import", fields::<PlacesImportFields>(), places),
            ("audit", fields::<AuditFilterQuery>(), audit),
        ];
        for (form, fields, view) in cases {
            for field in fields {
                // The campaign form's dates are named from `PHASE_FIELDS` itself.
                let named = view.contains(&format!("name=\"{field}\""))
                    || (form == "campaign" && CampaignForm::PHASE_FIELDS.contains(&field.as_str()));
                assert!(named, "{form}: no name=\"{field}\" in its view");
            }
        }
        assert!(admin_nominees.contains(&format!("name=\"{NOMINEE_PHOTO_FIELD}\"")));
        assert!(places.contains(&format!("name=\"{PLACES_FILE_FIELD}\"")));
    }

    #[test]
    fn missing_fields_read_as_empty() {
        let f: CampaignForm = serde_json::from_str(r#"{"csrf":"t"}"#).unwrap();
        assert_eq!(f.title_zh, "");
        let s: AssignStationsForm = serde_json::from_str(r#"{"csrf":"t"}"#).unwrap();
        assert!(s.station.is_empty());
    }
}
