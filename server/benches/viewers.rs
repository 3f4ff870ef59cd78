//! Live viewers: `cargo bench -p alleyvote-server --bench viewers`.
//!
//! Starts the real server binary on a fresh database, opens N results
//! streams (`BENCH_VIEWERS`, 10,000) from this process over plain TCP, and
//! then casts votes through the JSON API as fast as the server answers for
//! `BENCH_SECONDS`. It prints one table: viewers that got their first
//! snapshot, the server's memory per viewer (resident memory with the
//! streams open, less before), the staleness each viewer saw (from a
//! vote's 201 to the first event whose total includes it: p50/p99), the
//! votes/s and the server's CPU. The references in the same run: the same
//! votes with no viewers, and the same viewers answered by hyper instead of
//! the socket route (`ALLEYVOTE_STREAMS_FROM_SOCKET=false`).
//!
//! Then the big screen: `BENCH_SCREEN_VIEWERS` (`10,1000`) walls following
//! `/screen/stream` (the wall showing the live counts) under the same
//! votes, one run per count. Its table adds the screen views the server
//! built per second (`/healthz`'s `screen.views_built`) and, on PostgreSQL,
//! the reads of the screen's row per second as the database counts them
//! (`pg_stat_user_tables` scans of `screen_states`, which an earlier build
//! run through `BENCH_SERVER_BIN` shows too): both should follow the
//! changes, not the number of walls.
//!
//! Settings: `BENCH_BACKENDS` (`sqlite`), `BENCH_PARTS` (`results,screen`),
//! `BENCH_VIEWERS`, `BENCH_SCREEN_VIEWERS`, `BENCH_SECONDS` (15),
//! `BENCH_CONCURRENCY` (32), `BENCH_VOTERS` (5000); the file limit is raised
//! with `prlimit`.

mod common;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{
    backends_from_env, env_or, percentile, prepare, sign_in_all, Backend, Prepared, Server,
    Settings, NOMINEES,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What one viewer saw: when each event came (ms since the start) and the
/// total it showed.
#[derive(Default)]
struct Seen {
    first_ms: Option<u32>,
    events: Vec<(u32, u64)>,
}

/// The streams a run follows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum What {
    /// The live results (`/api/v1/campaigns/bench/results/stream`).
    Results,
    /// The big screen's wall (`/screen/stream`), showing the live counts.
    Screen,
}

impl What {
    fn path(self) -> &'static str {
        match self {
            What::Results => "/api/v1/campaigns/bench/results/stream",
            What::Screen => "/screen/stream",
        }
    }

    /// The field of an event that holds the votes counted.
    fn total(self) -> &'static str {
        match self {
            What::Results => "\"total_votes\":",
            What::Screen => "\"total_online\":",
        }
    }
}

/// Asks `/healthz` for its details.
const HEALTH_TOKEN: &str = "bench-only-health-token";

fn total_of(event: &str, key: &str) -> Option<u64> {
    let at = event.find(key)? + key.len();
    let digits: String = event[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// One viewer: a stream read until `stop`.
async fn viewer(addr: SocketAddr, what: What, start: Instant, stop: Arc<AtomicU64>) -> Seen {
    let path = what.path();
    let mut seen = Seen::default();
    let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await else {
        return seen;
    };
    // As a browser asks: a compressed stream would show here as no snapshot.
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\
         Accept-Encoding: gzip, deflate, br\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).await.is_err() {
        return seen;
    }
    let mut buf = vec![0u8; 16 * 1024];
    let mut pending = String::new();
    while stop.load(Ordering::Relaxed) == 0 {
        let read = tokio::time::timeout(Duration::from_millis(500), stream.read(&mut buf)).await;
        let n = match read {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => n,
            Err(_) => continue,
        };
        pending.push_str(&String::from_utf8_lossy(&buf[..n]));
        while let Some(end) = pending.find("\n\n") {
            let event: String = pending.drain(..end + 2).collect();
            if let Some(total) = total_of(&event, what.total()) {
                let at = start.elapsed().as_millis() as u32;
                seen.first_ms.get_or_insert(at);
                seen.events.push((at, total));
            }
        }
    }
    seen
}

/// The server's resident memory now, in KiB.
fn rss_kib(server: &Server) -> u64 {
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// The server's CPU time so far, in seconds.
fn cpu_seconds(server: &Server) -> f64 {
    let stat =
        std::fs::read_to_string(format!("/proc/{}/stat", server.child.id())).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(") ")
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks: f64 = fields.get(11..13).map_or(0.0, |f| {
        f.iter().filter_map(|v| v.parse::<f64>().ok()).sum()
    });
    ticks / 100.0
}

/// The screen views the server has built (`None` from a build that does
/// not say).
async fn views_built(client: &reqwest::Client, server: &Server) -> Option<u64> {
    let body: serde_json::Value = client
        .get(format!("{}/healthz", server.base))
        .bearer_auth(HEALTH_TOKEN)
        .send()
        .await
        .ok()?
        .json()
        .await
        .ok()?;
    body["screen"]["views_built"].as_u64()
}

/// Reads of the screen's row as PostgreSQL counts them: scans of
/// `screen_states` (each read of the screen's controls is one, as is each
/// read of the results' state, which carries the screen's revision).
async fn screen_row_scans(prepared: &Prepared) -> Option<u64> {
    prepared.drop_pg.as_ref()?;
    let mut db = <sqlx::PgConnection as sqlx::Connection>::connect(&prepared.database_url)
        .await
        .ok()?;
    let scans: Option<i64> = sqlx::query_scalar(
        "SELECT CAST(COALESCE(seq_scan, 0) + COALESCE(idx_scan, 0) AS BIGINT) \
         FROM pg_stat_user_tables WHERE relname = 'screen_states'",
    )
    .fetch_optional(&mut db)
    .await
    .ok()?;
    scans.and_then(|n| u64::try_from(n).ok())
}

/// Puts the bench campaign's wall in "live", so that every change of the
/// counts is a new view for every wall.
async fn wall_live(prepared: &Prepared) {
    use alleyvote::audit::{Actor, AuditAction, NewAuditEntry};
    use alleyvote::screen::storage::ScreenChange;
    use alleyvote::store;
    use alleyvote_domain::screen::{Channel, ScreenControl, ScreenMode};
    let url = alleyvote::config::DatabaseUrl::parse(&prepared.database_url).expect("url");
    let settings = store::StoreSettings {
        pool: 2,
        audit_key: alleyvote::audit::AuditKey::derive("the benchmark's own audit key, unused"),
        clock: alleyvote::clock::Clock::SYSTEM,
    };
    let store = store::connect(&url, &settings)
        .await
        .expect("open database");
    let campaign = store
        .campaign("bench")
        .await
        .expect("read campaign")
        .expect("the bench campaign");
    let change = ScreenChange {
        channel: Channel::Public,
        control: ScreenControl {
            mode: ScreenMode::Live,
            revealed: 0,
        },
        frozen: None,
    };
    let audit = NewAuditEntry::new(Actor::SYSTEM, AuditAction::ScreenControl, "campaign:bench");
    store
        .set_screen(
            campaign.id,
            0,
            &change,
            &audit,
            alleyvote_domain::Millis::now(),
        )
        .await
        .expect("wall live");
}

struct Row {
    backend: Backend,
    /// Streams through the socket route (else through hyper, like any request).
    from_socket: bool,
    viewers: usize,
    first: usize,
    kib_per_viewer: f64,
    stale_p50: f64,
    stale_p99: f64,
    unseen: u64,
    votes_per_second: f64,
    cpu: f64,
    /// Screen views built per second while the votes came.
    views_per_second: Option<f64>,
    /// Reads of the screen's row per second (PostgreSQL).
    scans_per_second: Option<f64>,
}

/// PostgreSQL's backends report their counts within about 10 s of going idle.
const PG_STATS_LAG: Duration = Duration::from_secs(11);

async fn run(backend: Backend, what: What, viewers: usize, from_socket: bool, s: &Settings) -> Row {
    let prepared = prepare(backend, s).await;
    if what == What::Screen {
        wall_live(&prepared).await;
    }
    let extra = [
        ("ALLEYVOTE_STREAMS_PER_ADDRESS", (viewers + 100).to_string()),
        ("ALLEYVOTE_MAX_CONNECTIONS", (viewers + 2_000).to_string()),
        (
            "ALLEYVOTE_MAX_CONNECTIONS_PER_ADDRESS",
            (viewers + 2_000).to_string(),
        ),
        ("ALLEYVOTE_STREAMS_FROM_SOCKET", from_socket.to_string()),
        ("ALLEYVOTE_HEALTH_TOKEN", HEALTH_TOKEN.to_string()),
        ("ALLEYVOTE_CAMPAIGN", "bench".to_string()),
    ];
    let server = Server::start(backend, &prepared, false, s, &extra);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(s.concurrency)
        .build()
        .expect("client");
    server.wait_ready(&client).await;
    let tokens = Arc::new(sign_in_all(&client, &server.base, &prepared.codes).await);
    let addr: SocketAddr = server
        .base
        .trim_start_matches("http://")
        .parse()
        .expect("address");
    // One read first, so the server follows the campaign before the crowd.
    let _ = client
        .get(format!("{}/api/v1/campaigns/bench/results", server.base))
        .send()
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = rss_kib(&server);
    let start = Instant::now();
    let stop = Arc::new(AtomicU64::new(0));
    let mut handles = Vec::with_capacity(viewers);
    for i in 0..viewers {
        handles.push(tokio::spawn(viewer(addr, what, start, stop.clone())));
        if i % 500 == 499 {
            tokio::task::yield_now().await;
        }
    }
    // Settle: every stream open and served its first snapshot.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let with_streams = rss_kib(&server);
    let pg = prepared.drop_pg.is_some() && what == What::Screen;
    if pg {
        tokio::time::sleep(PG_STATS_LAG).await;
    }
    let scans_before = screen_row_scans(&prepared).await;
    let views_before = views_built(&client, &server).await;
    let cpu_before = cpu_seconds(&server);
    // Votes at full speed; a sample every 100 ms of how many were answered.
    let accepted = Arc::new(AtomicU64::new(0));
    let samples: Arc<Mutex<Vec<(u32, u64)>>> = Arc::default();
    let deadline = Instant::now() + Duration::from_secs(s.seconds);
    let sampler = {
        let (accepted, samples) = (accepted.clone(), samples.clone());
        tokio::spawn(async move {
            while Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(100)).await;
                let k = accepted.load(Ordering::SeqCst);
                samples
                    .lock()
                    .expect("samples")
                    .push((start.elapsed().as_millis() as u32, k));
            }
        })
    };
    let voting = Instant::now();
    let mut workers = Vec::new();
    let step = s.concurrency;
    for w in 0..s.concurrency {
        let (client, tokens, accepted) = (client.clone(), tokens.clone(), accepted.clone());
        let url = format!("{}/api/v1/campaigns/bench/votes", server.base);
        workers.push(tokio::spawn(async move {
            // Each worker takes its own share of the voters and walks their ballots.
            let mine: Vec<&String> = tokens.iter().skip(w).step_by(step).collect();
            let mut turn = 0usize;
            while Instant::now() < deadline && !mine.is_empty() {
                let token = mine[turn % mine.len()];
                let nominee = (turn / mine.len()) as u32 % NOMINEES + 1;
                turn += 1;
                if let Ok(r) = client
                    .post(&url)
                    .bearer_auth(token)
                    .json(&serde_json::json!({ "nominee_number": nominee }))
                    .send()
                    .await
                {
                    if r.status().as_u16() == 201 {
                        accepted.fetch_add(1, Ordering::SeqCst);
                    }
                }
            }
        }));
    }
    for w in workers {
        let _ = w.await;
    }
    let _ = sampler.await;
    let took = voting.elapsed();
    let cpu = (cpu_seconds(&server) - cpu_before) / took.as_secs_f64();
    // The last votes' change is built within a refresh; the window is the
    // voting's (a build after it only makes the rate look higher).
    tokio::time::sleep(Duration::from_secs(1)).await;
    let per_second = |before: Option<u64>, after: Option<u64>| {
        Some(after?.saturating_sub(before?) as f64 / took.as_secs_f64())
    };
    let views_per_second = per_second(views_before, views_built(&client, &server).await);
    if pg {
        tokio::time::sleep(PG_STATS_LAG).await;
    }
    let scans_per_second = per_second(scans_before, screen_row_scans(&prepared).await);
    // Let the last votes reach the viewers, then stop reading.
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.store(1, Ordering::Relaxed);
    let mut seen = Vec::with_capacity(viewers);
    for h in handles {
        seen.push(h.await.unwrap_or_default());
    }
    let samples = samples.lock().expect("samples").clone();
    let mut staleness: Vec<u32> = Vec::new();
    let mut unseen = 0u64;
    for v in &seen {
        for &(t, k) in &samples {
            match v.events.iter().find(|(_, total)| *total >= k) {
                Some((at, _)) => staleness.push(at.saturating_sub(t) * 1000),
                None => unseen += 1,
            }
        }
    }
    staleness.sort_unstable();
    let first = seen.iter().filter(|v| v.first_ms.is_some()).count();
    let votes = accepted.load(Ordering::SeqCst);
    Row {
        backend,
        from_socket,
        viewers,
        first,
        kib_per_viewer: if viewers == 0 {
            0.0
        } else {
            with_streams.saturating_sub(before) as f64 / viewers as f64
        },
        stale_p50: percentile(&staleness, 0.50),
        stale_p99: percentile(&staleness, 0.99),
        unseen,
        votes_per_second: votes as f64 / took.as_secs_f64(),
        cpu,
        views_per_second,
        scans_per_second,
    }
}

/// Milliseconds, or a dash when nothing was measured.
fn ms(v: f64) -> String {
    if v.is_nan() {
        "—".to_string()
    } else {
        format!("{v:.0}")
    }
}

/// A rate, or a dash when it was not measured.
fn rate(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |v| format!("{v:.1}"))
}

#[tokio::main]
async fn main() {
    // Each viewer is a socket here and one in the server (which inherits
    // this process's limit): raise it where allowed, and say what it is.
    let me = std::process::id().to_string();
    let _ = std::process::Command::new("prlimit")
        .args(["--pid", &me, "--nofile=200000:200000"])
        .stderr(std::process::Stdio::null())
        .status();
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
    let raised = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(3))
        .unwrap_or("?")
        .to_string();
    let s = Settings::from_env(15, 32, 5_000);
    let viewers: usize = env_or("BENCH_VIEWERS", 10_000);
    let backends = backends_from_env("sqlite");
    let parts = std::env::var("BENCH_PARTS").unwrap_or_else(|_| "results,screen".into());
    let walls: Vec<usize> = std::env::var("BENCH_SCREEN_VIEWERS")
        .unwrap_or_else(|_| "10,1000".into())
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    println!(
        "Alley Vote live viewers: {viewers} results streams, walls {walls:?} ({parts}), {} s of votes at {} connections, open-file limit {raised}, {} cores",
        s.seconds,
        s.concurrency,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let mut rows = Vec::new();
    let mut screens = Vec::new();
    for backend in backends {
        if parts.contains("results") {
            rows.push(run(backend, What::Results, 0, true, &s).await);
            rows.push(run(backend, What::Results, viewers, true, &s).await);
            // The reference for memory: the same streams answered by hyper.
            rows.push(run(backend, What::Results, viewers, false, &s).await);
        }
        if parts.contains("screen") {
            for &n in &walls {
                screens.push(run(backend, What::Screen, n, true, &s).await);
            }
        }
    }
    if !screens.is_empty() {
        println!();
        println!("| backend | walls (`/screen/stream`) | got the first view | screen views built/s | screen row reads/s (PostgreSQL) | staleness p50 ms | p99 ms | (wall, moment) pairs never seen | votes/s | server CPU (cores) |");
        println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for r in &screens {
            println!(
                "| {} | {} | {} | {} | {} | {} | {} | {} | {:.0} | {:.2} |",
                r.backend.label(),
                r.viewers,
                r.first,
                rate(r.views_per_second),
                rate(r.scans_per_second),
                ms(r.stale_p50),
                ms(r.stale_p99),
                r.unseen,
                r.votes_per_second,
                r.cpu
            );
        }
    }
    if rows.is_empty() {
        return;
    }
    println!();
    println!("| backend | streams answered by | viewers | got the first snapshot | server KiB per viewer | staleness p50 ms | p99 ms | (viewer, moment) pairs never seen | votes/s | server CPU (cores) |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        println!(
            "| {} | {} | {} | {} | {:.1} | {} | {} | {} | {:.0} | {:.2} |",
            r.backend.label(),
            if r.from_socket {
                "the socket route"
            } else {
                "hyper"
            },
            r.viewers,
            r.first,
            r.kib_per_viewer,
            ms(r.stale_p50),
            ms(r.stale_p99),
            r.unseen,
            r.votes_per_second,
            r.cpu
        );
    }
    if let [reference, crowd, through_hyper, ..] = rows.as_slice() {
        println!(
            "\nWith {} viewers the server answers {:.0} % of the votes/s it answers with none; \
             each viewer costs {:.1} KiB through the socket route against {:.1} KiB through hyper ({:.2}×).",
            crowd.viewers,
            100.0 * crowd.votes_per_second / reference.votes_per_second.max(1.0),
            crowd.kib_per_viewer,
            through_hyper.kib_per_viewer,
            crowd.kib_per_viewer / through_hyper.kib_per_viewer.max(0.001)
        );
    }
}
