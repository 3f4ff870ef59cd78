//! Group commit. Every vote request hands its ballot to a queue and waits; a
//! few writer tasks each take whatever has queued up (up to a batch limit) and
//! record it in one transaction, then answer every request in it. Under light
//! load a batch is one ballot and nothing waits; under heavy load batches grow,
//! so the cost of a commit (the fsync) is shared by many votes and throughput
//! rises with load instead of queueing behind single inserts. A request is
//! answered only after its vote is committed.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot, Mutex};

use super::ballot::{Ballot, Outcome};
use super::storage::VoteStorage;
use crate::storage::{StoreError, StoreResult};

pub use crate::config::WriteMode;

struct Job {
    ballot: Ballot,
    reply: oneshot::Sender<StoreResult<Outcome>>,
}

pub struct VoteWriter(Route);

enum Route {
    Batched(mpsc::Sender<Job>),
    Single(Arc<dyn VoteStorage>),
}

impl VoteWriter {
    /// Starts the writer tasks; they end when the writer is dropped, after
    /// recording whatever is still queued.
    pub fn start(store: Arc<dyn VoteStorage>, mode: WriteMode) -> Self {
        match mode {
            WriteMode::Single => VoteWriter(Route::Single(store)),
            WriteMode::Batched { writers, max_batch } => {
                let max_batch = max_batch.max(1);
                let (queue, jobs) = mpsc::channel(max_batch * writers.max(1) * 4);
                let jobs = Arc::new(Mutex::new(jobs));
                for _ in 0..writers.max(1) {
                    tokio::spawn(write_batches(store.clone(), jobs.clone(), max_batch));
                }
                VoteWriter(Route::Batched(queue))
            }
        }
    }

    /// Records one ballot; returns once it is committed (or refused).
    pub async fn write(&self, ballot: Ballot) -> StoreResult<Outcome> {
        match &self.0 {
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
    }
}

async fn write_batches(
    store: Arc<dyn VoteStorage>,
    jobs: Arc<Mutex<mpsc::Receiver<Job>>>,
    max: usize,
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
    }
}
