//! `/api/v1`: the JSON API other clients build on (the load generator, tests,
//! a WeChat mini-program). Language-neutral data; errors speak the request's
//! language. Each capability brings its own routes and their documentation.

use std::sync::Arc;

use axum::http::HeaderMap;
use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use super::openapi::ApiDoc;
use super::{request_lang, ApiError};
use crate::capabilities::AppState;

/// The API's routes, and the document generated from them.
fn parts() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(crate::capabilities::api_routes())
        .split_for_parts()
}

pub fn router() -> Router<AppState> {
    let (routes, doc) = parts();
    let doc = Arc::new(doc);
    routes
        .route(
            "/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { Json(doc) }
            }),
        )
        .fallback(|headers: HeaderMap| async move {
            let lang = request_lang(&headers);
            ApiError::not_found(lang, "没有这个接口。", "There is no such API endpoint.")
        })
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    /// Every operation says what it answers, and every refusal it documents
    /// has the one error body.
    #[test]
    fn every_refusal_is_documented_with_the_error_body() {
        let doc: Value = serde_json::to_value(super::parts().1).unwrap();
        let paths = doc["paths"].as_object().unwrap();
        assert!(paths.len() >= 9, "{:?}", paths.keys());
        for (path, item) in paths {
            for (method, op) in item.as_object().unwrap() {
                let responses = op["responses"].as_object().unwrap();
                assert!(
                    responses.keys().any(|s| s.starts_with('2')),
                    "{method} {path} has no success answer"
                );
                for (status, response) in responses {
                    if status.starts_with('4') || status.starts_with('5') {
                        let schema = &response["content"]["application/json"]["schema"]["$ref"];
                        assert_eq!(
                            schema, "#/components/schemas/Error",
                            "{method} {path} {status}"
                        );
                    }
                }
            }
        }
    }
}
