//! The organizer accounts' forms (signing in to the console, creating and
//! changing accounts): the contract between each page's `<form>` and the
//! server handler that reads it. Field names are the `name="..."` attributes
//! in the views, exactly; a missing field reads as empty
//! (`#[serde(default)]`). Where the server turns a bad value into an outcome
//! code (a role), the field stays text, so the bad value still reaches the
//! handler.

use serde::{Deserialize, Serialize};

use crate::form_fields::checkbox;

/// `POST /console/login`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsoleLoginForm {
    /// Where to go once signed in; the server only follows `/console…` paths.
    pub next: Option<String>,
    pub username: String,
    pub password: String,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form_drift::{assert_named, fields};

    /// The views that render this capability's forms.
    const VIEWS: &[&str] = &[
        include_str!("console_login_page.rs"),
        include_str!("organizers_page.rs"),
    ];

    /// Each form's fields are the `name="..."` of the inputs its view renders.
    #[test]
    fn every_field_is_named_in_its_view() {
        assert_named("ConsoleLoginForm", fields::<ConsoleLoginForm>(), VIEWS);
        assert_named(
            "CreateOrganizerForm",
            fields::<CreateOrganizerForm>(),
            VIEWS,
        );
        assert_named(
            "UpdateOrganizerForm",
            fields::<UpdateOrganizerForm>(),
            VIEWS,
        );
    }

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
}
