//! Answers kept for retries are forgotten after a while: a client retries
//! within seconds or minutes, never days later, and the table would
//! otherwise grow by a row per vote for the whole campaign.

use std::sync::Arc;
use std::time::Duration;

use alleyvote_domain::Millis;
use tokio::sync::watch;

use super::storage::VoteStorage;

/// How long an answer is kept under its request key.
pub const KEEP_ANSWERS: Duration = Duration::from_secs(2 * 86_400);

/// How often old answers are looked for; every instance does it, and a
/// delete that finds nothing costs one indexed statement.
const EVERY: Duration = Duration::from_secs(3_600);

/// Forgets old answers now and then every hour, until `stop`.
pub fn spawn(store: Arc<dyn VoteStorage>, mut stop: watch::Receiver<bool>) {
    tokio::spawn(async move {
        loop {
            let before = Millis(Millis::now().0 - KEEP_ANSWERS.as_millis() as i64);
            match store.forget_requests(before).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(forgotten = n, "old vote request answers forgotten"),
                Err(e) => tracing::warn!(error = %e, "could not forget old vote request answers"),
            }
            tokio::select! {
                _ = tokio::time::sleep(EVERY) => {}
                _ = stop.changed() => break,
            }
        }
    });
}
