//! The load generator: `cargo bench -p alleyvote-server --bench votes`.
//!
//! For each backend it starts the real server binary (a child process, so its
//! RSS is its own) on a fresh database, signs in K voters with printed ballot
//! codes, and drives votes through the JSON API at concurrency C for T
//! seconds. In the same run it measures the framework ceiling (`GET /livez`)
//! and the naive mode (one transaction per request, no batching), then votes
//! paced at 80 % of the measured peak for the latency a busy evening sees.
//! It prints one table with votes/s, p50/p95/p99, refusals by kind and the
//! server's peak RSS, and the ratios against the ceiling and the naive mode.
//!
//! Settings (environment): `BENCH_BACKENDS` (`sqlite,postgres`), `BENCH_SECONDS`
//! (10), `BENCH_CONCURRENCY` (128), `BENCH_VOTERS` (20000), `BENCH_PG_URL`
//! (`postgres://postgres@127.0.0.1:5432/postgres`), `BENCH_REDIS_URL`
//! (`redis://127.0.0.1:6379`), `BENCH_SERVER_BIN` (another server binary to
//! measure, e.g. an earlier commit's). The PostgreSQL runs use Redis as well.

use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use alleyvote::campaigns::storage::CampaignSettings;
use alleyvote::config::Secret;
use alleyvote::identity::Hasher;
use alleyvote::nominees::storage::NomineeDetails;
use alleyvote::store;
use alleyvote_domain::{Millis, NomineeNumber, VoteRules};

const PHONE_HASH_KEY: &str = "bench-only-phone-hash-key-0123456789abcdef";
const NOMINEES: u32 = 30;
/// The demo campaign's rules: ten votes a day, one per nominee. (A larger
/// quota would make each decision read more of the voter's day than any
/// real voter holds.)
const VOTES_PER_DAY: u16 = 10;
const PER_NOMINEE: u16 = 1;

struct Settings {
    seconds: u64,
    concurrency: usize,
    voters: usize,
    pg_admin: String,
    redis: String,
}

fn env_or<T: std::str::FromStr>(key: &str, default: T) -> T {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    fn label(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite (embedded)",
            Backend::Postgres => "PostgreSQL + Redis",
        }
    }
}

#[derive(Clone, Copy)]
enum Load {
    /// `GET /livez`: what the HTTP stack itself can do here.
    Ceiling,
    /// Votes as fast as the server answers.
    Votes { naive: bool },
    /// Votes at a fixed total rate.
    Paced { per_second: f64 },
}

/// A database of the run's own, with the bench campaign and its ballot codes.
struct Prepared {
    database_url: String,
    drop_pg: Option<String>,
    codes: Vec<String>,
    _dir: tempdir::Dir,
}

mod tempdir {
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

async fn prepare(backend: Backend, s: &Settings) -> Prepared {
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
        sessions: alleyvote::memo::Memo::new(Duration::from_secs(1), 1),
        cards: Default::default(),
        challenges: alleyvote::signin::challenge::Challenges::new(
            "the benchmark's own key, unused",
            None,
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

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(backend: Backend, prepared: &Prepared, naive: bool, s: &Settings) -> Server {
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
        let child = cmd.spawn().expect("start the server binary");
        Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    async fn wait_ready(&self, client: &reqwest::Client) {
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
    fn peak_rss_mib(&self) -> f64 {
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

async fn sign_in_all(client: &reqwest::Client, base: &str, codes: &[String]) -> Vec<String> {
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

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u32>,
    accepted: u64,
    refusals: BTreeMap<String, u64>,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        self.latencies_us.extend(other.latencies_us);
        self.accepted += other.accepted;
        for (k, v) in other.refusals {
            *self.refusals.entry(k).or_default() += v;
        }
    }
}

async fn drive(
    client: &reqwest::Client,
    base: &str,
    tokens: Arc<Vec<String>>,
    load: Load,
    s: &Settings,
) -> (Tally, Duration) {
    let deadline = Instant::now() + Duration::from_secs(s.seconds);
    let started = Instant::now();
    let workers = s.concurrency;
    let mut tasks = Vec::new();
    for w in 0..workers {
        let client = client.clone();
        let tokens = tokens.clone();
        let livez = format!("{base}/livez");
        let campaigns = format!("{base}/api/v1/campaigns");
        let votes = format!("{base}/api/v1/campaigns/bench/votes");
        tasks.push(tokio::spawn(async move {
            // A phone keeps the signed device id the server gives it.
            let device = match client.get(&campaigns).send().await {
                Ok(r) => r
                    .headers()
                    .get("x-device-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string(),
                Err(_) => String::new(),
            };
            let mut tally = Tally::default();
            // Each worker takes its own share of the voters and walks their ballots.
            let mine: Vec<&String> = tokens.iter().skip(w).step_by(workers).collect();
            let mut turn: usize = 0;
            let mut pace = match load {
                Load::Paced { per_second } => {
                    let every = Duration::from_secs_f64(workers as f64 / per_second);
                    let mut i = tokio::time::interval(every);
                    i.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                    Some(i)
                }
                _ => None,
            };
            while Instant::now() < deadline {
                if let Some(p) = pace.as_mut() {
                    p.tick().await;
                }
                let request = match load {
                    Load::Ceiling => client.get(&livez),
                    Load::Votes { .. } | Load::Paced { .. } => {
                        if mine.is_empty() {
                            break;
                        }
                        let token = mine[turn % mine.len()];
                        let nominee = (turn / mine.len()) as u32 % NOMINEES + 1;
                        client
                            .post(&votes)
                            .bearer_auth(token)
                            .header("x-device-id", &device)
                            .json(&serde_json::json!({ "nominee_number": nominee }))
                    }
                };
                turn += 1;
                let sent = Instant::now();
                let Ok(r) = request.send().await else {
                    *tally.refusals.entry("connection error".into()).or_default() += 1;
                    continue;
                };
                let status = r.status().as_u16();
                if status == 200 || status == 201 {
                    let _ = r.bytes().await;
                    tally.accepted += 1;
                } else {
                    let body: serde_json::Value = r.json().await.unwrap_or_default();
                    let kind = body["error"].as_str().unwrap_or("?").to_string();
                    *tally
                        .refusals
                        .entry(format!("{status} {kind}"))
                        .or_default() += 1;
                }
                tally
                    .latencies_us
                    .push(sent.elapsed().as_micros().min(u128::from(u32::MAX)) as u32);
            }
            tally
        }));
    }
    let mut total = Tally::default();
    for t in tasks {
        total.merge(t.await.expect("worker"));
    }
    (total, started.elapsed())
}

struct Row {
    backend: Backend,
    what: String,
    per_second: f64,
    p50: f64,
    p95: f64,
    p99: f64,
    refusals: String,
    rss: f64,
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    f64::from(sorted[i]) / 1000.0
}

async fn scenario(backend: Backend, load: Load, s: &Settings) -> Row {
    let prepared = prepare(backend, s).await;
    let naive = matches!(load, Load::Votes { naive: true });
    let server = Server::start(backend, &prepared, naive, s);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(s.concurrency)
        .build()
        .expect("client");
    server.wait_ready(&client).await;
    let tokens = match load {
        Load::Ceiling => Vec::new(),
        _ => sign_in_all(&client, &server.base, &prepared.codes).await,
    };
    let (mut tally, took) = drive(&client, &server.base, Arc::new(tokens), load, s).await;
    tally.latencies_us.sort_unstable();
    let rss = server.peak_rss_mib();
    drop(server);
    if let Some(name) = &prepared.drop_pg {
        if let Ok(mut admin) = <sqlx::PgConnection as sqlx::Connection>::connect(&s.pg_admin).await
        {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin)
                .await;
        }
    }
    let what = match load {
        Load::Ceiling => "framework ceiling: GET /livez".to_string(),
        Load::Votes { naive: false } => "votes, group commit".to_string(),
        Load::Votes { naive: true } => "votes, naive (one transaction each)".to_string(),
        Load::Paced { per_second } => format!("votes paced at {per_second:.0}/s (80 % of peak)"),
    };
    let refusals = if tally.refusals.is_empty() {
        "none".to_string()
    } else {
        tally
            .refusals
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Row {
        backend,
        what,
        per_second: tally.accepted as f64 / took.as_secs_f64(),
        p50: percentile(&tally.latencies_us, 0.50),
        p95: percentile(&tally.latencies_us, 0.95),
        p99: percentile(&tally.latencies_us, 0.99),
        refusals,
        rss,
    }
}

#[tokio::main]
async fn main() {
    // `cargo bench` passes `--bench`; any other argument is a filter we ignore.
    let s = Settings {
        seconds: env_or("BENCH_SECONDS", 10),
        concurrency: env_or("BENCH_CONCURRENCY", 128),
        voters: env_or("BENCH_VOTERS", 20_000),
        pg_admin: std::env::var("BENCH_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into()),
        redis: std::env::var("BENCH_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into()),
    };
    let backends: Vec<Backend> = std::env::var("BENCH_BACKENDS")
        .unwrap_or_else(|_| "sqlite,postgres".into())
        .split(',')
        .filter_map(|b| match b.trim() {
            "sqlite" => Some(Backend::Sqlite),
            "postgres" => Some(Backend::Postgres),
            _ => None,
        })
        .collect();
    println!(
        "Alley Vote load run: {} s per row, {} connections, {} voters with {} votes a day each, {} cores",
        s.seconds,
        s.concurrency,
        s.voters,
        VOTES_PER_DAY,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let mut rows = Vec::new();
    for backend in backends {
        let ceiling = scenario(backend, Load::Ceiling, &s).await;
        let batched = scenario(backend, Load::Votes { naive: false }, &s).await;
        let naive = scenario(backend, Load::Votes { naive: true }, &s).await;
        let paced = scenario(
            backend,
            Load::Paced {
                per_second: batched.per_second * 0.8,
            },
            &s,
        )
        .await;
        println!(
            "{}: group commit is {:.2}x the naive mode and {:.0} % of the framework ceiling",
            backend.label(),
            batched.per_second / naive.per_second,
            100.0 * batched.per_second / ceiling.per_second
        );
        rows.extend([ceiling, batched, naive, paced]);
    }
    println!();
    println!("| backend | load | answered ok/s | p50 ms | p95 ms | p99 ms | refusals | server peak RSS MiB |");
    println!("|---|---|---:|---:|---:|---:|---|---:|");
    for r in rows {
        println!(
            "| {} | {} | {:.0} | {:.1} | {:.1} | {:.1} | {} | {:.0} |",
            r.backend.label(),
            r.what,
            r.per_second,
            r.p50,
            r.p95,
            r.p99,
            r.refusals,
            r.rss
        );
    }
}
