//! The arithmetic of a vote: who may cast one more, and why not.

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

use crate::campaign::{Phase, VoteRules};
use crate::lang::Lang;
use crate::nominee::NomineeId;

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
    /// The request's key was used before for another vote (another nominee):
    /// a client bug or a tampered form, never counted.
    KeyReused,
}

impl VoteRefusal {
    /// Whether the campaign alone decided this refusal (its window, its
    /// nominees), not the voter's own votes. Such a refusal is never kept
    /// as the answer to a retry: the organizer may reopen the vote or add
    /// the nominee the same day, and then the retry counts.
    pub fn decided_by_campaign(self) -> bool {
        matches!(
            self,
            VoteRefusal::NotOpenYet | VoteRefusal::Closed | VoteRefusal::UnknownNominee
        )
    }

    pub fn code(self) -> &'static str {
        match self {
            VoteRefusal::AlreadyVoted => "already_voted",
            VoteRefusal::DailyQuotaUsed => "daily_quota_used",
            VoteRefusal::NotOpenYet | VoteRefusal::Closed => "voting_closed",
            VoteRefusal::UnknownNominee => "unknown_nominee",
            VoteRefusal::KeyReused => "idempotency_mismatch",
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
            VoteRefusal::KeyReused => lang.pick(
                "这个投票请求已用于另一位候选人，没有计票。请刷新页面后再投。",
                "This request was already used for another nominee and was not counted. Please reload and vote again.",
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

/// What one voter holds on one day: the slots their votes take. A batch of
/// votes is decided against it one by one, each taking the lowest free places.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VoterDay {
    votes: u32,
    day_slots: u128,
    nominee_slots: BTreeMap<NomineeId, (u32, u128)>,
}

/// The lowest slot not yet taken. Rules allow at most 100 votes a day, so
/// every slot fits in the 128 places of the mask.
fn lowest_free(mask: u128) -> u16 {
    (!mask).trailing_zeros() as u16
}

fn bit(slot: u16) -> u128 {
    1u128.checked_shl(u32::from(slot)).unwrap_or(0)
}

impl VoterDay {
    /// A vote already stored.
    pub fn record(&mut self, nominee: NomineeId, slots: Slots) {
        self.votes += 1;
        self.day_slots |= bit(slots.day_slot);
        let entry = self.nominee_slots.entry(nominee).or_default();
        entry.0 += 1;
        entry.1 |= bit(slots.nominee_slot);
    }

    /// Votes held today.
    pub fn votes(&self) -> u32 {
        self.votes
    }

    /// The places one more vote for the nominee would take, or why it may not be cast.
    pub fn next(&self, rules: &VoteRules, nominee: NomineeId) -> Result<Slots, VoteRefusal> {
        let (for_nominee, nominee_mask) = self
            .nominee_slots
            .get(&nominee)
            .copied()
            .unwrap_or_default();
        if for_nominee >= u32::from(rules.per_nominee_per_day()) {
            return Err(VoteRefusal::AlreadyVoted);
        }
        if self.votes >= u32::from(rules.votes_per_day()) {
            return Err(VoteRefusal::DailyQuotaUsed);
        }
        Ok(Slots {
            day_slot: lowest_free(self.day_slots),
            nominee_slot: lowest_free(nominee_mask),
        })
    }

    /// Decides one more vote and, if it may be cast, counts it as held.
    pub fn take(&mut self, rules: &VoteRules, nominee: NomineeId) -> Result<Slots, VoteRefusal> {
        let slots = self.next(rules, nominee)?;
        self.record(nominee, slots);
        Ok(slots)
    }
}

/// Votes left today.
pub fn remaining_today(rules: &VoteRules, used_today: u32) -> u32 {
    u32::from(rules.votes_per_day()).saturating_sub(used_today)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: NomineeId = NomineeId(1);
    const B: NomineeId = NomineeId(2);
    const C: NomineeId = NomineeId(3);

    #[test]
    fn quota_arithmetic() {
        let rules = VoteRules::new(3, 1).unwrap();
        let mut day = VoterDay::default();
        assert_eq!(
            day.take(&rules, A),
            Ok(Slots {
                day_slot: 0,
                nominee_slot: 0
            })
        );
        assert_eq!(day.take(&rules, A), Err(VoteRefusal::AlreadyVoted));
        assert_eq!(day.take(&rules, B).unwrap().day_slot, 1);
        assert_eq!(day.take(&rules, C).unwrap().day_slot, 2);
        assert_eq!(
            day.take(&rules, NomineeId(4)),
            Err(VoteRefusal::DailyQuotaUsed)
        );
        assert_eq!(day.votes(), 3);
        assert_eq!(remaining_today(&rules, day.votes()), 0);
        assert_eq!(remaining_today(&rules, 1), 2);
        assert_eq!(remaining_today(&rules, 5), 0);
    }

    #[test]
    fn several_votes_per_nominee_when_the_rules_allow() {
        let rules = VoteRules::new(5, 2).unwrap();
        let mut day = VoterDay::default();
        assert_eq!(day.take(&rules, A).unwrap().nominee_slot, 0);
        assert_eq!(day.take(&rules, A).unwrap().nominee_slot, 1);
        assert_eq!(day.take(&rules, A), Err(VoteRefusal::AlreadyVoted));
        assert_eq!(day.take(&rules, B).unwrap().nominee_slot, 0);
    }

    #[test]
    fn a_gap_in_the_stored_slots_is_filled_first() {
        let rules = VoteRules::new(10, 1).unwrap();
        let mut day = VoterDay::default();
        let at = |day_slot| Slots {
            day_slot,
            nominee_slot: 0,
        };
        day.record(A, at(0));
        day.record(B, at(2));
        assert_eq!(day.next(&rules, C), Ok(at(1)));
        assert_eq!(day.votes(), 2);
    }

    #[test]
    fn the_largest_quota_still_fits_the_slot_mask() {
        let rules = VoteRules::new(100, 100).unwrap();
        let mut day = VoterDay::default();
        for expected in 0..100 {
            assert_eq!(day.take(&rules, A).unwrap().day_slot, expected);
        }
        assert_eq!(day.take(&rules, A), Err(VoteRefusal::AlreadyVoted));
        assert_eq!(day.take(&rules, B), Err(VoteRefusal::DailyQuotaUsed));
    }

    #[test]
    fn voting_is_open_only_in_its_phase() {
        assert_eq!(voting_open(Phase::Voting), Ok(()));
        assert_eq!(voting_open(Phase::Review), Err(VoteRefusal::NotOpenYet));
        assert_eq!(voting_open(Phase::PublicNotice), Err(VoteRefusal::Closed));
    }
}
