//! What every capability's port and loaders share (server side only): the
//! answer a port gives when it cannot read, and the request's session
//! tokens. Each capability's `port.rs` holds its own trait; the server
//! crate implements them over its store, so the pages never see SQL or Redis.

use leptos::prelude::*;

/// Something the server could not do. Details go to the server log, never to the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unavailable;

/// A cookie of the request, if present.
fn cookie(name: &str) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    crate::cookies::read(&parts.headers, name)
}

/// The voter's session token from the request's cookie, if any.
pub(crate) fn session_token() -> Option<String> {
    cookie(crate::cookies::VOTER_SESSION)
}

/// The organizer's session token (its own cookie, never the voter's).
pub(crate) fn organizer_token() -> Option<String> {
    cookie(crate::cookies::ORGANIZER_SESSION)
}

/// What a loader answers for [`Unavailable`]: the page says the service is
/// briefly unavailable.
pub(crate) fn unavailable(_: Unavailable) -> ServerFnError {
    ServerFnError::new("服务暂时不可用，请稍后再试。 / The service is briefly unavailable.")
}
