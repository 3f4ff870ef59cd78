//! Live results in the browser: one `EventSource` per page. The browser
//! reconnects it by itself after a network drop; every message is a whole
//! snapshot, so a message missed while away costs nothing.

use alleyvote_domain::ResultsSnapshot;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

pub fn follow(snapshot: RwSignal<ResultsSnapshot>, live: RwSignal<bool>) {
    Effect::new(move |_| {
        let slug = snapshot.with_untracked(|s| s.campaign_slug.clone());
        let url = format!("/api/v1/campaigns/{slug}/results/stream");
        let Ok(source) = web_sys::EventSource::new(&url) else {
            return;
        };
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                if let Some(text) = ev.data().as_string() {
                    if let Ok(next) = serde_json::from_str::<ResultsSnapshot>(&text) {
                        snapshot.set(next);
                        live.set(true);
                    }
                }
            });
        let on_open = Closure::<dyn FnMut()>::new(move || live.set(true));
        let on_error = Closure::<dyn FnMut()>::new(move || live.set(false));
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let held = SendWrapper::new((source, on_message, on_open, on_error));
        on_cleanup(move || held.0.close());
    });
}
