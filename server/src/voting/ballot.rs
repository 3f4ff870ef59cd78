//! A ballot and its answer: what the vote path, the writer and storage pass
//! between them.

use alleyvote_domain::{
    CampaignId, Millis, NomineeId, NomineeNumber, ShanghaiDay, VoteRefusal, VoteRules, VoterId,
};

use crate::storage::{StoreError, StoreResult};

/// One vote to record. The caller has checked that voting is open.
#[derive(Debug, Clone)]
pub struct Ballot {
    pub campaign: CampaignId,
    pub rules: VoteRules,
    pub voter: VoterId,
    pub nominee: NomineeNumber,
    pub at: Millis,
    pub channel: Channel,
    /// The client's `Idempotency-Key`: a retry with the same key gets the
    /// first answer and counts nothing new.
    pub request_key: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Online,
    Demo,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Demo => "demo",
        }
    }
}

/// A vote that is committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoteReceipt {
    pub vote_id: i64,
    pub remaining_today: u32,
    /// What the deciding transaction counted (`None` on a replay: the saved
    /// answer does not keep it).
    pub counted: Option<Counted>,
    /// The first answer to an earlier request with the same idempotency key:
    /// nothing new was counted.
    pub replayed: bool,
}

/// A vote as the deciding transaction counted it: for whom, and on which
/// Shanghai day by the database's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub nominee: NomineeId,
    pub day: ShanghaiDay,
}

/// A ballot's answer: counted, or refused by the rules.
pub type Outcome = Result<VoteReceipt, VoteRefusal>;

/// How a vote's answer is kept for replay: `ok:<vote id>:<remaining>` or `refused:<code>`.
pub fn encode_outcome(outcome: &Outcome) -> String {
    match outcome {
        Ok(r) => format!("ok:{}:{}", r.vote_id, r.remaining_today),
        Err(refusal) => format!("refused:{}", refusal.code()),
    }
}

pub fn decode_outcome(saved: &str) -> StoreResult<Outcome> {
    let corrupt = || StoreError::Corrupt(format!("saved vote outcome {saved:?}"));
    let mut parts = saved.split(':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("ok"), Some(id), Some(left)) => Ok(Ok(VoteReceipt {
            vote_id: id.parse().map_err(|_| corrupt())?,
            remaining_today: left.parse().map_err(|_| corrupt())?,
            counted: None,
            replayed: true,
        })),
        (Some("refused"), Some(code), None) => [
            VoteRefusal::AlreadyVoted,
            VoteRefusal::DailyQuotaUsed,
            VoteRefusal::UnknownNominee,
            // Not yet open and closed share one code; either is decided afresh.
            VoteRefusal::Closed,
        ]
        .into_iter()
        .find(|r| r.code() == code)
        .map(Err)
        .ok_or_else(corrupt),
        _ => Err(corrupt()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_outcomes_round_trip() {
        for outcome in [
            Ok(VoteReceipt {
                vote_id: 42,
                remaining_today: 7,
                counted: None,
                replayed: true,
            }),
            Err(VoteRefusal::AlreadyVoted),
            Err(VoteRefusal::DailyQuotaUsed),
            Err(VoteRefusal::UnknownNominee),
        ] {
            assert_eq!(decode_outcome(&encode_outcome(&outcome)).unwrap(), outcome);
        }
        assert!(decode_outcome("ok:x:1").is_err());
        assert!(decode_outcome("maybe").is_err());
    }
}
