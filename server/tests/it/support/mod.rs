//! Test harness: real servers on port 0, each with a database of its own
//! ([`TestApp`]), and typed clients for them: a resident who signs in by SMS
//! code and votes ([`Voter`]), and an organizer in the console ([`Organizer`]).
//!
//! PostgreSQL and Redis tests need those services. The story macros below
//! skip a backend in one place, [`Db::available`]: without it a local run
//! prints "SKIPPED" and passes that one test trivially; with
//! `ALLEYVOTE_REQUIRE_SERVICES=1` (set by `.ci/run`) its absence fails the run.

/// Runs a story once per backend, as the tests `<story>::sqlite` and
/// `<story>::postgres`, skipping a backend that is unavailable here.
///
/// - `on_both_backends!(story)`: `async fn story(app: TestApp)`, given a
///   server with the demo campaign;
/// - `on_both_backends!(story, options)`: the same, the server configured by
///   `options`, a `FnOnce(Db) -> AppOptions` (a closure or a function);
/// - `on_both_backends!(story, db)`: `async fn story(db: Db)`, for a story that
///   starts something else before its servers (`spawn_app_with`);
/// - `on_both_backends!(story, own_redis)`: `async fn story(db: Db, redis: OwnRedis)`,
///   with a `redis-server` of the test's own, which it may stop;
/// - `on_both_backends!(story, store)`: `async fn story(store: Arc<dyn Store>)`, no server.
///
/// The options and the story are named from the module that uses the macro.
macro_rules! on_both_backends {
    ($story:ident $($how:tt)*) => {
        on_backends!([sqlite: Sqlite, postgres: Postgres] $story $($how)*);
    };
}

/// [`on_both_backends!`] for a story only PostgreSQL can tell (several
/// instances on one database): the one test `<story>::postgres`.
macro_rules! on_postgres {
    ($story:ident $($how:tt)*) => {
        on_backends!([postgres: Postgres] $story $($how)*);
    };
}

/// The story macros' common part: one `#[tokio::test]` per backend listed.
macro_rules! on_backends {
    (@tests [$($test:ident: $db:ident),+] $story:ident, $run:expr) => {
        mod $story {
            #[allow(unused_imports)]
            use super::*;

            $(
                #[tokio::test]
                async fn $test() {
                    $crate::support::on_backend($crate::support::Db::$db, $run).await;
                }
            )+
        }
    };
    ([$($test:ident: $db:ident),+] $story:ident) => {
        on_backends!([$($test: $db),+] $story, $crate::support::AppOptions::new);
    };
    ([$($test:ident: $db:ident),+] $story:ident, db) => {
        on_backends!(@tests [$($test: $db),+] $story, super::$story);
    };
    ([$($test:ident: $db:ident),+] $story:ident, own_redis) => {
        on_backends!(@tests [$($test: $db),+] $story, |db| async move {
            if let Some(redis) = $crate::support::OwnRedis::start().await {
                super::$story(db, redis).await;
            }
        });
    };
    ([$($test:ident: $db:ident),+] $story:ident, store) => {
        on_backends!(@tests [$($test: $db),+] $story, |db| async move {
            super::$story($crate::support::open_store(db).await).await;
        });
    };
    ([$($test:ident: $db:ident),+] $story:ident, $options:expr) => {
        on_backends!(@tests [$($test: $db),+] $story, |db| async move {
            super::$story($crate::support::spawn_app_with(($options)(db)).await).await;
        });
    };
}

mod app;
mod console;
mod outside;
mod proxy;
mod sse;
mod voter;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;

use alleyvote::store::{self, Store};

pub use app::{client, spawn_app, spawn_app_with, AppOptions, TestApp};
pub use console::{campaign_form, Organizer, PASSWORD};
pub use outside::{cli, OwnRedis};
pub use proxy::CuttingProxy;
pub use sse::SseReader;
pub use voter::Voter;

/// A small PNG, made here (a photo to upload).
pub fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(300, 200, |x, y| image::Rgb([x as u8, y as u8, 90]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

impl Db {
    /// Whether this backend can be used here. If not, says so and the test
    /// passes trivially, or fails when services are required: the one place
    /// a test is skipped for want of a database.
    pub async fn available(self) -> bool {
        use sqlx::Connection;
        match self {
            Db::Sqlite => true,
            Db::Postgres => match sqlx::PgConnection::connect(&pg_admin_url()).await {
                Ok(conn) => {
                    let _ = conn.close().await;
                    true
                }
                Err(e) => {
                    skip("PostgreSQL", &e.to_string());
                    false
                }
            },
        }
    }
}

/// Runs a story on a backend if it is available here (see [`Db::available`]).
pub async fn on_backend<F, Fut>(db: Db, story: F)
where
    F: FnOnce(Db) -> Fut,
    Fut: Future<Output = ()>,
{
    if db.available().await {
        // A story that hangs fails with its name instead of stalling the run.
        tokio::time::timeout(STORY_LIMIT, story(db))
            .await
            .unwrap_or_else(|_| {
                panic!("the story did not finish within {STORY_LIMIT:?} on {db:?}")
            });
    }
}

/// Far above any story's time here (the slowest takes a few seconds).
const STORY_LIMIT: std::time::Duration = std::time::Duration::from_secs(120);

pub fn services_required() -> bool {
    std::env::var("ALLEYVOTE_REQUIRE_SERVICES").is_ok_and(|v| v == "1")
}

pub fn skip(what: &str, why: &str) {
    assert!(
        !services_required(),
        "{what} is required (ALLEYVOTE_REQUIRE_SERVICES=1) but {why}"
    );
    eprintln!("SKIPPED: {what} unavailable ({why}); set ALLEYVOTE_TEST_PG_URL / start it to run this test");
}

/// Starts every future at once, each as a task of its own, and gives their
/// outputs in order once all are done. They start when this is called, not
/// when the result is awaited, so a test may act while they run.
pub fn race<F>(futures: impl IntoIterator<Item = F>) -> impl Future<Output = Vec<F::Output>>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let tasks: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    async move {
        let mut outputs = Vec::with_capacity(tasks.len());
        for task in tasks {
            match task.await {
                Ok(output) => outputs.push(output),
                Err(e) => std::panic::resume_unwind(e.into_panic()),
            }
        }
        outputs
    }
}

/// The `Set-Cookie` line that sets the cookie `name`, attributes and all.
pub fn set_cookie<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> Option<&'a str> {
    let prefix = format!("{name}=");
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&prefix))
}

/// The value a `Set-Cookie` line sets, without its name and attributes.
pub fn cookie_value(set_cookie: &str) -> &str {
    let pair = set_cookie.split(';').next().unwrap_or_default();
    pair.split_once('=').map(|(_, v)| v).unwrap_or_default()
}

pub fn temp_dir(tag: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("alleyvote-{tag}-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The shared Redis the PostgreSQL stories use (not one they may stop).
pub fn shared_redis_url() -> String {
    std::env::var("ALLEYVOTE_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

fn pg_admin_url() -> String {
    std::env::var("ALLEYVOTE_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A new, empty PostgreSQL database. Stories reach this only after
/// [`Db::available`] said PostgreSQL is there.
async fn fresh_pg_url() -> String {
    use sqlx::Connection;
    let admin = pg_admin_url();
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .expect("PostgreSQL is reachable (stories on it run through on_both_backends!)");
    let name = format!("alleyvote_test_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create test database");
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
    format!("{base}/{name}")
}

/// A database URL for the backend: a file in `dir`, or a fresh PostgreSQL database.
async fn database_url(db: Db, dir: &std::path::Path) -> String {
    match db {
        Db::Sqlite => format!("sqlite://{}", dir.join("test.db").display()),
        Db::Postgres => fresh_pg_url().await,
    }
}

/// The secret every test instance shares, as instances of one deployment do.
pub const TEST_SECRET: &str = "test-secret-key-of-more-than-32-characters";
/// The token that asks `/healthz` for its details.
pub const TEST_HEALTH_TOKEN: &str = "test-health-token";

/// The audit key the test instances and stores use.
pub fn test_audit_key() -> alleyvote::audit::AuditKey {
    alleyvote::audit::AuditKey::derive(TEST_SECRET)
}

/// A store on a database of its own, with no server in front of it.
pub async fn open_store(db: Db) -> Arc<dyn Store> {
    let dir = temp_dir("store");
    let url = database_url(db, &dir).await;
    let url = alleyvote::config::DatabaseUrl::parse(&url).expect("url");
    let settings = store::StoreSettings {
        pool: 6,
        audit_key: test_audit_key(),
        clock: alleyvote::clock::Clock::SYSTEM,
    };
    store::connect(&url, &settings).await.expect("open store")
}

/// Each row's nominee and counts: what a recount from the records must
/// match (it does not know when each count last changed).
pub fn counts(
    rows: &[alleyvote_domain::TallyRow],
) -> Vec<(alleyvote_domain::NomineeNumber, u64, u64)> {
    rows.iter().map(|r| (r.number, r.online, r.paper)).collect()
}
