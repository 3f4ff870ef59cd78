//! The live tally every results page and stream reads from.
//!
//! Each instance keeps the latest snapshot of each campaign in memory and
//! refreshes it from the database on a short interval (catching votes that
//! other instances took) and at once when a vote commits here. Watchers get
//! whole snapshots through a `watch` channel, which coalesces bursts: a slow
//! screen only ever sees the newest state, and a lost update costs nothing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alleyvote_domain::{Campaign, Millis, ResultsSnapshot, ResultsVisibility};
use tokio::sync::{watch, Notify};

pub mod http;
pub mod storage;
pub mod verify;

use self::storage::ResultsStorage;
use crate::campaigns::Campaigns;
use crate::storage::{StoreError, StoreResult};

pub type SnapshotRx = watch::Receiver<Arc<ResultsSnapshot>>;

/// The shortest time between two reads of the tally by one instance.
const MIN_REFRESH_GAP: std::time::Duration = std::time::Duration::from_millis(200);

#[derive(Clone)]
pub struct ResultsHub {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<dyn ResultsStorage>,
    campaigns: Arc<Campaigns>,
    poll: Duration,
    poke: Notify,
    channels: Mutex<HashMap<String, watch::Sender<Arc<ResultsSnapshot>>>>,
}

impl ResultsHub {
    pub fn new(store: Arc<dyn ResultsStorage>, campaigns: Arc<Campaigns>, poll: Duration) -> Self {
        ResultsHub {
            inner: Arc::new(Inner {
                store,
                campaigns,
                poll,
                poke: Notify::new(),
                channels: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// Refreshes until the token is cancelled.
    pub fn spawn(&self, mut stop: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
        let hub = self.clone();
        tokio::spawn(async move {
            loop {
                if let Err(e) = hub.refresh().await {
                    tracing::warn!(error = %e, "could not refresh the results");
                }
                // Coalesce: however many votes arrive, re-read at most every
                // MIN_REFRESH_GAP, so a busy evening costs the database a few
                // tally reads a second, not one per vote.
                let gap = MIN_REFRESH_GAP.min(hub.inner.poll);
                tokio::select! {
                    _ = tokio::time::sleep(gap) => {}
                    _ = stop.changed() => break,
                }
                tokio::select! {
                    _ = tokio::time::sleep(hub.inner.poll.saturating_sub(gap)) => {}
                    _ = hub.inner.poke.notified() => {}
                    _ = stop.changed() => break,
                }
            }
        })
    }

    /// Asks for a refresh now: a vote was committed on this instance.
    pub fn poke(&self) {
        self.inner.poke.notify_one();
    }

    /// Reads every campaign's counts and publishes those that changed.
    pub async fn refresh(&self) -> StoreResult<()> {
        for campaign in self.inner.campaigns.all().await? {
            self.refresh_campaign(&campaign).await?;
        }
        Ok(())
    }

    async fn refresh_campaign(&self, campaign: &Campaign) -> StoreResult<()> {
        let previous = self.current(&campaign.slug);
        let frozen_at = match (campaign.results_visibility, campaign.results_frozen_at) {
            (ResultsVisibility::Frozen, Some(at)) => Some(at),
            _ => None,
        };
        // A frozen tally cannot change: count it once per freeze instant.
        if let (Some(at), Some(prev)) = (frozen_at, &previous) {
            if prev.visibility == ResultsVisibility::Frozen && prev.as_of == at {
                return Ok(());
            }
        }
        let (rows, as_of) = match frozen_at {
            Some(at) => (self.inner.store.tally_as_of(campaign.id, at).await?, at),
            None => (self.inner.store.tally(campaign.id).await?, Millis::now()),
        };
        let snapshot = ResultsSnapshot::build(campaign, rows, as_of);
        let mut channels = self
            .inner
            .channels
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        match channels.get(&campaign.slug) {
            Some(tx) => {
                tx.send_if_modified(|current| {
                    let news =
                        !current.same_counts(&snapshot) || current.title_zh != snapshot.title_zh;
                    if news {
                        *current = Arc::new(snapshot);
                    }
                    news
                });
            }
            None => {
                channels.insert(campaign.slug.clone(), watch::channel(Arc::new(snapshot)).0);
            }
        }
        Ok(())
    }

    /// The latest snapshot of a campaign, if the hub has read it yet.
    /// The latest snapshot of a campaign's results, read now if none is held yet.
    pub async fn of(&self, campaign: &Campaign) -> StoreResult<Arc<ResultsSnapshot>> {
        if let Some(s) = self.current(&campaign.slug) {
            return Ok(s);
        }
        self.refresh().await?;
        self.current(&campaign.slug)
            .ok_or_else(|| StoreError::Corrupt(format!("no results for {}", campaign.slug)))
    }

    pub fn current(&self, slug: &str) -> Option<Arc<ResultsSnapshot>> {
        let channels = self
            .inner
            .channels
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        channels.get(slug).map(|tx| tx.borrow().clone())
    }

    /// Follows a campaign's snapshots; `None` for a campaign the hub does not know.
    pub fn subscribe(&self, slug: &str) -> Option<SnapshotRx> {
        let channels = self
            .inner
            .channels
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        channels.get(slug).map(|tx| tx.subscribe())
    }
}
