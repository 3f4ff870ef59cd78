//! `POST /text-size`: remembers larger text (大字) in a cookie and goes
//! back. A plain form post, so it works without JavaScript.

use std::collections::HashMap;

use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;

use crate::web::cookies;
use crate::web::redirect::{header_safe, safe_next};

pub async fn switch(Form(form): Form<HashMap<String, String>>) -> Response {
    let large = form.get("size").map(String::as_str) == Some("large");
    let next = safe_next(form.get("next").map(String::as_str));
    (
        StatusCode::SEE_OTHER,
        [
            (SET_COOKIE, cookies::header(&cookies::text_size(large))),
            (LOCATION, header_safe(next)),
        ],
    )
        .into_response()
}
