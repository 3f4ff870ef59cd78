//! Casting a vote: the campaign must be open and the voter signed in; the gate
//! checks the request rates (and, with Redis, what the voter has already
//! cast); the writer records it with others in one transaction, where the
//! store decides the quotas.

pub mod ballot;
pub mod batch;
pub mod gate;
pub mod http;
pub mod storage;
pub mod writer;

use std::sync::Arc;

use std::collections::HashMap;

use alleyvote_domain::{
    voting, Campaign, CampaignId, Millis, NomineeId, NomineeNumber, VoteRefusal, VoterId,
};

use crate::limits::RetryAfter;
use crate::memo::Memo;
use crate::results::ResultsHub;
use crate::storage::StoreError;
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
}

/// A campaign's active nominees by number, kept a second: the pre-check
/// remembers votes by nominee id, and a renumbering shows here within that
/// second (a stale entry can only make the pre-check pass a vote to the
/// database, or refuse one for a nominee whose number moved that second).
pub type NomineeIndex = Memo<CampaignId, Arc<HashMap<NomineeNumber, NomineeId>>>;

/// How long a campaign's nominee numbers are kept.
pub const NOMINEE_INDEX_TTL: std::time::Duration = std::time::Duration::from_secs(1);

/// One vote as a request asks for it.
#[derive(Debug, Clone)]
pub struct VoteRequest {
    pub voter: VoterId,
    pub nominee: NomineeNumber,
    pub at: Millis,
    /// The client's `Idempotency-Key` (or a form's hidden key).
    pub request_key: Option<String>,
}

impl Casting {
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
        // A quick refusal from this instance's copy of the campaign; the
        // deciding transaction checks again by the database's clock. A keyed
        // request may be the retry of a vote that counted before the close,
        // so only the database answers it.
        if vote.request_key.is_none() {
            voting::voting_open(campaign.phase(vote.at)).map_err(CastError::Refused)?;
        }
        let intent = Intent {
            campaign: campaign.id,
            voter: vote.voter,
            day: vote.at.shanghai_day(),
            nominee: self.nominee_id(campaign.id, vote.nominee).await?,
            rules: campaign.rules,
            keyed: vote.request_key.is_some(),
        };
        match self.gate.check(who, &intent).await {
            Verdict::Pass => {}
            Verdict::Limited(retry) => return Err(CastError::Limited(retry)),
            Verdict::Refused(refusal) => return Err(CastError::Refused(refusal)),
        }
        let ballot = Ballot {
            campaign: campaign.id,
            rules: campaign.rules,
            voter: vote.voter,
            nominee: vote.nominee,
            at: vote.at,
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
            if let Some(nominee) = receipt.nominee {
                let gate = self.gate.clone();
                tokio::spawn(async move { gate.record(&intent, nominee).await });
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
