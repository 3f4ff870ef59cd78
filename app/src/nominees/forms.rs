//! The console's nominee forms (a new nominee, an edit, withdrawing and
//! restoring): the contract between each page's `<form>` and the server
//! handler that reads it. Field names are the `name="..."` attributes in the
//! views, exactly; a missing field reads as empty (`#[serde(default)]`). The
//! new and edit forms are `multipart/form-data`: their struct describes only
//! the text fields.

use serde::{Deserialize, Serialize};

use crate::form_fields::on_off;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form_drift::{assert_named, fields};

    /// The views that render this capability's forms.
    const VIEWS: &[&str] = &[
        include_str!("fields.rs"),
        include_str!("nominees_page.rs"),
        include_str!("nominee_page.rs"),
    ];

    /// Each form's fields are the `name="..."` of the inputs its view renders.
    #[test]
    fn every_field_is_named_in_its_view() {
        assert_named("NomineeFields", fields::<NomineeFields>(), VIEWS);
        assert_named("NomineeStatusForm", fields::<NomineeStatusForm>(), VIEWS);
        assert_named(
            "the nominee's photo",
            vec![NOMINEE_PHOTO_FIELD.to_string()],
            VIEWS,
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
}
