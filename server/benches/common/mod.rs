//! What both load generators share: the settings, a database of the run's
//! own with the bench campaign and its ballot codes, the server binary as a
//! child process, signing voters in, and percentiles.

#![allow(dead_code)] // each bench uses its own part

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use alleyvote::campaigns::storage::CampaignSettings;
use alleyvote::config::Secret;
use alleyvote::keyed_hashes::Hasher;
use alleyvote::nominees::storage::NomineeDetails;
use alleyvote::store;
use alleyvote_domain::{Millis, NomineeNumber, VoteRules};

pub const PHONE_HASH_KEY: &str = "bench-only-phone-hash-key-0123456789abcdef";
pub const NOMINEES: u32 = 30;
/// The demo campaign's rules: ten votes a day, one per nominee. (A larger
/// quota would make each decision read more of the voter's day than any
/// real voter holds.)
pub const VOTES_PER_DAY: u16 = 10;
pub const PER_NOMINEE: u16 = 1;

pub struct Settings {
    pub seconds: u64,
    pub concurrency: usize,
    pub voters: usize,
    pub pg_admin: String,
    pub redis: String,
}

impl Settings {
    /// The settings from the environment, with each bench's defaults.
    pub fn from_env(seconds: u64, concurrency: usize, voters: usize) -> Settings {
        Settings {
            seconds: env_or("BENCH_SECONDS", seconds),
            concurrency: env_or("BENCH_CONCURRENCY", concurrency),
            voters: env_or("BENCH_VOTERS", voters),
            pg_admin: std::env::var("BENCH_PG_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into()),
            redis: std::env::var("BENCH_REDIS_URL")
                .unwrap_or_else(|_| "redis://127.0.0.1:6379".into()),
        }
    }
}

/// The backends `BENCH_BACKENDS` names (`default` when unset).
pub fn backends_from_env(default: &str) -> Vec<Backend> {
    std::env::var("BENCH_BACKENDS")
        .unwrap_or_else(|_| default.into())
        .split(',')
        .filter_map(|b| match b.trim() {
            "sqlite" => Some(Backend::Sqlite),
            "postgres" => Some(Backend::Postgres),
            _ => None,
        })
        .collect()
}

pub fn env_or<T: std::str::FromStr>(key: &str, default: T) -> T {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn label(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite (embedded)",
            Backend::Postgres => "PostgreSQL + Redis",
        }
    }
}

/// A database of the run's own, with the bench campaign and its ballot codes.
pub struct Prepared {
    pub database_url: String,
    pub drop_pg: Option<String>,
    pub codes: Vec<String>,
    pub _dir: tempdir::Dir,
}

pub mod tempdir {
    use std::path::PathBuf;

    /// A folder removed when dropped.
    pub struct Dir(pub PathBuf);

    impl Dir {
        pub fn new() -> Dir {
            let dir = std::env::temp_dir()
                .join(format!("alleyvote-bench-{}", uuid::Uuid::new_v4().simple()));
            std::fs::create_dir_all(&dir).expect("temp dir");
            Dir(dir)
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

pub async fn prepare(backend: Backend, s: &Settings) -> Prepared {
    let dir = tempdir::Dir::new();
    let (database_url, drop_pg) = match backend {
        Backend::Sqlite => (format!("sqlite://{}/bench.db", dir.0.display()), None),
        Backend::Postgres => {
            let name = format!("alleyvote_bench_{}", uuid::Uuid::new_v4().simple());
            let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&s.pg_admin)
                .await
                .expect("PostgreSQL (BENCH_PG_URL)");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await
                .expect("create bench database");
            let base = s
                .pg_admin
                .rsplit_once('/')
                .map_or(s.pg_admin.as_str(), |(b, _)| b);
            (format!("{base}/{name}"), Some(name))
        }
    };
    let url = alleyvote::config::DatabaseUrl::parse(&database_url).expect("url");
    let settings = store::StoreSettings {
        pool: store::DEFAULT_POOL,
        audit_key: alleyvote::audit::AuditKey::derive("the benchmark's own audit key, unused"),
        clock: alleyvote::clock::Clock::SYSTEM,
    };
    let store = store::connect(&url, &settings)
        .await
        .expect("open database");
    let now = Millis::now();
    alleyvote::demo::load(&*store, now, alleyvote::demo::DemoVotes::None)
        .await
        .expect("demo data");
    let mut campaign: CampaignSettings = alleyvote::demo::demo_campaign(now);
    campaign.slug = "bench".into();
    campaign.rules = VoteRules::new(VOTES_PER_DAY, PER_NOMINEE).expect("rules");
    let id = store
        .ensure_campaign(&campaign, now)
        .await
        .expect("campaign");
    let street = store.streets().await.expect("streets")[0].id;
    let community = store
        .ensure_community(street, "基准测试社区", "Bench Community")
        .await
        .expect("community");
    for n in 1..=NOMINEES {
        let nominee = NomineeDetails {
            number: NomineeNumber::new(n).expect("number"),
            name: format!("候选人{n}"),
            community,
            photo_url: None,
            story: String::new(),
        };
        store
            .ensure_nominee(id, &nominee, now)
            .await
            .expect("nominee");
    }
    let signin = alleyvote::signin::Signin {
        store: store.clone(),
        hasher: Hasher::new(&Secret::new(PHONE_HASH_KEY)),
        sender: Arc::new(alleyvote::signin::sms::LogSender::new(dir.0.join("outbox"))),
        limits: Default::default(),
        session_ttl_ms: 86_400_000,
        sessions: alleyvote::ttl_cache::Memo::new(Duration::from_secs(1), 1),
        cards: Default::default(),
        challenges: alleyvote::signin::challenge::Challenges::new(
            "the benchmark's own key, unused",
            None,
            alleyvote::cache::shared::SharedState::none(),
        ),
    };
    let codes = signin
        .new_ballot_codes(alleyvote::audit::Actor::SYSTEM, community, s.voters, now)
        .await
        .expect("ballot codes");
    Prepared {
        database_url,
        drop_pg,
        codes,
        _dir: dir,
    }
}

pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Server {
    /// Starts the server on the run's database; `extra` adds settings.
    pub fn start(
        backend: Backend,
        prepared: &Prepared,
        naive: bool,
        s: &Settings,
        extra: &[(&str, String)],
    ) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        // `BENCH_SERVER_BIN` runs another build (an earlier commit's, say) under the same load.
        let bin = std::env::var("BENCH_SERVER_BIN")
            .unwrap_or_else(|_| env!("CARGO_BIN_EXE_alleyvote").to_string());
        let mut cmd = Command::new(bin);
        cmd.arg("serve")
            .env("ALLEYVOTE_ADDR", format!("127.0.0.1:{port}"))
            .env("ALLEYVOTE_DATA_DIR", &prepared._dir.0)
            .env("DATABASE_URL", &prepared.database_url)
            .env("ALLEYVOTE_PHONE_HASH_KEY", PHONE_HASH_KEY)
            .env("ALLEYVOTE_DEMO_DATA", "false")
            // Every limit stays in the path, set high enough not to refuse.
            .env("ALLEYVOTE_RATE_IP_PER_MIN", "100000000")
            .env("ALLEYVOTE_RATE_VOTER_PER_MIN", "100000")
            .env("ALLEYVOTE_RATE_DEVICE_PER_MIN", "100000000")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        if backend == Backend::Postgres {
            cmd.env("REDIS_URL", &s.redis);
        }
        if naive {
            cmd.env("ALLEYVOTE_VOTE_WRITE", "single");
        }
        for (k, v) in extra {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("start the server binary");
        Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    pub async fn wait_ready(&self, client: &reqwest::Client) {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if let Ok(r) = client.get(format!("{}/livez", self.base)).send().await {
                if r.status().is_success() {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the server did not come up");
    }

    /// Peak resident memory (VmHWM) in MiB.
    pub fn peak_rss_mib(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub async fn sign_in_all(client: &reqwest::Client, base: &str, codes: &[String]) -> Vec<String> {
    let url = format!("{base}/api/v1/sessions");
    let mut tokens = Vec::with_capacity(codes.len());
    for chunk in codes.chunks(256) {
        let mut tasks = Vec::new();
        for code in chunk {
            let request = client
                .post(&url)
                .json(&serde_json::json!({ "ballot_code": code }));
            tasks.push(tokio::spawn(async move {
                let r = request.send().await.expect("sign in");
                assert_eq!(r.status(), 201, "ballot code sign-in");
                let body: serde_json::Value = r.json().await.expect("json");
                body["token"].as_str().expect("token").to_string()
            }));
        }
        for t in tasks {
            tokens.push(t.await.expect("sign-in task"));
        }
    }
    tokens
}

pub fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    f64::from(sorted[i]) / 1000.0
}
