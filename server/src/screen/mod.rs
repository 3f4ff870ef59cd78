//! The big screen at the ceremony: an operator's presses (waiting, live,
//! hidden, frozen, a staged reveal one place at a time) on the public
//! screen or on a private rehearsal screen, stored so that every screen on
//! every instance follows within a results refresh, and each screen's view
//! built by the domain's `screen_view` (a reveal never sends a place not
//! yet revealed).
//!
//! The streams share their views: each change of what a view is built from
//! (the results the hub published, with the screen's revision, the phase,
//! the campaign) builds the view of each screen once, encoded once, however
//! many walls and phones follow it.

pub mod http;
pub mod pages;
pub mod storage;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alleyvote_domain::screen::{
    counts_secret, screen_view, Channel, Portrait, PressContext, ScreenCommand, ScreenControl,
    ScreenMode, ScreenRefusal, ScreenView,
};
use alleyvote_domain::{Campaign, CampaignId, NomineeNumber, Phase, ResultsSnapshot, ResultsStage};
use serde_json::json;

use crate::audit::{Actor, AuditAction, NewAuditEntry};
use crate::clock::Clock;
use crate::nominees::storage::NomineeStorage;
use crate::publication::storage::Applied;
use crate::results::{Published, ResultsHub};
use crate::storage::StoreError;
use crate::ttl_cache::Memo;
use storage::{ScreenChange, ScreenState, ScreenStorage};

/// Photos and stories change rarely; a screen's view is rebuilt at every change.
const PHOTOS_TTL: Duration = Duration::from_secs(10);
/// A press decided on a state another press just moved is decided again,
/// at most this many times.
const ATTEMPTS: usize = 3;
/// How long a screen waits before reconnecting after its stream drops.
const RETRY: Duration = Duration::from_secs(2);

#[derive(Debug, thiserror::Error)]
pub enum ScreenError {
    #[error("refused: {0:?}")]
    Refused(ScreenRefusal),
    #[error("the screen keeps changing")]
    Busy,
    /// Another press came first: "next" is never applied twice for one look.
    #[error("another press came first")]
    Moved,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Each nominee's photo and line for the wall.
type Photos = Arc<HashMap<NomineeNumber, Portrait>>;

/// The longest line a reveal card shows from a profile, in characters:
/// one line across the wall, readable from the back of a hall.
const CARD_LINE: usize = 36;

/// The ranking a screen's last freeze or reveal stored, if it can be read.
fn stored(state: &ScreenState, channel: Channel) -> Option<ResultsSnapshot> {
    let json = state.frozen(channel)?;
    match serde_json::from_str(json) {
        Ok(r) => Some(r),
        Err(e) => {
            tracing::warn!(error = %e, ?channel, "a screen's stored ranking cannot be read");
            None
        }
    }
}

/// What a press on `channel` is decided against. The wall reveals only a
/// frozen (or published) count with no lot pending; the private rehearsal
/// screen may rehearse on the running count.
fn reveal_context(
    channel: Channel,
    ranking: &ResultsSnapshot,
    winners: u16,
    secret: bool,
) -> PressContext {
    let wall = channel == Channel::Public;
    PressContext {
        winners,
        secret,
        ranking_frozen: !wall || ranking.state.shows_stored_tally(),
        lot_pending: wall && !ranking.lot_pending.is_empty(),
    }
}

/// A screen's view as its streams send it: its id (the screen's revision
/// and a fingerprint of the view) and the whole server-sent event, made
/// once and shared by every stream.
#[derive(Debug)]
pub struct ScreenFrame {
    pub id: String,
    pub frame: axum::body::Bytes,
}

impl ScreenFrame {
    fn of(view: &ScreenView, revision: i64) -> Self {
        let data = serde_json::to_string(view).unwrap_or_else(|_| "{}".into());
        let id = format!("{revision}-{:016x}", fingerprint(&data));
        // Compact JSON has no line breaks: one `data` line holds it.
        let frame = format!("id: {id}\nretry: {}\ndata: {data}\n\n", RETRY.as_millis()).into();
        ScreenFrame { id, frame }
    }
}

fn fingerprint(data: &str) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut h = DefaultHasher::new();
    data.hash(&mut h);
    h.finish()
}

/// Which screen a shared view is of: a campaign's channel, with the next
/// place of a reveal (the operator's) or without.
type ScreenOf = (CampaignId, Channel, bool);

/// The view last built for a screen, and what it was built from: while the
/// hub publishes the same results and state (the state carries the
/// screen's revision, so a press on any instance changes it), the phase
/// and the campaign are the same, the view is the same. A failed build is
/// remembered as `None`: the streams waiting for it do not each try again
/// (the next change does).
struct Built {
    from: Published,
    voting_open: bool,
    campaign: Campaign,
    frame: Option<Arc<ScreenFrame>>,
}

impl Built {
    fn is_of(&self, from: &Published, voting_open: bool, campaign: &Campaign) -> bool {
        Arc::ptr_eq(&self.from.live, &from.live)
            && self.from.state == from.state
            && self.voting_open == voting_open
            && self.campaign == *campaign
    }
}

type SharedSlot = Arc<tokio::sync::Mutex<Option<Built>>>;

pub struct Screens {
    store: Arc<dyn ScreenStorage>,
    nominees: Arc<dyn NomineeStorage>,
    hub: ResultsHub,
    photos: Memo<CampaignId, Photos>,
    /// Each screen's view as last built for its streams.
    shared: Mutex<HashMap<ScreenOf, SharedSlot>>,
    /// Views built so far (each reads the screen's controls from storage).
    views_built: AtomicU64,
    /// The clock every rule about time reads (one per instance: the
    /// configuration's, which a test may set).
    clock: Clock,
}

impl Screens {
    pub fn new(
        store: Arc<dyn ScreenStorage>,
        nominees: Arc<dyn NomineeStorage>,
        hub: ResultsHub,
        clock: Clock,
    ) -> Self {
        Screens {
            store,
            nominees,
            hub,
            photos: Memo::new(PHOTOS_TTL, 100),
            shared: Mutex::new(HashMap::new()),
            views_built: AtomicU64::new(0),
            clock,
        }
    }

    /// How many views this instance has built (for `/healthz` and the
    /// benchmark: with the streams sharing them, it grows with the changes,
    /// not with the screens watching).
    pub fn views_built(&self) -> u64 {
        self.views_built.load(Ordering::Relaxed)
    }

    /// The view every stream of a screen sends now, built once per change of
    /// what it is built from and shared by all of them. The streams that
    /// wake for one change wait for the one build; what it is built from is
    /// looked at once the screen's slot is held, so they all ask for the
    /// newest state, and the build reads storage after that: a view is
    /// never older than the state it is kept under. `None` when it cannot
    /// be built now (said once in the log; the next change tries again).
    pub async fn shared_view(
        &self,
        campaign: &Campaign,
        channel: Channel,
        with_next: bool,
    ) -> Option<Arc<ScreenFrame>> {
        let slot = self
            .shared
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry((campaign.id, channel, with_next))
            .or_default()
            .clone();
        let mut built = slot.lock().await;
        let voting_open = campaign.phase(self.clock.now()) == Phase::Voting;
        let from = self.hub.published(&campaign.slug);
        if let (Some(b), Some(from)) = (built.as_ref(), from.as_ref()) {
            if b.is_of(from, voting_open, campaign) {
                return b.frame.clone();
            }
        }
        let frame = match self.view(campaign, channel, with_next).await {
            Ok((view, revision)) => Some(Arc::new(ScreenFrame::of(&view, revision))),
            Err(e) => {
                tracing::warn!(error = %e, ?channel, "a screen's view could not be read");
                None
            }
        };
        // A campaign the hub does not follow has nothing to key a view on.
        *built = from.map(|from| Built {
            from,
            voting_open,
            campaign: campaign.clone(),
            frame: frame.clone(),
        });
        frame
    }

    pub async fn state(&self, campaign: &Campaign) -> Result<ScreenState, StoreError> {
        Ok(self
            .store
            .screen_state(campaign.id)
            .await?
            .unwrap_or_else(ScreenState::initial))
    }

    /// What the public sees now, and whether the counts are secret from
    /// every screen (voting open, results hidden).
    async fn public(
        &self,
        campaign: &Campaign,
    ) -> Result<(Arc<ResultsSnapshot>, bool), StoreError> {
        let public = self.hub.view(campaign, None).await?;
        let voting_open = campaign.phase(self.clock.now()) == Phase::Voting;
        let secret = counts_secret(voting_open, public.state);
        Ok((public, secret))
    }

    /// The ranking a screen shows as it comes: the public results on the
    /// wall; the organizers' counts on the rehearsal screen, unless the
    /// counts are secret.
    async fn running(
        &self,
        campaign: &Campaign,
        channel: Channel,
        public: Arc<ResultsSnapshot>,
        secret: bool,
    ) -> Result<Arc<ResultsSnapshot>, StoreError> {
        if channel == Channel::Public || secret {
            return Ok(public);
        }
        self.hub.for_organizers(campaign).await
    }

    async fn photos(&self, campaign: CampaignId) -> Result<Photos, StoreError> {
        if let Some(p) = self.photos.get(&campaign) {
            return Ok(p);
        }
        let list = self.nominees.nominee_records(campaign).await?;
        let photos: Photos = Arc::new(
            list.into_iter()
                .map(|r| {
                    let line = r.nominee.opening(CARD_LINE);
                    (
                        r.nominee.summary.number,
                        Portrait {
                            photo_url: r.nominee.summary.photo_url,
                            line: (!line.is_empty()).then_some(line),
                        },
                    )
                })
                .collect(),
        );
        self.photos.put(campaign, photos.clone());
        Ok(photos)
    }

    /// What a screen shows now; `with_next` adds the next place of a reveal
    /// (the operator's panel and rehearsal screen only).
    pub async fn view(
        &self,
        campaign: &Campaign,
        channel: Channel,
        with_next: bool,
    ) -> Result<(ScreenView, i64), StoreError> {
        self.views_built.fetch_add(1, Ordering::Relaxed);
        let state = self.state(campaign).await?;
        let (public, secret) = self.public(campaign).await?;
        let mut control = state.control(channel).shown(secret);
        let ranking = match control.mode {
            // Frozen and reveal show the ranking stored at the press; one
            // that cannot be read leaves the screen waiting, never live.
            ScreenMode::Frozen | ScreenMode::Reveal => match stored(&state, channel) {
                Some(r) => Arc::new(r),
                None => {
                    control = ScreenControl::default();
                    public
                }
            },
            _ => self.running(campaign, channel, public, secret).await?,
        };
        let photos = self.photos(campaign.id).await?;
        let voting_open = campaign.phase(self.clock.now()) == Phase::Voting;
        let mut view = screen_view(
            control,
            &ranking,
            |n| photos.get(&n).cloned().unwrap_or_default(),
            voting_open,
            channel == Channel::Rehearsal,
            with_next,
        );
        view.voting_closes = voting_open.then_some(campaign.phases.voting_end);
        view.hosts_zh = campaign.hosts_zh.clone();
        view.hosts_en = campaign.hosts_en.clone();
        view.ceremony_at = Some(campaign.phases.ceremony_at);
        Ok((view, state.revision))
    }

    /// What the public results page shows now (the panel warns when the
    /// wall is hidden but phones in the hall still see counts), and whether
    /// a reveal could start on `channel` now.
    pub async fn readiness(
        &self,
        campaign: &Campaign,
        channel: Channel,
    ) -> Result<(ResultsStage, Result<(), ScreenRefusal>), StoreError> {
        let (public, secret) = self.public(campaign).await?;
        let ranking = self.hub.for_organizers(campaign).await?;
        let at = reveal_context(channel, &ranking, ranking.winners, secret);
        let ready = ScreenControl::default()
            .apply(ScreenCommand::Show(ScreenMode::Reveal), at)
            .map(|_| ());
        Ok((public.state, ready))
    }

    /// An operator's press on one screen, audited.
    #[tracing::instrument(skip_all, fields(campaign = %campaign.slug, ?channel, ?command))]
    pub async fn press(
        &self,
        actor: Actor<'_>,
        campaign: &Campaign,
        channel: Channel,
        command: ScreenCommand,
    ) -> Result<ScreenState, ScreenError> {
        for _ in 0..ATTEMPTS {
            let state = self.state(campaign).await?;
            let before = state.control(channel);
            let (public, secret) = self.public(campaign).await?;
            let kept = stored(&state, channel);
            // The ranking a reveal starts on: the organizers' count of now.
            let ranking = self.hub.for_organizers(campaign).await?;
            // A reveal steps through the places of the ranking it froze on.
            let winners = match (&kept, before.mode) {
                (Some(r), ScreenMode::Reveal) => r.winners,
                _ => ranking.winners,
            };
            let at = reveal_context(channel, &ranking, winners, secret);
            let after = before.apply(command, at).map_err(ScreenError::Refused)?;
            let frozen = match after.mode {
                // A freeze keeps the ranking the screen showed at that moment.
                ScreenMode::Frozen if before.mode != ScreenMode::Frozen => {
                    let shown = self.running(campaign, channel, public, secret).await?;
                    serde_json::to_string(&*shown).ok()
                }
                // A reveal (re)started keeps the organizers' ranking of this
                // moment (on the wall: the frozen count): nothing after it
                // reorders the places.
                ScreenMode::Reveal
                    if matches!(
                        command,
                        ScreenCommand::Show(_) | ScreenCommand::Confirmed(_)
                    ) =>
                {
                    serde_json::to_string(&*ranking).ok()
                }
                ScreenMode::Frozen | ScreenMode::Reveal => {
                    state.frozen(channel).map(str::to_string)
                }
                _ => None,
            };
            let audit = NewAuditEntry::new(
                actor,
                AuditAction::ScreenControl,
                format!("campaign:{}", campaign.slug),
            )
            .before(json!({ "channel": channel, "control": before }))
            .after(json!({ "channel": channel, "control": after }));
            match self
                .store
                .set_screen(
                    campaign.id,
                    state.revision,
                    &ScreenChange {
                        channel,
                        control: after,
                        frozen,
                    },
                    &audit,
                    self.clock.now(),
                )
                .await?
            {
                Applied::Done => {
                    self.hub.poke();
                    return Ok(self.state(campaign).await?);
                }
                // A mode switch is the same whoever came first; a step of
                // the reveal was decided on a place already moved past.
                Applied::Stale
                    if matches!(
                        command,
                        ScreenCommand::Show(_) | ScreenCommand::Confirmed(_)
                    ) =>
                {
                    continue
                }
                Applied::Stale => return Err(ScreenError::Moved),
            }
        }
        Err(ScreenError::Busy)
    }
}
