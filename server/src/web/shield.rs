//! What every answer gets on its way out: a deadline (the live streams
//! excepted), the security headers, and its lifetime in the browser
//! (`static_files.rs`: `private` on what a signed-in person sees, a year
//! for hashed files, `no-cache` for pages).

use axum::extract::{Request, State};
use axum::http::header::{
    COOKIE, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::client::request_lang;
use super::{cookies, WebConfig};

/// Streams live as long as their reader; everything else has a deadline.
fn is_stream(req: &Request) -> bool {
    req.uri().path().ends_with("/results/stream")
}

/// Whether the request carries a session: its answer is that person's.
fn personal(req: &Request) -> bool {
    req.headers().get(COOKIE).is_some()
        && (cookies::read(req.headers(), cookies::VOTER_SESSION).is_some()
            || cookies::read(req.headers(), cookies::ORGANIZER_SESSION).is_some())
        || req
            .headers()
            .contains_key(axum::http::header::AUTHORIZATION)
}

pub async fn shield(State(web): State<WebConfig>, req: Request, next: Next) -> Response {
    let personal = personal(&req);
    let path = req.uri().path().to_string();
    let lang = request_lang(req.headers());
    let mut response = if is_stream(&req) {
        next.run(req).await
    } else {
        match tokio::time::timeout(web.serve.request, next.run(req)).await {
            Ok(response) => response,
            Err(_) => too_slow(lang),
        }
    };
    let status = response.status();
    let unavailable = status == axum::http::StatusCode::SERVICE_UNAVAILABLE;
    let headers = response.headers_mut();
    security_headers(&web, headers);
    super::static_files::set_lifetime(&path, status, personal, headers);
    // Every 503 says when to try again (pages, photos and health too, not
    // only the API's refusals, which set their own).
    if unavailable && !headers.contains_key(axum::http::header::RETRY_AFTER) {
        headers.insert(
            axum::http::header::RETRY_AFTER,
            HeaderValue::from_static("2"),
        );
    }
    response
}

/// What every answer carries, also those of the socket route.
pub fn security_headers(web: &WebConfig, headers: &mut HeaderMap) {
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        axum::http::header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("frame-ancestors 'none'"),
    );
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if web.secure_cookies {
        headers.insert(
            STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
}

/// A request past its deadline: 503, to be tried again.
fn too_slow(lang: alleyvote_domain::Lang) -> Response {
    super::error::ApiError::internal(lang, &crate::storage::StoreError::Busy).into_response()
}
