//! Group commit. Every vote request hands its ballot to a queue and waits; a
//! few writer tasks each take whatever has queued up (up to a batch limit) and
//! record it in one transaction, then answer every request in it. Under light
//! load a batch is one ballot and nothing waits; under heavy load batches grow,
//! so the cost of a commit (the fsync) is shared by many votes and throughput
//! rises with load instead of queueing behind single inserts. A request is
//! answered only after its vote is committed.
//!
//! No request waits without bound: when the database stalls, a lock is held
//! or the queue is full, the request gets [`StoreError::Busy`] after the
//! configured wait (its ballot may still commit later; a retry with the same
//! key then replays it). A writer task that panics is restarted.

use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use alleyvote_domain::Millis;
use serde::Serialize;
use tokio::sync::{mpsc, oneshot, Mutex};

use super::ballot::{Ballot, Outcome};
use super::storage::VoteStorage;
use crate::storage::{StoreError, StoreResult};

/// How votes reach the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// Group commit with this many writer tasks and at most this many ballots a batch.
    Batched { writers: usize, max_batch: usize },
    /// One transaction per request, no batching: the benchmark's naive baseline.
    Single,
}

impl WriteMode {
    /// SQLite has one writer connection, so one writer task; PostgreSQL
    /// overlaps one batch's commit with the next batch's statements.
    pub fn default_for(kind: crate::storage::BackendKind) -> Self {
        WriteMode::Batched {
            writers: match kind {
                crate::storage::BackendKind::Sqlite => 1,
                crate::storage::BackendKind::Postgres => 2,
            },
            max_batch: 512,
        }
    }
}

struct Job {
    ballot: Ballot,
    reply: oneshot::Sender<StoreResult<Outcome>>,
}

pub struct VoteWriter {
    route: Route,
    /// The longest a request waits for its ballot's answer.
    bound: Duration,
    stats: Arc<Stats>,
}

enum Route {
    Batched(mpsc::Sender<Job>),
    Single(Arc<dyn VoteStorage>),
}

/// What `/healthz` shows of the writers.
#[derive(Default)]
struct Stats {
    running: AtomicUsize,
    restarts: AtomicU64,
    last_batch_at: AtomicI64,
}

/// The writers as `/healthz` reports them.
#[derive(Debug, Clone, Serialize)]
pub struct WriterHealth {
    pub mode: &'static str,
    /// Writer tasks running now (0 in single mode, where requests write themselves).
    pub writers: usize,
    /// Times a writer task was restarted after a panic.
    pub restarts: u64,
    /// Ballots waiting for a writer.
    pub queue_depth: usize,
    /// When the last batch finished, if one has.
    pub last_batch_at: Option<String>,
}

impl VoteWriter {
    /// Starts the writer tasks; they end when the writer is dropped, after
    /// recording whatever is still queued.
    pub fn start(store: Arc<dyn VoteStorage>, mode: WriteMode, bound: Duration) -> Self {
        let stats = Arc::new(Stats::default());
        let route = match mode {
            WriteMode::Single => Route::Single(store),
            WriteMode::Batched { writers, max_batch } => {
                let max_batch = max_batch.max(1);
                let (queue, jobs) = mpsc::channel(max_batch * writers.max(1) * 4);
                let jobs = Arc::new(Mutex::new(jobs));
                for _ in 0..writers.max(1) {
                    tokio::spawn(supervise(
                        store.clone(),
                        jobs.clone(),
                        max_batch,
                        stats.clone(),
                    ));
                }
                Route::Batched(queue)
            }
        };
        VoteWriter {
            route,
            bound,
            stats,
        }
    }

    /// The longest a request waits for its ballot's answer.
    pub fn bound(&self) -> Duration {
        self.bound
    }

    /// Records one ballot; returns once it is committed (or refused), or
    /// [`StoreError::Busy`] when that takes longer than the bound.
    pub async fn write(&self, ballot: Ballot) -> StoreResult<Outcome> {
        let answer = async {
            match &self.route {
                Route::Single(store) => store.cast_vote(&ballot).await,
                Route::Batched(queue) => {
                    let (reply, answer) = oneshot::channel();
                    queue
                        .send(Job { ballot, reply })
                        .await
                        .map_err(|_| StoreError::WriterStopped)?;
                    answer.await.map_err(|_| StoreError::WriterStopped)?
                }
            }
        };
        tokio::time::timeout(self.bound, answer)
            .await
            .unwrap_or(Err(StoreError::Busy))
    }

    pub fn health(&self) -> WriterHealth {
        let last = self.stats.last_batch_at.load(Ordering::Relaxed);
        let (mode, queue_depth) = match &self.route {
            Route::Single(_) => ("single", 0),
            Route::Batched(queue) => ("batched", queue.max_capacity() - queue.capacity()),
        };
        WriterHealth {
            mode,
            writers: self.stats.running.load(Ordering::Relaxed),
            restarts: self.stats.restarts.load(Ordering::Relaxed),
            queue_depth,
            last_batch_at: (last > 0).then(|| Millis(last).rfc3339()),
        }
    }
}

/// Runs a writer task, and runs it again if it panics: the requests of the
/// batch it held get `WriterStopped` (their senders are dropped), later ones
/// are served by the new task.
async fn supervise(
    store: Arc<dyn VoteStorage>,
    jobs: Arc<Mutex<mpsc::Receiver<Job>>>,
    max: usize,
    stats: Arc<Stats>,
) {
    stats.running.fetch_add(1, Ordering::Relaxed);
    loop {
        let task = tokio::spawn(write_batches(
            store.clone(),
            jobs.clone(),
            max,
            stats.clone(),
        ));
        match task.await {
            Ok(()) => break,
            Err(e) if e.is_panic() => {
                stats.restarts.fetch_add(1, Ordering::Relaxed);
                tracing::error!("a vote writer panicked; restarting it");
            }
            Err(_) => break,
        }
    }
    stats.running.fetch_sub(1, Ordering::Relaxed);
}

async fn write_batches(
    store: Arc<dyn VoteStorage>,
    jobs: Arc<Mutex<mpsc::Receiver<Job>>>,
    max: usize,
    stats: Arc<Stats>,
) {
    let mut batch: Vec<Job> = Vec::with_capacity(max);
    loop {
        // One writer collects while the others are busy writing theirs.
        let taken = jobs.lock().await.recv_many(&mut batch, max).await;
        if taken == 0 {
            return;
        }
        let ballots: Vec<Ballot> = batch.iter().map(|j| j.ballot.clone()).collect();
        match store.cast_votes(&ballots).await {
            Ok(outcomes) if outcomes.len() == batch.len() => {
                for (job, outcome) in batch.drain(..).zip(outcomes) {
                    // A requester that gave up no longer listens; its vote stands.
                    let _ = job.reply.send(Ok(outcome));
                }
            }
            failed => {
                // Either nothing of the batch was committed, or all of it (the
                // connection dropped after COMMIT was sent). Every ballot
                // carries a request key, so retrying each alone replays what
                // did commit and decides what did not; one bad ballot or a
                // lost connection fails only itself.
                if let Err(e) = failed {
                    tracing::warn!(error = %e, ballots = batch.len(), "vote batch failed; retrying one by one");
                }
                for job in batch.drain(..) {
                    let outcome = store.cast_vote(&job.ballot).await;
                    let _ = job.reply.send(outcome);
                }
            }
        }
        stats
            .last_batch_at
            .store(Millis::now().0, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;

    use alleyvote_domain::{CampaignId, NomineeNumber, ShanghaiDay, VoteRules, VoterId};
    use async_trait::async_trait;

    use super::*;
    use crate::voting::ballot::{Channel, VoteReceipt};

    /// Panics on its first batch, answers every later one; or never answers.
    struct Flaky {
        panicked: AtomicBool,
        stall: bool,
    }

    #[async_trait]
    impl VoteStorage for Flaky {
        async fn cast_votes(&self, ballots: &[Ballot]) -> StoreResult<Vec<Outcome>> {
            if self.stall {
                std::future::pending::<()>().await;
            }
            if !self.panicked.swap(true, Ordering::SeqCst) {
                panic!("a bug in the writer");
            }
            Ok(ballots
                .iter()
                .map(|_| {
                    Ok(VoteReceipt {
                        vote_id: 1,
                        remaining_today: 9,
                        counted: None,
                        replayed: false,
                    })
                })
                .collect())
        }

        async fn votes_on(
            &self,
            _: CampaignId,
            _: VoterId,
            _: ShanghaiDay,
        ) -> StoreResult<Vec<NomineeNumber>> {
            Ok(vec![])
        }

        async fn votes_by_hour(
            &self,
            _: CampaignId,
            _: alleyvote_domain::Millis,
        ) -> StoreResult<Vec<(i64, u64)>> {
            Ok(vec![])
        }

        async fn active_nominees(
            &self,
            _: CampaignId,
        ) -> StoreResult<Vec<(NomineeNumber, alleyvote_domain::NomineeId)>> {
            Ok(vec![])
        }

        async fn campaign_now(
            &self,
            _: CampaignId,
            _: NomineeNumber,
        ) -> StoreResult<Option<crate::voting::storage::CampaignNow>> {
            Ok(None)
        }
    }

    fn ballot() -> Ballot {
        Ballot {
            campaign: CampaignId(1),
            rules: VoteRules::new(10, 1).unwrap(),
            voter: VoterId(1),
            nominee: NomineeNumber::new(1).unwrap(),
            at: Millis::now(),
            channel: Channel::Online,
            request_key: Some("k".into()),
        }
    }

    const BATCHED: WriteMode = WriteMode::Batched {
        writers: 1,
        max_batch: 8,
    };

    #[tokio::test]
    async fn a_writer_that_panics_is_restarted() {
        let store = Arc::new(Flaky {
            panicked: AtomicBool::new(false),
            stall: false,
        });
        let writer = VoteWriter::start(store, BATCHED, Duration::from_secs(5));
        assert!(matches!(
            writer.write(ballot()).await,
            Err(StoreError::WriterStopped)
        ));
        assert!(writer.write(ballot()).await.unwrap().is_ok());
        let health = writer.health();
        assert_eq!((health.writers, health.restarts), (1, 1));
        assert!(health.last_batch_at.is_some());
    }

    #[tokio::test]
    async fn a_stalled_database_is_answered_within_the_bound() {
        let store = Arc::new(Flaky {
            panicked: AtomicBool::new(true),
            stall: true,
        });
        let bound = Duration::from_millis(200);
        let writer = VoteWriter::start(store, BATCHED, bound);
        let started = std::time::Instant::now();
        assert!(matches!(
            writer.write(ballot()).await,
            Err(StoreError::Busy)
        ));
        let took = started.elapsed();
        assert!(took >= bound && took < Duration::from_secs(5), "{took:?}");
        assert_eq!(
            writer.health().queue_depth,
            0,
            "the writer holds the ballot"
        );
    }
}
