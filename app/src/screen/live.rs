//! The screen's live view in the browser: one `EventSource` at a time.
//! Every message is the whole view, so a screen that reconnects is at the
//! current state with its first message. The browser retries a dropped
//! stream by itself (the server asks for 2 s); when it gives up (the
//! server answered with an error, e.g. while restarting behind a proxy),
//! the screen opens a new stream after a growing pause (1 s … 30 s).

use std::cell::RefCell;
use std::rc::Rc;

use alleyvote_domain::screen::ScreenView;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

const MAX_PAUSE_MS: i32 = 30_000;

type Held = (
    web_sys::EventSource,
    Closure<dyn FnMut(web_sys::MessageEvent)>,
    Closure<dyn FnMut()>,
    Closure<dyn FnMut()>,
);

struct Follower {
    url: String,
    view: RwSignal<ScreenView>,
    connected: RwSignal<bool>,
    pause_ms: i32,
    held: Option<Held>,
}

fn open(me: Rc<RefCell<Follower>>) {
    let (url, view, connected) = {
        let f = me.borrow();
        (f.url.clone(), f.view, f.connected)
    };
    let Ok(source) = web_sys::EventSource::new(&url) else {
        return;
    };
    let on_message = {
        let me = me.clone();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            if let Some(next) = ev
                .data()
                .as_string()
                .and_then(|t| serde_json::from_str::<ScreenView>(&t).ok())
            {
                view.set(next);
                connected.set(true);
                me.borrow_mut().pause_ms = 1_000;
            }
        })
    };
    let on_open = Closure::<dyn FnMut()>::new(move || connected.set(true));
    let on_error = {
        let me = me.clone();
        Closure::<dyn FnMut()>::new(move || {
            connected.set(false);
            let closed = me
                .borrow()
                .held
                .as_ref()
                .is_some_and(|h| h.0.ready_state() == web_sys::EventSource::CLOSED);
            if closed {
                retry_later(me.clone());
            }
        })
    };
    source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // The old stream and its closures go with the new one in place.
    if let Some(old) = me
        .borrow_mut()
        .held
        .replace((source, on_message, on_open, on_error))
    {
        old.0.close();
    }
}

fn retry_later(me: Rc<RefCell<Follower>>) {
    let pause = {
        let mut f = me.borrow_mut();
        let pause = f.pause_ms;
        f.pause_ms = (pause * 2).min(MAX_PAUSE_MS);
        pause
    };
    let again = Closure::once_into_js(move || open(me));
    if let Some(window) = web_sys::window() {
        let _ = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(again.unchecked_ref(), pause);
    }
}

/// Follows the stream at `url` into `view`; `connected` says whether the
/// stream is up.
pub fn follow(url: String, view: RwSignal<ScreenView>, connected: RwSignal<bool>) {
    Effect::new(move |_| {
        let me = Rc::new(RefCell::new(Follower {
            url: url.clone(),
            view,
            connected,
            pause_ms: 1_000,
            held: None,
        }));
        open(me.clone());
        let me = SendWrapper::new(me);
        on_cleanup(move || {
            if let Some(h) = me.borrow_mut().held.take() {
                h.0.close();
            }
        });
    });
}
