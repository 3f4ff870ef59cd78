//! `POST /lang`: remembers the reader's language in a cookie and goes back.
//! A plain form post, so it works without JavaScript.

use std::collections::HashMap;

use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;

use alleyvote_domain::Lang;

use crate::web::cookies;
use crate::web::redirect::{header_safe, safe_next};

pub async fn switch(Form(form): Form<HashMap<String, String>>) -> Response {
    let lang = match form.get("lang").map(String::as_str) {
        Some(l) => Lang::parse(l),
        None => Lang::Zh,
    };
    let value = if lang == Lang::En { "en" } else { "zh" };
    let next = safe_next(form.get("next").map(String::as_str));
    (
        StatusCode::SEE_OTHER,
        [
            (SET_COOKIE, cookies::header(&cookies::lang(value))),
            (LOCATION, header_safe(next)),
        ],
    )
        .into_response()
}
