//! The screen operator's form.

use serde::{Deserialize, Serialize};

/// `POST /console/screen/press`: one press on one screen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScreenForm {
    pub csrf: String,
    /// `public` or `rehearsal`.
    pub channel: String,
    /// A mode (`waiting`, `live`, `hidden`, `frozen`, `reveal`), `next` or `back`.
    pub command: String,
    /// `yes` when the operator confirmed ending a reveal under way.
    pub confirm: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form_drift::{assert_named, fields};

    /// The views that render this capability's forms.
    const VIEWS: &[&str] = &[include_str!("panel_page.rs"), include_str!("wall.rs")];

    /// Each form's fields are the `name="..."` of the inputs its view renders.
    #[test]
    fn every_field_is_named_in_its_view() {
        assert_named("ScreenForm", fields::<ScreenForm>(), VIEWS);
    }
}
