//! What an operator types on a tally sheet is never lost: in the browser,
//! each change is kept in the tablet's local storage at once and sent to
//! the server as a draft a moment after typing stops; a page that is left
//! with numbers the server does not have yet asks first; a page opened
//! again (after a lost connection, a closed tab) puts back what the tablet
//! kept and sends it.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::sheet_page::Keeping;

/// How long after the last keystroke the draft goes to the server.
const QUIET_MS: i32 = 1_200;

/// The entry form's keeper: where it keeps, and where it sends.
#[derive(Clone)]
pub struct DraftKeeper {
    storage_key: String,
    draft_url: String,
    keeping: RwSignal<Keeping>,
    /// Changed since the server last kept it.
    unsent: Rc<Cell<bool>>,
    /// Bumped by every change: a send waits for the typing to stop.
    generation: Rc<Cell<u64>>,
}

impl DraftKeeper {
    pub fn new(sheet: i64, round: u8, keeping: RwSignal<Keeping>) -> DraftKeeper {
        let keeper = DraftKeeper {
            storage_key: format!("alleyvote-sheet-{sheet}-round-{round}"),
            draft_url: format!("/console/paper/sheets/{sheet}/draft"),
            keeping,
            unsent: Rc::new(Cell::new(false)),
            generation: Rc::new(Cell::new(0)),
        };
        // Leaving with numbers the server does not have asks first.
        let unsent = keeper.unsent.clone();
        let handle = window_event_listener(leptos::ev::beforeunload, move |ev| {
            if unsent.get() {
                ev.prevent_default();
                ev.set_return_value("");
            }
        });
        on_cleanup(move || handle.remove());
        keeper
    }

    /// What the tablet kept for this entry, if anything.
    pub fn kept(&self) -> Option<Vec<(String, String)>> {
        let text = storage()?.get_item(&self.storage_key).ok()??;
        serde_json::from_str(&text).ok()
    }

    /// A change: kept at once on the tablet, sent when typing stops.
    /// `pairs` is the whole form as it stands (the CSRF token included).
    pub fn changed(&self, pairs: Vec<(String, String)>) {
        self.unsent.set(true);
        if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(&pairs)) {
            let _ = storage.set_item(&self.storage_key, &text);
        }
        self.keeping.set(Keeping::Unsent);
        let generation = self.generation.get() + 1;
        self.generation.set(generation);
        let me = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            crate::browser::sleep(QUIET_MS).await;
            if me.generation.get() == generation {
                me.send(pairs, generation).await;
            }
        });
    }

    /// The form is being sent by its own button: nothing to ask on leaving.
    pub fn submitting(&self) {
        self.unsent.set(false);
    }

    async fn send(&self, pairs: Vec<(String, String)>, generation: u64) {
        self.keeping.set(Keeping::Sending);
        let body = pairs
            .iter()
            .filter(|(name, _)| name != "action")
            .chain(std::iter::once(&("action".to_string(), "save".to_string())))
            .map(|(k, v)| format!("{}={}", urlencoding::encode(k), urlencoding::encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let outcome = post(&self.draft_url, &body).await;
        // A newer change is on its way: it says how things stand.
        if self.generation.get() != generation {
            return;
        }
        match outcome {
            Sent::Kept => {
                self.unsent.set(false);
                if let Some(storage) = storage() {
                    let _ = storage.remove_item(&self.storage_key);
                }
                self.keeping.set(Keeping::Saved(crate::browser::clock()));
            }
            Sent::Offline => self.keeping.set(Keeping::Offline),
            Sent::Refused(why) => self.keeping.set(Keeping::Refused(why)),
        }
    }
}

enum Sent {
    Kept,
    Offline,
    Refused(String),
}

async fn post(url: &str, body: &str) -> Sent {
    let Some(got) = crate::browser::fetch_text(url, &[], Some(body)).await else {
        return Sent::Offline;
    };
    match got.status {
        204 => Sent::Kept,
        500.. => Sent::Offline,
        // The server says it in both languages, Chinese first.
        _ => Sent::Refused(got.text.split(" / ").next().unwrap_or_default().to_string()),
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Puts a kept value back into its field on the page.
pub fn show_in_field(id: &str, value: &str) {
    let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    else {
        return;
    };
    if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        if input.type_() == "checkbox" {
            input.set_checked(value == "on");
        } else {
            input.set_value(value);
        }
    } else if let Some(area) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.set_value(value);
    }
}
