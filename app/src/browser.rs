//! What the islands ask of the browser, in one place: waiting, and fetching
//! a page or a document as text. Compiled only for the browser.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Waits `ms` milliseconds without holding the page.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// A response as text: its status, its `ETag`, its body.
pub struct Fetched {
    pub status: u16,
    pub etag: Option<String>,
    pub text: String,
}

/// Sends a request; `None` when the network (or the browser) failed.
/// `headers` are set as given; `body` makes it a form POST. The browser's
/// cache stays out of it: what the server sees is what the page holds.
pub async fn fetch_text(
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Option<Fetched> {
    let init = web_sys::RequestInit::new();
    init.set_cache(web_sys::RequestCache::NoStore);
    let set = web_sys::Headers::new().ok()?;
    for (name, value) in headers {
        set.set(name, value).ok()?;
    }
    if let Some(body) = body {
        init.set_method("POST");
        init.set_body(&wasm_bindgen::JsValue::from_str(body));
        set.set("Content-Type", "application/x-www-form-urlencoded")
            .ok()?;
    }
    init.set_headers(&set);
    let request = web_sys::Request::new_with_str_and_init(url, &init).ok()?;
    let response = JsFuture::from(web_sys::window()?.fetch_with_request(&request))
        .await
        .ok()?;
    let response: web_sys::Response = response.dyn_into().ok()?;
    let etag = response.headers().get("ETag").ok().flatten();
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    Some(Fetched {
        status: response.status(),
        etag,
        text,
    })
}

/// The time of day as the device shows it (`14:03:27`).
pub fn clock() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "{:02}:{:02}:{:02}",
        now.get_hours(),
        now.get_minutes(),
        now.get_seconds()
    )
}
