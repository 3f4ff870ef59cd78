//! Redis: the fast first filter shared by every instance. Never the source of
//! truth. When it is unreachable the server keeps serving and reports itself
//! degraded; callers get `None` and fall back to the database or in-process state.

pub mod shared;

use std::future::Future;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tokio::sync::Mutex;

use crate::keys::{redact_url, Secret};

/// How long any Redis call may take before we treat Redis as down.
const REDIS_TIMEOUT: Duration = Duration::from_millis(300);
/// After a failed connection attempt, wait this long before trying again,
/// so a dead Redis costs requests nothing.
const RECONNECT_BACKOFF: Duration = Duration::from_secs(1);

#[derive(Clone)]
pub struct RedisHandle {
    inner: Arc<Inner>,
}

struct Inner {
    client: redis::Client,
    redacted_url: String,
    state: Mutex<ConnState>,
    /// When a call last failed (ms since `born`), so the calls right after
    /// skip Redis instead of each waiting out a timeout.
    failed_at_ms: AtomicI64,
    born: Instant,
}

struct ConnState {
    conn: Option<ConnectionManager>,
    last_attempt: Option<Instant>,
}

impl RedisHandle {
    /// Checks the URL; connects lazily, so a Redis that is down at start-up
    /// does not stop the server.
    pub fn new(url: &Secret) -> Result<Self, redis::RedisError> {
        let client = redis::Client::open(url.expose())?;
        Ok(RedisHandle {
            inner: Arc::new(Inner {
                client,
                redacted_url: redact_url(url.expose()),
                state: Mutex::new(ConnState {
                    conn: None,
                    last_attempt: None,
                }),
                failed_at_ms: AtomicI64::new(i64::MIN),
                born: Instant::now(),
            }),
        })
    }

    pub fn redacted_url(&self) -> &str {
        &self.inner.redacted_url
    }

    /// A multiplexed connection (it pipelines every caller's commands over
    /// one socket and reconnects by itself), or `None` while Redis is unreachable.
    pub async fn connection(&self) -> Option<ConnectionManager> {
        let failed_at = self.inner.failed_at_ms.load(Ordering::Relaxed);
        if self.elapsed_ms().saturating_sub(failed_at) < RECONNECT_BACKOFF.as_millis() as i64 {
            return None;
        }
        let mut state = self.inner.state.lock().await;
        if let Some(conn) = &state.conn {
            return Some(conn.clone());
        }
        if state
            .last_attempt
            .is_some_and(|t| t.elapsed() < RECONNECT_BACKOFF)
        {
            return None;
        }
        state.last_attempt = Some(Instant::now());
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(REDIS_TIMEOUT)
            .set_response_timeout(REDIS_TIMEOUT)
            .set_number_of_retries(1)
            .set_max_delay(1000);
        match tokio::time::timeout(
            REDIS_TIMEOUT * 2,
            ConnectionManager::new_with_config(self.inner.client.clone(), config),
        )
        .await
        {
            Ok(Ok(conn)) => {
                tracing::info!(redis = %self.inner.redacted_url, "connected to Redis");
                state.conn = Some(conn.clone());
                Some(conn)
            }
            Ok(Err(e)) => {
                tracing::warn!(redis = %self.inner.redacted_url, error = %e, "Redis unreachable");
                None
            }
            Err(_) => {
                tracing::warn!(redis = %self.inner.redacted_url, "Redis connection timed out");
                None
            }
        }
    }

    fn elapsed_ms(&self) -> i64 {
        self.inner.born.elapsed().as_millis() as i64
    }

    /// Runs one Redis call with the timeout; `None` if it took too long.
    /// A timeout or a connection failure (not an error Redis answered with,
    /// such as an unknown script) makes the next second's callers skip Redis.
    pub async fn timed<T>(
        &self,
        call: impl Future<Output = redis::RedisResult<T>>,
    ) -> Option<redis::RedisResult<T>> {
        let answer = tokio::time::timeout(REDIS_TIMEOUT, call).await.ok();
        let unreachable = match &answer {
            None => true,
            Some(Ok(_)) => false,
            Some(Err(e)) => e.is_io_error() || e.is_unrecoverable_error(),
        };
        if unreachable {
            self.inner
                .failed_at_ms
                .store(self.elapsed_ms(), Ordering::Relaxed);
        }
        answer
    }

    /// Whether Redis answers a PING right now.
    pub async fn ping(&self) -> bool {
        let Some(mut conn) = self.connection().await else {
            return false;
        };
        let pong = tokio::time::timeout(
            REDIS_TIMEOUT,
            redis::cmd("PING").query_async::<String>(&mut conn),
        )
        .await;
        matches!(pong, Ok(Ok(ref s)) if s == "PONG")
    }
}
