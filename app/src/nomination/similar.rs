//! While the name is typed (with JavaScript): the likely duplicates already
//! nominated in the chosen community, from the same rule the server applies
//! on submit. An island; without JavaScript the check happens on submit.

use leptos::prelude::*;

use alleyvote_domain::nomination::Likeness;
use serde::Deserialize;

use crate::i18n::use_lang;

/// What the island reads of each likely duplicate the API answers: the
/// name and how alike. (Not the pages' `SimilarRow`: its details for
/// `/my/nominations` would bring their decoding into the bundle.)
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct Alike {
    name: String,
    likeness: Likeness,
}

#[island]
pub fn SimilarWhileTyping(slug: String) -> impl IntoView {
    let lang = use_lang();
    let found = RwSignal::new(Vec::<Alike>::new());
    #[cfg(feature = "hydrate")]
    watch(slug, found);
    #[cfg(not(feature = "hydrate"))]
    let _ = slug;
    let list = move || {
        let rows = found.get();
        (!rows.is_empty()).then(|| {
            let names = rows
                .iter()
                .map(|r| format!("{}（{}）", r.name, r.likeness.label(lang)))
                .collect::<Vec<_>>()
                .join(lang.pick("、", ", "));
            view! {
                <p class="notice" data-testid="similar-live-list">
                    {lang.pick("这个居民区已有相近的推荐：", "Already nominated in this community: ")}{names}
                    {lang.pick("。如果是同一人，提交后可以改为支持那条推荐。", ". If it is the same person, you can support that one after sending.")}
                </p>
            }
        })
    };
    view! { <div aria-live="polite" data-testid="similar-live">{list}</div> }
}

/// Asks the server whenever the name or the community changes; an answer
/// that arrives after a newer question is dropped.
#[cfg(feature = "hydrate")]
fn watch(slug: String, found: RwSignal<Vec<Alike>>) {
    use wasm_bindgen::JsCast;
    let asked = StoredValue::new(0u32);
    let value_of = |id: &str| -> String {
        let el = document().get_element_by_id(id);
        el.as_ref()
            .and_then(|e| e.dyn_ref::<web_sys::HtmlInputElement>().map(|i| i.value()))
            .or_else(|| {
                el.as_ref()
                    .and_then(|e| e.dyn_ref::<web_sys::HtmlSelectElement>().map(|s| s.value()))
            })
            .unwrap_or_default()
    };
    let look = move || {
        let (name, community) = (value_of("nominee-name"), value_of("nominee-community"));
        if name.trim().chars().count() < 2 || community.is_empty() {
            found.set(Vec::new());
            return;
        }
        let n = asked.get_value() + 1;
        asked.set_value(n);
        let url = format!(
            "/api/v1/campaigns/{slug}/nominations/similar?community={}&name={}",
            js_sys::encode_uri_component(&community),
            js_sys::encode_uri_component(name.trim()),
        );
        leptos::task::spawn_local(async move {
            let rows = fetch_similar(&url).await.unwrap_or_default();
            if asked.get_value() == n {
                found.set(rows);
            }
        });
    };
    // On weak 4G the bundle may arrive after the name was typed: look once
    // now, then at every change.
    look();
    let on_input = window_event_listener(leptos::ev::input, {
        let look = look.clone();
        move |_| look()
    });
    let on_change = window_event_listener(leptos::ev::change, move |_| look());
    on_cleanup(move || {
        on_input.remove();
        on_change.remove();
    });
}

#[cfg(feature = "hydrate")]
async fn fetch_similar(url: &str) -> Option<Vec<Alike>> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let response = JsFuture::from(window().fetch_with_str(url)).await.ok()?;
    let response: web_sys::Response = response.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    let text = JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()?;
    serde_json::from_str(&text).ok()
}
