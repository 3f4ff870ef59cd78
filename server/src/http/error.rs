//! The one error type of the JSON API. Every refusal is a code a program can
//! match and a sentence a resident can read; internal failures are logged
//! with their detail and answered with a generic sentence.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use alleyvote_domain::Lang;

use crate::storage::StoreError;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Set on 429s: sent as `Retry-After` and in the body.
    pub retry_after_s: Option<i64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, lang: Lang, zh: &str, en: &str) -> Self {
        ApiError {
            status,
            code,
            message: lang.pick(zh, en).to_string(),
            retry_after_s: None,
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
            retry_after_s: None,
        }
    }

    pub fn rate_limited(retry_after_s: i64, message: String) -> Self {
        ApiError {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: "rate_limited",
            message,
            retry_after_s: Some(retry_after_s),
        }
    }

    pub fn unauthenticated(lang: Lang) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            lang,
            "请先用手机验证码登录后再投票。",
            "Please sign in with a text-message code to vote.",
        )
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
        let mut body = serde_json::json!({ "error": self.code, "message": self.message });
        if let Some(s) = self.retry_after_s {
            body["retry_after_s"] = s.into();
        }
        let response = (self.status, Json(body)).into_response();
        super::voting::with_retry_after(response, self.retry_after_s)
    }
}
