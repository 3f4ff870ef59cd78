//! `/api/v1`: the JSON API other clients build on (the load generator, tests,
//! a WeChat mini-program). Language-neutral data; errors speak the request's language.

use std::collections::HashMap;
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use futures::{Stream, StreamExt};
use serde_json::{json, Value};
use tokio_stream::wrappers::WatchStream;

use alleyvote_domain::{Campaign, Lang, Millis, NomineeSummary};

use super::{request_lang, ApiError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(super::openapi::openapi))
        .route("/campaigns", get(campaigns))
        .route("/campaigns/{slug}/nominees", get(nominees))
        .route("/campaigns/{slug}/results", get(results))
        .route("/campaigns/{slug}/results/stream", get(results_stream))
        .route("/campaigns/{slug}/votes", post(super::voting::cast_vote))
        .route("/sessions/current", delete(super::voting::end_session))
        .route("/campaigns/{slug}/my-votes", get(super::voting::my_votes))
        .route("/sms-codes", post(super::voting::request_code))
        .route("/sessions", post(super::voting::create_session))
        .fallback(|headers: HeaderMap| async move {
            let lang = request_lang(&headers);
            ApiError::not_found(lang, "没有这个接口。", "There is no such API endpoint.")
        })
}

pub fn campaign_json(c: &Campaign, now: Millis) -> Value {
    json!({
        "slug": c.slug,
        "title_zh": c.title_zh,
        "title_en": c.title_en,
        "phase": c.phase(now).as_str(),
        "phases": {
            "nomination_start": c.phases.nomination_start.rfc3339(),
            "review_start": c.phases.review_start.rfc3339(),
            "voting_start": c.phases.voting_start.rfc3339(),
            "voting_end": c.phases.voting_end.rfc3339(),
            "notice_end": c.phases.notice_end.rfc3339(),
            "ceremony_at": c.phases.ceremony_at.rfc3339(),
        },
        "rules": {
            "votes_per_day": c.rules.votes_per_day(),
            "per_nominee_per_day": c.rules.per_nominee_per_day(),
            "day_boundary": "00:00 Asia/Shanghai",
        },
        "results_visibility": c.results_visibility.as_str(),
    })
}

fn nominee_json(n: &NomineeSummary) -> Value {
    json!({
        "number": n.number.get(),
        "name": n.name,
        "street_id": n.street_id.0,
        "street_zh": n.street_zh,
        "street_en": n.street_en,
        "community_zh": n.community_zh,
        "community_en": n.community_en,
        "photo_url": n.photo_url,
    })
}

pub(super) async fn campaign_or_404(
    state: &AppState,
    slug: &str,
    lang: Lang,
) -> Result<Campaign, ApiError> {
    match state.services.campaign(slug).await {
        Ok(Some(c)) => Ok(c),
        Ok(None) => Err(ApiError::unknown_campaign(lang)),
        Err(e) => Err(ApiError::internal(lang, &e)),
    }
}

async fn campaigns(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let lang = request_lang(&headers);
    let list = state
        .services
        .store
        .campaigns()
        .await
        .map_err(|e| ApiError::internal(lang, &e))?;
    let now = Millis::now();
    Ok(Json(
        json!({ "campaigns": list.iter().map(|c| campaign_json(c, now)).collect::<Vec<_>>() }),
    ))
}

async fn nominees(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let lang = request_lang(&headers);
    let campaign = campaign_or_404(&state, &slug, lang).await?;
    let found = state
        .services
        .filtered_nominees(
            &campaign,
            params.get("street").map(String::as_str),
            params.get("q").map(String::as_str),
        )
        .await
        .map_err(|e| ApiError::internal(lang, &e))?;
    match found {
        Ok(list) => Ok(Json(
            json!({ "nominees": list.iter().map(nominee_json).collect::<Vec<_>>() }),
        )),
        Err(problem) => Err(ApiError::invalid_input(problem.message(lang))),
    }
}

async fn results(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    let lang = request_lang(&headers);
    let campaign = match campaign_or_404(&state, &slug, lang).await {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    match state.services.results_of(&campaign).await {
        Ok(snapshot) => Json(&*snapshot).into_response(),
        Err(e) => ApiError::internal(lang, &e).into_response(),
    }
}

/// One event per changed snapshot, the current one first. Ends when the server shuts down.
async fn results_stream(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let lang = request_lang(&headers);
    let campaign = campaign_or_404(&state, &slug, lang).await?;
    state
        .services
        .results_of(&campaign)
        .await
        .map_err(|e| ApiError::internal(lang, &e))?;
    let rx = state
        .services
        .hub
        .subscribe(&campaign.slug)
        .ok_or_else(|| ApiError::unknown_campaign(lang))?;
    let mut stopping = state.stopping.clone();
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
