//! Entry point of the wasm bundle: the pages are server-rendered, and only
//! their islands (`#[island]` components in `app`) come to life here.

// The islands are exported from `app`; naming the crate links them in.
pub use app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
