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
    screen_view, Channel, ScreenCommand, ScreenMode, ScreenRefusal, ScreenView,
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

    /// The ranking a screen shows in `mode`: the public results on the
    /// public live screen (hidden results stay hidden there), the counts
    /// whatever the public sees on the rehearsal screen and in a reveal.
    async fn ranking(
        &self,
        campaign: &Campaign,
        channel: Channel,
        mode: ScreenMode,
    ) -> Result<Arc<ResultsSnapshot>, StoreError> {
        match (channel, mode) {
            (Channel::Public, ScreenMode::Live | ScreenMode::Waiting | ScreenMode::Hidden) => {
                self.hub.view(campaign, None).await
            }
            _ => self.hub.for_organizers(campaign).await,
        }
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
        let control = state.control(channel);
        let frozen: Option<ResultsSnapshot> = match control.mode {
            ScreenMode::Frozen => state
                .frozen(channel)
                .and_then(|j| serde_json::from_str(j).ok()),
            _ => None,
        };
        let ranking = match frozen {
            Some(f) => Arc::new(f),
            None => self.ranking(campaign, channel, control.mode).await?,
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
            let ranking = self.hub.for_organizers(campaign).await?;
            let after = before
                .apply(command, ranking.winners)
                .map_err(ScreenError::Refused)?;
            // A freeze keeps the ranking the screen showed at that moment.
            let frozen = match after.mode {
                ScreenMode::Frozen if before.mode != ScreenMode::Frozen => {
                    let shown = self.ranking(campaign, channel, ScreenMode::Live).await?;
                    serde_json::to_string(&*shown).ok()
                }
                ScreenMode::Frozen => state.frozen(channel).map(str::to_string),
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
