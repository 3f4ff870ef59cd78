//! `/healthz`: whether this instance can serve. The database and the vote
//! writers are required (503 without them); Redis is optional (degraded
//! without it). The public reads the status alone; the details (the
//! writers' queue and last batch, Redis) are for the configured token or
//! an organizer's session.

use alleyvote_domain::organizer::{Action, Console};
use axum::extract::State;
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::json;

use crate::capabilities::AppState;
use crate::storage::same_hash;
use crate::web::cookies;

/// Whether the request may read the details: the configured token as a
/// bearer, or a live organizer session.
async fn for_operators(state: &AppState, headers: &HeaderMap) -> bool {
    let services = &state.services;
    let bearer = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if let (Some(expected), Some(given)) = (&services.web.health_token, bearer) {
        if same_hash(expected.expose().as_bytes(), given.as_bytes()) {
            return true;
        }
    }
    let Some(session) = cookies::read(headers, cookies::ORGANIZER_SESSION) else {
        return false;
    };
    matches!(
        services
            .organizers
            .access(Some(session.as_str()), Action::ViewConsole)
            .await,
        Ok(Console::Open(_))
    )
}

pub async fn healthz(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> (StatusCode, Json<serde_json::Value>) {
    let services = &state.services;
    let db_ok = tokio::time::timeout(std::time::Duration::from_secs(2), services.store.ping())
        .await
        .is_ok_and(|r| r.is_ok());
    let redis = match &services.redis {
        None => "not_configured",
        Some(r) if r.ping().await => "ok",
        Some(_) => "down",
    };
    let writer = services.casting.writer.health();
    let writers_ok = writer.mode == "single" || writer.writers > 0;
    let up = db_ok && writers_ok;
    let status = match (up, redis) {
        (false, _) => "down",
        (true, "down") => "degraded",
        _ => "ok",
    };
    let code = if up {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    if !for_operators(&state, &headers).await {
        return (code, Json(json!({ "status": status })));
    }
    (
        code,
        Json(json!({
            "status": status,
            "database": { "backend": services.store.kind().as_str(), "status": if db_ok { "ok" } else { "down" } },
            "redis": { "status": redis },
            "vote_writer": writer,
            "screen": { "views_built": services.screens.views_built() },
            "version": env!("CARGO_PKG_VERSION"),
        })),
    )
}

/// `/livez`: the process is up and serving HTTP, nothing more. For load
/// balancers' liveness probes (which must not fail because the database
/// does) and as the benchmark's framework ceiling.
pub async fn livez() -> &'static str {
    "ok"
}
