//! Which language a page speaks, and small formatting helpers.
//!
//! The server decides (the `lang` cookie, then `Accept-Language`, then
//! Chinese) and writes it into `<html lang>`; the browser reads it back from
//! there so hydration renders the very same text.

use alleyvote_domain::{Lang, Millis};
use leptos::prelude::*;

pub fn request_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .map(|parts| {
                let cookies = parts
                    .headers
                    .get_all(http::header::COOKIE)
                    .iter()
                    .filter_map(|v| v.to_str().ok());
                let accept = parts
                    .headers
                    .get(http::header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok());
                Lang::from_headers(cookies, accept)
            })
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"))
            .map(|l| Lang::parse(&l))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Lang::default()
    }
}

/// Whether the reader chose larger text (大字): the `av_text` cookie on the
/// server; `<html class>` in the browser, as the server wrote it.
pub fn request_large_text() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| crate::cookies::read(&parts.headers, crate::cookies::TEXT_SIZE))
            .is_some_and(|v| v == "large")
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .is_some_and(|e| e.class_list().contains("large-text"))
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        false
    }
}

/// The site's address as the reader reached it (`https://host`), for the
/// absolute links a shared page's preview needs; `None` in the browser.
pub fn request_origin() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().and_then(|parts| {
            let host = parts.headers.get(http::header::HOST)?.to_str().ok()?;
            // Only a plain host[:port]: nothing else is written into the page.
            let plain = !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
            let scheme = parts
                .headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .filter(|p| *p == "https")
                .unwrap_or("http");
            plain.then(|| format!("{scheme}://{host}"))
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// The language of the page being rendered. An island in the browser has no
/// context from the page around it: it reads `<html lang>` instead.
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_else(request_lang)
}

pub fn date(lang: Lang, at: Millis) -> String {
    let w = at.shanghai();
    match lang {
        Lang::Zh => w.date_zh(),
        Lang::En => w.date_iso(),
    }
}

pub fn date_time(lang: Lang, at: Millis) -> String {
    format!("{} {}", date(lang, at), at.shanghai().time())
}

/// Sets the HTTP status of the page being rendered on the server.
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(code),
    ) {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}
