//! The console shell's own form: signing out.

use serde::{Deserialize, Serialize};

/// A console form that carries nothing but the session's CSRF token:
/// `POST /console/logout`, `POST /console/logout-everywhere` and
/// `POST /console/communities/{id}/remove`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CsrfForm {
    pub csrf: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form_drift::{assert_named, fields};

    /// The views that render these forms.
    const VIEWS: &[&str] = &[include_str!("mod.rs")];

    /// Each form's fields are the `name="..."` of the inputs its view renders.
    #[test]
    fn every_field_is_named_in_its_view() {
        assert_named("CsrfForm", fields::<CsrfForm>(), VIEWS);
    }
}
