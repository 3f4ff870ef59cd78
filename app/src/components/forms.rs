//! The form in every page's frame: the language switch.

use serde::{Deserialize, Serialize};

/// `POST /lang` (the language switch in the page header).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LangSwitchForm {
    /// `zh` or `en`; the server reads it with `Lang::parse` (anything else is Chinese).
    pub lang: String,
    /// Where to go back to; the server only follows a path on this site.
    pub next: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form_drift::{assert_named, fields};

    /// The views that render these forms.
    const VIEWS: &[&str] = &[include_str!("layout.rs")];

    /// Each form's fields are the `name="..."` of the inputs its view renders.
    #[test]
    fn every_field_is_named_in_its_view() {
        assert_named("LangSwitchForm", fields::<LangSwitchForm>(), VIEWS);
    }
}
