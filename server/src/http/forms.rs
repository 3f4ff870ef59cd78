//! The no-JavaScript paths for signing in and voting: plain form posts that
//! answer with a redirect (303), carrying the outcome in the query string for
//! the page to say in words. Cross-site posts carry no session cookie
//! (SameSite=Lax), so another site cannot vote for a resident.

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};

use alleyvote_domain::signin::{CodeRefusal, SmsRefusal};
use alleyvote_domain::{Millis, NomineeNumber, PhoneNumber};

use super::device::DeviceId;
use super::voting::{client_ip, session_cookie, session_token};
use super::{request_lang, AppState};
use crate::signin::SigninError;
use crate::voting::{self as casting, CastError};
pub use crate::web::redirect::{header_safe, safe_next, see_other, with_query};

fn enc(s: &str) -> String {
    urlencoding::encode(s).into_owned()
}

fn signin_problem(e: &SigninError) -> (&'static str, Option<i64>) {
    match e {
        SigninError::Sms(SmsRefusal::TooSoon { .. }) => ("too_soon", None),
        SigninError::Sms(r) => ("sms_capped", Some(r.retry_after_s())),
        SigninError::Code(CodeRefusal::Invalid) => ("invalid_code", None),
        SigninError::Code(CodeRefusal::Expired) => ("expired_code", None),
        SigninError::Code(CodeRefusal::TooManyTries) => ("too_many_tries", None),
        SigninError::BallotCode => ("invalid_code", None),
        SigninError::Gateway(_) => ("sms_failed", None),
        SigninError::Store(_) => ("unavailable", None),
    }
}

/// `POST /login/code`: send a code, then show the code step.
pub async fn send_code(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let lang = request_lang(&headers);
    let next = safe_next(form.get("next").map(String::as_str)).to_string();
    let typed = form.get("phone").cloned().unwrap_or_default();
    let Ok(phone) = PhoneNumber::parse(&typed) else {
        return see_other(format!("/login?error=bad_phone&next={}", enc(&next)));
    };
    let ip = client_ip(&state, &headers, peer);
    if let Err(retry) = state.services.limits.check_ip(ip) {
        return see_other(format!(
            "/login?error=sms_capped&retry={}&next={}",
            retry.seconds(),
            enc(&next)
        ));
    }
    let base = format!("/login?phone={}&next={}", phone.digits(), enc(&next));
    match state
        .services
        .signin
        .request_code(&phone, ip, lang, Millis::now())
        .await
    {
        // A code sent a moment ago is still good: go on to the code step.
        Ok(_) | Err(SigninError::Sms(SmsRefusal::TooSoon { .. })) => {
            see_other(format!("{base}&sent=1"))
        }
        Err(e) => {
            if let SigninError::Store(cause) = &e {
                tracing::error!(error = %cause, "could not record an SMS code");
            }
            let (problem, retry) = signin_problem(&e);
            let retry = retry.map(|s| format!("&retry={s}")).unwrap_or_default();
            see_other(format!("/login?error={problem}{retry}&next={}", enc(&next)))
        }
    }
}

/// A new session's cookie and the way back, replacing any session the
/// browser held (a fresh session id at every sign-in).
async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
    session: crate::signin::NewSession,
    now: Millis,
    next: &str,
) -> Response {
    if let Some(old) = session_token(headers) {
        if let Err(e) = state.services.signin.sign_out(&old).await {
            tracing::warn!(error = %e, "could not end the replaced session");
        }
    }
    let max_age = (session.expires_at.0 - now.0) / 1000;
    (
        StatusCode::SEE_OTHER,
        [
            (SET_COOKIE, session_cookie(state, &session.token, max_age)),
            (LOCATION, header_safe(&with_query(next, "signed_in=1"))),
        ],
    )
        .into_response()
}

/// `POST /login/card`: sign in with a printed ballot card's code.
pub async fn sign_in_with_card(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let next = safe_next(form.get("next").map(String::as_str)).to_string();
    if let Err(retry) = state
        .services
        .limits
        .check_ip(client_ip(&state, &headers, peer))
    {
        return see_other(format!(
            "/login?error=sms_capped&retry={}&next={}",
            retry.seconds(),
            enc(&next)
        ));
    }
    let card = form.get("card").cloned().unwrap_or_default();
    let now = Millis::now();
    match state
        .services
        .signin
        .sign_in_with_ballot_code(&card, now)
        .await
    {
        Ok(session) => signed_in(&state, &headers, session, now, &next).await,
        Err(e) => {
            if let SigninError::Store(cause) = &e {
                tracing::error!(error = %cause, "could not redeem a ballot card");
            }
            let problem = match e {
                SigninError::BallotCode => "bad_card",
                _ => "unavailable",
            };
            see_other(format!("/login?error={problem}&next={}", enc(&next)))
        }
    }
}

/// `POST /logout`: ends the session and clears its cookie.
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = session_token(&headers) {
        if let Err(e) = state.services.signin.sign_out(&token).await {
            tracing::error!(error = %e, "could not end a session");
            return see_other("/nominees?refused=unavailable");
        }
    }
    (
        StatusCode::SEE_OTHER,
        [
            (SET_COOKIE, session_cookie(&state, "", 0)),
            (LOCATION, "/?signed_out=1".to_string()),
        ],
    )
        .into_response()
}

/// `POST /login/session`: check the code, set the session cookie, go back.
pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let next = safe_next(form.get("next").map(String::as_str)).to_string();
    let typed = form.get("phone").cloned().unwrap_or_default();
    let Ok(phone) = PhoneNumber::parse(&typed) else {
        return see_other(format!("/login?error=bad_phone&next={}", enc(&next)));
    };
    let code = form.get("code").cloned().unwrap_or_default();
    let now = Millis::now();
    match state.services.signin.sign_in(&phone, &code, now).await {
        Ok(session) => signed_in(&state, &headers, session, now, &next).await,
        Err(e) => {
            let (problem, _) = signin_problem(&e);
            see_other(format!(
                "/login?phone={}&sent=1&error={problem}&next={}",
                phone.digits(),
                enc(&next)
            ))
        }
    }
}

/// `POST /nominees/{number}/vote`: one tap, then back with the outcome.
pub async fn vote(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Extension(device): Extension<DeviceId>,
    Path(number): Path<String>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let Ok(number) = NomineeNumber::parse(&number) else {
        return see_other("/nominees");
    };
    let back = safe_next(form.get("next").map(String::as_str)).to_string();
    let back = if back == "/" {
        format!("/nominees/{}", number.get())
    } else {
        back
    };
    let services = &state.services;
    let now = Millis::now();
    let voter = match session_token(&headers) {
        Some(token) => services.signin.voter_of(&token, now).await.ok().flatten(),
        None => None,
    };
    let Some(voter) = voter else {
        return see_other(format!("/login?next={}", enc(&back)));
    };
    if services
        .limits
        .check_ip(client_ip(&state, &headers, peer))
        .is_err()
    {
        return see_other(with_query(&back, "refused=rate_limited"));
    }
    let campaign = match services.current_campaign().await {
        Ok(Some(c)) => c,
        _ => return see_other(with_query(&back, "refused=unavailable")),
    };
    // The page puts a fresh key in each vote form: a double tap replays the first answer.
    let request_key = form
        .get("request_key")
        .map(|k| k.trim())
        .filter(|k| super::voting::valid_request_key(k))
        .map(str::to_string);
    let who = super::voting::requester(&state, &headers, peer, device);
    let vote = casting::VoteRequest {
        voter,
        nominee: number,
        at: now,
        request_key,
    };
    let outcome = match services.casting.cast(&campaign, &who, vote).await {
        Ok(receipt) => format!("voted={}&left={}", number.get(), receipt.remaining_today),
        Err(CastError::Refused(r)) => format!("refused={}&number={}", r.code(), number.get()),
        Err(CastError::Limited(_)) => "refused=rate_limited".to_string(),
        Err(CastError::Store(e)) => {
            tracing::error!(error = %e, "could not record a vote");
            "refused=unavailable".to_string()
        }
    };
    see_other(with_query(&back, &outcome))
}

#[cfg(test)]
mod tests {
    use super::header_safe;

    #[test]
    fn redirects_carry_any_text_safely() {
        assert_eq!(header_safe("/nominees?q=王"), "/nominees?q=%E7%8E%8B");
        assert_eq!(header_safe("/a b"), "/a%20b");
        assert_eq!(header_safe("/x?voted=3&left=9"), "/x?voted=3&left=9");
    }
}
