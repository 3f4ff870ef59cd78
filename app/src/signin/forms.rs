//! The resident sign-in forms (a text-message code, or a printed ballot
//! card): the contract between each page's `<form>` and the server handler
//! that reads it. Field names are the `name="..."` attributes in the views,
//! exactly; a missing field reads as empty (`#[serde(default)]`).

use serde::{Deserialize, Serialize};

/// `POST /login/code` (the phone form: send me a code).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PhoneForm {
    pub next: Option<String>,
    /// As typed; the server reads it with `PhoneNumber::parse` (`?error=bad_phone`).
    /// Empty from the code step's "send a new code": the number the code
    /// went to, kept in the login pages' cookie.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form_drift::{assert_named, fields};

    /// The views that render this capability's forms.
    const VIEWS: &[&str] = &[include_str!("login_page.rs")];

    /// Each form's fields are the `name="..."` of the inputs its view renders.
    #[test]
    fn every_field_is_named_in_its_view() {
        assert_named("PhoneForm", fields::<PhoneForm>(), VIEWS);
        assert_named("CodeForm", fields::<CodeForm>(), VIEWS);
        assert_named("CardForm", fields::<CardForm>(), VIEWS);
    }
}
