//! The site's cookies, by name: the contract between the server, which sets
//! them, and the server functions, which read them. Reading goes through
//! `axum-extra`'s cookie jar on both sides; nothing parses `Cookie:` by hand.

/// A voter's session (HttpOnly, SameSite=Lax).
pub const VOTER_SESSION: &str = "av_session";
/// An organizer's session (HttpOnly, SameSite=Strict).
pub const ORGANIZER_SESSION: &str = "av_org";
/// The device cookie behind the per-device vote limit.
pub const DEVICE: &str = "av_device";
/// The reader's chosen language.
pub const LANG: &str = "lang";
/// Larger text (大字), for the oldest voters: `large` while chosen.
pub const TEXT_SIZE: &str = "av_text";
/// The number a sign-in code was just sent to, for the code step: kept out
/// of the address bar (and so out of proxy logs and browser history).
pub const LOGIN_PHONE: &str = "av_login_phone";
/// The picture challenge's token (the answer's HMAC), set with the picture.
pub const CHALLENGE: &str = "av_challenge";

/// A cookie's value in a request's headers; an empty one counts as none.
#[cfg(feature = "ssr")]
pub fn read(headers: &http::HeaderMap, name: &str) -> Option<String> {
    axum_extra::extract::CookieJar::from_headers(headers)
        .get(name)
        .map(|c| c.value().to_string())
        .filter(|v| !v.is_empty())
}
