//! A live results stream as the bytes it sends: the snapshot the reader may
//! see now (never older than what it was shown before), then one event per
//! change, a comment every 15 s while nothing changes (so proxies keep the
//! connection), and the end when the server stops. The JSON API's route and
//! the socket route (`socket_stream.rs`) send exactly these bytes.
//!
//! Each event is framed once per snapshot ([`Encoded::frame`]) and shared by
//! every stream, and a waiting stream holds little: this state, a timer, and
//! the address's place among its open streams.

use std::net::IpAddr;
use std::time::Duration;

use alleyvote_domain::{Campaign, Lang};
use axum::body::{Body, Bytes};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::Response;
use futures::Stream;
use std::sync::Arc;
use tokio::sync::watch;

use super::{tags, Encoded, ResultsHub, SnapshotRx};
use crate::web::error::ApiError;
use crate::web::readers::ReaderSlot;

/// When a reader turned away for too many streams may try again.
pub const RETRY_AFTER_S: i64 = 30;

/// Sent when nothing else was for this long.
pub(crate) const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// An SSE comment: ignored by the reader, it keeps proxies from timing out.
pub(crate) const PING: &[u8] = b":\n\n";

/// Who asks for a stream, and what they were shown before.
pub struct Reader<'a> {
    pub from: IpAddr,
    pub lang: Lang,
    /// The `Last-Event-ID` a reconnecting reader sends.
    pub last_event_id: Option<&'a str>,
}

/// Opens a stream of `campaign`'s results for `reader`: refused when the
/// address holds `cap` streams already.
pub async fn open(
    hub: &ResultsHub,
    campaign: Campaign,
    reader: Reader<'_>,
    cap: usize,
    stopping: watch::Receiver<bool>,
) -> Result<impl Stream<Item = Bytes> + Send + 'static, ApiError> {
    let lang = reader.lang;
    let slot = hub.reader_slot(reader.from, cap).ok_or_else(|| {
        ApiError::rate_limited(
            RETRY_AFTER_S,
            lang.pick(
                "从您的网络打开的实时结果页面太多了，请关闭一些后再试。",
                "Too many live results pages are open from your network. Close some and try again.",
            )
            .to_string(),
        )
    })?;
    let seen = reader.last_event_id.and_then(tags::seen_version);
    let first = hub
        .view(&campaign, seen)
        .await
        .map_err(|e| ApiError::internal(lang, &e))?;
    let mut changes = hub
        .subscribe(&campaign.slug)
        .ok_or_else(|| ApiError::unknown_campaign(lang))?;
    // A change between the first read and subscribing is looked at again
    // (and sent only if it differs).
    changes.mark_changed();
    let follow = Follow {
        next_ping: tokio::time::Instant::now() + KEEP_ALIVE,
        first: Some(hub.encode(&first)),
        hub: hub.clone(),
        campaign: Box::new(campaign),
        changes,
        stopping,
        last: None,
        _slot: slot,
    };
    Ok(futures::stream::unfold(follow, Follow::next))
}

/// The answer that carries a stream through axum.
pub fn response(frames: impl Stream<Item = Bytes> + Send + 'static) -> Response {
    use futures::StreamExt;
    let mut response = Response::new(Body::from_stream(
        frames.map(Ok::<_, std::convert::Infallible>),
    ));
    head(response.headers_mut());
    response
}

/// The headers of a stream's answer.
pub fn head(headers: &mut axum::http::HeaderMap) {
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    // Tells nginx-style proxies not to hold events back.
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
}

struct Follow {
    /// When a comment goes out unless a frame does first (a wake-up that
    /// sends nothing does not put it off).
    next_ping: tokio::time::Instant,
    first: Option<Arc<Encoded>>,
    hub: ResultsHub,
    campaign: Box<Campaign>,
    changes: SnapshotRx,
    stopping: watch::Receiver<bool>,
    /// What this reader was sent last (shared with every other reader).
    last: Option<Arc<Encoded>>,
    _slot: ReaderSlot,
}

enum Wake {
    Changed,
    Idle,
    Stop,
}

impl Follow {
    async fn next(mut self) -> Option<(Bytes, Follow)> {
        if let Some(first) = self.first.take() {
            let frame = first.frame.clone();
            self.last = Some(first);
            return Some((frame, self));
        }
        let sent = |mut me: Follow, frame: Bytes| {
            me.next_ping = tokio::time::Instant::now() + KEEP_ALIVE;
            Some((frame, me))
        };
        loop {
            if *self.stopping.borrow() {
                return None;
            }
            let wake = tokio::select! {
                changed = self.changes.changed() => match changed {
                    Ok(()) => Wake::Changed,
                    Err(_) => Wake::Stop,
                },
                _ = self.stopping.changed() => Wake::Stop,
                _ = tokio::time::sleep_until(self.next_ping) => Wake::Idle,
            };
            match wake {
                Wake::Stop => return None,
                Wake::Idle => return sent(self, Bytes::from_static(PING)),
                Wake::Changed => {
                    // Boxed: a waiting stream should not carry the read's state.
                    match Box::pin(self.hub.view(&self.campaign, None)).await {
                        Ok(snapshot) => {
                            let encoded = self.hub.encode(&snapshot);
                            if self.last.as_ref().is_some_and(|l| l.tag == encoded.tag) {
                                continue;
                            }
                            let frame = encoded.frame.clone();
                            self.last = Some(encoded);
                            return sent(self, frame);
                        }
                        // The next change tries again; the reader keeps what it has.
                        Err(e) => {
                            tracing::warn!(error = %e, "a results stream could not read the results")
                        }
                    }
                }
            }
        }
    }
}
