//! The router, above the capabilities: it mounts each capability's routes
//! (and its `api_routes` under `/api/v1`), the Leptos site with its ports,
//! health and the language switch, wrapped in request ids, tracing and
//! compression. [`AppState`] hands each handler only the part it takes.

mod api;
mod health;
mod lang;
mod openapi;

use std::sync::Arc;

use axum::extract::FromRef;
use axum::http::HeaderName;
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tokio::sync::watch;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use app::backend::SharedBackend;

use crate::services::Services;

pub use crate::web::error::ApiError;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub services: Arc<Services>,
    /// Flips to `true` when the server begins to shut down; long-lived streams end then.
    pub stopping: watch::Receiver<bool>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

pub use crate::web::client::request_lang;

/// Each capability's handlers take only the parts of the state they use.
// A macro: eighteen `FromRef` impls that differ in one expression; a blanket
// impl would overlap axum's own `FromRef<T> for T`.
macro_rules! state_parts {
    ($($part:ty => |$s:ident| $get:expr),* $(,)?) => {
        $(
            impl FromRef<AppState> for $part {
                fn from_ref($s: &AppState) -> Self {
                    $get
                }
            }
        )*
    };
}

state_parts!(
    crate::web::WebConfig => |s| s.services.web.clone(),
    Arc<crate::organizers::Organizers> => |s| s.services.organizers.clone(),
    Arc<crate::campaigns::Campaigns> => |s| s.services.campaigns.clone(),
    Arc<crate::places::Places> => |s| s.services.places.clone(),
    Arc<crate::stations::Stations> => |s| s.services.stations.clone(),
    Arc<crate::paper::Paper> => |s| s.services.paper.clone(),
    Arc<crate::publication::Publications> => |s| s.services.publications.clone(),
    Arc<crate::screen::Screens> => |s| s.services.screens.clone(),
    Arc<crate::exports::Exports> => |s| s.services.exports.clone(),
    Arc<crate::jury::Jury> => |s| s.services.jury.clone(),
    Arc<crate::exports::audit_log::AuditLog> => |s| s.services.audit.clone(),
    Arc<crate::nominees::Nominees> => |s| s.services.nominees.clone(),
    Arc<crate::nominations::Nominations> => |s| s.services.nominations.clone(),
    Arc<crate::signin::Signin> => |s| s.services.signin.clone(),
    Arc<crate::voting::Casting> => |s| s.services.casting.clone(),
    Arc<crate::limits::RateLimits> => |s| s.services.limits.clone(),
    crate::results::ResultsHub => |s| s.services.hub.clone(),
    crate::web::Stopping => |s| crate::web::Stopping(s.stopping.clone()),
);

pub fn router(state: AppState) -> Router {
    let backend: SharedBackend = state.services.clone();
    let console_backend: app::backend::SharedConsole = state.services.clone();
    let paper_backend: app::paper::port::SharedPaper = Arc::new(state.services.paper_pages());
    let publication_backend: app::publication::port::SharedPublication =
        Arc::new(state.services.publication_pages());
    let screen_backend: app::screen::port::SharedScreen = Arc::new(state.services.screen_pages());
    let jury_backend: app::jury::port::SharedJury = Arc::new(state.services.jury_pages());
    let nomination_backend: app::nomination::port::SharedNominations =
        Arc::new(state.services.nomination_pages());
    let routes = generate_route_list(app::App);
    let shell_options = state.leptos_options.clone();
    let request_id = HeaderName::from_static("x-request-id");

    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/livez", get(health::livez))
        .route("/lang", post(lang::switch))
        .merge(crate::signin::http::routes())
        .merge(crate::voting::http::routes())
        .merge(crate::organizers::http::routes())
        .merge(crate::stations::http::routes())
        .merge(crate::paper::http::routes())
        .merge(crate::publication::http::routes())
        .merge(crate::screen::http::routes())
        .merge(crate::exports::http::routes())
        .merge(crate::jury::http::routes())
        .merge(crate::nominations::forms::routes())
        .merge(crate::campaigns::http::routes())
        .merge(crate::places::http::routes())
        .merge(crate::exports::audit_log::routes())
        .merge(crate::nominees::http::routes())
        .nest("/api/v1", api::router())
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(backend.clone());
                provide_context(console_backend.clone());
                provide_context(paper_backend.clone());
                provide_context(publication_backend.clone());
                provide_context(screen_backend.clone());
                provide_context(jury_backend.clone());
                provide_context(nomination_backend.clone());
            },
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
