//! A TCP proxy between the server and PostgreSQL that fails the way networks
//! do: it cuts connections at random, and sometimes lets a `COMMIT` through
//! and then swallows the database's answer — the commit happened, and the
//! server cannot know it.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub struct CuttingProxy {
    pub addr: SocketAddr,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

struct State {
    upstream: SocketAddr,
    armed: AtomicBool,
    /// Chance that a `COMMIT` goes through and its answer is swallowed.
    commit_loss: f64,
    /// Chance that any chunk, either way, ends the connection instead.
    cut: f64,
    rng: Mutex<StdRng>,
    commits_lost: AtomicU64,
    cuts: AtomicU64,
}

impl State {
    fn roll(&self, chance: f64) -> bool {
        self.armed.load(Ordering::SeqCst)
            && self
                .rng
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .random_bool(chance)
    }
}

impl CuttingProxy {
    /// Listens on a free port and relays to `upstream`; harmless until armed.
    pub async fn start(upstream: SocketAddr, commit_loss: f64, cut: f64, seed: u64) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(State {
            upstream,
            armed: AtomicBool::new(false),
            commit_loss,
            cut,
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
            commits_lost: AtomicU64::new(0),
            cuts: AtomicU64::new(0),
        });
        let shared = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(relay(client, shared.clone()));
            }
        });
        CuttingProxy { addr, state, task }
    }

    pub fn arm(&self, on: bool) {
        self.state.armed.store(on, Ordering::SeqCst);
    }

    /// Commits whose answer was swallowed, and connections cut otherwise.
    pub fn damage(&self) -> (u64, u64) {
        (
            self.state.commits_lost.load(Ordering::SeqCst),
            self.state.cuts.load(Ordering::SeqCst),
        )
    }
}

impl Drop for CuttingProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One connection. Whichever direction stops first ends both: dropping the
/// halves closes the sockets.
async fn relay(client: TcpStream, state: Arc<State>) {
    let Ok(server) = TcpStream::connect(state.upstream).await else {
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (mut from_client, mut to_client) = client.into_split();
    let (mut from_server, mut to_server) = server.into_split();
    let swallow = AtomicBool::new(false);
    let up = async {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match from_client.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            let chunk = &buf[..n];
            // The simple-query message sqlx sends to end a transaction.
            let commit = chunk.windows(6).any(|w| w == b"COMMIT");
            if commit && state.roll(state.commit_loss) {
                swallow.store(true, Ordering::SeqCst);
                state.commits_lost.fetch_add(1, Ordering::SeqCst);
            } else if state.roll(state.cut) {
                state.cuts.fetch_add(1, Ordering::SeqCst);
                return;
            }
            if to_server.write_all(chunk).await.is_err() {
                return;
            }
        }
    };
    let down = async {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match from_server.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            // The answer to a swallowed COMMIT: the database has committed,
            // the server never hears it.
            if swallow.load(Ordering::SeqCst) {
                return;
            }
            if state.roll(state.cut) {
                state.cuts.fetch_add(1, Ordering::SeqCst);
                return;
            }
            if to_client.write_all(&buf[..n]).await.is_err() {
                return;
            }
        }
    };
    tokio::select! {
        _ = up => {}
        _ = down => {}
    }
}
