//! The results over the JSON API: a snapshot, and a stream of them.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use alleyvote_domain::ResultsSnapshot;
use axum::extract::{FromRef, State};
use axum::http::header::{CACHE_CONTROL, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures::{Stream, StreamExt};
use tokio_stream::wrappers::WatchStream;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{tags, ResultsHub};
use crate::campaigns::http::{CampaignPath, CampaignSlug};
use crate::campaigns::Campaigns;
use crate::web::client::{ClientAddr, RequestLang};
use crate::web::error::{ApiError, ErrorBody};
use crate::web::{Stopping, WebConfig};

/// When a reader turned away for too many streams may try again.
const STREAM_RETRY_AFTER_S: i64 = 30;

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
    State(Stopping(mut stopping)): State<Stopping>,
    State(web): State<WebConfig>,
    RequestLang(lang): RequestLang,
    ClientAddr(from): ClientAddr,
    CampaignPath(campaign): CampaignPath,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let slot = hub
        .reader_slot(from, web.serve.streams_per_address)
        .ok_or_else(|| {
            ApiError::rate_limited(
                STREAM_RETRY_AFTER_S,
                lang.pick(
                    "从您的网络打开的实时结果页面太多了，请关闭一些后再试。",
                    "Too many live results pages are open from your network. Close some and try again.",
                )
                .to_string(),
            )
        })?;
    let seen = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(tags::seen_version);
    let first = hub
        .view(&campaign, seen)
        .await
        .map_err(|e| ApiError::internal(lang, &e))?;
    let rx = hub
        .subscribe(&campaign.slug)
        .ok_or_else(|| ApiError::unknown_campaign(lang))?;
    let stop = async move {
        let _ = stopping.wait_for(|s| *s).await;
    };
    let mut last_sent: Option<String> = None;
    // The stream holds the address's place until the reader goes.
    let slot = Arc::new(slot);
    let hub_for_events = hub.clone();
    let changes = WatchStream::from_changes(rx).then(move |_| {
        let (hub, campaign) = (hub.clone(), campaign.clone());
        async move { hub.view(&campaign, None).await }
    });
    let events = futures::stream::once(async move { Ok(first) })
        .chain(changes)
        .filter_map(move |view| {
            let _held = &slot;
            let event = match view {
                Ok(snapshot) => {
                    let encoded = hub_for_events.encode(&snapshot);
                    (last_sent.as_deref() != Some(encoded.tag.as_str())).then(|| {
                        last_sent = Some(encoded.tag.clone());
                        Ok(Event::default().id(&encoded.tag).data(&encoded.json))
                    })
                }
                Err(e) => {
                    // The next change tries again; the reader keeps what it has.
                    tracing::warn!(error = %e, "a results stream could not read the results");
                    None
                }
            };
            futures::future::ready(event)
        })
        .take_until(stop);
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
