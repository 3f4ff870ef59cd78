//! The voting pages' forms (the nominee search and the one-tap vote): the
//! contract between each page's `<form>` and the server handler that reads
//! it. Field names are the `name="..."` attributes in the views, exactly; a
//! missing field reads as empty (`#[serde(default)]`).

use serde::{Deserialize, Serialize};

/// `GET /nominees` (the search form; a query string, not a post).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NomineeSearchQuery {
    /// A street id, or empty for all streets.
    pub street: Option<String>,
    /// A name or a nominee number.
    pub q: Option<String>,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form_drift::{assert_named, fields};

    /// The views that render this capability's forms.
    const VIEWS: &[&str] = &[include_str!("nominees_page.rs"), include_str!("vote.rs")];

    /// Each form's fields are the `name="..."` of the inputs its view renders.
    #[test]
    fn every_field_is_named_in_its_view() {
        assert_named("NomineeSearchQuery", fields::<NomineeSearchQuery>(), VIEWS);
        assert_named("VoteForm", fields::<VoteForm>(), VIEWS);
    }
}
