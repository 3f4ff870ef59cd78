//! The results over the JSON API: a snapshot, and a stream of them.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{FromRef, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use futures::{Stream, StreamExt};
use tokio_stream::wrappers::WatchStream;

use super::ResultsHub;
use crate::campaigns::http::CampaignPath;
use crate::campaigns::Campaigns;
use crate::web::client::RequestLang;
use crate::web::error::ApiError;
use crate::web::Stopping;

/// The JSON API, under `/api/v1`.
pub fn api_routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    ResultsHub: FromRef<S>,
    Arc<Campaigns>: FromRef<S>,
    Stopping: FromRef<S>,
{
    Router::new()
        .route("/campaigns/{slug}/results", get(results))
        .route("/campaigns/{slug}/results/stream", get(results_stream))
}

/// `GET /api/v1/campaigns/{slug}/results`
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

/// One event per changed snapshot, the current one first. Ends when the server shuts down.
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
