//! The console's sign-in and account forms: `POST /console/login`,
//! `/console/logout`, `/console/logout-everywhere`, `/console/organizers`
//! and `/console/organizers/{id}`.

use std::net::SocketAddr;
use std::sync::Arc;

use alleyvote_domain::notice::{ConsoleError, ConsoleLoginError, Done};
use alleyvote_domain::organizer::{OrganizerId, Role};
use alleyvote_domain::Millis;
use app::console::forms::CsrfForm;
use app::organizers::forms::{ConsoleLoginForm, CreateOrganizerForm, UpdateOrganizerForm};
use axum::extract::{ConnectInfo, FromRef, Path, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Router};

use super::access::{ConsoleForm, ManageOrganizers, ViewConsole};
use super::{AccountError, LoginError, Organizers};
use crate::web::client::client_ip;
use crate::web::cookies;
use crate::web::error::ConsoleRefusal;
use crate::web::redirect::{header_safe, safe_next, see_other};
use crate::web::WebConfig;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Organizers>: FromRef<S>,
    WebConfig: FromRef<S>,
{
    Router::new()
        .route("/console/login", post(login))
        .route("/console/logout", post(logout))
        .route("/console/logout-everywhere", post(logout_everywhere))
        .route("/console/organizers", post(create))
        .route("/console/organizers/{id}", post(update))
}

/// The organizer cookie for `token`, or the one that clears it.
fn session_cookie(web: &WebConfig, token: &str, max_age_s: i64) -> String {
    cookies::header(&cookies::session(
        web,
        cookies::ORGANIZER_SESSION,
        token,
        max_age_s,
    ))
}

/// `POST /console/login`
async fn login(
    State(organizers): State<Arc<Organizers>>,
    State(web): State<WebConfig>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<ConsoleLoginForm>,
) -> Response {
    let next = safe_next(form.next.as_deref());
    let next = if next.starts_with("/console") {
        next
    } else {
        "/console"
    };
    let ip = client_ip(&web, &headers, peer);
    let now = Millis::now();
    let problem = match organizers
        .login(&form.username, &form.password, ip, now)
        .await
    {
        Ok(new) => {
            // A new session id at every login; the one the browser held ends.
            if let Some(old) = cookies::read(&headers, cookies::ORGANIZER_SESSION) {
                if let Ok(Some(s)) = organizers.session(&old, now).await {
                    if let Err(e) = organizers.logout(&old, &s.organizer, now).await {
                        crate::web::error::unexpected(&e);
                    }
                }
            }
            let max_age = (new.expires_at.0 - now.0) / 1000;
            return (
                StatusCode::SEE_OTHER,
                [
                    (SET_COOKIE, session_cookie(&web, &new.token, max_age)),
                    (LOCATION, header_safe(next)),
                ],
            )
                .into_response();
        }
        Err(LoginError::Throttled { retry_after_s }) => {
            return see_other(format!(
                "/console/login?error={}&retry={retry_after_s}",
                ConsoleLoginError::Throttled.code()
            ))
        }
        Err(LoginError::Wrong) => ConsoleLoginError::Wrong,
        Err(LoginError::Store(e)) => {
            crate::web::error::unexpected(&e);
            ConsoleLoginError::Unavailable
        }
    };
    see_other(format!("/console/login?error={}", problem.code()))
}

fn signed_out(web: &WebConfig) -> Response {
    (
        StatusCode::SEE_OTHER,
        [
            (SET_COOKIE, session_cookie(web, "", 0)),
            (LOCATION, "/console/login".to_string()),
        ],
    )
        .into_response()
}

/// `POST /console/logout`
async fn logout(
    State(organizers): State<Arc<Organizers>>,
    State(web): State<WebConfig>,
    headers: HeaderMap,
    ConsoleForm { session, .. }: ConsoleForm<ViewConsole, CsrfForm>,
) -> Result<Response, ConsoleRefusal> {
    let token = cookies::read(&headers, cookies::ORGANIZER_SESSION).unwrap_or_default();
    organizers
        .logout(&token, &session.organizer, Millis::now())
        .await?;
    Ok(signed_out(&web))
}

/// `POST /console/logout-everywhere`
async fn logout_everywhere(
    State(organizers): State<Arc<Organizers>>,
    State(web): State<WebConfig>,
    ConsoleForm { session, .. }: ConsoleForm<ViewConsole, CsrfForm>,
) -> Result<Response, ConsoleRefusal> {
    organizers
        .logout_everywhere(&session.organizer, Millis::now())
        .await?;
    Ok(signed_out(&web))
}

/// Back to the accounts page with what came of an account change.
fn account_outcome(
    result: Result<(), AccountError>,
    done: Done,
) -> Result<Response, ConsoleRefusal> {
    let error = match result {
        Ok(()) => {
            return Ok(see_other(format!(
                "/console/organizers?done={}",
                done.code()
            )))
        }
        Err(AccountError::Taken) => ConsoleError::Taken,
        Err(AccountError::SelfChange) => ConsoleError::SelfChange,
        Err(AccountError::LastAdmin) => ConsoleError::LastAdmin,
        Err(AccountError::Invalid(_) | AccountError::Unknown) => ConsoleError::Invalid,
        Err(AccountError::Store(e)) => return Err(ConsoleRefusal::unavailable(&e)),
    };
    Ok(see_other(format!(
        "/console/organizers?error={}",
        error.code()
    )))
}

/// `POST /console/organizers`: a new account.
async fn create(
    State(organizers): State<Arc<Organizers>>,
    ConsoleForm { session, form, .. }: ConsoleForm<ManageOrganizers, CreateOrganizerForm>,
) -> Result<Response, ConsoleRefusal> {
    let Some(role) = Role::parse(&form.role) else {
        return account_outcome(Err(AccountError::Invalid("role")), Done::Created);
    };
    let created = organizers
        .create(
            Some(&session.organizer),
            &form.username,
            &form.display_name,
            role,
            &form.password,
            Millis::now(),
        )
        .await;
    account_outcome(created.map(|_| ()), Done::Created)
}

/// `POST /console/organizers/{id}`: a role or active change.
async fn update(
    State(organizers): State<Arc<Organizers>>,
    Path(id): Path<i64>,
    ConsoleForm { session, form, .. }: ConsoleForm<ManageOrganizers, UpdateOrganizerForm>,
) -> Result<Response, ConsoleRefusal> {
    let Some(role) = Role::parse(&form.role) else {
        return account_outcome(Err(AccountError::Invalid("role")), Done::Updated);
    };
    let updated = organizers
        .update(
            &session.organizer,
            OrganizerId(id),
            role,
            form.active,
            Millis::now(),
        )
        .await;
    account_outcome(updated, Done::Updated)
}
