//! Casting a vote: the campaign must be open and the voter signed in; the gate
//! checks the request rates (and, with Redis, what the voter has already
//! cast); the writer records it with others in one transaction, where the
//! store decides the quotas.

pub mod api;
pub mod ballot;
pub mod batch;
pub mod gate;
pub mod http;
pub mod pages;
pub mod storage;
pub mod writer;

use std::sync::Arc;

use std::collections::HashMap;

use alleyvote_domain::{
    voting, Campaign, CampaignId, Millis, NomineeId, NomineeNumber, Phases, ShanghaiDay,
    VoteRefusal, VoterId,
};

use crate::clock::Clock;
use crate::limits::RetryAfter;
use crate::results::ResultsHub;
use crate::storage::StoreError;
use crate::ttl_cache::Memo;
use ballot::{Ballot, Channel, VoteReceipt};
use gate::{Gate, Intent, Requester, Verdict};
use storage::VoteStorage;
use writer::VoteWriter;

#[derive(Debug, thiserror::Error)]
pub enum CastError {
    #[error("refused: {0:?}")]
    Refused(VoteRefusal),
    #[error("too many requests")]
    Limited(RetryAfter),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub struct Casting {
    pub store: Arc<dyn VoteStorage>,
    pub hub: ResultsHub,
    pub gate: Arc<Gate>,
    pub writer: VoteWriter,
    /// Each campaign's nominee numbers and ids, for the pre-check.
    pub nominees: NomineeIndex,
    /// This instance's clock (the system's; a test skews it).
    pub clock: Clock,
}

/// A campaign's active nominees by number, kept a second: the pre-check
/// remembers votes by nominee id. A refusal the pre-check makes with an entry
/// that is out of date is caught by [`Casting::cast`]'s confirmation.
pub type NomineeIndex = Memo<CampaignId, Arc<HashMap<NomineeNumber, NomineeId>>>;

/// How long a campaign's nominee numbers are kept.
pub const NOMINEE_INDEX_TTL: std::time::Duration = std::time::Duration::from_secs(1);

/// How far apart the clocks of instances and database may be (NTP keeps them
/// far closer): an instance refuses a vote as outside the voting window by its
/// own clock only when it is outside by more than this; nearer the edges the
/// database's clock decides.
pub const CLOCK_MARGIN_MS: i64 = 30_000;

/// One vote as a request asks for it.
#[derive(Debug, Clone)]
pub struct VoteRequest {
    pub voter: VoterId,
    pub nominee: NomineeNumber,
    /// The client's `Idempotency-Key` (or a form's hidden key).
    pub request_key: Option<String>,
}

impl Casting {
    /// This instance's time (the deciding transaction reads the database's).
    pub fn now(&self) -> Millis {
        self.clock.now()
    }

    /// Runs a vote request's work within the bound every vote request is
    /// answered in (`ALLEYVOTE_VOTE_WAIT_MS`); `None` if it took longer.
    pub async fn within_bound<T>(&self, work: impl std::future::Future<Output = T>) -> Option<T> {
        tokio::time::timeout(self.writer.bound(), work).await.ok()
    }

    /// The id of the nominee a number names now, as far as this instance
    /// knows (see [`NomineeIndex`]).
    async fn nominee_id(
        &self,
        campaign: CampaignId,
        number: NomineeNumber,
    ) -> Result<Option<NomineeId>, StoreError> {
        let index = match self.nominees.get(&campaign) {
            Some(index) => index,
            None => {
                let index: Arc<HashMap<_, _>> = Arc::new(
                    self.store
                        .active_nominees(campaign)
                        .await?
                        .into_iter()
                        .collect(),
                );
                self.nominees.put(campaign, index.clone());
                index
            }
        };
        Ok(index.get(&number).copied())
    }

    /// Whether a refusal made before the database, from this instance's
    /// copies (the campaign and its numbers, up to a second old), still holds
    /// when they are read now. If they changed (rules, window, a renumbering)
    /// the ballot goes to the database instead, which decides by what is
    /// current.
    async fn refusal_holds(
        &self,
        campaign: &Campaign,
        intent: &Intent,
        number: NomineeNumber,
        refusal: VoteRefusal,
    ) -> Result<bool, StoreError> {
        let Some(now) = self.store.campaign_now(campaign.id, number).await? else {
            return Ok(false);
        };
        if now.nominee != intent.nominee {
            self.nominees.forget(&campaign.id);
        }
        // A refusal for the window depends on the window alone.
        let about_window = matches!(refusal, VoteRefusal::NotOpenYet | VoteRefusal::Closed);
        Ok(now.phases == campaign.phases
            && (about_window || (now.rules == campaign.rules && now.nominee == intent.nominee)))
    }
}

/// Refuses a vote outside the voting window by this instance's clock, with
/// [`CLOCK_MARGIN_MS`] to spare on either side.
fn clearly_outside_window(phases: &Phases, now: Millis) -> Result<(), VoteRefusal> {
    let opens = phases.voting_start.plus_ms(-CLOCK_MARGIN_MS);
    let closes = phases.voting_end.plus_ms(CLOCK_MARGIN_MS);
    match voting::voting_open(phases.at(now)) {
        Err(refusal) if now < opens || now >= closes => Err(refusal),
        _ => Ok(()),
    }
}

/// The Shanghai day, unless midnight is within [`CLOCK_MARGIN_MS`]: near it
/// another instance (or the database) may already be on the other day.
fn sure_of_the_day(now: Millis) -> Option<ShanghaiDay> {
    let day = now.shanghai_day();
    let same = |off: i64| now.plus_ms(off).shanghai_day() == day;
    (same(-CLOCK_MARGIN_MS) && same(CLOCK_MARGIN_MS)).then_some(day)
}

/// A key for a request that came without one: never sent to a client, so
/// only the writer's own retry can present it again.
fn server_key() -> String {
    format!("srv:{}", uuid::Uuid::new_v4().simple())
}

impl Casting {
    // Debug level: the vote path is hot, and the request span already names it.
    #[tracing::instrument(level = "debug", skip_all, fields(campaign = %campaign.slug, nominee = vote.nominee.get()))]
    pub async fn cast(
        &self,
        campaign: &Campaign,
        who: &Requester,
        vote: VoteRequest,
    ) -> Result<VoteReceipt, CastError> {
        let now = self.now();
        let nominee = self.nominee_id(campaign.id, vote.nominee).await?;
        let intent = Intent {
            campaign: campaign.id,
            voter: vote.voter,
            day: sure_of_the_day(now),
            nominee,
            rules: campaign.rules,
            keyed: vote.request_key.is_some(),
        };
        // A quick refusal from this instance's copy of the campaign, for a
        // vote clearly outside the window. A keyed request may be the retry
        // of a vote that counted before the close, so only the database
        // answers it.
        if vote.request_key.is_none() {
            if let Err(refusal) = clearly_outside_window(&campaign.phases, now) {
                if self
                    .refusal_holds(campaign, &intent, vote.nominee, refusal)
                    .await?
                {
                    return Err(CastError::Refused(refusal));
                }
            }
        }
        match self.gate.check(who, &intent).await {
            Verdict::Pass => {}
            Verdict::Limited(retry) => return Err(CastError::Limited(retry)),
            Verdict::Refused(refusal) => {
                if self
                    .refusal_holds(campaign, &intent, vote.nominee, refusal)
                    .await?
                {
                    return Err(CastError::Refused(refusal));
                }
            }
        }
        let ballot = Ballot {
            campaign: campaign.id,
            rules: campaign.rules,
            voter: vote.voter,
            nominee: vote.nominee,
            at: now,
            channel: Channel::Online,
            // Every ballot carries a key, so that the writer's retry after a
            // commit whose answer was lost replays instead of counting twice.
            request_key: Some(vote.request_key.unwrap_or_else(server_key)),
        };
        let receipt = self
            .writer
            .write(ballot)
            .await?
            .map_err(CastError::Refused)?;
        if !receipt.replayed {
            // Off the answer's path: the pre-check is only a filter.
            if let Some(counted) = receipt.counted {
                let gate = self.gate.clone();
                tokio::spawn(async move { gate.record(&intent, counted).await });
            }
            // The vote is committed; let this instance's live results show it now.
            self.hub.poke();
        }
        Ok(receipt)
    }
}

impl Casting {
    /// Today's votes of a voter, and how many are left.
    pub async fn today(
        &self,
        campaign: &Campaign,
        voter: VoterId,
        now: Millis,
    ) -> Result<(Vec<NomineeNumber>, u32), StoreError> {
        my_votes(&*self.store, campaign, voter, now).await
    }
}

/// Today's votes of a voter, and how many are left.
pub async fn my_votes(
    store: &dyn VoteStorage,
    campaign: &Campaign,
    voter: VoterId,
    now: Millis,
) -> Result<(Vec<NomineeNumber>, u32), StoreError> {
    let votes = store
        .votes_on(campaign.id, voter, now.shanghai_day())
        .await?;
    let left = voting::remaining_today(&campaign.rules, votes.len() as u32);
    Ok((votes, left))
}

/// A client-chosen key that makes retries safe: 1 to 64 letters, digits and `-_.:`.
pub fn valid_request_key(key: &str) -> bool {
    (1..=64).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_is_left_to_the_database_near_midnight() {
        let midnight = Millis(0).shanghai_day().next_midnight();
        assert_eq!(
            sure_of_the_day(midnight.plus_ms(-CLOCK_MARGIN_MS - 1)),
            Some(midnight.plus_ms(-1).shanghai_day())
        );
        assert_eq!(sure_of_the_day(midnight.plus_ms(-5_000)), None);
        assert_eq!(sure_of_the_day(midnight.plus_ms(5_000)), None);
        assert_eq!(
            sure_of_the_day(midnight.plus_ms(CLOCK_MARGIN_MS)),
            Some(midnight.shanghai_day())
        );
    }

    #[test]
    fn only_votes_clearly_outside_the_window_are_refused_by_the_instance() {
        let phases = Phases::new(
            Millis(0),
            Millis(1_000),
            Millis(100_000),
            Millis(200_000),
            Millis(300_000),
            Millis(400_000),
        )
        .unwrap();
        assert_eq!(clearly_outside_window(&phases, Millis(150_000)), Ok(()));
        // Near either edge, the database's clock decides.
        assert_eq!(clearly_outside_window(&phases, Millis(95_000)), Ok(()));
        assert_eq!(clearly_outside_window(&phases, Millis(205_000)), Ok(()));
        assert_eq!(
            clearly_outside_window(&phases, Millis(100_000 - CLOCK_MARGIN_MS - 1)),
            Err(VoteRefusal::NotOpenYet)
        );
        assert_eq!(
            clearly_outside_window(&phases, Millis(200_000 + CLOCK_MARGIN_MS + 1)),
            Err(VoteRefusal::Closed)
        );
        // A window shorter than the margin is still judged by its edges.
        let brief = Phases::new(
            Millis(0),
            Millis(1_000),
            Millis(100_000),
            Millis(110_000),
            Millis(300_000),
            Millis(400_000),
        )
        .unwrap();
        assert_eq!(
            clearly_outside_window(&brief, Millis(110_000 + CLOCK_MARGIN_MS)),
            Err(VoteRefusal::Closed)
        );
        assert_eq!(clearly_outside_window(&brief, Millis(139_000)), Ok(()));
    }
}
