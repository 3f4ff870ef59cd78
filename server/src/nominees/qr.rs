//! A QR code for each profile, so neighbours can pass a nominee on by phone.

use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use qrcode::render::svg;
use qrcode::QrCode;

use alleyvote_domain::NomineeNumber;

use crate::web::client::request_lang;
use crate::web::client::TrustedProxies;
use crate::web::error::ApiError;
use crate::web::WebConfig;

pub async fn nominee_qr(
    State(web): State<WebConfig>,
    Path(number): Path<String>,
    headers: HeaderMap,
) -> Response {
    let lang = request_lang(&headers);
    let Ok(number) = NomineeNumber::parse(&number) else {
        return ApiError::not_found(lang, "没有这位候选人。", "There is no such nominee.")
            .into_response();
    };
    qr_of(&web, &headers, &format!("/nominees/{}", number.get()))
}

/// `GET /qr.svg`: the way to the nominees (and to vote), for the big
/// screen and posters.
pub async fn site_qr(State(web): State<WebConfig>, headers: HeaderMap) -> Response {
    qr_of(&web, &headers, "/nominees")
}

/// A QR code of this site's `path`, as SVG.
fn qr_of(web: &WebConfig, headers: &HeaderMap, path: &str) -> Response {
    let lang = request_lang(headers);
    // The configured address (required in production). Without one, the
    // request's host — from a proxy's header only when proxies are trusted —
    // and then the picture is not cached anywhere: it names whatever host
    // this request claimed.
    let (base, cache) = match &web.public_url {
        Some(url) => (url.clone(), "public, max-age=3600"),
        None => (format!("http://{}", request_host(web, headers)), "no-store"),
    };
    let url = format!("{base}{path}");
    match QrCode::new(url.as_bytes()) {
        Ok(code) => {
            let image = code
                .render::<svg::Color>()
                .min_dimensions(180, 180)
                .quiet_zone(true)
                .build();
            (
                [(CONTENT_TYPE, "image/svg+xml"), (CACHE_CONTROL, cache)],
                image,
            )
                .into_response()
        }
        Err(_) => ApiError::not_found(lang, "无法生成二维码。", "Could not draw the QR code.")
            .into_response(),
    }
}

/// The host this request was sent to, as far as it can be believed.
fn request_host<'a>(web: &WebConfig, headers: &'a HeaderMap) -> &'a str {
    let forwarded = (web.trusted_proxies != TrustedProxies::None)
        .then(|| headers.get("x-forwarded-host"))
        .flatten();
    forwarded
        .or_else(|| headers.get(axum::http::header::HOST))
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("127.0.0.1:3000")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn a_forwarded_host_counts_only_behind_trusted_proxies() {
        let h = headers(&[
            ("host", "vote.local:3000"),
            ("x-forwarded-host", "evil.example"),
        ]);
        assert_eq!(request_host(&WebConfig::default(), &h), "vote.local:3000");
        let behind = WebConfig {
            trusted_proxies: TrustedProxies::Hops(1),
            ..WebConfig::default()
        };
        assert_eq!(request_host(&behind, &h), "evil.example");
        let odd = headers(&[("host", "a b")]);
        assert_eq!(request_host(&WebConfig::default(), &odd), "127.0.0.1:3000");
    }
}
