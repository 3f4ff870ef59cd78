//! Signing in and out: the no-JavaScript form posts (`/login/code`,
//! `/login/session`, `/login/card`, `/logout`, and the picture at
//! `/login/challenge.png`), which answer with a redirect carrying the
//! outcome for the page to say in words; and who is asking (the session
//! token and the `Voter` extractors), which the JSON API (`api.rs`) shares.
//! Cross-site posts carry no session cookie (SameSite=Lax), so another site
//! cannot act for a resident.

use std::sync::Arc;

use alleyvote_domain::notice::VoterLoginError;
use alleyvote_domain::signin::{CodeRefusal, SmsRefusal};
use alleyvote_domain::{Lang, Millis, PhoneNumber, VoterId};
use app::signin::forms::{CardForm, CodeForm, PhoneForm};
use axum::extract::{FromRef, FromRequestParts, State};
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, LOCATION, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};

use super::{ChallengeAnswer, NewSession, Signin, SigninError};
use crate::limits::RateLimits;
use crate::web::client::{request_lang, ClientAddr};
use crate::web::cookies;
use crate::web::device::DeviceId;
use crate::web::error::{unexpected, ApiError};
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
pub(super) fn session_cookie(web: &WebConfig, token: &str, max_age_s: i64) -> String {
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
        let signin = Arc::<Signin>::from_ref(state);
        Ok(MaybeVoter(maybe_voter(&signin, &parts.headers).await))
    }
}

/// The signed-in voter behind a form post, if any.
pub async fn maybe_voter(signin: &Signin, headers: &HeaderMap) -> Option<VoterId> {
    let token = session_token(headers)?;
    match signin.voter_of(&token, Millis::now()).await {
        Ok(voter) => voter,
        Err(e) => {
            unexpected(&e);
            None
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

/// The code step's address: the masked number only, never the number, and
/// the seconds until a new code may be asked for (`wait`, when known).
fn code_step(
    phone: &PhoneNumber,
    problem: Option<VoterLoginError>,
    next: &str,
    wait_ms: i64,
) -> String {
    let problem = problem
        .map(|p| format!("&error={}", p.code()))
        .unwrap_or_default();
    let wait = if wait_ms > 0 {
        format!("&wait={}", (wait_ms + 999) / 1000)
    } else {
        String::new()
    };
    header_safe(&format!(
        "/login?sent=1&to={}{problem}{wait}&next={}",
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
    // "Send a new code" on the code step sends no number: it is the one in
    // the login pages' cookie, which the page never shows in full.
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
    let allowed = match limits.check_ip(ip) {
        Ok(()) => limits.check_device_codes(&device.0).await,
        refused => refused,
    };
    if let Err(retry) = allowed {
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
        sent @ (Ok(_) | Err(SigninError::Sms(SmsRefusal::TooSoon { .. }))) => {
            // How long until another code may be asked for, counted down on the page.
            let wait_ms = match sent {
                Err(SigninError::Sms(SmsRefusal::TooSoon { retry_after_ms })) => retry_after_ms,
                _ => signin.limits.resend_cooldown_ms,
            };
            let cookie = cookies::header(&cookies::login_phone(
                &web,
                phone.digits(),
                signin.limits.code_ttl_ms / 1000 * 2,
            ));
            (
                StatusCode::SEE_OTHER,
                [
                    (SET_COOKIE, cookie),
                    (LOCATION, code_step(&phone, None, &next, wait_ms)),
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
    State(limits): State<Arc<RateLimits>>,
    ClientAddr(ip): ClientAddr,
) -> Response {
    // Drawing costs a little CPU: pictures count against the address's rate.
    if let Err(retry) = limits.check_ip(ip) {
        return crate::web::error::with_retry_after(
            StatusCode::TOO_MANY_REQUESTS.into_response(),
            Some(retry.seconds()),
        );
    }
    let Some(challenge) = signin.challenges.issue(Millis::now()).await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
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
    match signin.sign_in(&phone, &form.code, ip, now).await {
        Ok(session) => signed_in(&signin, &web, &headers, session, now, &next).await,
        Err(e) => {
            let (problem, _) = login_error(&e);
            see_other(code_step(&phone, Some(problem), &next, 0))
        }
    }
}
