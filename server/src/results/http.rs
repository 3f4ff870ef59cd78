//! The results over the JSON API: a snapshot, and a stream of them.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use alleyvote_domain::ResultsSnapshot;
use axum::extract::{FromRef, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures::{Stream, StreamExt};
use tokio_stream::wrappers::WatchStream;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ResultsHub;
use crate::campaigns::http::{CampaignPath, CampaignSlug};
use crate::campaigns::Campaigns;
use crate::web::client::RequestLang;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::Stopping;

/// The JSON API, under `/api/v1`.
pub fn api_routes<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    ResultsHub: FromRef<S>,
    Arc<Campaigns>: FromRef<S>,
    Stopping: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(results))
        .routes(routes!(results_stream))
}

/// The tally as of its time; counts and ranks are absent while hidden.
#[utoipa::path(
    get,
    path = "/campaigns/{slug}/results",
    tag = "results",
    params(CampaignSlug),
    responses(
        (status = 200, body = ResultsSnapshot),
        (status = 404, description = "No such campaign (not_found).", body = ErrorBody),
        (status = 503, description = "Briefly unavailable (unavailable).", body = ErrorBody),
    )
)]
async fn results(
    State(hub): State<ResultsHub>,
    RequestLang(lang): RequestLang,
    CampaignPath(campaign): CampaignPath,
) -> Response {
    match hub.of(&campaign).await {
        Ok(snapshot) => Json(&*snapshot).into_response(),
        Err(e) => ApiError::internal(lang, &e).into_response(),
    }
}

/// One event of the results stream.
#[derive(ToSchema)]
#[allow(dead_code)] // a schema only: the stream writes these fields itself
pub struct ResultsEvent {
    /// A results snapshot (the `ResultsSnapshot` schema) as JSON text.
    data: String,
    /// The default event type, `message`.
    event: Option<String>,
}

/// Server-sent events: one whole snapshot per change, the current one first.
/// Ends when the server shuts down.
#[utoipa::path(
    get,
    path = "/campaigns/{slug}/results/stream",
    tag = "results",
    params(CampaignSlug),
    responses(
        (status = 200, description = "One event per changed snapshot.",
            content_type = "text/event-stream", body = ResultsEvent),
        (status = 404, description = "No such campaign (not_found).", body = ErrorBody),
        (status = 503, description = "Briefly unavailable (unavailable).", body = ErrorBody),
    )
)]
async fn results_stream(
    State(hub): State<ResultsHub>,
    State(Stopping(mut stopping)): State<Stopping>,
    RequestLang(lang): RequestLang,
    CampaignPath(campaign): CampaignPath,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    hub.of(&campaign)
        .await
        .map_err(|e| ApiError::internal(lang, &e))?;
    let rx = hub
        .subscribe(&campaign.slug)
        .ok_or_else(|| ApiError::unknown_campaign(lang))?;
    let stop = async move {
        let _ = stopping.wait_for(|s| *s).await;
    };
    let events = WatchStream::new(rx)
        .map(|snapshot| {
            let data = serde_json::to_string(&*snapshot).unwrap_or_else(|_| "{}".into());
            Ok(Event::default().data(data))
        })
        .take_until(stop);
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
