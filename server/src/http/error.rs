//! The one error type of the JSON API. Every refusal is a code a program can
//! match and a sentence a resident can read; internal failures are logged
//! with their detail and answered with a generic sentence.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use alleyvote_domain::Lang;

use crate::store::StoreError;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, lang: Lang, zh: &str, en: &str) -> Self {
        ApiError {
            status,
            code,
            message: lang.pick(zh, en).to_string(),
        }
    }

    pub fn not_found(lang: Lang, zh: &str, en: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", lang, zh, en)
    }

    pub fn invalid_input(message: &str) -> Self {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid_input",
            message: message.to_string(),
        }
    }

    pub fn unknown_campaign(lang: Lang) -> Self {
        Self::not_found(lang, "没有这个评选活动。", "There is no such campaign.")
    }

    /// Logs the cause; the client learns only that it was not its fault.
    pub fn internal(lang: Lang, cause: &StoreError) -> Self {
        tracing::error!(error = %cause, "request failed in storage");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            lang,
            "服务暂时不可用，请稍后再试。",
            "The service is briefly unavailable. Please try again shortly.",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.code, "message": self.message });
        (self.status, Json(body)).into_response()
    }
}
