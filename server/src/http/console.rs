//! The console's form posts and its CSV export. Every handler checks the
//! organizer session, the CSRF token and the role before it changes anything;
//! then it answers with a redirect (303) that carries the outcome.

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;

use alleyvote_domain::organizer::{Action, OrganizerId, Role};
use alleyvote_domain::Millis;
use app::model::Console;

use super::forms::see_other;
use super::lang::safe_next;
use super::voting::client_ip;
use super::AppState;
use crate::audit::storage::AuditFilter;
use crate::organizers::storage::OrganizerSession;
use crate::organizers::{AccountError, LoginError};
use crate::places::storage::PlaceId;
use crate::storage::same_hash;

pub const ORGANIZER_COOKIE: &str = "av_org";

pub fn organizer_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| kv.trim().strip_prefix("av_org=").map(str::to_string))
}

/// The organizer cookie: HttpOnly, SameSite=Strict (no other site's link or
/// form ever carries it), Secure in production.
fn organizer_cookie(state: &AppState, token: &str, max_age_s: i64) -> String {
    let secure = if state.services.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!("{ORGANIZER_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_s}{secure}")
}

/// Why a console request was turned away.
pub enum Refusal {
    SignIn,
    Forbidden,
    Stale,
    Unavailable,
}

impl IntoResponse for Refusal {
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
            Refusal::SignIn => see_other("/console/login?error=expired".into()),
            Refusal::Forbidden => page(
                StatusCode::FORBIDDEN,
                "您的账号没有这项权限。",
                "Your account may not do this.",
            ),
            Refusal::Stale => page(
                StatusCode::FORBIDDEN,
                "页面已过期，请回到上一页刷新后重试。",
                "This form has expired. Go back, reload the page and try again.",
            ),
            Refusal::Unavailable => page(
                StatusCode::SERVICE_UNAVAILABLE,
                "服务暂时不可用，请稍后再试。",
                "The service is briefly unavailable. Please try again shortly.",
            ),
        }
    }
}

/// The session behind a state-changing request: signed in, the form's CSRF
/// token matching the session's, and the role allowed to do `action`.
pub async fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
    action: Action,
) -> Result<OrganizerSession, Refusal> {
    let token = organizer_token(headers);
    let access = state
        .services
        .console_access(token.as_deref(), Action::ViewConsole)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "could not check a console session");
            Refusal::Unavailable
        })?;
    let session = match access {
        Console::Open(s) => s,
        Console::SignIn => return Err(Refusal::SignIn),
        Console::Forbidden => return Err(Refusal::Forbidden),
    };
    let sent = form.get("csrf").map(String::as_str).unwrap_or_default();
    if !same_hash(sent.as_bytes(), session.csrf_token.as_bytes()) {
        tracing::warn!(organizer = %session.organizer.username, "console form without a valid CSRF token");
        return Err(Refusal::Stale);
    }
    if !alleyvote_domain::organizer::allowed(session.organizer.role, action) {
        return Err(Refusal::Forbidden);
    }
    Ok(session)
}

/// `POST /console/login`
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let next = safe_next(form.get("next").map(String::as_str));
    let next = if next.starts_with("/console") {
        next.to_string()
    } else {
        "/console".to_string()
    };
    let username = form.get("username").map(String::as_str).unwrap_or_default();
    let password = form.get("password").map(String::as_str).unwrap_or_default();
    let ip = client_ip(&state, &headers, peer);
    let now = Millis::now();
    match state
        .services
        .organizers
        .login(username, password, ip, now)
        .await
    {
        Ok(new) => {
            // A new session id at every login; the one the browser held ends.
            if let Some(old) = organizer_token(&headers) {
                if let Ok(Some(s)) = state.services.organizers.session(&old, now).await {
                    let _ = state
                        .services
                        .organizers
                        .logout(&old, &s.organizer, now)
                        .await;
                }
            }
            let max_age = (new.expires_at.0 - now.0) / 1000;
            (
                StatusCode::SEE_OTHER,
                [
                    (SET_COOKIE, organizer_cookie(&state, &new.token, max_age)),
                    (
                        axum::http::header::LOCATION,
                        super::forms::header_safe(&next),
                    ),
                ],
            )
                .into_response()
        }
        Err(LoginError::Throttled { retry_after_s }) => see_other(format!(
            "/console/login?error=throttled&retry={retry_after_s}"
        )),
        Err(LoginError::Wrong) => see_other("/console/login?error=wrong".into()),
        Err(LoginError::Store(e)) => {
            tracing::error!(error = %e, "console login failed in storage");
            see_other("/console/login?error=unavailable".into())
        }
    }
}

fn signed_out(state: &AppState) -> Response {
    (
        StatusCode::SEE_OTHER,
        [
            (SET_COOKIE, organizer_cookie(state, "", 0)),
            (axum::http::header::LOCATION, "/console/login".to_string()),
        ],
    )
        .into_response()
}

/// `POST /console/logout`
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Refusal> {
    let session = authorize(&state, &headers, &form, Action::ViewConsole).await?;
    let token = organizer_token(&headers).unwrap_or_default();
    state
        .services
        .organizers
        .logout(&token, &session.organizer, Millis::now())
        .await
        .map_err(|_| Refusal::Unavailable)?;
    Ok(signed_out(&state))
}

/// `POST /console/logout-everywhere`
pub async fn logout_everywhere(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Refusal> {
    let session = authorize(&state, &headers, &form, Action::ViewConsole).await?;
    state
        .services
        .organizers
        .logout_everywhere(&session.organizer, Millis::now())
        .await
        .map_err(|_| Refusal::Unavailable)?;
    Ok(signed_out(&state))
}

fn account_problem(e: &AccountError) -> &'static str {
    match e {
        AccountError::Taken => "taken",
        AccountError::Invalid(m) if m.contains("自己") => "self",
        AccountError::Invalid(_) => "invalid",
        AccountError::Store(e) => {
            tracing::error!(error = %e, "an account change failed in storage");
            "unavailable"
        }
    }
}

/// `POST /console/organizers`: a new account.
pub async fn create_organizer(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Refusal> {
    let session = authorize(&state, &headers, &form, Action::ManageOrganizers).await?;
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
    let Some(role) = Role::parse(field("role")) else {
        return Ok(see_other("/console/organizers?error=invalid".into()));
    };
    let created = state
        .services
        .organizers
        .create(
            Some(&session.organizer),
            field("username"),
            field("display_name"),
            role,
            field("password"),
            Millis::now(),
        )
        .await;
    Ok(match created {
        Ok(_) => see_other("/console/organizers?done=created".into()),
        Err(e) => see_other(format!("/console/organizers?error={}", account_problem(&e))),
    })
}

/// `POST /console/stations`: a new polling station.
pub async fn add_station(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Refusal> {
    let session = authorize(&state, &headers, &form, Action::ManageOrganizers).await?;
    let name = form.get("name").map(|n| n.trim()).unwrap_or_default();
    if name.is_empty() || name.chars().count() > 60 {
        return Ok(see_other("/console/organizers?error=invalid".into()));
    }
    let mut audit = crate::organizers::entry(
        Some(&session.organizer),
        crate::audit::AuditAction::StationCreate,
        String::new(),
    );
    audit.after = Some(serde_json::json!({ "name": name }));
    match state
        .services
        .store
        .add_station(name, &audit, Millis::now())
        .await
    {
        Ok(_) => Ok(see_other("/console/organizers?done=updated".into())),
        Err(crate::storage::StoreError::Duplicate(_)) => {
            Ok(see_other("/console/organizers?error=taken".into()))
        }
        Err(e) => {
            tracing::error!(error = %e, "could not add a station");
            Err(Refusal::Unavailable)
        }
    }
}

/// `POST /console/organizers/{id}/stations`: the stations a station operator
/// enters paper ballots for (`station` repeated, one per checked box).
pub async fn assign_stations(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, Refusal> {
    let form: HashMap<String, String> =
        pairs.iter().filter(|(k, _)| k == "csrf").cloned().collect();
    let session = authorize(&state, &headers, &form, Action::ManageOrganizers).await?;
    let store = &state.services.store;
    let known = store.stations().await.map_err(|_| Refusal::Unavailable)?;
    let chosen: Vec<crate::stations::StationId> = pairs
        .iter()
        .filter(|(k, _)| k == "station")
        .filter_map(|(_, v)| v.parse::<i64>().ok().map(crate::stations::StationId))
        .collect();
    let operator = store
        .organizers()
        .await
        .map_err(|_| Refusal::Unavailable)?
        .into_iter()
        .find(|o| o.id.0 == id);
    let valid = operator
        .as_ref()
        .is_some_and(|o| o.role == Role::StationOperator)
        && chosen.iter().all(|c| known.iter().any(|s| s.id == *c));
    if !valid {
        return Ok(see_other("/console/organizers?error=invalid".into()));
    }
    let mut audit = crate::organizers::entry(
        Some(&session.organizer),
        crate::audit::AuditAction::OrganizerStations,
        format!("organizer:{id}"),
    );
    audit.before = Some(serde_json::json!(known
        .iter()
        .filter(|s| s.operators.contains(&OrganizerId(id)))
        .map(|s| s.id)
        .collect::<Vec<_>>()));
    audit.after = Some(serde_json::json!(chosen));
    store
        .assign_stations(OrganizerId(id), &chosen, &audit, Millis::now())
        .await
        .map_err(|_| Refusal::Unavailable)?;
    Ok(see_other("/console/organizers?done=updated".into()))
}

/// `POST /console/organizers/{id}`: a role or active change.
pub async fn update_organizer(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Refusal> {
    let session = authorize(&state, &headers, &form, Action::ManageOrganizers).await?;
    let Some(role) = form.get("role").and_then(|r| Role::parse(r)) else {
        return Ok(see_other("/console/organizers?error=invalid".into()));
    };
    let active = form.get("active").is_some_and(|v| v == "on");
    let updated = state
        .services
        .organizers
        .update(
            &session.organizer,
            OrganizerId(id),
            role,
            active,
            Millis::now(),
        )
        .await;
    Ok(match updated {
        Ok(()) => see_other("/console/organizers?done=updated".into()),
        Err(e) => see_other(format!("/console/organizers?error={}", account_problem(&e))),
    })
}

/// `POST /console/campaign`: titles, phases, rules and results visibility.
pub async fn update_campaign(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Refusal> {
    let session = authorize(&state, &headers, &form, Action::EditCampaign).await?;
    let services = &state.services;
    let Some(current) = services
        .store
        .campaign(form.get("slug").map(String::as_str).unwrap_or_default())
        .await
        .map_err(|_| Refusal::Unavailable)?
    else {
        return Ok(see_other("/console/campaign?error=invalid".into()));
    };
    let here = format!("/console/campaign?slug={}", current.slug);
    let edited = match crate::campaigns::form::parse(&form, &current) {
        Ok(c) => c,
        Err(problem) => return Ok(see_other(format!("{here}&problem={problem}"))),
    };
    let mut audit = crate::organizers::entry(
        Some(&session.organizer),
        crate::audit::AuditAction::CampaignUpdate,
        format!("campaign:{}", current.slug),
    );
    audit.before = Some(crate::campaigns::form::audit_json(
        &crate::campaigns::form::as_new(&current),
    ));
    audit.after = Some(crate::campaigns::form::audit_json(&edited));
    services
        .store
        .update_campaign(current.id, &edited, &audit, Millis::now())
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "could not save a campaign");
            Refusal::Unavailable
        })?;
    services.campaigns.forget(&current.slug);
    Ok(see_other(format!("{here}&done=updated")))
}

/// `POST /console/campaigns`: a new campaign.
pub async fn create_campaign(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Refusal> {
    let session = authorize(&state, &headers, &form, Action::EditCampaign).await?;
    let campaign = match crate::campaigns::form::parse_new(&form) {
        Ok(c) => c,
        Err(problem) => {
            return Ok(see_other(format!(
                "/console/campaign?new_problem={problem}"
            )))
        }
    };
    let mut audit = crate::organizers::entry(
        Some(&session.organizer),
        crate::audit::AuditAction::CampaignCreate,
        format!("campaign:{}", campaign.slug),
    );
    audit.after = Some(crate::campaigns::form::audit_json(&campaign));
    match state
        .services
        .store
        .create_campaign(&campaign, &audit, Millis::now())
        .await
    {
        Ok(_) => Ok(see_other(format!(
            "/console/campaign?slug={}&done=created_campaign",
            campaign.slug
        ))),
        Err(crate::storage::StoreError::Duplicate(_)) => {
            Ok(see_other("/console/campaign?new_problem=slug_taken".into()))
        }
        Err(e) => {
            tracing::error!(error = %e, "could not create a campaign");
            Err(Refusal::Unavailable)
        }
    }
}

/// The names a rename form gives, or `None` if the Chinese one is missing or too long.
fn names(form: &HashMap<String, String>) -> Option<(String, String)> {
    let get = |k: &str| {
        form.get(k)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let (zh, en) = (get("name_zh"), get("name_en"));
    let fits = |s: &str| s.chars().count() <= 40;
    (!zh.is_empty() && fits(&zh) && fits(&en)).then_some((zh, en))
}

fn place_outcome(result: Result<(), crate::storage::StoreError>) -> Result<Response, Refusal> {
    match result {
        Ok(()) => Ok(see_other("/console/places?done=updated".into())),
        Err(crate::storage::StoreError::Duplicate(_)) => {
            Ok(see_other("/console/places?error=taken".into()))
        }
        Err(e) => {
            tracing::error!(error = %e, "a street or community change failed in storage");
            Err(Refusal::Unavailable)
        }
    }
}

/// What a rename form names.
#[derive(Clone, Copy)]
enum Place {
    Street,
    Community,
}

/// Checks a rename form and renames the street or community it names.
async fn rename_place(
    state: &AppState,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
    place: Place,
    id: i64,
) -> Result<Response, Refusal> {
    let session = authorize(state, headers, form, Action::ManageStreets).await?;
    let Some((zh, en)) = names(form) else {
        return Ok(see_other("/console/places?error=invalid".into()));
    };
    let (action, subject) = match place {
        Place::Street => (
            crate::audit::AuditAction::StreetRename,
            format!("street:{id}"),
        ),
        Place::Community => (
            crate::audit::AuditAction::StreetRenameCommunity,
            format!("community:{id}"),
        ),
    };
    let mut audit = crate::organizers::entry(Some(&session.organizer), action, subject);
    audit.after = Some(serde_json::json!({ "name_zh": zh, "name_en": en }));
    let store = &state.services.store;
    let now = Millis::now();
    let place = match place {
        Place::Street => PlaceId::Street(alleyvote_domain::StreetId(id)),
        Place::Community => PlaceId::Community(alleyvote_domain::CommunityId(id)),
    };
    place_outcome(store.rename_place(place, &zh, &en, &audit, now).await)
}

/// `POST /console/streets/{id}`: renames a street.
pub async fn rename_street(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Refusal> {
    rename_place(&state, &headers, &form, Place::Street, id).await
}

/// `POST /console/communities/{id}`: renames a community.
pub async fn rename_community(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Refusal> {
    rename_place(&state, &headers, &form, Place::Community, id).await
}

/// `POST /console/communities/{id}/remove`: only while nothing names it.
pub async fn remove_community(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Refusal> {
    let session = authorize(&state, &headers, &form, Action::ManageStreets).await?;
    let audit = crate::organizers::entry(
        Some(&session.organizer),
        crate::audit::AuditAction::StreetRemoveCommunity,
        format!("community:{id}"),
    );
    match state
        .services
        .store
        .remove_community(alleyvote_domain::CommunityId(id), &audit, Millis::now())
        .await
    {
        Ok(true) => Ok(see_other("/console/places?done=removed".into())),
        Ok(false) => Ok(see_other("/console/places?error=in_use".into())),
        Err(e) => {
            tracing::error!(error = %e, "could not remove a community");
            Err(Refusal::Unavailable)
        }
    }
}

/// A CSV field: quoted, and a leading `= + - @` defused so a spreadsheet
/// never runs it as a formula.
fn csv_field(text: &str) -> String {
    let defused = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    format!("\"{}\"", defused.replace('"', "\"\""))
}

/// `GET /console/audit.csv?action=`: the log (or the filtered part), oldest
/// first, with each entry's hash. Reading it changes nothing.
pub async fn audit_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, Refusal> {
    let token = organizer_token(&headers);
    match state
        .services
        .console_access(token.as_deref(), Action::ViewAuditLog)
        .await
        .map_err(|_| Refusal::Unavailable)?
    {
        Console::Open(_) => {}
        Console::SignIn => return Err(Refusal::SignIn),
        Console::Forbidden => return Err(Refusal::Forbidden),
    }
    let prefix = query
        .get("action")
        .map(|a| a.chars().take(40).collect::<String>())
        .filter(|a| !a.is_empty());
    let actor = query
        .get("actor")
        .and_then(|a| a.parse::<i64>().ok())
        .map(OrganizerId);
    let mut entries = state
        .services
        .store
        .audit_entries(&AuditFilter {
            action_prefix: prefix,
            actor,
            limit: 10_000,
            ..AuditFilter::default()
        })
        .await
        .map_err(|_| Refusal::Unavailable)?;
    entries.reverse();
    // A byte-order mark so spreadsheet programs read the Chinese as UTF-8.
    let mut csv = String::from("\u{feff}seq,at,actor,action,subject,before,after,hash\r\n");
    for e in &entries {
        let r = &e.record;
        csv.push_str(&format!(
            "{},{},{},{},{},{},{},{}\r\n",
            r.seq,
            csv_field(&crate::console::shanghai_time(r.at)),
            csv_field(&r.actor_name),
            csv_field(&r.action),
            csv_field(&r.subject),
            csv_field(r.before.as_deref().unwrap_or("")),
            csv_field(r.after.as_deref().unwrap_or("")),
            hex::encode(e.hash),
        ));
    }
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                CONTENT_DISPOSITION,
                "attachment; filename=\"alleyvote-audit.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("a \"b\""), "\"a \"\"b\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "\"'=HYPERLINK(1)\"");
        assert_eq!(csv_field("王"), "\"王\"");
    }
}
