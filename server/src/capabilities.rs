//! Every capability the server runs, registered in this one file: its slice
//! of the storage interface, the use cases its handlers take from the
//! state, its form routes and its JSON API routes. The `Store` trait, the
//! router and the API document are built from these lists alone, and
//! `server/tests/it/layers.rs` fails when a capability folder has a part
//! (`storage`, `http.rs`, `api.rs`, `pages.rs`) this file does not name.
//!
//! Adding a capability: its folder, `pub mod` in `lib.rs`, its use cases in
//! [`Services`] (built in `lib.rs`), and one line in each list below that
//! applies to it.

use std::sync::Arc;

use axum::extract::FromRef;
use axum::Router;
use leptos::prelude::LeptosOptions;
use tokio::sync::watch;
use utoipa_axum::router::OpenApiRouter;

use crate::cache::RedisHandle;
use crate::results::ResultsHub;

/// Declares the `Store` trait as the sum of the slices listed, once.
macro_rules! store_of {
    ($($slice:path),+ $(,)?) => {
        /// A database with every capability's storage.
        pub trait Store: crate::storage::Installation $(+ $slice)+ + 'static {}

        impl<T> Store for T where T: crate::storage::Installation $(+ $slice)+ + 'static {}
    };
}

store_of!(
    crate::audit::storage::AuditStorage,
    crate::campaigns::storage::CampaignStorage,
    crate::jury::storage::JuryStorage,
    crate::nominations::storage::NominationStorage,
    crate::nominees::storage::NomineeStorage,
    crate::organizers::storage::OrganizerStorage,
    crate::paper::storage::PaperStorage,
    crate::places::storage::PlaceStorage,
    crate::publication::storage::PublicationStorage,
    crate::results::storage::ResultsStorage,
    crate::retention::storage::RetentionStorage,
    crate::screen::storage::ScreenStorage,
    crate::signin::storage::SigninStorage,
    crate::stations::storage::StationStorage,
    crate::voting::storage::VoteStorage,
);

/// Every slice, for `use alleyvote::store::prelude::*`.
pub mod prelude {
    pub use crate::audit::storage::AuditStorage;
    pub use crate::campaigns::storage::CampaignStorage;
    pub use crate::jury::storage::JuryStorage;
    pub use crate::nominations::storage::NominationStorage;
    pub use crate::nominees::storage::NomineeStorage;
    pub use crate::organizers::storage::OrganizerStorage;
    pub use crate::paper::storage::PaperStorage;
    pub use crate::places::storage::PlaceStorage;
    pub use crate::publication::storage::PublicationStorage;
    pub use crate::results::storage::ResultsStorage;
    pub use crate::retention::storage::RetentionStorage;
    pub use crate::screen::storage::ScreenStorage;
    pub use crate::signin::storage::SigninStorage;
    pub use crate::stations::storage::StationStorage;
    pub use crate::storage::Installation;
    pub use crate::voting::storage::VoteStorage;

    pub use super::Store;
}

/// The capabilities' use cases, built once at start-up (in `lib.rs`), with
/// the floor's shared parts. Each handler takes only the part it needs (the
/// `FromRef` list below); each page port is built from it (`services.rs`).
pub struct Services {
    pub store: Arc<dyn Store>,
    pub web: crate::web::WebConfig,
    pub limits: Arc<crate::limits::RateLimits>,
    pub redis: Option<RedisHandle>,
    pub hub: ResultsHub,
    /// The clock every rule about time reads (a test may set it).
    pub clock: crate::clock::Clock,
    // The capabilities' use cases.
    pub audit: Arc<crate::exports::audit_log::AuditLog>,
    pub campaigns: Arc<crate::campaigns::Campaigns>,
    pub casting: Arc<crate::voting::Casting>,
    pub nominees: Arc<crate::nominees::Nominees>,
    pub nominations: Arc<crate::nominations::Nominations>,
    pub organizers: Arc<crate::organizers::Organizers>,
    pub places: Arc<crate::places::Places>,
    pub signin: Arc<crate::signin::Signin>,
    pub stations: Arc<crate::stations::Stations>,
    pub paper: Arc<crate::paper::Paper>,
    pub publications: Arc<crate::publication::Publications>,
    pub screens: Arc<crate::screen::Screens>,
    pub exports: Arc<crate::exports::Exports>,
    pub jury: Arc<crate::jury::Jury>,
}

/// The router's state: the services, the Leptos site, and the shutdown flag.
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

/// What a handler may take from the state (`State<Arc<Paper>>`…): each
/// capability's use cases, and the floor's shared parts.
// A macro: `FromRef` impls that differ in one expression; a blanket impl
// would overlap axum's own `FromRef<T> for T`.
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
    Arc<crate::campaigns::Campaigns> => |s| s.services.campaigns.clone(),
    Arc<crate::exports::Exports> => |s| s.services.exports.clone(),
    Arc<crate::exports::audit_log::AuditLog> => |s| s.services.audit.clone(),
    Arc<crate::jury::Jury> => |s| s.services.jury.clone(),
    Arc<crate::nominations::Nominations> => |s| s.services.nominations.clone(),
    Arc<crate::nominees::Nominees> => |s| s.services.nominees.clone(),
    Arc<crate::organizers::Organizers> => |s| s.services.organizers.clone(),
    Arc<crate::paper::Paper> => |s| s.services.paper.clone(),
    Arc<crate::places::Places> => |s| s.services.places.clone(),
    Arc<crate::publication::Publications> => |s| s.services.publications.clone(),
    crate::results::ResultsHub => |s| s.services.hub.clone(),
    Arc<crate::screen::Screens> => |s| s.services.screens.clone(),
    Arc<crate::signin::Signin> => |s| s.services.signin.clone(),
    Arc<crate::stations::Stations> => |s| s.services.stations.clone(),
    Arc<crate::voting::Casting> => |s| s.services.casting.clone(),
    // The floor's parts.
    crate::web::WebConfig => |s| s.services.web.clone(),
    Arc<crate::limits::RateLimits> => |s| s.services.limits.clone(),
    crate::web::Stopping => |s| crate::web::Stopping(s.stopping.clone()),
);

/// Every capability's HTML forms and files (`http.rs`).
pub fn form_routes() -> Router<AppState> {
    Router::new()
        .merge(crate::campaigns::http::routes())
        .merge(crate::exports::http::routes())
        .merge(crate::exports::audit_log::routes())
        .merge(crate::jury::http::routes())
        .merge(crate::nominations::http::routes())
        .merge(crate::nominees::http::routes())
        .merge(crate::organizers::http::routes())
        .merge(crate::paper::http::routes())
        .merge(crate::places::http::routes())
        .merge(crate::publication::http::routes())
        .merge(crate::screen::http::routes())
        .merge(crate::signin::http::routes())
        .merge(crate::stations::http::routes())
        .merge(crate::voting::http::routes())
}

/// Every capability's JSON API (`api.rs`), under `/api/v1`.
pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(crate::campaigns::api::api_routes())
        .merge(crate::nominations::api::api_routes())
        .merge(crate::nominees::api::api_routes())
        .merge(crate::results::api::api_routes())
        .merge(crate::signin::api::api_routes())
        .merge(crate::voting::api::api_routes())
}

/// Every capability's page port (`pages.rs`), given to the Leptos pages
/// while each renders.
pub fn provide_page_ports(services: &Arc<Services>) -> impl Fn() + Clone + Send + 'static {
    use leptos::prelude::provide_context;
    let voting: app::voting::port::SharedVoting = Arc::new(services.voting_pages());
    let results: app::results::port::SharedResults = Arc::new(services.results_pages());
    let organizers: app::organizers::port::SharedOrganizers = Arc::new(services.organizers_pages());
    let campaigns: app::campaigns::port::SharedCampaigns = Arc::new(services.campaign_pages());
    let nominees: app::nominees::port::SharedNominees = Arc::new(services.nominees_pages());
    let places: app::places::port::SharedPlaces = Arc::new(services.places_pages());
    let audit: app::audit::port::SharedAudit = Arc::new(services.audit_pages());
    let paper: app::paper::port::SharedPaper = Arc::new(services.paper_pages());
    let publication: app::publication::port::SharedPublication =
        Arc::new(services.publication_pages());
    let screen: app::screen::port::SharedScreen = Arc::new(services.screen_pages());
    let jury: app::jury::port::SharedJury = Arc::new(services.jury_pages());
    let nominations: app::nomination::port::SharedNominations =
        Arc::new(services.nomination_pages());
    let dashboard: app::dashboard::port::SharedDashboard = Arc::new(services.dashboard_pages());
    move || {
        provide_context(voting.clone());
        provide_context(results.clone());
        provide_context(organizers.clone());
        provide_context(campaigns.clone());
        provide_context(nominees.clone());
        provide_context(places.clone());
        provide_context(audit.clone());
        provide_context(paper.clone());
        provide_context(publication.clone());
        provide_context(screen.clone());
        provide_context(jury.clone());
        provide_context(nominations.clone());
        provide_context(dashboard.clone());
    }
}
