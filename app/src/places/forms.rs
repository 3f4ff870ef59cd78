//! The streets-and-communities forms (renaming, removing a community, the
//! import): the contract between each page's `<form>` and the server handler
//! that reads it. Field names are the `name="..."` attributes in the views,
//! exactly; a missing field reads as empty (`#[serde(default)]`). The import
//! is `multipart/form-data`: its struct describes only the text fields.

use serde::{Deserialize, Serialize};

use crate::console::forms::CsrfForm;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form_drift::{assert_named, fields};

    /// The views that render this capability's forms.
    const VIEWS: &[&str] = &[include_str!("places_page.rs")];

    /// Each form's fields are the `name="..."` of the inputs its view renders.
    #[test]
    fn every_field_is_named_in_its_view() {
        assert_named("RenamePlaceForm", fields::<RenamePlaceForm>(), VIEWS);
        assert_named(
            "RemoveCommunityForm",
            fields::<RemoveCommunityForm>(),
            VIEWS,
        );
        assert_named("PlacesImportFields", fields::<PlacesImportFields>(), VIEWS);
        assert_named(
            "the import's file",
            vec![PLACES_FILE_FIELD.to_string()],
            VIEWS,
        );
    }
}
