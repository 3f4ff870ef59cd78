//! The arithmetic of a vote: who may cast one more, and why not.

use serde::{Deserialize, Serialize};

use crate::campaign::{Phase, VoteRules};
use crate::lang::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct VoterId(pub i64);

/// Why a vote was not counted. Each has a sentence for the resident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VoteRefusal {
    AlreadyVoted,
    DailyQuotaUsed,
    NotOpenYet,
    Closed,
    UnknownNominee,
}

impl VoteRefusal {
    pub fn code(self) -> &'static str {
        match self {
            VoteRefusal::AlreadyVoted => "already_voted",
            VoteRefusal::DailyQuotaUsed => "daily_quota_used",
            VoteRefusal::NotOpenYet | VoteRefusal::Closed => "voting_closed",
            VoteRefusal::UnknownNominee => "unknown_nominee",
        }
    }

    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            VoteRefusal::AlreadyVoted => lang.pick(
                "您今天已经为这位候选人投过票了，明天可以再投。",
                "You have already voted for this nominee today. You can vote again tomorrow.",
            ),
            VoteRefusal::DailyQuotaUsed => lang.pick(
                "您今天的票数已经用完了，明天零点后可以继续投票。",
                "You have used all of today's votes. More are available after midnight.",
            ),
            VoteRefusal::NotOpenYet => lang.pick("投票还没有开始。", "Voting has not opened yet."),
            VoteRefusal::Closed => lang.pick("投票已经结束。", "Voting has closed."),
            VoteRefusal::UnknownNominee => lang.pick(
                "没有这个编号的候选人。",
                "There is no nominee with that number.",
            ),
        }
    }
}

/// Whether voting is open in a phase.
pub fn voting_open(phase: Phase) -> Result<(), VoteRefusal> {
    match phase {
        Phase::Voting => Ok(()),
        Phase::Upcoming | Phase::Nomination | Phase::Review => Err(VoteRefusal::NotOpenYet),
        _ => Err(VoteRefusal::Closed),
    }
}

/// The slots one more vote would take. A vote occupies the `day_slot`-th place
/// of the voter's day and the `nominee_slot`-th place of the voter's day with
/// that nominee; the database makes both unique, so two racing votes can never
/// take the same place and neither quota can be exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slots {
    pub day_slot: u16,
    pub nominee_slot: u16,
}

/// Decides one more vote from what the voter has cast today.
pub fn next_slots(
    rules: &VoteRules,
    used_today: u32,
    used_for_nominee: u32,
) -> Result<Slots, VoteRefusal> {
    if used_for_nominee >= u32::from(rules.per_nominee_per_day()) {
        return Err(VoteRefusal::AlreadyVoted);
    }
    if used_today >= u32::from(rules.votes_per_day()) {
        return Err(VoteRefusal::DailyQuotaUsed);
    }
    Ok(Slots {
        day_slot: used_today as u16,
        nominee_slot: used_for_nominee as u16,
    })
}

/// Votes left today.
pub fn remaining_today(rules: &VoteRules, used_today: u32) -> u32 {
    u32::from(rules.votes_per_day()).saturating_sub(used_today)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quota_arithmetic() {
        let rules = VoteRules::new(3, 1).unwrap();
        assert_eq!(
            next_slots(&rules, 0, 0),
            Ok(Slots {
                day_slot: 0,
                nominee_slot: 0
            })
        );
        assert_eq!(next_slots(&rules, 2, 0).unwrap().day_slot, 2);
        assert_eq!(next_slots(&rules, 3, 0), Err(VoteRefusal::DailyQuotaUsed));
        assert_eq!(next_slots(&rules, 1, 1), Err(VoteRefusal::AlreadyVoted));
        assert_eq!(remaining_today(&rules, 1), 2);
        assert_eq!(remaining_today(&rules, 5), 0);
    }

    #[test]
    fn several_votes_per_nominee_when_the_rules_allow() {
        let rules = VoteRules::new(5, 2).unwrap();
        assert_eq!(next_slots(&rules, 1, 1).unwrap().nominee_slot, 1);
        assert_eq!(next_slots(&rules, 2, 2), Err(VoteRefusal::AlreadyVoted));
    }

    #[test]
    fn voting_is_open_only_in_its_phase() {
        assert_eq!(voting_open(Phase::Voting), Ok(()));
        assert_eq!(voting_open(Phase::Review), Err(VoteRefusal::NotOpenYet));
        assert_eq!(voting_open(Phase::PublicNotice), Err(VoteRefusal::Closed));
    }
}
