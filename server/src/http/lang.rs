//! `POST /lang`: remembers the reader's language in a cookie and goes back.
//! A plain form post, so it works without JavaScript.

use std::collections::HashMap;

use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;

use alleyvote_domain::Lang;

pub async fn switch(Form(form): Form<HashMap<String, String>>) -> Response {
    let lang = match form.get("lang").map(String::as_str) {
        Some(l) => Lang::parse(l),
        None => Lang::Zh,
    };
    let value = if lang == Lang::En { "en" } else { "zh" };
    let next = safe_next(form.get("next").map(String::as_str));
    (
        StatusCode::SEE_OTHER,
        [
            (
                SET_COOKIE,
                format!("lang={value}; Path=/; Max-Age=31536000; SameSite=Lax"),
            ),
            (LOCATION, super::forms::header_safe(next)),
        ],
    )
        .into_response()
}

/// Only paths on this site: `/x` but not `//evil.example` or `https://…`.
pub(super) fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.contains(['\r', '\n']) =>
        {
            n
        }
        _ => "/",
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn goes_back_only_to_this_site() {
        assert_eq!(safe_next(Some("/nominees?q=1")), "/nominees?q=1");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
