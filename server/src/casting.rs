//! Casting a vote: the campaign must be open, the voter signed in, and the
//! store decides the quotas in one transaction.

use alleyvote_domain::{voting, Campaign, Millis, NomineeNumber, VoteRefusal, VoterId};

use crate::results::ResultsHub;
use crate::store::{Ballot, Channel, Store, StoreError, VoteReceipt};

#[derive(Debug, thiserror::Error)]
pub enum CastError {
    #[error("refused: {0:?}")]
    Refused(VoteRefusal),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub async fn cast(
    store: &dyn Store,
    hub: &ResultsHub,
    campaign: &Campaign,
    voter: VoterId,
    nominee: NomineeNumber,
    now: Millis,
    request_key: Option<String>,
) -> Result<VoteReceipt, CastError> {
    voting::voting_open(campaign.phase(now)).map_err(CastError::Refused)?;
    let ballot = Ballot {
        campaign: campaign.id,
        rules: campaign.rules,
        voter,
        nominee,
        at: now,
        channel: Channel::Online,
        request_key,
    };
    let receipt = store
        .cast_vote(&ballot)
        .await?
        .map_err(CastError::Refused)?;
    // The vote is committed; let this instance's live results show it now.
    hub.poke();
    Ok(receipt)
}

/// Today's votes of a voter, and how many are left.
pub async fn my_votes(
    store: &dyn Store,
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
