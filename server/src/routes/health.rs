//! `/healthz`: whether this instance can serve. The database is required
//! (503 without it); Redis is optional (degraded without it).

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
    let status = match (db_ok, redis) {
        (false, _) => "down",
        (true, "down") => "degraded",
        _ => "ok",
    };
    let code = if db_ok {
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
