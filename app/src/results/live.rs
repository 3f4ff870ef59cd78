//! Live results in the browser. One `EventSource` per page: the browser
//! reconnects it by itself after a network drop, and every message is a
//! whole snapshot, so a message missed while away costs nothing.
//!
//! A stream the server refused (too many open from one address: a hall's
//! Wi-Fi, a carrier's NAT) or one that keeps failing is replaced by asking
//! for the JSON every few seconds with `If-None-Match` — a 304 is a few
//! bytes — and the page says so. The stream is tried again now and then.

use std::cell::RefCell;
use std::rc::Rc;

use alleyvote_domain::ResultsSnapshot;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::results_board::Following;

/// How often a page without a stream asks for the results.
pub const POLL_MS: i32 = 5_000;
/// Errors in a row (no message between them) after which a reconnecting
/// stream is given up for polling.
const FAILURES_BEFORE_POLLING: u32 = 3;
/// Polls between two tries of the stream (about a minute).
const POLLS_BETWEEN_STREAM_TRIES: u32 = 12;

type Held = (
    web_sys::EventSource,
    Closure<dyn FnMut(web_sys::MessageEvent)>,
    Closure<dyn FnMut()>,
    Closure<dyn FnMut()>,
);

struct Follower {
    slug: String,
    snapshot: RwSignal<ResultsSnapshot>,
    following: RwSignal<Following>,
    /// The tag of the snapshot shown, as an `ETag` (quoted).
    etag: Option<String>,
    failures: u32,
    stream: Option<Held>,
    polling: bool,
    stopped: bool,
}

type Shared = Rc<RefCell<Follower>>;

/// Follows `snapshot`'s campaign; `following` says how.
pub fn follow(snapshot: RwSignal<ResultsSnapshot>, following: RwSignal<Following>) {
    Effect::new(move |_| {
        let me = Rc::new(RefCell::new(Follower {
            slug: snapshot.with_untracked(|s| s.campaign_slug.clone()),
            snapshot,
            following,
            etag: None,
            failures: 0,
            stream: None,
            polling: false,
            stopped: false,
        }));
        open_stream(me.clone());
        let me = SendWrapper::new(me);
        on_cleanup(move || {
            let mut f = me.borrow_mut();
            f.stopped = true;
            if let Some(held) = f.stream.take() {
                held.0.close();
            }
        });
    });
}

fn open_stream(me: Shared) {
    let url = format!("/api/v1/campaigns/{}/results/stream", me.borrow().slug);
    let Ok(source) = web_sys::EventSource::new(&url) else {
        start_polling(me);
        return;
    };
    let on_message = {
        let me = me.clone();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let Some(next) = ev
                .data()
                .as_string()
                .and_then(|t| serde_json::from_str::<ResultsSnapshot>(&t).ok())
            else {
                return;
            };
            let mut f = me.borrow_mut();
            f.etag = Some(format!("\"{}\"", ev.last_event_id()));
            f.failures = 0;
            f.snapshot.set(next);
            f.following.set(Following::Live);
        })
    };
    let on_open = {
        let following = me.borrow().following;
        Closure::<dyn FnMut()>::new(move || following.set(Following::Live))
    };
    let on_error = {
        let me = me.clone();
        Closure::<dyn FnMut()>::new(move || {
            let give_up = {
                let mut f = me.borrow_mut();
                f.failures += 1;
                f.following.set(Following::Offline);
                // Closed: the server refused it (a 429, a 503), and the
                // browser will not try again by itself.
                let closed = f
                    .stream
                    .as_ref()
                    .is_some_and(|h| h.0.ready_state() == web_sys::EventSource::CLOSED);
                closed || f.failures >= FAILURES_BEFORE_POLLING
            };
            if give_up {
                if let Some(held) = me.borrow_mut().stream.take() {
                    held.0.close();
                }
                start_polling(me.clone());
            }
        })
    };
    source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    if let Some(old) = me
        .borrow_mut()
        .stream
        .replace((source, on_message, on_open, on_error))
    {
        old.0.close();
    }
}

fn start_polling(me: Shared) {
    {
        let mut f = me.borrow_mut();
        if f.polling || f.stopped {
            return;
        }
        f.polling = true;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let mut polls = 0u32;
        loop {
            poll_once(&me).await;
            polls += 1;
            crate::browser::sleep(POLL_MS).await;
            if me.borrow().stopped {
                return;
            }
            if polls.is_multiple_of(POLLS_BETWEEN_STREAM_TRIES) {
                {
                    let mut f = me.borrow_mut();
                    f.polling = false;
                    f.failures = 0;
                }
                open_stream(me);
                return;
            }
        }
    });
}

/// Asks for the results once, sending the tag of what is shown: a 304
/// leaves the page as it is.
async fn poll_once(me: &Shared) {
    let (url, etag, following) = {
        let f = me.borrow();
        (
            format!("/api/v1/campaigns/{}/results", f.slug),
            f.etag.clone(),
            f.following,
        )
    };
    match fetch(&url, etag.as_deref()).await {
        Some(Fetched::Same) => following.set(Following::Polling),
        Some(Fetched::New(next, tag)) => {
            let mut f = me.borrow_mut();
            f.etag = tag;
            f.snapshot.set(*next);
            following.set(Following::Polling);
        }
        None => following.set(Following::Offline),
    }
}

enum Fetched {
    Same,
    New(Box<ResultsSnapshot>, Option<String>),
}

async fn fetch(url: &str, etag: Option<&str>) -> Option<Fetched> {
    // The tag is sent by hand (the browser's cache kept out of it), so
    // what the server sees is what this page holds.
    let mut headers = vec![("Accept", "application/json")];
    if let Some(tag) = etag {
        headers.push(("If-None-Match", tag));
    }
    let got = crate::browser::fetch_text(url, &headers, None).await?;
    match got.status {
        304 => Some(Fetched::Same),
        200..=299 => {
            let snapshot = serde_json::from_str(&got.text).ok()?;
            Some(Fetched::New(Box::new(snapshot), got.etag))
        }
        _ => None,
    }
}
