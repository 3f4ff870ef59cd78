//! A QR code for each profile, so neighbours can pass a nominee on by phone.

use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use qrcode::render::svg;
use qrcode::QrCode;

use alleyvote_domain::NomineeNumber;

use crate::web::client::request_lang;
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
    let host = headers
        .get("x-forwarded-host")
        .or_else(|| headers.get(axum::http::header::HOST))
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("127.0.0.1:3000");
    let base = match &web.public_url {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => format!("http://{host}"),
    };
    let url = format!("{base}/nominees/{}", number.get());
    match QrCode::new(url.as_bytes()) {
        Ok(code) => {
            let image = code
                .render::<svg::Color>()
                .min_dimensions(180, 180)
                .quiet_zone(true)
                .build();
            (
                [
                    (CONTENT_TYPE, "image/svg+xml"),
                    (CACHE_CONTROL, "public, max-age=3600"),
                ],
                image,
            )
                .into_response()
        }
        Err(_) => ApiError::not_found(lang, "无法生成二维码。", "Could not draw the QR code.")
            .into_response(),
    }
}
