//! Signing in and out: the no-JavaScript form posts (`/login/code`,
//! `/login/session`, `/login/card`, `/logout`), which answer with a redirect
//! carrying the outcome for the page to say in words, and the JSON API
//! (`/api/v1/sms-codes`, `/api/v1/sessions`, `/api/v1/sessions/current`).
//! Cross-site posts carry no session cookie (SameSite=Lax), so another site
//! cannot act for a resident.

use std::sync::Arc;

use alleyvote_domain::notice::VoterLoginError;
use alleyvote_domain::signin::{CodeRefusal, SmsRefusal};
use alleyvote_domain::{Lang, Millis, PhoneNumber, VoterId};
use app::forms::{CardForm, CodeForm, PhoneForm};
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRef, FromRequestParts, State};
use axum::http::header::{AUTHORIZATION, LOCATION, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, post};
use axum::{Form, Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::{NewSession, Signin, SigninError};
use crate::limits::RateLimits;
use crate::web::client::{request_lang, ClientAddr, RequestLang};
use crate::web::cookies;
use crate::web::error::{json_body, limit, unexpected, ApiError};
use crate::web::redirect::{header_safe, safe_next, see_other, with_query};
use crate::web::WebConfig;

/// The form posts.
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Signin>: FromRef<S>,
    Arc<RateLimits>: FromRef<S>,
    WebConfig: FromRef<S>,
{
    Router::new()
        .route("/login/code", post(send_code))
        .route("/login/session", post(sign_in))
        .route("/login/card", post(sign_in_with_card))
        .route("/logout", post(sign_out))
}

/// The JSON API, under `/api/v1`.
pub fn api_routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Signin>: FromRef<S>,
    Arc<RateLimits>: FromRef<S>,
    WebConfig: FromRef<S>,
{
    Router::new()
        .route("/sms-codes", post(request_code))
        .route("/sessions", post(create_session))
        .route("/sessions/current", delete(end_session))
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

/// The voter's session cookie for `token`, or the one that clears it.
fn session_cookie(web: &WebConfig, token: &str, max_age_s: i64) -> String {
    cookies::header(&cookies::session(
        web,
        cookies::VOTER_SESSION,
        token,
        max_age_s,
    ))
}

/// The signed-in voter behind a request, or the API's 401.
pub async fn voter_of(
    signin: &Signin,
    headers: &HeaderMap,
    lang: Lang,
) -> Result<VoterId, ApiError> {
    let token = session_token(headers).ok_or_else(|| ApiError::unauthenticated(lang))?;
    match signin.voter_of(&token, Millis::now()).await {
        Ok(Some(voter)) => Ok(voter),
        Ok(None) => Err(ApiError::unauthenticated(lang)),
        Err(e) => Err(ApiError::internal(lang, &e)),
    }
}

/// A signed-in voter, for the JSON API: a 401 without a live session.
pub struct Voter(pub VoterId);

impl<S> FromRequestParts<S> for Voter
where
    S: Send + Sync,
    Arc<Signin>: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let lang = request_lang(&parts.headers);
        let signin = Arc::<Signin>::from_ref(state);
        voter_of(&signin, &parts.headers, lang).await.map(Voter)
    }
}

/// A signed-in voter, for a form post: `None` sends the resident to sign in.
pub struct MaybeVoter(pub Option<VoterId>);

impl<S> FromRequestParts<S> for MaybeVoter
where
    S: Send + Sync,
    Arc<Signin>: FromRef<S>,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Some(token) = session_token(&parts.headers) else {
            return Ok(MaybeVoter(None));
        };
        match Arc::<Signin>::from_ref(state)
            .voter_of(&token, Millis::now())
            .await
        {
            Ok(voter) => Ok(MaybeVoter(voter)),
            Err(e) => {
                unexpected(&e);
                Ok(MaybeVoter(None))
            }
        }
    }
}

fn enc(s: &str) -> String {
    urlencoding::encode(s).into_owned()
}

/// How the login page names a refusal, with the seconds to wait where that helps.
fn login_error(e: &SigninError) -> (VoterLoginError, Option<i64>) {
    match e {
        SigninError::Sms(SmsRefusal::TooSoon { .. }) => (VoterLoginError::TooSoon, None),
        SigninError::Sms(r) => (VoterLoginError::SmsCapped, Some(r.retry_after_s())),
        SigninError::Code(CodeRefusal::Invalid) => (VoterLoginError::InvalidCode, None),
        SigninError::Code(CodeRefusal::Expired) => (VoterLoginError::ExpiredCode, None),
        SigninError::Code(CodeRefusal::TooManyTries) => (VoterLoginError::TooManyTries, None),
        SigninError::BallotCode => (VoterLoginError::InvalidCode, None),
        SigninError::Gateway(_) => (VoterLoginError::SmsFailed, None),
        SigninError::Store(e) => {
            unexpected(e);
            (VoterLoginError::Unavailable, None)
        }
    }
}

fn too_many(retry_s: i64, next: &str) -> Response {
    see_other(format!(
        "/login?error={}&retry={retry_s}&next={}",
        VoterLoginError::SmsCapped.code(),
        enc(next)
    ))
}

/// `POST /login/code`: send a code, then show the code step.
async fn send_code(
    State(signin): State<Arc<Signin>>,
    State(limits): State<Arc<RateLimits>>,
    ClientAddr(ip): ClientAddr,
    RequestLang(lang): RequestLang,
    Form(form): Form<PhoneForm>,
) -> Response {
    let next = safe_next(form.next.as_deref()).to_string();
    let Ok(phone) = PhoneNumber::parse(&form.phone) else {
        return see_other(format!(
            "/login?error={}&next={}",
            VoterLoginError::BadPhone.code(),
            enc(&next)
        ));
    };
    if let Err(retry) = limits.check_ip(ip) {
        return too_many(retry.seconds(), &next);
    }
    let base = format!("/login?phone={}&next={}", phone.digits(), enc(&next));
    match signin.request_code(&phone, ip, lang, Millis::now()).await {
        // A code sent a moment ago is still good: go on to the code step.
        Ok(_) | Err(SigninError::Sms(SmsRefusal::TooSoon { .. })) => {
            see_other(format!("{base}&sent=1"))
        }
        Err(e) => {
            let (problem, retry) = login_error(&e);
            let retry = retry.map(|s| format!("&retry={s}")).unwrap_or_default();
            see_other(format!(
                "/login?error={}{retry}&next={}",
                problem.code(),
                enc(&next)
            ))
        }
    }
}

/// A new session's cookie and the way back, replacing any session the
/// browser held (a fresh session id at every sign-in).
async fn signed_in(
    signin: &Signin,
    web: &WebConfig,
    headers: &HeaderMap,
    session: NewSession,
    now: Millis,
    next: &str,
) -> Response {
    if let Some(old) = session_token(headers) {
        if let Err(e) = signin.sign_out(&old).await {
            tracing::warn!(error = %e, "could not end the replaced session");
        }
    }
    let max_age = (session.expires_at.0 - now.0) / 1000;
    (
        StatusCode::SEE_OTHER,
        [
            (SET_COOKIE, session_cookie(web, &session.token, max_age)),
            (LOCATION, header_safe(&with_query(next, "signed_in=1"))),
        ],
    )
        .into_response()
}

/// `POST /login/card`: sign in with a printed ballot card's code.
async fn sign_in_with_card(
    State(signin): State<Arc<Signin>>,
    State(limits): State<Arc<RateLimits>>,
    State(web): State<WebConfig>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    Form(form): Form<CardForm>,
) -> Response {
    let next = safe_next(form.next.as_deref()).to_string();
    if let Err(retry) = limits.check_ip(ip) {
        return too_many(retry.seconds(), &next);
    }
    let now = Millis::now();
    match signin.sign_in_with_ballot_code(&form.card, now).await {
        Ok(session) => signed_in(&signin, &web, &headers, session, now, &next).await,
        Err(e) => {
            let problem = match e {
                SigninError::BallotCode => VoterLoginError::BadCard,
                e => {
                    login_error(&e);
                    VoterLoginError::Unavailable
                }
            };
            see_other(format!(
                "/login?error={}&next={}",
                problem.code(),
                enc(&next)
            ))
        }
    }
}

/// `POST /logout`: ends the session and clears its cookie.
async fn sign_out(
    State(signin): State<Arc<Signin>>,
    State(web): State<WebConfig>,
    headers: HeaderMap,
) -> Response {
    if let Some(token) = session_token(&headers) {
        if let Err(e) = signin.sign_out(&token).await {
            unexpected(&e);
            return see_other(format!(
                "/nominees?refused={}",
                alleyvote_domain::notice::VoteRefused::Unavailable.code()
            ));
        }
    }
    (
        StatusCode::SEE_OTHER,
        [
            (SET_COOKIE, session_cookie(&web, "", 0)),
            (LOCATION, "/?signed_out=1".to_string()),
        ],
    )
        .into_response()
}

/// `POST /login/session`: check the code, set the session cookie, go back.
async fn sign_in(
    State(signin): State<Arc<Signin>>,
    State(web): State<WebConfig>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    let next = safe_next(form.next.as_deref()).to_string();
    let Ok(phone) = PhoneNumber::parse(&form.phone) else {
        return see_other(format!(
            "/login?error={}&next={}",
            VoterLoginError::BadPhone.code(),
            enc(&next)
        ));
    };
    let now = Millis::now();
    match signin.sign_in(&phone, &form.code, now).await {
        Ok(session) => signed_in(&signin, &web, &headers, session, now, &next).await,
        Err(e) => {
            let (problem, _) = login_error(&e);
            see_other(format!(
                "/login?phone={}&sent=1&error={}&next={}",
                phone.digits(),
                problem.code(),
                enc(&next)
            ))
        }
    }
}

// ------------------------------------------------------------------ JSON API

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

/// `POST /api/v1/sms-codes`
async fn request_code(
    State(signin): State<Arc<Signin>>,
    State(limits): State<Arc<RateLimits>>,
    ClientAddr(ip): ClientAddr,
    RequestLang(lang): RequestLang,
    json: Result<Json<CodeRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    limit(lang, limits.check_ip(ip))?;
    let req = json_body(lang, json)?;
    let phone = phone(lang, &req.phone)?;
    let retry = signin
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

/// `POST /api/v1/sessions`
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
    let req = json_body(lang, json)?;
    let now = Millis::now();
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
        [(SET_COOKIE, session_cookie(&web, &session.token, max_age))],
        Json(json!({ "token": session.token, "expires_at": session.expires_at.rfc3339() })),
    )
        .into_response())
}

/// `DELETE /api/v1/sessions/current`: signs out; the cookie is cleared too.
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
