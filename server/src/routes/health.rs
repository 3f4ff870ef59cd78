//! `/healthz`: whether this instance can serve. The database and the vote
//! writers are required (503 without them); Redis is optional (degraded
//! without it). It also shows the writers' queue and their last batch.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::json;

use super::AppState;

pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
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
    (
        code,
        Json(json!({
            "status": status,
            "database": { "backend": services.store.kind().as_str(), "status": if db_ok { "ok" } else { "down" } },
            "redis": { "status": redis },
            "vote_writer": writer,
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
