//! Signing in and voting over the JSON API: `/api/v1/sms-codes`,
//! `/api/v1/sessions`, `/api/v1/campaigns/{slug}/votes` and `/my-votes`.

use std::net::{IpAddr, SocketAddr};

use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::header::{AUTHORIZATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use alleyvote_domain::signin::CodeRefusal;
use alleyvote_domain::{Lang, Millis, NomineeNumber, PhoneNumber, VoteRefusal, VoterId};

use super::device::DeviceId;
use super::{request_lang, ApiError, AppState};
use crate::signin::SigninError;
use crate::voting::gate::Requester;
use crate::voting::{self as casting, CastError};
use crate::web::cookies;

/// A JSON body, or a readable 422 instead of axum's plain-text rejection.
fn body<T>(lang: Lang, body: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    body.map(|Json(t)| t).map_err(|_| {
        ApiError::invalid_input(lang.pick(
            "请求内容格式不正确。",
            "The request body is not valid JSON for this request.",
        ))
    })
}

fn phone(lang: Lang, input: &str) -> Result<PhoneNumber, ApiError> {
    PhoneNumber::parse(input).map_err(|_| {
        ApiError::invalid_input(lang.pick(
            "请输入正确的11位手机号码。",
            "Please enter a valid 11-digit mobile number.",
        ))
    })
}

/// The client's address: the socket peer, or the first `X-Forwarded-For`
/// hop when the operator says a trusted proxy sets it.
pub fn client_ip(state: &AppState, headers: &HeaderMap, peer: SocketAddr) -> IpAddr {
    crate::web::client::client_ip(&state.services.web, headers, peer)
}

pub fn signin_error(lang: Lang, e: SigninError) -> ApiError {
    match e {
        SigninError::Sms(refusal) => {
            ApiError::rate_limited(refusal.retry_after_s(), refusal.message(lang))
        }
        SigninError::Code(refusal) => {
            let status = if refusal == CodeRefusal::TooManyTries {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::BAD_REQUEST
            };
            ApiError {
                status,
                code: "invalid_code",
                message: refusal.message(lang).to_string(),
                retry_after_s: None,
            }
        }
        SigninError::BallotCode => ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_code",
            lang,
            "投票卡号码不正确，或这张卡已经用过。",
            "That ballot card code is not right, or the card has been used.",
        ),
        SigninError::Gateway(cause) => {
            tracing::error!(%cause, "SMS gateway failed");
            ApiError::new(
                StatusCode::BAD_GATEWAY,
                "sms_failed",
                lang,
                "短信发送失败，请稍后再试。",
                "The text message could not be sent. Please try again shortly.",
            )
        }
        SigninError::Store(e) => ApiError::internal(lang, &e),
    }
}

#[derive(Deserialize)]
pub struct CodeRequest {
    phone: String,
}

pub async fn request_code(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    json: Result<Json<CodeRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let lang = request_lang(&headers);
    let ip = client_ip(&state, &headers, peer);
    limit(lang, state.services.limits.check_ip(ip))?;
    let req = body(lang, json)?;
    let phone = phone(lang, &req.phone)?;
    let retry = state
        .services
        .signin
        .request_code(&phone, ip, lang, Millis::now())
        .await
        .map_err(|e| signin_error(lang, e))?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({ "retry_after_s": retry })),
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct SessionRequest {
    phone: Option<String>,
    code: Option<String>,
    ballot_code: Option<String>,
}

pub fn session_cookie(state: &AppState, token: &str, max_age_s: i64) -> String {
    cookies::header(&cookies::session(
        &state.services.web,
        cookies::VOTER_SESSION,
        token,
        max_age_s,
    ))
}

pub async fn create_session(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    json: Result<Json<SessionRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let lang = request_lang(&headers);
    limit_address(&state, &headers, peer, lang)?;
    let req = body(lang, json)?;
    let now = Millis::now();
    let signin = &state.services.signin;
    let session = match (req.ballot_code, req.phone, req.code) {
        (Some(card), _, _) => signin.sign_in_with_ballot_code(&card, now).await,
        (None, Some(p), Some(code)) => signin.sign_in(&phone(lang, &p)?, &code, now).await,
        _ => {
            return Err(ApiError::invalid_input(lang.pick(
                "请填写手机号码和验证码，或投票卡上的号码。",
                "Please give the phone number and the code, or the ballot card's code.",
            )))
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
        [(SET_COOKIE, session_cookie(&state, &session.token, max_age))],
        Json(json!({ "token": session.token, "expires_at": session.expires_at.rfc3339() })),
    )
        .into_response())
}

/// `DELETE /api/v1/sessions/current`: signs out; the cookie is cleared too.
pub async fn end_session(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let lang = request_lang(&headers);
    if let Some(token) = session_token(&headers) {
        state
            .services
            .signin
            .sign_out(&token)
            .await
            .map_err(|e| ApiError::internal(lang, &e))?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(SET_COOKIE, session_cookie(&state, "", 0))],
    )
        .into_response())
}

/// The session token a request carries: a bearer token (apps) or the cookie (browsers).
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    if let Some(bearer) = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        return Some(bearer.trim().to_string());
    }
    cookies::read(headers, cookies::VOTER_SESSION)
}

pub async fn signed_in_voter(
    state: &AppState,
    headers: &HeaderMap,
    lang: Lang,
) -> Result<VoterId, ApiError> {
    let token = session_token(headers).ok_or_else(|| ApiError::unauthenticated(lang))?;
    match state.services.signin.voter_of(&token, Millis::now()).await {
        Ok(Some(voter)) => Ok(voter),
        Ok(None) => Err(ApiError::unauthenticated(lang)),
        Err(e) => Err(ApiError::internal(lang, &e)),
    }
}

pub fn refusal_error(lang: Lang, r: VoteRefusal) -> ApiError {
    let status = match r {
        VoteRefusal::AlreadyVoted | VoteRefusal::DailyQuotaUsed => StatusCode::CONFLICT,
        VoteRefusal::NotOpenYet | VoteRefusal::Closed => StatusCode::FORBIDDEN,
        VoteRefusal::UnknownNominee => StatusCode::NOT_FOUND,
    };
    ApiError {
        status,
        code: r.code(),
        message: r.message(lang).to_string(),
        retry_after_s: None,
    }
}

#[derive(Deserialize)]
pub struct VoteRequest {
    nominee_number: u32,
}

pub async fn cast_vote(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Extension(device): Extension<DeviceId>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    json: Result<Json<VoteRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let lang = request_lang(&headers);
    // The address check comes first and stays in process: a flood without a
    // session never reaches the database.
    limit_address(&state, &headers, peer, lang)?;
    let voter = signed_in_voter(&state, &headers, lang).await?;
    let req = body(lang, json)?;
    let number = NomineeNumber::new(req.nominee_number).map_err(|_| {
        ApiError::invalid_input(lang.pick(
            "编号应为 1 到 999 之间的数字。",
            "Numbers run from 1 to 999.",
        ))
    })?;
    let request_key = idempotency_key(lang, &headers)?;
    let campaign = super::api::campaign_or_404(&state, &slug, lang).await?;
    let who = requester(&state, &headers, peer, device);
    let vote = casting::VoteRequest {
        voter,
        nominee: number,
        at: Millis::now(),
        request_key,
    };
    match state.services.casting.cast(&campaign, &who, vote).await {
        Ok(receipt) => Ok((
            StatusCode::CREATED,
            Json(json!({ "vote_id": receipt.vote_id.to_string(), "remaining_today": receipt.remaining_today })),
        )
            .into_response()),
        Err(e) => Err(cast_error(lang, e)),
    }
}

/// Who is asking, for the vote rates.
pub fn requester(
    state: &AppState,
    headers: &HeaderMap,
    peer: SocketAddr,
    device: DeviceId,
) -> Requester {
    Requester {
        ip: client_ip(state, headers, peer),
        device: Some(device.0),
    }
}

pub fn cast_error(lang: Lang, e: CastError) -> ApiError {
    match e {
        CastError::Refused(r) => refusal_error(lang, r),
        CastError::Limited(retry) => rate_limited(lang, retry),
        CastError::Store(e) => ApiError::internal(lang, &e),
    }
}

pub async fn my_votes(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let lang = request_lang(&headers);
    let voter = signed_in_voter(&state, &headers, lang).await?;
    let campaign = super::api::campaign_or_404(&state, &slug, lang).await?;
    let now = Millis::now();
    let (votes, left) = casting::my_votes(&*state.services.store, &campaign, voter, now)
        .await
        .map_err(|e| ApiError::internal(lang, &e))?;
    Ok(Json(json!({
        "day": now.shanghai().date_iso(),
        "votes": votes.iter().map(|n| n.get()).collect::<Vec<_>>(),
        "remaining_today": left,
        "votes_per_day": campaign.rules.votes_per_day(),
        "quota_renews_at": now.shanghai_day().next_midnight().rfc3339(),
    }))
    .into_response())
}

/// A client-chosen key that makes retries safe: 1 to 64 letters, digits and `-_.:`.
pub fn valid_request_key(key: &str) -> bool {
    (1..=64).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
}

fn idempotency_key(lang: Lang, headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    match headers
        .get("idempotency-key")
        .map(|v| v.to_str().map(str::trim))
    {
        None => Ok(None),
        Some(Ok(key)) if valid_request_key(key) => Ok(Some(key.to_string())),
        Some(_) => Err(ApiError::invalid_input(lang.pick(
            "Idempotency-Key 应为 1 到 64 个字母、数字或 -_.: 字符。",
            "Idempotency-Key must be 1 to 64 letters, digits or -_.: characters.",
        ))),
    }
}

/// The per-address request limit.
fn limit_address(
    state: &AppState,
    headers: &HeaderMap,
    peer: SocketAddr,
    lang: Lang,
) -> Result<(), ApiError> {
    limit(
        lang,
        state
            .services
            .limits
            .check_ip(client_ip(state, headers, peer)),
    )
}

/// A rate limit's refusal as a 429 with `Retry-After`.
pub fn limit(lang: Lang, check: Result<(), crate::limits::RetryAfter>) -> Result<(), ApiError> {
    check.map_err(|retry| rate_limited(lang, retry))
}

fn rate_limited(lang: Lang, retry: crate::limits::RetryAfter) -> ApiError {
    let s = retry.seconds();
    let message = match lang {
        Lang::Zh => format!("操作太频繁，请 {s} 秒后再试。"),
        Lang::En => format!("Too many requests. Please try again in {s} seconds."),
    };
    ApiError::rate_limited(s, message)
}

pub use crate::web::error::with_retry_after;
