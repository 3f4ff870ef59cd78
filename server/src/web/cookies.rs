//! Every cookie the site sets, in one place, on `axum-extra`'s cookie jar:
//! their names, and how each is built.

use axum_extra::extract::cookie::{Cookie, SameSite};

use super::WebConfig;

// The names are the contract with the pages' server functions, which read
// the same cookies: a voter's session is SameSite=Lax, so a shared link
// arrives signed in; an organizer's is SameSite=Strict, so no other site's
// link or form ever carries it.
pub use app::cookies::{
    read, CHALLENGE, DEVICE, LANG, LOGIN_PHONE, ORGANIZER_SESSION, TEXT_SIZE, VOTER_SESSION,
};

/// A session cookie for `token`, living `max_age_s` seconds (0 clears it).
pub fn session(
    web: &WebConfig,
    name: &'static str,
    token: &str,
    max_age_s: i64,
) -> Cookie<'static> {
    let same_site = if name == ORGANIZER_SESSION {
        SameSite::Strict
    } else {
        SameSite::Lax
    };
    Cookie::build((name, token.to_string()))
        .path("/")
        .http_only(true)
        .same_site(same_site)
        .max_age(time_seconds(max_age_s))
        .secure(web.secure_cookies)
        .build()
}

fn time_seconds(s: i64) -> cookie::time::Duration {
    cookie::time::Duration::seconds(s.max(0))
}

/// The device cookie: a year, HttpOnly, SameSite=Lax.
pub fn device(web: &WebConfig, id: &str) -> Cookie<'static> {
    Cookie::build((DEVICE, id.to_string()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .max_age(time_seconds(365 * 24 * 3600))
        .secure(web.secure_cookies)
        .build()
}

/// The number the code step signs in with: only the login pages see it,
/// for as long as a code lives (0 clears it).
pub fn login_phone(web: &WebConfig, digits: &str, max_age_s: i64) -> Cookie<'static> {
    login_pages(web, LOGIN_PHONE, digits, max_age_s)
}

/// The picture challenge's token, for the login pages only.
pub fn challenge(web: &WebConfig, token: &str, max_age_s: i64) -> Cookie<'static> {
    login_pages(web, CHALLENGE, token, max_age_s)
}

/// A short-lived cookie only the login pages get, and only from this site.
fn login_pages(
    web: &WebConfig,
    name: &'static str,
    value: &str,
    max_age_s: i64,
) -> Cookie<'static> {
    Cookie::build((name, value.to_string()))
        .path("/login")
        .http_only(true)
        .same_site(SameSite::Strict)
        .max_age(time_seconds(max_age_s))
        .secure(web.secure_cookies)
        .build()
}

/// The language cookie: a year, readable by the page's script too.
pub fn lang(value: &str) -> Cookie<'static> {
    Cookie::build((LANG, value.to_string()))
        .path("/")
        .same_site(SameSite::Lax)
        .max_age(time_seconds(365 * 24 * 3600))
        .build()
}

/// The text size cookie: a year; an empty value (max age 0) goes back to
/// the usual size.
pub fn text_size(large: bool) -> Cookie<'static> {
    let (value, max_age) = if large {
        ("large", 365 * 24 * 3600)
    } else {
        ("", 0)
    };
    Cookie::build((TEXT_SIZE, value))
        .path("/")
        .same_site(SameSite::Lax)
        .max_age(time_seconds(max_age))
        .build()
}

/// The `Set-Cookie` header value of a cookie.
pub fn header(cookie: &Cookie<'_>) -> String {
    cookie.encoded().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderMap;

    #[test]
    fn session_cookies_are_http_only_and_scoped() {
        let web = WebConfig {
            secure_cookies: true,
            ..WebConfig::default()
        };
        let voter = header(&session(&web, VOTER_SESSION, "abc", 60));
        assert!(voter.starts_with("av_session=abc"), "{voter}");
        for part in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=60", "Secure"] {
            assert!(voter.contains(part), "{voter} lacks {part}");
        }
        let organizer = header(&session(&WebConfig::default(), ORGANIZER_SESSION, "", 0));
        assert!(organizer.contains("SameSite=Strict") && organizer.contains("Max-Age=0"));
        assert!(!organizer.contains("Secure"));
    }

    #[test]
    fn a_cookie_is_read_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::COOKIE,
            "lang=en; av_org=t0k; x=1".parse().unwrap(),
        );
        assert_eq!(read(&headers, ORGANIZER_SESSION).as_deref(), Some("t0k"));
        assert_eq!(read(&headers, VOTER_SESSION), None);
    }
}
