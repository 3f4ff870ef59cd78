//! Test harness: real servers on port 0, each with a database of its own.
//!
//! PostgreSQL and Redis tests need those services. Without them a local run
//! prints "SKIPPED" and passes that one test trivially; with
//! `ALLEYVOTE_REQUIRE_SERVICES=1` (set by `.ci/run`) their absence fails the run.

#![allow(dead_code)]

/// Runs a story-style test once per backend, as `<story>::sqlite` and `<story>::postgres`.
#[allow(unused_macros)]
macro_rules! on_both_backends {
    ($story:ident) => {
        mod $story {
            #[tokio::test]
            async fn sqlite() {
                super::$story(super::common::Db::Sqlite).await;
            }

            #[tokio::test]
            async fn postgres() {
                super::$story(super::common::Db::Postgres).await;
            }
        }
    };
}

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use alleyvote::config::{Config, Vars};
use alleyvote::services::Services;
use alleyvote::store::{self, Store};
use tokio::sync::oneshot;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

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

pub fn temp_dir(tag: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("alleyvote-{tag}-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn pg_admin_url() -> String {
    std::env::var("ALLEYVOTE_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A new, empty PostgreSQL database; `None` (after saying so) if PostgreSQL is unreachable.
pub async fn fresh_pg_url() -> Option<String> {
    use sqlx::Connection;
    let admin = pg_admin_url();
    let mut conn = match sqlx::PgConnection::connect(&admin).await {
        Ok(c) => c,
        Err(e) => {
            skip("PostgreSQL", &e.to_string());
            return None;
        }
    };
    let name = format!("alleyvote_test_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create test database");
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
    Some(format!("{base}/{name}"))
}

/// A database URL for the backend, or `None` if that backend is unavailable here.
pub async fn database_url(db: Db, dir: &std::path::Path) -> Option<String> {
    match db {
        Db::Sqlite => Some(format!("sqlite://{}", dir.join("test.db").display())),
        Db::Postgres => fresh_pg_url().await,
    }
}

pub async fn open_store(db: Db) -> Option<Arc<dyn Store>> {
    let dir = temp_dir("store");
    let url = database_url(db, &dir).await?;
    let url = alleyvote::config::DatabaseUrl::parse(&url).expect("url");
    Some(store::connect(&url).await.expect("open store"))
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub base: String,
    pub client: reqwest::Client,
    pub services: Arc<Services>,
    pub database_url: String,
    pub data_dir: PathBuf,
    stop: Option<oneshot::Sender<()>>,
    pub finished: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

pub struct AppOptions {
    pub db: Db,
    /// Share an existing database (a second instance) instead of a fresh one.
    pub database_url: Option<String>,
    pub redis_url: Option<String>,
    pub demo: bool,
    pub results_poll_ms: u64,
    /// More configuration variables, e.g. tighter SMS limits.
    pub extra: Vec<(&'static str, String)>,
}

impl AppOptions {
    pub fn new(db: Db) -> Self {
        AppOptions {
            db,
            database_url: None,
            redis_url: None,
            demo: true,
            results_poll_ms: 250,
            extra: vec![],
        }
    }
}

pub async fn spawn_app(db: Db) -> Option<TestApp> {
    spawn_app_with(AppOptions::new(db)).await
}

pub async fn spawn_app_with(opts: AppOptions) -> Option<TestApp> {
    let dir = temp_dir("app");
    let database_url = match opts.database_url {
        Some(u) => u,
        None => database_url(opts.db, &dir).await?,
    };
    let poll = opts.results_poll_ms.to_string();
    let data_dir = dir.to_string_lossy().to_string();
    let mut pairs = vec![
        ("ALLEYVOTE_ADDR", "127.0.0.1:0"),
        ("ALLEYVOTE_DATA_DIR", data_dir.as_str()),
        ("DATABASE_URL", database_url.as_str()),
        ("ALLEYVOTE_DEMO_DATA", "false"),
        ("ALLEYVOTE_RESULTS_POLL_MS", poll.as_str()),
    ];
    if let Some(r) = &opts.redis_url {
        pairs.push(("REDIS_URL", r.as_str()));
    }
    for (k, v) in &opts.extra {
        pairs.push((k, v.as_str()));
    }
    let config = Config::load(&Vars::from_pairs(pairs)).expect("test config");
    alleyvote::telemetry::init(false);
    if opts.demo {
        let store = store::connect(&config.database).await.expect("store");
        alleyvote::demo::load(
            &*store,
            alleyvote_domain::Millis::now(),
            alleyvote::demo::DemoVotes::None,
        )
        .await
        .expect("demo data");
    }
    let server = alleyvote::build(&config).await.expect("build server");
    let services = server.state.services.clone();
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = oneshot::channel::<()>();
    let finished = tokio::spawn(alleyvote::run(listener, server, async move {
        let _ = stopped.await;
    }));
    Some(TestApp {
        addr,
        base: format!("http://{addr}"),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        services,
        database_url,
        data_dir: dir.clone(),
        stop: Some(stop),
        finished: Some(finished),
    })
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        let status = r.status().as_u16();
        (status, r.text().await.expect("body"))
    }

    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let r = self.get(path).await;
        let status = r.status().as_u16();
        (status, r.json().await.expect("json body"))
    }

    /// The code the `log` SMS sender wrote for a number (masked `138****1234` in the outbox).
    pub fn latest_code_for(&self, masked: &str) -> Option<String> {
        let text = std::fs::read_to_string(self.data_dir.join("sms-outbox.jsonl")).ok()?;
        text.lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .rfind(|m| m["to"] == masked)
            .and_then(|m| m["code"].as_str().map(str::to_string))
    }

    pub async fn post_json(
        &self,
        path: &str,
        body: serde_json::Value,
        token: Option<&str>,
    ) -> (u16, reqwest::header::HeaderMap, serde_json::Value) {
        let mut req = self.client.post(self.url(path)).json(&body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let r = req.send().await.expect("POST");
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let json = r.json().await.unwrap_or(serde_json::Value::Null);
        (status, headers, json)
    }

    /// Casts a vote for the demo campaign through the API.
    pub async fn vote(
        &self,
        token: Option<&str>,
        nominee: serde_json::Value,
    ) -> (u16, reqwest::header::HeaderMap, serde_json::Value) {
        let body = serde_json::json!({ "nominee_number": nominee });
        self.post_json("/api/v1/campaigns/yangpu-2026/votes", body, token)
            .await
    }

    /// Signs a phone in through the API and returns the bearer token.
    pub async fn sign_in(&self, phone: &str) -> String {
        let (status, _, body) = self
            .post_json(
                "/api/v1/sms-codes",
                serde_json::json!({ "phone": phone }),
                None,
            )
            .await;
        assert_eq!(status, 202, "{body}");
        let masked = alleyvote_domain::PhoneNumber::parse(phone)
            .unwrap()
            .masked();
        let code = self.latest_code_for(&masked).expect("code in the outbox");
        let (status, _, body) = self
            .post_json(
                "/api/v1/sessions",
                serde_json::json!({ "phone": phone, "code": code }),
                None,
            )
            .await;
        assert_eq!(status, 201, "{body}");
        body["token"].as_str().unwrap().to_string()
    }

    /// The public total after the results hub has read the database: a
    /// deterministic point to compare at, instead of waiting for its next refresh.
    pub async fn total_votes(&self) -> serde_json::Value {
        self.services.hub.refresh().await.expect("refresh results");
        let (status, results) = self.get_json("/api/v1/campaigns/yangpu-2026/results").await;
        assert_eq!(status, 200);
        results["total_votes"].clone()
    }

    /// Begins a graceful shutdown.
    pub fn shut_down(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// Runs the `alleyvote` command on a SQLite database in `dir`, with more
/// environment variables; an empty value removes one.
pub fn cli(
    dir: &std::path::Path,
    db: &std::path::Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_alleyvote"));
    cmd.args(args)
        .env("ALLEYVOTE_DATA_DIR", dir)
        .env("DATABASE_URL", format!("sqlite://{}", db.display()));
    for (key, value) in env {
        if value.is_empty() {
            cmd.env_remove(key);
        } else {
            cmd.env(key, value);
        }
    }
    cmd.output().expect("run the alleyvote command")
}

/// A `redis-server` of the test's own on a free port, so the test may stop it.
pub struct OwnRedis {
    pub url: String,
    child: std::process::Child,
}

impl OwnRedis {
    pub async fn start() -> Option<OwnRedis> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let child = match std::process::Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(std::process::Stdio::null())
            .spawn()
        {
            Ok(c) => c,
            Err(e) => {
                skip("redis-server", &e.to_string());
                return None;
            }
        };
        let url = format!("redis://127.0.0.1:{port}");
        // Wait until it accepts connections (bounded, by polling the port, not by sleeping blindly).
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return Some(OwnRedis { url, child });
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("redis-server did not start on port {port}");
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Reads server-sent events from a response, one `data:` payload at a time.
pub struct SseReader {
    response: reqwest::Response,
    buffer: String,
}

impl SseReader {
    pub fn new(response: reqwest::Response) -> Self {
        SseReader {
            response,
            buffer: String::new(),
        }
    }

    /// The next event's data, or `None` when the stream ends.
    pub async fn next_data(&mut self) -> Option<String> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let event: String = self.buffer.drain(..end + 2).collect();
                let data: Vec<&str> = event
                    .lines()
                    .filter_map(|l| l.strip_prefix("data:"))
                    .map(str::trim_start)
                    .collect();
                if data.is_empty() {
                    continue; // a keep-alive comment
                }
                return Some(data.join("\n"));
            }
            match self.response.chunk().await {
                Ok(Some(bytes)) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
                _ => return None,
            }
        }
    }
}
