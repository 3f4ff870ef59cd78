//! The router, above the capabilities: it mounts the capabilities' routes
//! (`capabilities.rs` lists them; the API under `/api/v1`), the Leptos site
//! with their page ports,
//! health and the language switch, wrapped in request ids, tracing and
//! compression. [`AppState`] hands each handler only the part it takes.

mod api;
mod health;
mod lang;
mod openapi;
mod text_size;

use axum::http::HeaderName;
use axum::routing::{get, post};
use axum::Router;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::capabilities::AppState;
pub use crate::web::error::ApiError;

pub use crate::web::client::request_lang;

pub fn router(state: AppState) -> Router {
    let page_ports = crate::capabilities::provide_page_ports(&state.services);
    let routes = generate_route_list(app::App);
    let shell_options = state.leptos_options.clone();
    let request_id = HeaderName::from_static("x-request-id");

    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/livez", get(health::livez))
        .route("/lang", post(lang::switch))
        .route("/text-size", post(text_size::switch))
        .merge(crate::capabilities::form_routes())
        .nest("/api/v1", api::router())
        .nest_service("/pkg", crate::web::static_files::pkg_files(&state.leptos_options))
        .leptos_routes_with_context(
            &state,
            routes,
            page_ports,
            move || app::shell(shell_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(app::shell))
        .layer(axum::middleware::from_fn(no_server_fns_over_http))
        .layer(axum::middleware::from_fn_with_state(
            state.services.web.clone(),
            crate::web::device::ensure_device,
        ))
        // Inside the trace layer, so a request cut at its deadline is logged.
        .layer(axum::middleware::from_fn_with_state(
            state.services.web.clone(),
            crate::web::shield::shield,
        ))
        // A body may pause between its parts as long as headers may take;
        // the request's own deadline (the shield) bounds the whole.
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            state.services.web.serve.header_read,
        ))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                        let id = req
                            .headers()
                            .get("x-request-id")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("-");
                        tracing::info_span!("request", request_id = %crate::web::loggable(id), method = %req.method(), path = %crate::web::loggable_path(req.uri().path()))
                    }),
                )
                .layer(PropagateRequestIdLayer::new(request_id))
                // Never compresses event streams (tower-http's default predicate), so live results flow.
                .layer(CompressionLayer::new()),
        )
        .with_state(state)
}

/// Where the pages' `#[server]` loaders would answer over HTTP.
pub const SERVER_FN_PREFIX: &str = "/sfn/";

/// The pages' loaders run only while a page renders on the server (the
/// islands call none of them), so they are not an HTTP surface: a request
/// for one is answered 404 like any unknown path, and no loader — public or
/// console — can be called around the pages, the API and its document.
async fn no_server_fns_over_http(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if req.uri().path().starts_with(SERVER_FN_PREFIX) {
        return axum::response::IntoResponse::into_response(axum::http::StatusCode::NOT_FOUND);
    }
    next.run(req).await
}
