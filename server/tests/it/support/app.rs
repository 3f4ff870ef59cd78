//! A real server on port 0, with a database of its own, and requests to it
//! from a client that holds no session.

use std::path::PathBuf;
use std::sync::Arc;

use alleyvote::capabilities::Services;
use alleyvote::config::{Config, Vars};
use alleyvote::store;
use alleyvote_domain::organizer::Role;
use alleyvote_domain::Millis;
use serde_json::{json, Value};
use tokio::sync::oneshot;

use super::{database_url, set_cookie, temp_dir, Db, Organizer, Voter, PASSWORD};

/// A JSON answer: its status, its headers, and its body (`null` if it had none).
pub type Answer = (u16, reqwest::header::HeaderMap, Value);

/// Reads a response as an [`Answer`].
pub async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, headers, body)
}

/// The client every test uses: it follows no redirects, so a test sees them,
/// and a server that stops answering fails the request (live streams send a
/// keep-alive well within the read limit).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(std::time::Duration::from_secs(10))
        .read_timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("client")
}

pub struct TestApp {
    pub db: Db,
    pub base: String,
    pub client: reqwest::Client,
    pub services: Arc<Services>,
    pub database_url: String,
    pub data_dir: PathBuf,
    redis_url: Option<String>,
    extra: Vec<(&'static str, String)>,
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
    /// How far this instance's clock, and the database's as votes are
    /// decided by it, are ahead of the system's (ms; negative: behind).
    pub clock_skew_ms: i64,
    pub database_clock_skew_ms: i64,
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
            clock_skew_ms: 0,
            database_clock_skew_ms: 0,
        }
    }
}

/// A server with the demo campaign on a fresh database of the backend.
pub async fn spawn_app(db: Db) -> TestApp {
    spawn_app_with(AppOptions::new(db)).await
}

pub async fn spawn_app_with(opts: AppOptions) -> TestApp {
    let dir = temp_dir("app");
    let database_url = match opts.database_url {
        Some(u) => u,
        None => database_url(opts.db, &dir).await,
    };
    let poll = opts.results_poll_ms.to_string();
    let data_dir = dir.to_string_lossy().to_string();
    let mut pairs = vec![
        ("ALLEYVOTE_ADDR", "127.0.0.1:0"),
        ("ALLEYVOTE_DATA_DIR", data_dir.as_str()),
        ("DATABASE_URL", database_url.as_str()),
        ("ALLEYVOTE_DEMO_DATA", "false"),
        ("ALLEYVOTE_RESULTS_POLL_MS", poll.as_str()),
        // Tests run side by side, some with four instances: each keeps few
        // connections, so together they stay under PostgreSQL's 100.
        ("ALLEYVOTE_DB_POOL", "6"),
        // Stories sign many residents in from one address; the picture
        // challenge has stories of its own.
        ("ALLEYVOTE_SMS_CHALLENGE_AFTER_PER_NUMBER", "1000"),
        ("ALLEYVOTE_SMS_CHALLENGE_AFTER_PER_ADDRESS", "1000"),
        // The test client keeps no cookies: its requests are one device.
        ("ALLEYVOTE_RATE_DEVICE_PER_MIN", "100000"),
        ("ALLEYVOTE_SMS_PER_DEVICE_PER_HOUR", "100000"),
        // One deployment's instances share their keys.
        ("ALLEYVOTE_SECRET_KEY", super::TEST_SECRET),
        ("ALLEYVOTE_HEALTH_TOKEN", super::TEST_HEALTH_TOKEN),
        (
            "ALLEYVOTE_PHONE_HASH_KEY",
            "test-phone-hash-key-of-more-than-32-chars",
        ),
    ];
    if let Some(r) = &opts.redis_url {
        pairs.push(("REDIS_URL", r.as_str()));
    }
    for (k, v) in &opts.extra {
        pairs.push((k, v.as_str()));
    }
    let mut config = Config::load(&Vars::from_pairs(pairs)).expect("test config");
    config.clock = alleyvote::clock::Clock::skewed_by(opts.clock_skew_ms);
    config.database_clock = alleyvote::clock::Clock::skewed_by(opts.database_clock_skew_ms);
    alleyvote::telemetry::init(false);
    if opts.demo {
        let store = store::connect(&config.database, &store::StoreSettings::of(&config))
            .await
            .expect("store");
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
    TestApp {
        db: opts.db,
        base: format!("http://{addr}"),
        client: client(),
        services,
        database_url,
        data_dir: dir.clone(),
        redis_url: opts.redis_url,
        extra: opts.extra,
        stop: Some(stop),
        finished: Some(finished),
    }
}

impl TestApp {
    /// The newest entry of the audit log.
    pub async fn last_audit(&self) -> alleyvote::audit::storage::StoredAudit {
        let mut chain = self.services.store.audit_chain().await.unwrap();
        chain.pop().expect("the audit log has an entry")
    }

    /// A second instance sharing this one's database, Redis and settings.
    pub async fn another_instance(&self) -> TestApp {
        spawn_app_with(AppOptions {
            database_url: Some(self.database_url.clone()),
            redis_url: self.redis_url.clone(),
            demo: false,
            extra: self.extra.clone(),
            ..AppOptions::new(self.db)
        })
        .await
    }

    /// The extra settings this instance was started with.
    pub fn extra_settings(&self) -> Vec<(&'static str, String)> {
        self.extra.clone()
    }

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

    /// `/healthz` with its details, as the operators' monitoring asks.
    pub async fn health(&self) -> (u16, Value) {
        let r = self
            .client
            .get(self.url("/healthz"))
            .bearer_auth(super::TEST_HEALTH_TOKEN)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap())
    }

    pub async fn get_json(&self, path: &str) -> (u16, Value) {
        let r = self.get(path).await;
        let status = r.status().as_u16();
        (status, r.json().await.expect("json body"))
    }

    /// JSON posted without a session, as before signing in.
    pub async fn post_json(&self, path: &str, body: Value) -> Answer {
        let req = self.client.post(self.url(path)).json(&body);
        answer(req.send().await.expect("POST")).await
    }

    /// A form posted as a browser without a session posts it.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .expect("POST")
    }

    /// Asks for a sign-in code for a phone number (as typed).
    pub async fn request_code(&self, phone: &str) -> Answer {
        self.post_json("/api/v1/sms-codes", json!({ "phone": phone }))
            .await
    }

    /// Answers a sign-in code: a session on success.
    pub async fn submit_code(&self, phone: &str, code: &str) -> Answer {
        self.post_json("/api/v1/sessions", json!({ "phone": phone, "code": code }))
            .await
    }

    /// Asks for a sign-in code over the API as a client behind the
    /// operator's proxy, which sent this `X-Forwarded-For`; the status.
    pub async fn code_forwarded(&self, phone: &str, forwarded_for: &str) -> u16 {
        self.client
            .post(self.url("/api/v1/sms-codes"))
            .header("x-forwarded-for", forwarded_for)
            .json(&json!({ "phone": phone }))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }

    /// The characters of a picture this instance drew (its development outbox).
    pub fn challenge_answer(&self, token: &str) -> String {
        let outbox = std::fs::read_to_string(self.data_dir.join("challenge-outbox.jsonl")).unwrap();
        outbox
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .find(|v| v["token"] == token)
            .and_then(|v| v["answer"].as_str().map(str::to_string))
            .expect("the picture's answer in the outbox")
    }

    /// The code the `log` SMS sender wrote for a number (masked `138****1234` in the outbox).
    pub fn latest_code_for(&self, masked: &str) -> Option<String> {
        let text = std::fs::read_to_string(self.data_dir.join("sms-outbox.jsonl")).ok()?;
        text.lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .rfind(|m| m["to"] == masked)
            .and_then(|m| m["code"].as_str().map(str::to_string))
    }

    /// Every text the `log` SMS sender wrote to a (masked) number, oldest first.
    pub fn texts_to(&self, masked: &str) -> Vec<String> {
        let outbox =
            std::fs::read_to_string(self.data_dir.join("sms-outbox.jsonl")).unwrap_or_default();
        outbox
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|m| m["to"] == masked)
            .filter_map(|m| m["text"].as_str().map(str::to_string))
            .collect()
    }

    /// A resident signed in through the API with the SMS code the outbox holds.
    pub async fn voter(&self, phone: &str) -> Voter {
        let (status, _, body) = self.request_code(phone).await;
        assert_eq!(status, 202, "{body}");
        let masked = alleyvote_domain::PhoneNumber::parse(phone)
            .unwrap()
            .masked();
        let code = self.latest_code_for(&masked).expect("code in the outbox");
        let (status, _, body) = self.submit_code(phone, &code).await;
        assert_eq!(status, 201, "{body}");
        self.voter_with_token(body["token"].as_str().unwrap())
    }

    /// A client holding this session token (whether or not it is valid).
    pub fn voter_with_token(&self, token: &str) -> Voter {
        Voter::new(self, Some(token.to_string()))
    }

    /// A client holding no session.
    pub fn visitor(&self) -> Voter {
        Voter::new(self, None)
    }

    /// Creates a console account with a role and signs it in through the form.
    pub async fn organizer(&self, username: &str, role: Role) -> Organizer {
        self.services
            .organizers
            .create(None, username, "", role, PASSWORD, Millis::now())
            .await
            .unwrap();
        self.console_login(username, PASSWORD)
            .await
            .expect("login works")
    }

    /// Signs in to the console through the form: the organizer's session, or
    /// where a refused login was sent.
    pub async fn console_login(&self, username: &str, password: &str) -> Result<Organizer, String> {
        let r = self
            .post_form(
                "/console/login",
                &[
                    ("username", username),
                    ("password", password),
                    ("next", "/console"),
                ],
            )
            .await;
        let location = r.headers()["location"].to_str().unwrap().to_string();
        let token = set_cookie(r.headers(), "av_org").map(super::cookie_value);
        match token {
            Some(token) if !token.is_empty() => {
                assert_eq!(location, "/console");
                let session = self
                    .services
                    .organizers
                    .session(token, Millis::now())
                    .await
                    .unwrap()
                    .expect("a live session");
                Ok(Organizer::new(
                    self,
                    Some(token.to_string()),
                    session.csrf_token,
                ))
            }
            _ => Err(location),
        }
    }

    /// A browser in the console without a session.
    pub fn console_visitor(&self) -> Organizer {
        Organizer::new(self, None, String::new())
    }

    /// The demo campaign as stored now.
    pub async fn demo_campaign(&self) -> alleyvote_domain::Campaign {
        self.services
            .store
            .campaign("yangpu-2026")
            .await
            .unwrap()
            .expect("the demo campaign")
    }

    /// How many audit entries have an action starting with `action`.
    pub async fn audited(&self, action: &str) -> usize {
        self.services
            .store
            .audit_entries(&alleyvote::audit::storage::AuditFilter {
                action_prefix: Some(action.to_string()),
                limit: 1000,
                ..Default::default()
            })
            .await
            .unwrap()
            .len()
    }

    /// Recounts the demo campaign's votes and fails the test if any
    /// nominee's running tally differs from its records.
    pub async fn verify_tally(&self) {
        let campaign = self.demo_campaign().await;
        let check = alleyvote::results::verify::verify(&*self.services.store, &campaign)
            .await
            .expect("recount");
        assert!(check.agrees(), "{check}");
    }

    /// The public total after the results hub has read the database: a
    /// deterministic point to compare at, instead of waiting for its next refresh.
    pub async fn total_votes(&self) -> Value {
        self.services.hub.refresh().await.expect("refresh results");
        let (status, results) = self.get_json("/api/v1/campaigns/yangpu-2026/results").await;
        assert_eq!(status, 200);
        results["total_votes"].clone()
    }

    /// Runs SQL on the app's database behind its back, as its owner could.
    pub async fn raw_sql(&self, sql: &'static str) -> Result<(), sqlx::Error> {
        use sqlx::Connection;
        match self.db {
            Db::Postgres => {
                let mut c = sqlx::PgConnection::connect(&self.database_url)
                    .await
                    .unwrap();
                sqlx::raw_sql(sql).execute(&mut c).await.map(|_| ())
            }
            Db::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect(&self.database_url)
                    .await
                    .unwrap();
                sqlx::raw_sql(sql).execute(&mut c).await.map(|_| ())
            }
        }
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
