//! The live tally every results page and stream reads from.
//!
//! Each instance keeps the latest live snapshot of each campaign in memory
//! and refreshes it from the database on a short interval (catching votes
//! that other instances took) and soon after a vote commits here. Watchers
//! follow a `watch` channel, which coalesces bursts: a slow screen only ever
//! sees the newest state.
//!
//! Results only move forward. A snapshot carries the tally's version; an
//! instance never replaces a snapshot with an older one, and a reader that
//! names the version it has seen (`If-None-Match`, `Last-Event-ID`) is never
//! answered with a lower one: a lagging instance reads the tally first. How
//! results may be shown (live, hidden, frozen) is read afresh for every
//! answer, so an organizer's switch holds on every instance as soon as it is
//! answered; a frozen tally is the one the freeze stored.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alleyvote_domain::{
    Campaign, CampaignId, Millis, NoticeInfo, ResultsSnapshot, ResultsStage, Tally,
};
use tokio::sync::{watch, Notify};

pub mod api;
pub mod pages;
pub mod published;
pub mod socket_stream;
pub mod storage;
pub mod stream;
pub mod tags;
pub mod verify;

use self::storage::{ResultsState, ResultsStorage};
use crate::campaigns::Campaigns;
use crate::shared_reads::FreshReads;
use crate::storage::{StoreError, StoreResult};
use crate::web::readers::{ReaderSlot, Readers};

/// The public notice's dates and objections so far, once published.
fn notice_of(state: &ResultsState) -> Option<NoticeInfo> {
    let p = state.publication.as_ref()?;
    Some(NoticeInfo {
        start: p.notice_start?,
        end: p.notice_end?,
        objections_filed: state.objections.0,
        objections_answered: state.objections.1,
        revision: p.revision,
        unreported_reason: p.unreported_reason.clone(),
    })
}

/// What a campaign's channel carries: the live counts, and the visibility
/// the last refresh saw (a change of either wakes the streams).
#[derive(Debug, Clone)]
pub struct Published {
    pub live: Arc<ResultsSnapshot>,
    pub state: ResultsState,
}

pub type SnapshotRx = watch::Receiver<Published>;

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
    channels: Mutex<HashMap<String, watch::Sender<Published>>>,
    /// Visibility reads, shared by the answers waiting at the same time.
    states: FreshReads<CampaignId, Option<ResultsState>>,
    /// Tally reads, shared likewise.
    tallies: FreshReads<CampaignId, Tally>,
    /// Each campaign's stored tally (a freeze, or a published notice) as a
    /// snapshot, built once per freeze or publication (and notice change).
    frozen: Mutex<HashMap<CampaignId, Arc<ResultsSnapshot>>>,
    /// Each campaign's live snapshot with its counts hidden, made once per
    /// live snapshot: every stream then sends the same one (and `encode`
    /// encodes it once).
    hidden: Mutex<HashMap<CampaignId, HiddenOfLive>>,
    /// Live streams open per client address.
    readers: Readers,
    /// Each campaign's latest snapshot as sent: its tag and its JSON, made
    /// once however many streams send it.
    encoded: Mutex<HashMap<String, EncodedSnapshot>>,
}

/// A live snapshot and the hidden one made of it.
type HiddenOfLive = (Arc<ResultsSnapshot>, Arc<ResultsSnapshot>);

/// A snapshot with its encoding.
type EncodedSnapshot = (Arc<ResultsSnapshot>, Arc<Encoded>);

/// A snapshot as a stream sends it.
#[derive(Debug)]
pub struct Encoded {
    pub tag: String,
    /// The whole server-sent event, `id: <tag>` and `data: <JSON>` (compact
    /// JSON has no line breaks, so one `data` line holds it).
    pub frame: axum::body::Bytes,
}

fn state_of(campaign: &Campaign) -> ResultsState {
    ResultsState {
        visibility: campaign.results_visibility,
        frozen_at: campaign.results_frozen_at,
        publication: None,
        objections: (0, 0),
        screen_revision: 0,
    }
}

/// The stage a state shows, and the instant its stored tally is as of.
fn stage_of(state: &ResultsState) -> (ResultsStage, Millis) {
    let stage = ResultsStage::of(state.visibility, state.publication.as_ref());
    let at = match stage {
        ResultsStage::Notice | ResultsStage::Final => state
            .publication
            .as_ref()
            .and_then(|p| p.notice_start)
            .unwrap_or(Millis(0)),
        _ => state.frozen_at.unwrap_or(Millis(0)),
    };
    (stage, at)
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
                states: FreshReads::default(),
                tallies: FreshReads::default(),
                frozen: Mutex::new(HashMap::new()),
                hidden: Mutex::new(HashMap::new()),
                readers: Readers::default(),
                encoded: Mutex::new(HashMap::new()),
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

    /// Reads every campaign's counts and state, and publishes those that
    /// changed: a publication step or an objection taken on another
    /// instance wakes this instance's streams too.
    pub async fn refresh(&self) -> StoreResult<()> {
        for campaign in self.inner.campaigns.all().await? {
            let state = self.state(&campaign).await?;
            self.refresh_campaign(&campaign, state).await?;
        }
        Ok(())
    }

    /// Reads a campaign's tally (sharing a read that began after this call)
    /// and publishes it unless the snapshot held is as new.
    async fn refresh_campaign(&self, campaign: &Campaign, state: ResultsState) -> StoreResult<()> {
        let (store, id) = (self.inner.store.clone(), campaign.id);
        let tally = self
            .inner
            .tallies
            .get(&id, || async move { store.tally(id).await })
            .await?;
        let snapshot = ResultsSnapshot::build(campaign, ResultsStage::Live, tally, Millis::now());
        let mut channels = self
            .inner
            .channels
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        match channels.get(&campaign.slug) {
            Some(tx) => {
                tx.send_if_modified(|current| {
                    let newer = current.live.superseded_by(&snapshot);
                    if newer {
                        current.live = Arc::new(snapshot);
                    }
                    let switched = current.state != state;
                    if switched {
                        current.state = state.clone();
                    }
                    newer || switched
                });
            }
            None => {
                let published = Published {
                    live: Arc::new(snapshot),
                    state,
                };
                channels.insert(campaign.slug.clone(), watch::channel(published).0);
            }
        }
        Ok(())
    }

    /// What a reader may see of a campaign's results now, never older than
    /// the version `seen` (what the reader was shown before, if it says).
    pub async fn view(
        &self,
        campaign: &Campaign,
        seen: Option<u64>,
    ) -> StoreResult<Arc<ResultsSnapshot>> {
        let state = self.state(campaign).await?;
        let (stage, at) = stage_of(&state);
        match stage {
            ResultsStage::Live => self.live(campaign, state, seen).await,
            ResultsStage::Hidden | ResultsStage::Closed => {
                let live = self.live(campaign, state.clone(), None).await?;
                Ok(self.hidden_of(campaign.id, live, stage))
            }
            ResultsStage::Frozen | ResultsStage::Notice | ResultsStage::Final => {
                self.stored(campaign, stage, at, notice_of(&state)).await
            }
        }
    }

    /// The counts whatever the public sees: the running tally while voting
    /// and while closed (the preliminary ranking), the stored one once
    /// frozen or published.
    pub async fn for_organizers(&self, campaign: &Campaign) -> StoreResult<Arc<ResultsSnapshot>> {
        let state = self.state(campaign).await?;
        let (stage, at) = stage_of(&state);
        if stage.shows_stored_tally() {
            return self.stored(campaign, stage, at, notice_of(&state)).await;
        }
        // A fresh read: an organizer deciding on the count sees every vote
        // and every sheet committed before they asked.
        self.refresh_campaign(campaign, state).await?;
        let live = self
            .current(&campaign.slug)
            .ok_or_else(|| StoreError::Corrupt(format!("no results for {}", campaign.slug)))?;
        let mut shown = (*live).clone();
        shown.state = stage;
        Ok(Arc::new(shown))
    }

    /// The campaign's visibility from a read that began after this call.
    async fn state(&self, campaign: &Campaign) -> StoreResult<ResultsState> {
        let (store, id) = (self.inner.store.clone(), campaign.id);
        let stored = self
            .inner
            .states
            .get(&id, || async move { store.results_state(id).await })
            .await?;
        Ok(stored.unwrap_or_else(|| state_of(campaign)))
    }

    async fn live(
        &self,
        campaign: &Campaign,
        state: ResultsState,
        seen: Option<u64>,
    ) -> StoreResult<Arc<ResultsSnapshot>> {
        if let Some(held) = self.current(&campaign.slug) {
            if seen.is_none_or(|v| held.version >= v) {
                return Ok(held);
            }
        }
        // Never read yet, or behind what the reader saw elsewhere: a read
        // that starts now has seen every change that reader saw.
        self.refresh_campaign(campaign, state).await?;
        self.current(&campaign.slug)
            .ok_or_else(|| StoreError::Corrupt(format!("no results for {}", campaign.slug)))
    }

    /// The stored tally as of `at` (a freeze or a notice), built once.
    async fn stored(
        &self,
        campaign: &Campaign,
        stage: ResultsStage,
        at: Millis,
        notice: Option<NoticeInfo>,
    ) -> StoreResult<Arc<ResultsSnapshot>> {
        let held = {
            let frozen = self.inner.frozen.lock().unwrap_or_else(|p| p.into_inner());
            frozen.get(&campaign.id).cloned()
        };
        // A published correction moves the revision: every instance
        // rebuilds its copy (the tally and its notes) when it sees it.
        let revision = |n: &Option<NoticeInfo>| n.as_ref().map(|n| n.revision);
        let held = held.filter(|s| {
            s.as_of == at
                && s.state == stage
                && revision(&s.notice) == revision(&notice)
                && s.title_zh == campaign.title_zh
                && s.title_en == campaign.title_en
        });
        let snapshot = match held {
            Some(s) if s.notice == notice => return Ok(s),
            // The same tally with new objection counts: no read needed.
            Some(s) => Arc::new(ResultsSnapshot {
                notice,
                ..(*s).clone()
            }),
            None => {
                let tally = self.inner.store.frozen_tally(campaign.id).await?;
                let mut built = ResultsSnapshot::build(campaign, stage, tally, at);
                if notice.is_some() {
                    built.corrections = self.inner.store.correction_notes(campaign.id).await?;
                }
                built.notice = notice;
                Arc::new(built)
            }
        };
        self.inner
            .frozen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(campaign.id, snapshot.clone());
        Ok(snapshot)
    }

    /// The live snapshot with its counts hidden, made once per live snapshot.
    fn hidden_of(
        &self,
        id: CampaignId,
        live: Arc<ResultsSnapshot>,
        stage: ResultsStage,
    ) -> Arc<ResultsSnapshot> {
        let mut cache = self.inner.hidden.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((from, hidden)) = cache.get(&id) {
            if Arc::ptr_eq(from, &live) && hidden.state == stage {
                return hidden.clone();
            }
        }
        let hidden = Arc::new(live.hidden(stage));
        cache.insert(id, (live, hidden.clone()));
        hidden
    }

    /// Makes sure the hub follows a campaign, and publishes the campaign's
    /// state as read now (a read that began after this call): a press or a
    /// switch made on another instance since the last refresh then wakes
    /// this instance's streams at once, and what a stream opening now is
    /// built from is never older than its arrival.
    pub async fn follow(&self, campaign: &Campaign) -> StoreResult<()> {
        let state = self.state(campaign).await?;
        let followed = {
            let channels = self
                .inner
                .channels
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            channels.get(&campaign.slug).map(|tx| {
                tx.send_if_modified(|current| {
                    let switched = current.state != state;
                    if switched {
                        current.state = state.clone();
                    }
                    switched
                })
            })
        };
        if followed.is_none() {
            self.refresh_campaign(campaign, state).await?;
        }
        Ok(())
    }

    /// What a campaign's channel carries now (`None` for a campaign the hub
    /// does not follow yet).
    pub fn published(&self, slug: &str) -> Option<Published> {
        let channels = self
            .inner
            .channels
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        channels.get(slug).map(|tx| tx.borrow().clone())
    }

    /// The live snapshot held for a campaign, whatever its visibility.
    fn current(&self, slug: &str) -> Option<Arc<ResultsSnapshot>> {
        let channels = self
            .inner
            .channels
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        channels.get(slug).map(|tx| tx.borrow().live.clone())
    }

    /// A snapshot's tag and JSON. The snapshot every stream of a campaign
    /// is sent (the same `Arc`) is encoded once, not once per viewer.
    pub fn encode(&self, snapshot: &Arc<ResultsSnapshot>) -> Arc<Encoded> {
        let mut cache = self.inner.encoded.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((held, encoded)) = cache.get(&snapshot.campaign_slug) {
            if Arc::ptr_eq(held, snapshot) {
                return encoded.clone();
            }
        }
        let tag = tags::tag(snapshot);
        let json = serde_json::to_string(&**snapshot).unwrap_or_else(|_| "{}".into());
        let frame = format!("id: {tag}\ndata: {json}\n\n").into();
        let encoded = Arc::new(Encoded { tag, frame });
        cache.insert(
            snapshot.campaign_slug.clone(),
            (snapshot.clone(), encoded.clone()),
        );
        encoded
    }

    /// A place for one more live stream from this address, if it has fewer
    /// than `cap` open.
    pub fn reader_slot(&self, from: IpAddr, cap: usize) -> Option<ReaderSlot> {
        self.inner.readers.slot(from, cap)
    }

    /// Follows a campaign's changes; `None` for a campaign the hub has not
    /// read yet (`view` reads it).
    pub fn subscribe(&self, slug: &str) -> Option<SnapshotRx> {
        let channels = self
            .inner
            .channels
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        channels.get(slug).map(|tx| tx.subscribe())
    }
}
