//! The big screen at the ceremony: an operator's presses (waiting, live,
//! hidden, frozen, a staged reveal one place at a time) on the public
//! screen or on a private rehearsal screen, stored so that every screen on
//! every instance follows within a results refresh, and each screen's view
//! built by the domain's `screen_view` (a reveal never sends a place not
//! yet revealed).

pub mod http;
pub mod pages;
pub mod storage;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use alleyvote_domain::screen::{
    counts_secret, screen_view, Channel, ScreenCommand, ScreenControl, ScreenMode, ScreenRefusal,
    ScreenView,
};
use alleyvote_domain::{
    Campaign, CampaignId, Millis, NomineeFilter, NomineeNumber, Phase, ResultsSnapshot,
};
use serde_json::json;

use crate::audit::{Actor, AuditAction, NewAuditEntry};
use crate::memo::Memo;
use crate::nominees::storage::NomineeStorage;
use crate::publication::storage::Applied;
use crate::results::ResultsHub;
use crate::storage::StoreError;
use storage::{ScreenChange, ScreenState, ScreenStorage};

/// Photos change rarely; a screen's view is rebuilt at every change.
const PHOTOS_TTL: Duration = Duration::from_secs(10);
/// A press decided on a state another press just moved is decided again,
/// at most this many times.
const ATTEMPTS: usize = 3;

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

type Photos = Arc<HashMap<NomineeNumber, String>>;

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

pub struct Screens {
    store: Arc<dyn ScreenStorage>,
    nominees: Arc<dyn NomineeStorage>,
    hub: ResultsHub,
    photos: Memo<CampaignId, Photos>,
}

impl Screens {
    pub fn new(
        store: Arc<dyn ScreenStorage>,
        nominees: Arc<dyn NomineeStorage>,
        hub: ResultsHub,
    ) -> Self {
        Screens {
            store,
            nominees,
            hub,
            photos: Memo::new(PHOTOS_TTL, 100),
        }
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
        let voting_open = campaign.phase(Millis::now()) == Phase::Voting;
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
        let list = self
            .nominees
            .nominees(campaign, &NomineeFilter::default())
            .await?;
        let photos: Photos = Arc::new(
            list.into_iter()
                .filter_map(|n| Some((n.number, n.photo_url?)))
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
        let voting_open = campaign.phase(Millis::now()) == Phase::Voting;
        let view = screen_view(
            control,
            &ranking,
            |n| photos.get(&n).cloned(),
            voting_open,
            channel == Channel::Rehearsal,
            with_next,
        );
        Ok((view, state.revision))
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
            // A reveal steps through the places of the ranking it froze on.
            let winners = match (&kept, before.mode) {
                (Some(r), ScreenMode::Reveal) => r.winners,
                _ => self.hub.for_organizers(campaign).await?.winners,
            };
            let after = before
                .apply(command, winners, secret)
                .map_err(ScreenError::Refused)?;
            let frozen = match after.mode {
                // A freeze keeps the ranking the screen showed at that moment.
                ScreenMode::Frozen if before.mode != ScreenMode::Frozen => {
                    let shown = self.running(campaign, channel, public, secret).await?;
                    serde_json::to_string(&*shown).ok()
                }
                // A reveal (re)started keeps the organizers' ranking of this
                // moment: votes after it do not reorder the places.
                ScreenMode::Reveal if matches!(command, ScreenCommand::Show(_)) => {
                    let ranking = self.hub.for_organizers(campaign).await?;
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
                    Millis::now(),
                )
                .await?
            {
                Applied::Done => {
                    self.hub.poke();
                    return Ok(self.state(campaign).await?);
                }
                // A mode switch is the same whoever came first; a step of
                // the reveal was decided on a place already moved past.
                Applied::Stale if matches!(command, ScreenCommand::Show(_)) => continue,
                Applied::Stale => return Err(ScreenError::Moved),
            }
        }
        Err(ScreenError::Busy)
    }
}
