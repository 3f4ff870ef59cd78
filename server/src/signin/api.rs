//! Signing in and out over the JSON API (`/api/v1/sms-codes`,
//! `/api/v1/sms-challenge`, `/api/v1/sessions`, `/api/v1/sessions/current`),
//! documented in the OpenAPI document: the same use cases as the forms,
//! answered in JSON with the one error body.

use std::sync::Arc;

use alleyvote_domain::signin::{ballot_code, parse_code, CodeRefusal, SmsRefusal};
use alleyvote_domain::{Lang, Millis, PhoneNumber};
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRef, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::http::{session_cookie, session_token};
use super::{ChallengeAnswer, Signin, SigninError};
use crate::limits::RateLimits;
use crate::web::client::{ClientAddr, RequestLang};
use crate::web::device::DeviceId;
use crate::web::error::{json_body, limit, ApiError, ErrorBody, ErrorCode};
use crate::web::WebConfig;

/// The JSON API, under `/api/v1`.
pub fn api_routes<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Signin>: FromRef<S>,
    Arc<RateLimits>: FromRef<S>,
    WebConfig: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(request_code))
        .routes(routes!(api_challenge))
        .routes(routes!(create_session))
        .routes(routes!(end_session))
}

fn phone(lang: Lang, input: &str) -> Result<PhoneNumber, ApiError> {
    PhoneNumber::parse(input).map_err(|_| {
        ApiError::invalid_input(lang.pick(
            "请输入正确的11位手机号码。",
            "Please enter a valid 11-digit mobile number.",
        ))
    })
}

/// A sign-in refusal as the API answers it.
pub fn signin_error(lang: Lang, e: SigninError) -> ApiError {
    match e {
        SigninError::Sms(SmsRefusal::ChallengeRequired) => ApiError {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: ErrorCode::ChallengeRequired,
            message: SmsRefusal::ChallengeRequired.message(lang),
            retry_after_s: None,
        },
        SigninError::Sms(refusal) => {
            ApiError::rate_limited(refusal.retry_after_s(), refusal.message(lang))
        }
        SigninError::ChallengeWrong => ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::ChallengeFailed,
            lang,
            "图片中的字符不对，或图片已过期，请看新的图片再试。",
            "The characters do not match the picture, or it expired. Try a new picture.",
        ),
        SigninError::Code(refusal) => {
            let status = if refusal == CodeRefusal::TooManyTries {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::BAD_REQUEST
            };
            ApiError {
                status,
                code: ErrorCode::InvalidCode,
                message: refusal.message(lang).to_string(),
                retry_after_s: None,
            }
        }
        SigninError::BallotCode => ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidCode,
            lang,
            "投票卡号码不正确，或这张卡已经用过。",
            "That ballot card code is not right, or the card has been used.",
        ),
        SigninError::CardsHeld { retry_after_s } => ApiError::rate_limited(
            retry_after_s,
            lang.pick(
                "投票卡号码错误次数太多，请稍后再试。",
                "Too many wrong ballot card codes. Please try again later.",
            )
            .to_string(),
        ),
        SigninError::Gateway(cause) => {
            tracing::error!(%cause, "SMS gateway failed");
            ApiError::new(
                StatusCode::BAD_GATEWAY,
                ErrorCode::SmsFailed,
                lang,
                "短信发送失败，请稍后再试。",
                "The text message could not be sent. Please try again shortly.",
            )
        }
        SigninError::Store(e) => ApiError::internal(lang, &e),
    }
}

/// A mainland mobile number as people write it: eleven digits, `1` then
/// `3`–`9`, optionally after `+86`/`0086`, with spaces, dashes or brackets
/// anywhere ([`PhoneNumber::parse`], written as a pattern). The handler
/// parses it, so a wrong one gets a readable 422.
#[derive(Deserialize)]
#[serde(transparent)]
pub struct PhoneText(String);

impl PartialSchema for PhoneText {
    fn schema() -> RefOr<Schema> {
        let pattern = format!("^{}$", alleyvote_domain::PhoneNumber::pattern());
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(pattern))
            .examples(["138 0000 0001"])
            .into()
    }
}

impl ToSchema for PhoneText {}

/// A PNG picture, as bytes.
pub struct Png;

impl PartialSchema for Png {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl ToSchema for Png {}

#[derive(Deserialize, ToSchema)]
pub struct CodeRequest {
    phone: PhoneText,
    /// Past the thresholds (after a `challenge_required`): the token of a
    /// picture from `GET /sms-challenge`…
    #[serde(default)]
    #[schema(max_length = 200)]
    challenge_token: Option<String>,
    /// …and the characters in it.
    #[serde(default)]
    #[schema(max_length = 16)]
    challenge_answer: Option<String>,
}

/// A picture challenge: its characters must be typed into the next code
/// request with its token (the `X-Challenge-Token` header).
#[utoipa::path(
    get,
    path = "/sms-challenge",
    tag = "sign-in",
    responses(
        (status = 200, description = "A PNG picture of five characters.",
            content_type = "image/png", body = Png,
            headers(("X-Challenge-Token" = String, description = "Send back as challenge_token."))),
        (status = 429, description = "Too many requests (rate_limited); see Retry-After.", body = ErrorBody),
        (status = 503, description = "Briefly unavailable (unavailable).", body = ErrorBody),
    )
)]
async fn api_challenge(
    State(signin): State<Arc<Signin>>,
    State(limits): State<Arc<RateLimits>>,
    ClientAddr(ip): ClientAddr,
    RequestLang(lang): RequestLang,
) -> Result<Response, ApiError> {
    // Drawing costs a little CPU: pictures count against the address's rate.
    limit(lang, limits.check_ip(ip))?;
    let challenge = signin
        .challenges
        .issue(Millis::now())
        .await
        .ok_or_else(|| ApiError::internal(lang, &crate::storage::StoreError::Busy))?;
    let mut response = (
        [(CONTENT_TYPE, "image/png"), (CACHE_CONTROL, "no-store")],
        challenge.png,
    )
        .into_response();
    if let Ok(token) = challenge.token.parse() {
        response.headers_mut().insert("x-challenge-token", token);
    }
    Ok(response)
}

/// When another code may be asked for.
#[derive(Serialize, ToSchema)]
pub struct CodeSent {
    #[schema(minimum = 0)]
    retry_after_s: i64,
}

/// Sends a 6-digit sign-in code by SMS.
#[utoipa::path(
    post,
    path = "/sms-codes",
    tag = "sign-in",
    request_body = CodeRequest,
    responses(
        (status = 202, description = "The code is on its way.", body = CodeSent),
        (status = 422, description = "Not a mobile number (invalid_input).", body = ErrorBody),
        (status = 400, description = "The picture challenge was not solved (challenge_failed).", body = ErrorBody),
        (status = 429, description = "Too many codes for this number or address (rate_limited), or solve a picture first (challenge_required).", body = ErrorBody),
        (status = 502, description = "The SMS gateway failed (sms_failed).", body = ErrorBody),
        (status = 503, description = "Briefly unavailable (unavailable).", body = ErrorBody),
    )
)]
async fn request_code(
    State(signin): State<Arc<Signin>>,
    State(limits): State<Arc<RateLimits>>,
    ClientAddr(ip): ClientAddr,
    Extension(device): Extension<DeviceId>,
    RequestLang(lang): RequestLang,
    json: Result<Json<CodeRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    limit(lang, limits.check_ip(ip))?;
    limit(lang, limits.check_device_codes(&device.0).await)?;
    let req = json_body(lang, json)?;
    let phone = phone(lang, &req.phone.0)?;
    let answer = match (&req.challenge_token, &req.challenge_answer) {
        (Some(token), Some(typed)) => Some(ChallengeAnswer { token, typed }),
        _ => None,
    };
    let retry = signin
        .request_code(&phone, ip, lang, Millis::now(), answer)
        .await
        .map_err(|e| signin_error(lang, e))?;
    Ok((
        StatusCode::ACCEPTED,
        Json(CodeSent {
            retry_after_s: retry,
        }),
    )
        .into_response())
}

/// Either the code a text message brought, or a printed ballot card's code.
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
pub enum SessionRequest {
    Card(CardSignIn),
    Sms(SmsSignIn),
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CardSignIn {
    /// Ten characters of the card's alphabet (no I, L, O, 0 or 1), any case,
    /// spaces or a dash anywhere: `ABCDE-FGHJK`.
    #[schema(
        pattern = r"^[ \u3000-]*([A-HJKMNP-Za-hjkmnp-z2-9][ \u3000-]*){10}$",
        example = "ABCDE-FGHJK"
    )]
    ballot_code: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SmsSignIn {
    phone: PhoneText,
    /// The six digits of the text message; spaces are ignored.
    #[schema(pattern = r"^[ \u3000]*([0-9][ \u3000]*){6}$", example = "123456")]
    code: String,
}

/// A new session: send the token as `Authorization: Bearer …` (or keep the cookie).
#[derive(Serialize, ToSchema)]
pub struct SessionCreated {
    token: String,
    #[schema(format = DateTime)]
    expires_at: String,
}

fn malformed(lang: Lang, zh: &str, en: &str) -> ApiError {
    ApiError::invalid_input(lang.pick(zh, en))
}

/// Exchanges a code for a session (a token, and the `av_session` cookie).
/// A well-formed code that is wrong, expired or used is a 400 `invalid_code`;
/// a malformed one is a 422.
#[utoipa::path(
    post,
    path = "/sessions",
    tag = "sign-in",
    request_body = SessionRequest,
    responses(
        (status = 201, description = "Signed in; Set-Cookie av_session.", body = SessionCreated),
        (status = 400, description = "Wrong, expired or used code (invalid_code).", body = ErrorBody),
        (status = 422, description = "Malformed request (invalid_input).", body = ErrorBody),
        (status = 429, description = "Too many wrong tries (invalid_code) or requests (rate_limited).", body = ErrorBody),
        (status = 503, description = "Briefly unavailable (unavailable).", body = ErrorBody),
    )
)]
async fn create_session(
    State(signin): State<Arc<Signin>>,
    State(limits): State<Arc<RateLimits>>,
    State(web): State<WebConfig>,
    ClientAddr(ip): ClientAddr,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    json: Result<Json<SessionRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    limit(lang, limits.check_ip(ip))?;
    let req = json_body(lang, json).map_err(|_| {
        malformed(
            lang,
            "请填写手机号码和验证码，或投票卡上的号码。",
            "Please give the phone number and the code, or the ballot card's code.",
        )
    })?;
    let now = Millis::now();
    let session = match req {
        SessionRequest::Card(card) => {
            if ballot_code::normalize(&card.ballot_code).is_none() {
                return Err(malformed(
                    lang,
                    "投票卡号码应为 10 位字母和数字。",
                    "A ballot card code is 10 letters and digits.",
                ));
            }
            signin
                .sign_in_with_ballot_code(&card.ballot_code, ip, now)
                .await
        }
        SessionRequest::Sms(sms) => {
            let phone = phone(lang, &sms.phone.0)?;
            if parse_code(&sms.code).is_none() {
                return Err(malformed(
                    lang,
                    "验证码应为 6 位数字。",
                    "The code is 6 digits.",
                ));
            }
            signin.sign_in(&phone, &sms.code, ip, now).await
        }
    }
    .map_err(|e| signin_error(lang, e))?;
    // A new sign-in replaces the session the client held: a fresh id each time.
    if let Some(old) = session_token(&headers) {
        signin
            .sign_out(&old)
            .await
            .map_err(|e| ApiError::internal(lang, &e))?;
    }
    let max_age = (session.expires_at.0 - now.0) / 1000;
    Ok((
        StatusCode::CREATED,
        [(SET_COOKIE, session_cookie(&web, &session.token, max_age))],
        Json(SessionCreated {
            token: session.token,
            expires_at: session.expires_at.rfc3339(),
        }),
    )
        .into_response())
}

/// Signs out: ends the session the bearer token or cookie names, and clears the cookie.
#[utoipa::path(
    delete,
    path = "/sessions/current",
    tag = "sign-in",
    responses(
        (status = 204, description = "Signed out (also when there was no session)."),
        (status = 503, description = "Briefly unavailable (unavailable).", body = ErrorBody),
    )
)]
async fn end_session(
    State(signin): State<Arc<Signin>>,
    State(web): State<WebConfig>,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if let Some(token) = session_token(&headers) {
        signin
            .sign_out(&token)
            .await
            .map_err(|e| ApiError::internal(lang, &e))?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(SET_COOKIE, session_cookie(&web, "", 0))],
    )
        .into_response())
}
