//! The screen's presses and streams: `POST /console/screen/press` (a screen
//! operator or admin), `GET /screen/stream` (the public screen, anyone) and
//! `GET /console/screen/stream` (the rehearsal screen and the operator's
//! panel, with the next place to reveal). A stream sends the whole view at
//! each change, so a screen that reconnects — after a network drop or a
//! server restart — is at the current state with its first message.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use alleyvote_domain::screen::{Channel, ScreenCommand, ScreenMode};
use alleyvote_domain::Campaign;
use app::screen::forms::ScreenForm;
use axum::extract::{FromRef, Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use futures::{Stream, StreamExt};
use serde::Deserialize;
use tokio_stream::wrappers::WatchStream;

use super::{ScreenError, Screens};
use crate::campaigns::Campaigns;
use crate::organizers::access::{ConsoleForm, ControlScreen, Signed};
use crate::organizers::Organizers;
use crate::results::ResultsHub;
use crate::web::client::{ClientAddr, RequestLang};
use crate::web::error::{ApiError, ConsoleRefusal};
use crate::web::redirect::see_other;
use crate::web::{Stopping, WebConfig};

/// How long a screen waits before reconnecting after the stream drops.
const RETRY: Duration = Duration::from_secs(2);

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Screens>: FromRef<S>,
    Arc<Campaigns>: FromRef<S>,
    Arc<Organizers>: FromRef<S>,
    ResultsHub: FromRef<S>,
    Stopping: FromRef<S>,
    WebConfig: FromRef<S>,
{
    Router::new()
        .route("/console/screen/press", post(press))
        .route("/screen/stream", get(public_stream))
        .route("/console/screen/stream", get(rehearsal_stream))
}

fn command_of(text: &str) -> Option<ScreenCommand> {
    match text.trim() {
        "next" => Some(ScreenCommand::Next),
        "back" => Some(ScreenCommand::Back),
        mode => ScreenMode::parse(mode).map(ScreenCommand::Show),
    }
}

async fn press(
    State(screens): State<Arc<Screens>>,
    State(campaigns): State<Arc<Campaigns>>,
    ConsoleForm { session, form, .. }: ConsoleForm<ControlScreen, ScreenForm>,
) -> Result<Response, ConsoleRefusal> {
    let channel = Channel::parse(&form.channel).unwrap_or(Channel::Public);
    let back = |outcome: &str| {
        see_other(format!(
            "/console/screen?channel={}&{outcome}",
            channel.as_str()
        ))
    };
    let (Some(command), Ok(Some(campaign))) =
        (command_of(&form.command), campaigns.current().await)
    else {
        return Err(ConsoleRefusal::BadForm);
    };
    match screens
        .press(session.actor(), &campaign, channel, command)
        .await
    {
        Ok(_) => Ok(back("done=pressed")),
        Err(ScreenError::Refused(r)) => Ok(back(&format!("problem={}", r.code()))),
        Err(ScreenError::Moved | ScreenError::Busy) => Ok(back("problem=moved")),
        Err(ScreenError::Store(e)) => Err(ConsoleRefusal::unavailable(&e)),
    }
}

#[derive(Deserialize)]
struct StreamQuery {
    #[serde(default)]
    channel: String,
}

/// What a screen stream needs from the server's state.
struct StreamParts {
    screens: Arc<Screens>,
    campaigns: Arc<Campaigns>,
    hub: ResultsHub,
    stopping: tokio::sync::watch::Receiver<bool>,
    web: WebConfig,
}

impl<S> axum::extract::FromRequestParts<S> for StreamParts
where
    S: Send + Sync,
    Arc<Screens>: FromRef<S>,
    Arc<Campaigns>: FromRef<S>,
    ResultsHub: FromRef<S>,
    Stopping: FromRef<S>,
    WebConfig: FromRef<S>,
{
    type Rejection = Infallible;

    async fn from_request_parts(
        _parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(StreamParts {
            screens: Arc::<Screens>::from_ref(state),
            campaigns: Arc::<Campaigns>::from_ref(state),
            hub: ResultsHub::from_ref(state),
            stopping: Stopping::from_ref(state).0,
            web: WebConfig::from_ref(state),
        })
    }
}

impl StreamParts {
    /// The current campaign's screen as a stream, within the address's
    /// share of streams.
    async fn open(
        self,
        lang: alleyvote_domain::Lang,
        from: std::net::IpAddr,
        channel: Channel,
        with_next: bool,
    ) -> Response {
        let campaign = match self.campaigns.current().await {
            Ok(Some(c)) => c,
            Ok(None) => return ApiError::unknown_campaign(lang).into_response(),
            Err(e) => return ApiError::internal(lang, &e).into_response(),
        };
        let Some(slot) = self
            .hub
            .reader_slot(from, self.web.serve.streams_per_address)
        else {
            let message = lang.pick(
                "打开的大屏页面太多了。",
                "Too many screens are open from your network.",
            );
            return ApiError::rate_limited(30, message.to_string()).into_response();
        };
        stream(
            self.screens,
            self.hub,
            campaign,
            channel,
            with_next,
            self.stopping,
            slot,
        )
        .await
        .into_response()
    }
}

async fn public_stream(
    parts: StreamParts,
    RequestLang(lang): RequestLang,
    ClientAddr(from): ClientAddr,
) -> Response {
    parts.open(lang, from, Channel::Public, false).await
}

async fn rehearsal_stream(
    parts: StreamParts,
    _operator: Signed<ControlScreen>,
    RequestLang(lang): RequestLang,
    ClientAddr(from): ClientAddr,
    Query(q): Query<StreamQuery>,
) -> Response {
    let channel = Channel::parse(&q.channel).unwrap_or(Channel::Rehearsal);
    parts.open(lang, from, channel, true).await
}

/// Sends the screen's view now and at every change of the results or of
/// the screen's controls (the hub's channel carries both).
async fn stream(
    screens: Arc<Screens>,
    hub: ResultsHub,
    campaign: Campaign,
    channel: Channel,
    with_next: bool,
    mut stopping: tokio::sync::watch::Receiver<bool>,
    slot: crate::results::readers::ReaderSlot,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Reading the view makes sure the hub follows this campaign.
    let _ = hub.view(&campaign, None).await;
    let changes = hub.subscribe(&campaign.slug);
    let stop = async move {
        let _ = stopping.wait_for(|s| *s).await;
    };
    let first = futures::stream::once(async {});
    let later = changes
        .map(|rx| WatchStream::from_changes(rx).map(|_| ()).boxed())
        .unwrap_or_else(|| futures::stream::empty().boxed());
    let mut last: Option<String> = None;
    let slot = Arc::new(slot);
    let events = first
        .chain(later)
        .then(move |_| {
            let (screens, campaign) = (screens.clone(), campaign.clone());
            async move { screens.view(&campaign, channel, with_next).await }
        })
        .filter_map(move |view| {
            let _held = &slot;
            let event = match view {
                Ok((view, revision)) => {
                    let data = serde_json::to_string(&view).unwrap_or_else(|_| "{}".into());
                    let id = format!("{revision}-{:016x}", fingerprint(&data));
                    (last.as_ref() != Some(&id)).then(|| {
                        last = Some(id.clone());
                        Ok(Event::default().id(id).retry(RETRY).data(data))
                    })
                }
                Err(e) => {
                    tracing::warn!(error = %e, "a screen stream could not read the screen");
                    None
                }
            };
            futures::future::ready(event)
        })
        .take_until(stop);
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

fn fingerprint(data: &str) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut h = DefaultHasher::new();
    data.hash(&mut h);
    h.finish()
}
