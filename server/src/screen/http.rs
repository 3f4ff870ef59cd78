//! The screen's presses and streams: `POST /console/screen/press` (a screen
//! operator or admin), `GET /screen/stream` (the public screen, anyone) and
//! `GET /console/screen/stream` (the rehearsal screen and the operator's
//! panel, with the next place to reveal). A stream sends the whole view at
//! each change, so a screen that reconnects — after a network drop or a
//! server restart — is at the current state with its first message. The
//! view is built once per change and shared by every stream of its screen
//! (`Screens::shared_view`).

use std::convert::Infallible;
use std::sync::Arc;

use alleyvote_domain::screen::{Channel, ScreenCommand, ScreenMode, ScreenRefusal};
use alleyvote_domain::Campaign;
use app::screen::forms::ScreenForm;
use axum::body::Bytes;
use axum::extract::{FromRef, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use super::{ScreenError, ScreenFrame, Screens};
use crate::campaigns::Campaigns;
use crate::organizers::access::{ConsoleForm, ControlScreen, Signed};
use crate::organizers::Organizers;
use crate::results::stream::{self as results_stream, KEEP_ALIVE, PING};
use crate::results::{ResultsHub, SnapshotRx};
use crate::web::client::{ClientAddr, RequestLang};
use crate::web::error::{ApiError, ConsoleRefusal};
use crate::web::readers::ReaderSlot;
use crate::web::redirect::see_other;
use crate::web::{Stopping, WebConfig};

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

/// The press a form names; a mode switch the operator confirmed (ending a
/// reveal under way) carries `confirm=yes`.
fn command_of(text: &str, confirmed: bool) -> Option<ScreenCommand> {
    match text.trim() {
        "next" => Some(ScreenCommand::Next),
        "back" => Some(ScreenCommand::Back),
        mode if confirmed => ScreenMode::parse(mode).map(ScreenCommand::Confirmed),
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
    let (Some(command), Ok(Some(campaign))) = (
        command_of(&form.command, form.confirm == "yes"),
        campaigns.current().await,
    ) else {
        return Err(ConsoleRefusal::BadForm);
    };
    match screens
        .press(session.actor(), &campaign, channel, command)
        .await
    {
        Ok(_) => Ok(back("done=pressed")),
        // A switch that would end a reveal comes back asking to confirm it.
        Err(ScreenError::Refused(r @ ScreenRefusal::RevealUnderway)) => Ok(back(&format!(
            "problem={}&wanted={}",
            r.code(),
            form.command.trim()
        ))),
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
/// the screen's controls (the hub's channel carries both), skipping a view
/// the screen already shows; a comment while nothing changes. The view is
/// the one every stream of this screen shares (`Screens::shared_view`).
async fn stream(
    screens: Arc<Screens>,
    hub: ResultsHub,
    campaign: Campaign,
    channel: Channel,
    with_next: bool,
    stopping: tokio::sync::watch::Receiver<bool>,
    slot: ReaderSlot,
) -> Response {
    // The hub follows this campaign, at its state as read now: a press made
    // on another instance since its last refresh is seen by this stream's
    // first view (and wakes the screens already open).
    if let Err(e) = hub.follow(&campaign).await {
        tracing::warn!(error = %e, "a screen stream could not read the results' state");
    }
    let follow = Follow {
        changes: hub.subscribe(&campaign.slug),
        screens,
        campaign: Box::new(campaign),
        channel,
        with_next,
        stopping,
        first: true,
        last: None,
        next_ping: tokio::time::Instant::now() + KEEP_ALIVE,
        _slot: slot,
    };
    results_stream::response(futures::stream::unfold(follow, Follow::next))
}

/// One screen stream's state between two events.
struct Follow {
    screens: Arc<Screens>,
    campaign: Box<Campaign>,
    channel: Channel,
    with_next: bool,
    changes: Option<SnapshotRx>,
    stopping: tokio::sync::watch::Receiver<bool>,
    /// The first view is still to be sent.
    first: bool,
    /// What this stream sent last (shared with every other stream).
    last: Option<Arc<ScreenFrame>>,
    /// When a comment goes out unless a view does first.
    next_ping: tokio::time::Instant,
    _slot: ReaderSlot,
}

enum Wake {
    Changed,
    Idle,
    Stop,
}

impl Follow {
    async fn next(mut self) -> Option<(Bytes, Follow)> {
        loop {
            if *self.stopping.borrow() {
                return None;
            }
            let wake = if std::mem::take(&mut self.first) {
                Wake::Changed
            } else {
                tokio::select! {
                    changed = changed(&mut self.changes) => match changed {
                        Ok(()) => Wake::Changed,
                        Err(_) => Wake::Stop,
                    },
                    _ = self.stopping.changed() => Wake::Stop,
                    _ = tokio::time::sleep_until(self.next_ping) => Wake::Idle,
                }
            };
            let frame = match wake {
                Wake::Stop => return None,
                Wake::Idle => Bytes::from_static(PING),
                Wake::Changed => {
                    // Boxed: a waiting stream should not carry the build's state.
                    let shared = Box::pin(self.screens.shared_view(
                        &self.campaign,
                        self.channel,
                        self.with_next,
                    ))
                    .await;
                    let Some(view) = shared else { continue };
                    if self.last.as_ref().is_some_and(|l| l.id == view.id) {
                        continue;
                    }
                    let frame = view.frame.clone();
                    self.last = Some(view);
                    frame
                }
            };
            self.next_ping = tokio::time::Instant::now() + KEEP_ALIVE;
            return Some((frame, self));
        }
    }
}

/// The hub's next change; never, for a campaign it does not follow.
async fn changed(
    changes: &mut Option<SnapshotRx>,
) -> Result<(), tokio::sync::watch::error::RecvError> {
    match changes {
        Some(rx) => rx.changed().await,
        None => std::future::pending().await,
    }
}
