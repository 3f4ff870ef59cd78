//! The check the console's multipart forms (nominees with photos, place
//! imports) still make by hand: their fields arrive in a multipart body that
//! [`crate::organizers::access::ConsoleForm`] does not read.

use std::collections::HashMap;

use axum::http::HeaderMap;

use alleyvote_domain::organizer::Action;
use app::model::Console;

use super::AppState;
use crate::organizers::storage::OrganizerSession;
use crate::storage::same_hash;

pub use crate::web::error::ConsoleRefusal as Refusal;

pub fn organizer_token(headers: &HeaderMap) -> Option<String> {
    crate::web::cookies::read(headers, crate::web::cookies::ORGANIZER_SESSION)
}

/// The session behind a state-changing request: signed in, the form's CSRF
/// token matching the session's, and the role allowed to do `action`.
pub async fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
    action: Action,
) -> Result<OrganizerSession, Refusal> {
    let token = organizer_token(headers);
    let access = state
        .services
        .organizers
        .access(token.as_deref(), Action::ViewConsole)
        .await?;
    let session = match access {
        Console::Open(s) => s,
        Console::SignIn => return Err(Refusal::SignIn),
        Console::Forbidden => return Err(Refusal::Forbidden),
    };
    let sent = form.get("csrf").map(String::as_str).unwrap_or_default();
    if !same_hash(sent.as_bytes(), session.csrf_token.as_bytes()) {
        tracing::warn!(organizer = %session.organizer.username, "console form without a valid CSRF token");
        return Err(Refusal::Stale);
    }
    if !alleyvote_domain::organizer::allowed(session.organizer.role, action) {
        return Err(Refusal::Forbidden);
    }
    Ok(session)
}
