//! How refusals and failures become answers: [`ApiError`] for the JSON API,
//! [`ConsoleRefusal`] for the console's forms, and [`unexpected`], the one
//! place an unexpected failure is logged (with its cause; the request's span
//! carries its id) before it becomes a 503.
//!
//! The one error type of the JSON API. Every refusal is a code a program can
//! match and a sentence a resident can read; internal failures are logged
//! with their detail and answered with a generic sentence.

use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use alleyvote_domain::voting::VoteRefusal;
use alleyvote_domain::Lang;
use serde::Serialize;
use utoipa::ToSchema;

use crate::storage::StoreError;

/// Every code the JSON API refuses with: what a program matches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    AlreadyVoted,
    DailyQuotaUsed,
    VotingClosed,
    UnknownNominee,
    RateLimited,
    InvalidCode,
    Unauthenticated,
    InvalidInput,
    NotFound,
    SmsFailed,
    Unavailable,
    IdempotencyMismatch,
    /// Solve the picture challenge (`GET /sms-challenge`) and ask again.
    ChallengeRequired,
    /// The picture challenge's answer was wrong, late, or used before.
    ChallengeFailed,
    /// Not the nomination phase.
    NominationsClosed,
    /// The same person seems nominated already in that community.
    LikelyDuplicates,
    /// The resident's nominations for the campaign are used up.
    NominationLimit,
    /// The resident already counts for this person.
    AlreadyCounted,
    /// The nominee's number given is the nominator's own.
    OwnPhone,
    /// A number given as the resident's own (to be texted back) is not the
    /// one they signed in with.
    NotOwnPhone,
    /// The request's body did not arrive within the request deadline (408).
    RequestTimeout,
}

impl From<VoteRefusal> for ErrorCode {
    fn from(r: VoteRefusal) -> Self {
        match r {
            VoteRefusal::AlreadyVoted => ErrorCode::AlreadyVoted,
            VoteRefusal::DailyQuotaUsed => ErrorCode::DailyQuotaUsed,
            VoteRefusal::NotOpenYet | VoteRefusal::Closed => ErrorCode::VotingClosed,
            VoteRefusal::UnknownNominee => ErrorCode::UnknownNominee,
            VoteRefusal::KeyReused => ErrorCode::IdempotencyMismatch,
        }
    }
}

/// The body of every refusal: a code and a sentence in the request's language.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    pub error: ErrorCode,
    /// Chinese by default; English for `Accept-Language: en` or the `lang=en` cookie.
    #[schema(example = "您今天已经为这位候选人投过票了。")]
    pub message: String,
    /// On 429 and 503: when to try again; also sent as `Retry-After`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1)]
    pub retry_after_s: Option<i64>,
}

/// When a request answered 503 may try again.
const BUSY_RETRY_AFTER_S: i64 = 2;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub message: String,
    /// Set on 429s and 503s: sent as `Retry-After` and in the body.
    pub retry_after_s: Option<i64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: ErrorCode, lang: Lang, zh: &str, en: &str) -> Self {
        ApiError {
            status,
            code,
            message: lang.pick(zh, en).to_string(),
            retry_after_s: None,
        }
    }

    pub fn not_found(lang: Lang, zh: &str, en: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, lang, zh, en)
    }

    pub fn invalid_input(message: &str) -> Self {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: ErrorCode::InvalidInput,
            message: message.to_string(),
            retry_after_s: None,
        }
    }

    pub fn rate_limited(retry_after_s: i64, message: String) -> Self {
        ApiError {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: ErrorCode::RateLimited,
            message,
            retry_after_s: Some(retry_after_s),
        }
    }

    pub fn unauthenticated(lang: Lang) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
            lang,
            "请先用手机验证码登录后再投票。",
            "Please sign in with a text-message code to vote.",
        )
    }

    pub fn unknown_campaign(lang: Lang) -> Self {
        Self::not_found(lang, "没有这个评选活动。", "There is no such campaign.")
    }

    /// Logs the cause; the client learns only that it was not its fault.
    /// A request that waited its bound is told when to try again.
    pub fn internal(lang: Lang, cause: &StoreError) -> Self {
        if matches!(cause, StoreError::Busy) {
            tracing::warn!("a request waited its bound; answered 503");
            let mut busy = Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Unavailable,
                lang,
                "服务暂时繁忙，请稍后再试。",
                "The service is busy. Please try again shortly.",
            );
            busy.retry_after_s = Some(BUSY_RETRY_AFTER_S);
            return busy;
        }
        unexpected(cause);
        let mut down = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Unavailable,
            lang,
            "服务暂时不可用，请稍后再试。",
            "The service is briefly unavailable. Please try again shortly.",
        );
        down.retry_after_s = Some(BUSY_RETRY_AFTER_S);
        down
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.code,
            message: self.message,
            retry_after_s: self.retry_after_s,
        };
        let response = (self.status, Json(body)).into_response();
        with_retry_after(response, self.retry_after_s)
    }
}

/// A rate limit's refusal as a 429 with `Retry-After`.
pub fn rate_limited(lang: Lang, retry: crate::limits::RetryAfter) -> ApiError {
    let s = retry.seconds();
    let message = match lang {
        Lang::Zh => format!("操作太频繁，请 {s} 秒后再试。"),
        Lang::En => format!("Too many requests. Please try again in {s} seconds."),
    };
    ApiError::rate_limited(s, message)
}

/// A rate limit's check, as the API answers it.
pub fn limit(lang: Lang, check: Result<(), crate::limits::RetryAfter>) -> Result<(), ApiError> {
    check.map_err(|retry| rate_limited(lang, retry))
}

/// A JSON body, or a readable 422 instead of axum's plain-text rejection.
pub fn json_body<T>(
    lang: Lang,
    body: Result<Json<T>, axum::extract::rejection::JsonRejection>,
) -> Result<T, ApiError> {
    body.map(|Json(t)| t).map_err(|rejection| {
        if caused_by_body_deadline(&rejection) {
            ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                ErrorCode::RequestTimeout,
                lang,
                "请求内容没有及时送达，请重试。",
                "The request body did not arrive in time. Please try again.",
            )
        } else {
            ApiError::invalid_input(lang.pick(
                "请求内容格式不正确。",
                "The request body is not valid JSON for this request.",
            ))
        }
    })
}

/// Whether reading a body failed because it stopped coming (the body's
/// deadline between its parts).
fn caused_by_body_deadline(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(e) = cause {
        if e.is::<tower_http::timeout::TimeoutError>() {
            return true;
        }
        cause = e.source();
    }
    false
}

/// `Retry-After` on every 429.
pub fn with_retry_after(mut response: Response, seconds: Option<i64>) -> Response {
    if let Some(s) = seconds {
        if let Ok(v) = s.to_string().parse() {
            response.headers_mut().insert(RETRY_AFTER, v);
        }
    }
    response
}

/// Logs an unexpected failure once, with its cause, inside the request's
/// span (which names the request id and the use case).
pub fn unexpected(cause: &dyn std::fmt::Display) {
    tracing::error!(error = %cause, "unexpected failure");
}

/// Why a console request was turned away before its use case ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsoleRefusal {
    /// No live organizer session: to the login page.
    SignIn,
    /// The account's role may not do this.
    Forbidden,
    /// The form's CSRF token is not the session's (an old page, or another site).
    Stale,
    /// The form could not be read as this form.
    BadForm,
    /// Storage failed; already logged.
    Unavailable,
    /// The results are published and the change would move them (the
    /// attempt is already in the audit log).
    Published,
}

impl ConsoleRefusal {
    /// Logs `cause` and refuses as unavailable.
    pub fn unavailable(cause: &dyn std::fmt::Display) -> Self {
        unexpected(cause);
        ConsoleRefusal::Unavailable
    }
}

impl From<StoreError> for ConsoleRefusal {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Published => ConsoleRefusal::Published,
            e => ConsoleRefusal::unavailable(&e),
        }
    }
}

impl IntoResponse for ConsoleRefusal {
    fn into_response(self) -> Response {
        let page = |status: StatusCode, zh: &str, en: &str| {
            (
                status,
                [(CONTENT_TYPE, "text/html; charset=utf-8")],
                format!(
                    "<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>{zh}</title>\
                     <body><p>{zh}</p><p lang=\"en\">{en}</p><p><a href=\"/console\">管理后台 / Console</a></p></body></html>"
                ),
            )
                .into_response()
        };
        match self {
            ConsoleRefusal::SignIn => super::redirect::see_other(format!(
                "/console/login?error={}",
                alleyvote_domain::notice::ConsoleLoginError::Expired.code()
            )),
            ConsoleRefusal::Forbidden => page(
                StatusCode::FORBIDDEN,
                "您的账号没有这项权限。",
                "Your account may not do this.",
            ),
            ConsoleRefusal::Stale => page(
                StatusCode::FORBIDDEN,
                "页面已过期，请回到上一页刷新后重试。",
                "This form has expired. Go back, reload the page and try again.",
            ),
            ConsoleRefusal::BadForm => page(
                StatusCode::BAD_REQUEST,
                "表单内容无法识别，请回到上一页检查后重试。",
                "The form could not be read. Go back, check it and try again.",
            ),
            ConsoleRefusal::Published => page(
                StatusCode::CONFLICT,
                alleyvote_domain::publication::published_message(Lang::Zh),
                alleyvote_domain::publication::published_message(Lang::En),
            ),
            ConsoleRefusal::Unavailable => page(
                StatusCode::SERVICE_UNAVAILABLE,
                "服务暂时不可用，请稍后再试。",
                "The service is briefly unavailable. Please try again shortly.",
            ),
        }
    }
}
