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

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{
    backends_from_env, percentile, prepare, sign_in_all, Backend, Server, Settings, NOMINEES,
    VOTES_PER_DAY,
};

#[derive(Clone, Copy)]
enum Load {
    /// `GET /livez`: what the HTTP stack itself can do here.
    Ceiling,
    /// Votes as fast as the server answers.
    Votes { naive: bool },
    /// Votes at a fixed total rate.
    Paced { per_second: f64 },
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

async fn scenario(backend: Backend, load: Load, s: &Settings) -> Row {
    let prepared = prepare(backend, s).await;
    let naive = matches!(load, Load::Votes { naive: true });
    let server = Server::start(backend, &prepared, naive, s, &[]);
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
    let s = Settings::from_env(10, 128, 20_000);
    let backends = backends_from_env("sqlite,postgres");
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
