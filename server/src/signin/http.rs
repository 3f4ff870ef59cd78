//! Signing in and out: the no-JavaScript form posts (`/login/code`,
//! `/login/session`, `/login/card`, `/logout`), which answer with a redirect
//! carrying the outcome for the page to say in words, and the JSON API
//! (`/api/v1/sms-codes`, `/api/v1/sessions`, `/api/v1/sessions/current`).
//! Cross-site posts carry no session cookie (SameSite=Lax), so another site
//! cannot act for a resident.

use std::sync::Arc;

use alleyvote_domain::notice::VoterLoginError;
use alleyvote_domain::signin::{ballot_code, parse_code, CodeRefusal, SmsRefusal};
use alleyvote_domain::{Lang, Millis, PhoneNumber, VoterId};
use app::forms::{CardForm, CodeForm, PhoneForm};
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRef, FromRequestParts, State};
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, LOCATION, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ChallengeAnswer, NewSession, Signin, SigninError};
use crate::limits::RateLimits;
use crate::web::client::{request_lang, ClientAddr, RequestLang};
use crate::web::cookies;
use crate::web::device::DeviceId;
use crate::web::error::{json_body, limit, unexpected, ApiError, ErrorBody, ErrorCode};
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
        .route("/login/challenge.png", get(challenge_picture))
        .route("/login/session", post(sign_in))
        .route("/login/card", post(sign_in_with_card))
        .route("/logout", post(sign_out))
}

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
        SigninError::Sms(SmsRefusal::ChallengeRequired) => {
            (VoterLoginError::ChallengeRequired, None)
        }
        SigninError::ChallengeWrong => (VoterLoginError::ChallengeWrong, None),
        SigninError::Sms(r) => (VoterLoginError::SmsCapped, Some(r.retry_after_s())),
        SigninError::Code(CodeRefusal::Invalid) => (VoterLoginError::InvalidCode, None),
        SigninError::Code(CodeRefusal::Expired) => (VoterLoginError::ExpiredCode, None),
        SigninError::Code(CodeRefusal::TooManyTries) => (VoterLoginError::TooManyTries, None),
        SigninError::BallotCode => (VoterLoginError::InvalidCode, None),
        SigninError::CardsHeld { retry_after_s } => {
            (VoterLoginError::SmsCapped, Some(*retry_after_s))
        }
        SigninError::Gateway(_) => (VoterLoginError::SmsFailed, None),
        SigninError::Store(e) => {
            unexpected(e);
            (VoterLoginError::Unavailable, None)
        }
    }
}

/// The code step's address: the masked number only, never the number.
fn code_step(phone: &PhoneNumber, problem: Option<VoterLoginError>, next: &str) -> String {
    let problem = problem
        .map(|p| format!("&error={}", p.code()))
        .unwrap_or_default();
    header_safe(&format!(
        "/login?sent=1&to={}{problem}&next={}",
        enc(&phone.masked()),
        enc(next)
    ))
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
    State(web): State<WebConfig>,
    ClientAddr(ip): ClientAddr,
    Extension(device): Extension<DeviceId>,
    headers: HeaderMap,
    Form(form): Form<PhoneForm>,
) -> Response {
    let lang = request_lang(&headers);
    let next = safe_next(form.next.as_deref()).to_string();
    let Ok(phone) = PhoneNumber::parse(&form.phone) else {
        return see_other(format!(
            "/login?error={}&next={}",
            VoterLoginError::BadPhone.code(),
            enc(&next)
        ));
    };
    if let Err(retry) = limits
        .check_ip(ip)
        .and_then(|()| limits.check_device_codes(&device.0))
    {
        return too_many(retry.seconds(), &next);
    }
    let token = cookies::read(&headers, cookies::CHALLENGE).unwrap_or_default();
    let answer = form
        .challenge
        .as_deref()
        .filter(|typed| !typed.trim().is_empty())
        .map(|typed| ChallengeAnswer {
            token: &token,
            typed,
        });
    match signin
        .request_code(&phone, ip, lang, Millis::now(), answer)
        .await
    {
        // A code sent a moment ago is still good: go on to the code step.
        // The number rides in a cookie for the login pages; the address
        // bar shows only its masked form.
        Ok(_) | Err(SigninError::Sms(SmsRefusal::TooSoon { .. })) => {
            let cookie = cookies::header(&cookies::login_phone(
                &web,
                phone.digits(),
                signin.limits.code_ttl_ms / 1000 * 2,
            ));
            (
                StatusCode::SEE_OTHER,
                [
                    (SET_COOKIE, cookie),
                    (LOCATION, code_step(&phone, None, &next)),
                ],
            )
                .into_response()
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

/// `GET /login/challenge.png`: a new picture, its token in a cookie only
/// the login pages get. Never cached: each one is answered once.
async fn challenge_picture(
    State(signin): State<Arc<Signin>>,
    State(web): State<WebConfig>,
) -> Response {
    let challenge = signin.challenges.issue(Millis::now());
    let cookie = cookies::header(&cookies::challenge(
        &web,
        &challenge.token,
        super::challenge::CHALLENGE_TTL.as_secs() as i64,
    ));
    (
        [
            (CONTENT_TYPE, "image/png".to_string()),
            (CACHE_CONTROL, "no-store".to_string()),
            (SET_COOKIE, cookie),
        ],
        challenge.png,
    )
        .into_response()
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
    let mut response = (
        StatusCode::SEE_OTHER,
        [
            (SET_COOKIE, session_cookie(web, &session.token, max_age)),
            (LOCATION, header_safe(&with_query(next, "signed_in=1"))),
        ],
    )
        .into_response();
    // The number is no longer needed by the login pages.
    let forget = cookies::header(&cookies::login_phone(web, "", 0));
    if let Ok(value) = forget.parse() {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
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
    match signin.sign_in_with_ballot_code(&form.card, ip, now).await {
        Ok(session) => signed_in(&signin, &web, &headers, session, now, &next).await,
        Err(e) => {
            let problem = match e {
                SigninError::BallotCode => VoterLoginError::BadCard,
                SigninError::CardsHeld { retry_after_s } => return too_many(retry_after_s, &next),
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
    State(limits): State<Arc<RateLimits>>,
    State(web): State<WebConfig>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    let next = safe_next(form.next.as_deref()).to_string();
    // The same address rate as every other sign-in path, before any work.
    if let Err(retry) = limits.check_ip(ip) {
        return too_many(retry.seconds(), &next);
    }
    // The number the code went to: the form's (apps, old pages), else the
    // login cookie the code step set.
    let typed = if form.phone.trim().is_empty() {
        cookies::read(&headers, cookies::LOGIN_PHONE).unwrap_or_default()
    } else {
        form.phone.clone()
    };
    let Ok(phone) = PhoneNumber::parse(&typed) else {
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
            see_other(code_step(&phone, Some(problem), &next))
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
        const SEP: &str = r"[ ()\u3000-]*";
        let pattern = format!(
            "^{SEP}(\\+{SEP})?(0{SEP}0{SEP}8{SEP}6{SEP}|8{SEP}6{SEP})?1{SEP}[3-9]({SEP}[0-9]){{9}}{SEP}$"
        );
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
    )
)]
async fn api_challenge(State(signin): State<Arc<Signin>>) -> Response {
    let challenge = signin.challenges.issue(Millis::now());
    let mut response = (
        [(CONTENT_TYPE, "image/png"), (CACHE_CONTROL, "no-store")],
        challenge.png,
    )
        .into_response();
    if let Ok(token) = challenge.token.parse() {
        response.headers_mut().insert("x-challenge-token", token);
    }
    response
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
    limit(lang, limits.check_device_codes(&device.0))?;
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
            signin.sign_in(&phone, &sms.code, now).await
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
