//! The results over the JSON API: a snapshot, and a stream of them.

use std::sync::Arc;

use alleyvote_domain::ResultsSnapshot;
use axum::extract::{FromRef, State};
use axum::http::header::{CACHE_CONTROL, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{stream, tags, ResultsHub};
use crate::campaigns::api::{CampaignPath, CampaignSlug};
use crate::campaigns::Campaigns;
use crate::web::client::{ClientAddr, RequestLang};
use crate::web::error::{ApiError, ErrorBody};
use crate::web::{Stopping, WebConfig};

/// The JSON API, under `/api/v1`.
pub fn api_routes<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    ResultsHub: FromRef<S>,
    Arc<Campaigns>: FromRef<S>,
    Stopping: FromRef<S>,
    WebConfig: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(results))
        .routes(routes!(results_stream))
}

/// The tally as of its time; counts and ranks are absent while hidden.
///
/// The `ETag` names the snapshot and its version. A reader that sends it back
/// in `If-None-Match` gets 304 while nothing changed, and is never answered
/// with older counts than it saw, whichever instance answers. Browsers do
/// this by themselves (`Cache-Control: no-cache` makes them revalidate).
#[utoipa::path(
    get,
    path = "/campaigns/{slug}/results",
    tag = "results",
    params(CampaignSlug, SeenHeader),
    responses(
        (status = 200, body = ResultsSnapshot, headers(
            ("ETag" = String, description = "The snapshot's tag, with its version."))),
        (status = 304, description = "The reader holds this snapshot already."),
        (status = 404, description = "No such campaign (not_found).", body = ErrorBody),
        (status = 503, description = "Briefly unavailable (unavailable).", body = ErrorBody),
    )
)]
async fn results(
    State(hub): State<ResultsHub>,
    RequestLang(lang): RequestLang,
    CampaignPath(campaign): CampaignPath,
    headers: HeaderMap,
) -> Response {
    let sent = headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let snapshot = match hub.view(&campaign, tags::seen_version(sent)).await {
        Ok(s) => s,
        Err(e) => return ApiError::internal(lang, &e).into_response(),
    };
    let etag = format!("\"{}\"", tags::tag(&snapshot));
    let headers = [(ETAG, etag), (CACHE_CONTROL, "no-cache".to_string())];
    if tags::holds(sent, &snapshot) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    (headers, Json(&*snapshot)).into_response()
}

/// What the reader was shown before, if it says.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)] // documentation only: the handlers read the headers
struct SeenHeader {
    /// The `ETag` of a results answer the reader holds.
    #[param(rename = "If-None-Match")]
    if_none_match: Option<String>,
}

/// What a stream's reader was shown before it reconnected.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)] // documentation only: the handler reads the header
struct LastEventHeader {
    /// The `id` of the last event received (browsers send it on reconnecting).
    #[param(rename = "Last-Event-ID")]
    last_event_id: Option<String>,
}

/// One event of the results stream.
#[derive(ToSchema)]
#[allow(dead_code)] // a schema only: the stream writes these fields itself
pub struct ResultsEvent {
    /// A results snapshot (the `ResultsSnapshot` schema) as JSON text.
    data: String,
    /// The snapshot's tag, as in the `ETag` of the results.
    id: String,
    /// The default event type, `message`.
    event: Option<String>,
}

/// Server-sent events: one whole snapshot per change, the current one first.
/// Never older than the `Last-Event-ID` a reconnecting reader sends. Ends
/// when the server shuts down.
#[utoipa::path(
    get,
    path = "/campaigns/{slug}/results/stream",
    tag = "results",
    params(CampaignSlug, LastEventHeader),
    responses(
        (status = 200, description = "One event per changed snapshot.",
            content_type = "text/event-stream", body = ResultsEvent),
        (status = 404, description = "No such campaign (not_found).", body = ErrorBody),
        (status = 429, description = "Too many streams open from this address (rate_limited).", body = ErrorBody),
        (status = 503, description = "Briefly unavailable (unavailable).", body = ErrorBody),
    )
)]
async fn results_stream(
    State(hub): State<ResultsHub>,
    State(Stopping(stopping)): State<Stopping>,
    State(web): State<WebConfig>,
    RequestLang(lang): RequestLang,
    ClientAddr(from): ClientAddr,
    CampaignPath(campaign): CampaignPath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let reader = stream::Reader {
        from,
        lang,
        last_event_id: headers.get("last-event-id").and_then(|v| v.to_str().ok()),
    };
    let cap = web.serve.streams_per_address;
    let frames = stream::open(&hub, campaign, reader, cap, stopping).await?;
    Ok(stream::response(frames))
}
