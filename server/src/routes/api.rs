//! `/api/v1`: the JSON API other clients build on (the load generator, tests,
//! a WeChat mini-program). Language-neutral data; errors speak the request's
//! language. Each capability brings its own routes.

use axum::http::HeaderMap;
use axum::routing::get;
use axum::Router;

use super::{request_lang, ApiError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(super::openapi::openapi))
        .merge(crate::campaigns::http::api_routes())
        .merge(crate::nominees::http::api_routes())
        .merge(crate::results::http::api_routes())
        .merge(crate::signin::http::api_routes())
        .merge(crate::voting::http::api_routes())
        .fallback(|headers: HeaderMap| async move {
            let lang = request_lang(&headers);
            ApiError::not_found(lang, "没有这个接口。", "There is no such API endpoint.")
        })
}
