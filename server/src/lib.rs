//! The Alley Vote server as a library: `main` reads the configuration and
//! calls [`build`] and [`run`]; the integration tests do the same on port 0.

// The floor: what every capability stands on (server/tests/it/layers.rs
// holds the layer rule; docs/architecture.md explains it).
pub mod audit;
pub mod cache;
pub mod clock;
pub mod keyed_hashes;
pub mod keys;
pub mod limits;
pub mod photos;
pub mod sealed_phones;
pub mod shared_reads;
pub mod storage;
pub mod telemetry;
pub mod ttl_cache;
pub mod web;

// The capabilities, a folder each.
pub mod campaigns;
pub mod dashboard;
pub mod exports;
pub mod jury;
pub mod nominations;
pub mod nominees;
pub mod organizers;
pub mod paper;
pub mod places;
pub mod publication;
pub mod results;
pub mod retention;
pub mod screen;
pub mod signin;
pub mod stations;
pub mod voting;

// Above them: what puts them together.
pub mod capabilities;
pub mod config;
pub mod demo;
pub mod routes;
pub mod services;
pub mod store;

use std::future::Future;
use std::sync::Arc;

use leptos::prelude::LeptosOptions;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::cache::RedisHandle;
use crate::capabilities::AppState;
use crate::capabilities::Services;
use crate::config::Config;
use crate::results::ResultsHub;
use crate::storage::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot open the database {url}: {source}")]
    Database { url: String, source: StoreError },
    #[error("REDIS_URL is not a valid Redis URL: {0}")]
    Redis(redis::RedisError),
    #[error("cannot load the demo data: {0}")]
    Demo(StoreError),
    #[error("cannot set up the SMS sender: {0}")]
    Sms(signin::sms::SendError),
}

/// A running server's parts, before it listens.
pub struct Server {
    pub state: AppState,
    stop: watch::Sender<bool>,
}

/// Connects the database (applying migrations), Redis and the results hub,
/// and loads the demo data if configured.
pub async fn build(config: &Config) -> Result<Server, StartError> {
    let store = store::connect(&config.database, &store::StoreSettings::of(config))
        .await
        .map_err(|source| StartError::Database {
            url: config.database.redacted(),
            source,
        })?;
    tracing::info!(database = %config.database.redacted(), "database ready");
    if config.demo_data {
        let summary = demo::load(
            &*store,
            alleyvote_domain::Millis::now(),
            demo::DemoVotes::Some,
        )
        .await
        .map_err(StartError::Demo)?;
        tracing::info!(
            campaign = summary.campaign_slug,
            nominees = summary.nominees,
            votes = summary.votes_cast,
            "demo data loaded"
        );
    }
    let redis = match &config.redis_url {
        Some(url) => {
            let handle = RedisHandle::new(url).map_err(StartError::Redis)?;
            if !handle.ping().await {
                tracing::warn!(
                    redis = handle.redacted_url(),
                    "Redis is unreachable; serving degraded"
                );
            }
            Some(handle)
        }
        None => None,
    };
    let (stop, stopping) = watch::channel(false);
    let campaigns = Arc::new(campaigns::Campaigns::new(
        store.clone(),
        config.campaign.clone(),
        config.clock,
    ));
    let hub = ResultsHub::new(store.clone(), campaigns.clone(), config.results_poll);
    hub.refresh().await.map_err(|source| StartError::Database {
        url: config.database.redacted(),
        source,
    })?;
    hub.spawn(stopping.clone());
    let namespace = store
        .installation_key(&hex::encode(rand::random::<[u8; 6]>()))
        .await
        .map_err(|source| StartError::Database {
            url: config.database.redacted(),
            source,
        })?;
    // What instances share through Redis (rates, one-time tokens).
    let shared = cache::shared::SharedState::new(redis.clone(), namespace.clone());
    let sender: Arc<dyn signin::sms::SmsSender> = match &config.sms_gateway {
        Some(gateway) => {
            tracing::info!(gateway = %config::redact_url(&gateway.url), "text messages go to the gateway");
            Arc::new(signin::sms::HttpSender::new(gateway.clone()).map_err(StartError::Sms)?)
        }
        None => Arc::new(signin::sms::LogSender::new(config.sms_outbox.clone())),
    };
    // The site's address for links in texts.
    let public_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", config.addr));
    let replies = signin::reply::TextBack::new(
        keyed_hashes::Hasher::new(&config.phone_hash_key),
        sealed_phones::PhoneSeal::new(&config.phone_hash_key),
        sender.clone(),
        public_url,
    );
    let signin = signin::Signin {
        store: store.clone(),
        hasher: keyed_hashes::Hasher::new(&config.phone_hash_key),
        sender: sender.clone(),
        limits: config.sms_limits,
        session_ttl_ms: config.session_ttl.as_millis() as i64,
        sessions: ttl_cache::Memo::new(signin::SESSION_MEMO, 200_000),
        cards: signin::card_guard::CardGuard::default(),
        challenges: signin::challenge::Challenges::new(
            config.secret_key.expose(),
            (!config.is_production()).then(|| config.data_dir.join("challenge-outbox.jsonl")),
            shared.clone(),
        ),
    };
    let limits = Arc::new(limits::RateLimits::shared_through(
        config.rates,
        shared.clone(),
    ));
    let write_mode = config
        .vote_write_mode
        .unwrap_or_else(|| voting::writer::WriteMode::default_for(store.kind()));
    tracing::info!(?write_mode, "votes are written");
    retention::spawn(store.clone(), config.retention, stopping.clone());
    let casting = voting::Casting {
        store: store.clone(),
        hub: hub.clone(),
        gate: Arc::new(voting::gate::Gate::new(
            limits.clone(),
            config.rates,
            redis.clone(),
            namespace,
        )),
        writer: voting::writer::VoteWriter::start(store.clone(), write_mode, config.vote_wait),
        nominees: ttl_cache::Memo::new(voting::NOMINEE_INDEX_TTL, 1_000),
        clock: config.clock,
    };
    let audit_log = Arc::new(audit::AuditLog {
        store: store.clone(),
        key: config.audit_key.clone(),
    });
    if audit_log
        .awaits_seal()
        .await
        .map_err(|source| StartError::Database {
            url: config.database.redacted(),
            source,
        })?
    {
        tracing::warn!(
            "the audit log ends in entries from before it was keyed: `alleyvote audit verify` \
             fails until an operator checks them and runs `alleyvote audit seal` (once)"
        );
    }
    let organizers = Arc::new(
        organizers::Organizers::new(
            store.clone(),
            store.clone(),
            keyed_hashes::Hasher::new(&config.phone_hash_key),
        )
        .sharing(shared),
    );
    if config.demo_data {
        demo_console_login(&organizers).await;
    }
    let paper = Arc::new(paper::Paper::new(
        store.clone(),
        store.clone(),
        store.clone(),
        campaigns.clone(),
        hub.clone(),
        config.clock,
    ));
    let services = Arc::new(Services {
        web: web::WebConfig {
            trusted_proxies: config.trusted_proxies.clone(),
            ipv6_prefix: config.ipv6_prefix,
            serve: config.serve,
            device_key: web::device::DeviceKey::derive(config.secret_key.expose()),
            secure_cookies: config.is_production(),
            public_url: config.public_url.clone(),
            health_token: config.health_token.clone(),
        },
        audit: audit_log,
        campaigns: campaigns.clone(),
        places: Arc::new(places::Places::new(store.clone(), config.clock)),
        nominations: Arc::new(nominations::Nominations::new(
            store.clone(),
            store.clone(),
            keyed_hashes::Hasher::new(&config.phone_hash_key),
            replies.clone(),
            hub.clone(),
            nominations::NominationSettings {
                per_resident: config.nominations_per_resident,
            },
            config.clock,
        )),
        nominees: Arc::new(nominees::Nominees::new(
            store.clone(),
            store.clone(),
            hub.clone(),
            config.clock,
        )),
        stations: Arc::new(stations::Stations::new(
            store.clone(),
            store.clone(),
            store.clone(),
            store.clone(),
            config.clock,
        )),
        paper: paper.clone(),
        exports: Arc::new(exports::Exports::new(hub.clone(), paper, store.clone())),
        publications: Arc::new(publication::Publications::new(
            store.clone(),
            hub.clone(),
            replies,
            config.clock,
        )),
        screens: Arc::new(screen::Screens::new(
            store.clone(),
            store.clone(),
            hub.clone(),
            config.clock,
        )),
        jury: Arc::new(jury::Jury::new(
            store.clone(),
            store.clone(),
            store.clone(),
            hub.clone(),
            config.clock,
        )),
        organizers,
        casting: Arc::new(casting),
        limits,
        signin: Arc::new(signin),
        store,
        hub,
        redis,
        clock: config.clock,
    });
    spawn_pruning(services.clone(), stopping.clone());
    if config.demo_data {
        if let Err(e) = demo::paper::load(&services).await {
            tracing::warn!(error = %e, "could not load the demo polling stations");
        }
        if let Err(e) = demo::ceremony::load(&services, config.demo_stage).await {
            tracing::warn!(error = %e, "could not take the demo to its stage");
        }
    }
    let leptos_options = LeptosOptions::builder()
        .hash_files(web::static_files::hashed_build())
        .output_name(config.output_name.as_str())
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .build();
    Ok(Server {
        state: AppState {
            leptos_options,
            services,
            stopping,
        },
        stop,
    })
}

/// The demo's console login, created once and said in the log.
async fn demo_console_login(organizers: &organizers::Organizers) {
    let created = organizers
        .create(
            None,
            demo::DEMO_ADMIN,
            "演示管理员",
            alleyvote_domain::organizer::Role::Admin,
            demo::DEMO_ADMIN_PASSWORD,
            alleyvote_domain::Millis::now(),
        )
        .await;
    match created {
        Ok(_) | Err(organizers::AccountError::Taken) => tracing::info!(
            "demo console login: {} / {} at /console/login",
            demo::DEMO_ADMIN,
            demo::DEMO_ADMIN_PASSWORD
        ),
        Err(e) => tracing::warn!(error = %e, "could not create the demo console login"),
    }
}

/// Forgets idle rate-limit keys every minute.
/// Every minute, the in-process limits forget the keys back to a full
/// allowance, so memory does not grow with every address ever seen.
fn spawn_pruning(services: Arc<Services>, mut stop: watch::Receiver<bool>) {
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(std::time::Duration::from_secs(60)) => {
                    services.limits.prune();
                    services.organizers.guard.prune();
                    services.signin.cards.prune();
                }
                _ = stop.changed() => break,
            }
        }
    });
}

/// Serves until `shutdown` resolves, then lets in-flight requests finish
/// (live-result streams are closed so they do not hold the server open).
pub async fn run(
    listener: TcpListener,
    server: Server,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let Server { state, stop } = server;
    let settings = state.services.web.clone();
    let socket_route: Option<Arc<dyn web::socket_routes::SocketRoute>> =
        settings.serve.streams_from_socket.then(|| {
            Arc::new(results::socket_stream::ResultsOverSocket {
                hub: state.services.hub.clone(),
                campaigns: state.services.campaigns.clone(),
                web: state.services.web.clone(),
                stopping: state.stopping.clone(),
            }) as Arc<dyn web::socket_routes::SocketRoute>
        });
    let app = routes::router(state);
    web::serve::serve(
        listener,
        app,
        socket_route,
        &settings,
        shutdown,
        move || {
            let _ = stop.send(true);
        },
    )
    .await
}
