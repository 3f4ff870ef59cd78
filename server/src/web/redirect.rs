//! Redirects after a form post (303 See Other), always to this site.

use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// A 303 to a path on this site. Bytes a header cannot carry (a Chinese
/// search term, say) are percent-encoded, so no user input can break the answer.
pub fn see_other(location: impl AsRef<str>) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(LOCATION, header_safe(location.as_ref()))],
    )
        .into_response()
}

pub fn header_safe(location: &str) -> String {
    let mut out = String::with_capacity(location.len());
    for b in location.bytes() {
        if (0x21..0x7f).contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Only paths on this site: `/x` but not `//evil.example` or `https://…`.
pub fn safe_next(next: Option<&str>) -> &str {
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

/// `path` with one more query parameter, before any `#fragment` (which
/// brings a list back to the card a vote was cast from).
pub fn with_query(path: &str, query: &str) -> String {
    let (path, fragment) = match path.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (path, None),
    };
    let sep = if path.contains('?') { '&' } else { '?' };
    match fragment {
        Some(f) => format!("{path}{sep}{query}#{f}"),
        None => format!("{path}{sep}{query}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goes_back_only_to_this_site() {
        assert_eq!(safe_next(Some("/nominees?q=1")), "/nominees?q=1");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn locations_carry_only_header_safe_bytes() {
        assert_eq!(header_safe("/nominees?q=王"), "/nominees?q=%E7%8E%8B");
        assert_eq!(with_query("/a?b=1", "c=2"), "/a?b=1&c=2");
        assert_eq!(with_query("/a", "c=2"), "/a?c=2");
        assert_eq!(
            with_query("/nominees?q=8#nominee-008", "voted=8"),
            "/nominees?q=8&voted=8#nominee-008"
        );
        assert_eq!(
            with_query("/nominees#nominee-003", "c=2"),
            "/nominees?c=2#nominee-003"
        );
    }
}
