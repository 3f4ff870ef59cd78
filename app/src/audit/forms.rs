//! The audit log's filter (a query string, not a post): the contract between
//! each page's `<form>` and the server handler that reads it. Field names
//! are the `name="..."` attributes in the views, exactly; a missing field
//! reads as empty (`#[serde(default)]`).

use serde::{Deserialize, Serialize};

/// `GET /console/audit` (the audit log's filter; a query string, which
/// `/console/audit.csv` takes too).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditFilterQuery {
    /// An action prefix such as `nominee.`, or empty for all.
    pub action: Option<String>,
    /// An organizer's id, or empty for everyone.
    pub actor: Option<String>,
    /// A day (`2026-12-07`), or empty for every day.
    pub day: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form_drift::{assert_named, fields};

    /// The views that render this capability's forms.
    const VIEWS: &[&str] = &[include_str!("audit_page.rs")];

    /// Each form's fields are the `name="..."` of the inputs its view renders.
    #[test]
    fn every_field_is_named_in_its_view() {
        assert_named("AuditFilterQuery", fields::<AuditFilterQuery>(), VIEWS);
    }
}
