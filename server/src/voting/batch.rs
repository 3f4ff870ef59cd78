//! Deciding a batch of ballots in one transaction (group commit). The backends
//! read what the batch needs in a few set-based statements; this module, plain
//! code with no database, decides every ballot in arrival order and says what
//! to write. Both backends share it, so a batch of one and a batch of a
//! thousand follow exactly the same rules.

use std::collections::HashMap;

use alleyvote_domain::voting::{remaining_today, Slots, VoterDay};
use alleyvote_domain::{CampaignId, NomineeId, NomineeNumber, VoteRefusal, VoterId};

use super::ballot::{decode_outcome, encode_outcome, Ballot, Channel, Outcome, VoteReceipt};
use crate::storage::StoreResult;

/// A voter's day within a campaign: the unit the quotas count in.
pub type DayKey = (CampaignId, VoterId, i32);

/// A vote row to insert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoteRow {
    pub campaign: CampaignId,
    pub voter: VoterId,
    pub nominee: NomineeId,
    pub day: i32,
    pub slots: Slots,
    pub channel: Channel,
    pub cast_at_ms: i64,
}

/// A vote already stored, as far as the quotas care.
#[derive(Debug, Clone, Copy)]
pub struct HeldVote {
    pub campaign: CampaignId,
    pub voter: VoterId,
    pub day: i32,
    pub nominee: NomineeId,
    pub slots: Slots,
}

/// An answer to keep under the client's idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedOutcome {
    pub voter: VoterId,
    pub key: String,
    pub outcome: String,
    pub at_ms: i64,
}

enum Decision {
    /// Answered without writing a vote: a replay or a refusal.
    Answered(Outcome),
    /// Answered by an earlier ballot in the same batch with the same key.
    SameAs(usize),
    /// Write `rows[i]`; the receipt's remaining count is known now.
    Insert { row: usize, remaining_today: u32 },
}

/// What a batch will write, and how to answer each ballot once it is written.
pub struct Plan {
    decisions: Vec<Decision>,
    pub rows: Vec<VoteRow>,
}

/// The voters a batch touches, sorted and without repeats: the order their
/// rows are locked in, so two batches never wait for each other in a circle.
pub fn voters_of(ballots: &[Ballot]) -> Vec<VoterId> {
    let mut voters: Vec<VoterId> = ballots.iter().map(|b| b.voter).collect();
    voters.sort_unstable();
    voters.dedup();
    voters
}

/// The (voter, key) pairs whose earlier answers must be looked up.
pub fn keys_of(ballots: &[Ballot]) -> Vec<(VoterId, String)> {
    let mut keys: Vec<(VoterId, String)> = ballots
        .iter()
        .filter_map(|b| b.request_key.clone().map(|k| (b.voter, k)))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The voter-days whose held votes must be read.
pub fn days_of(ballots: &[Ballot]) -> Vec<DayKey> {
    let mut days: Vec<DayKey> = ballots.iter().map(day_key).collect();
    days.sort_unstable();
    days.dedup();
    days
}

/// The campaigns whose nominees must be known.
pub fn campaigns_of(ballots: &[Ballot]) -> Vec<CampaignId> {
    let mut campaigns: Vec<CampaignId> = ballots.iter().map(|b| b.campaign).collect();
    campaigns.sort_unstable();
    campaigns.dedup();
    campaigns
}

fn day_key(b: &Ballot) -> DayKey {
    (b.campaign, b.voter, b.at.shanghai_day().0)
}

/// Decides every ballot in order against what is stored and what the batch
/// itself has taken so far.
pub fn plan(
    ballots: &[Ballot],
    saved: &HashMap<(VoterId, String), String>,
    nominees: &HashMap<(CampaignId, NomineeNumber), NomineeId>,
    held: &[HeldVote],
) -> StoreResult<Plan> {
    let mut days: HashMap<DayKey, VoterDay> = HashMap::new();
    for h in held {
        days.entry((h.campaign, h.voter, h.day))
            .or_default()
            .record(h.nominee, h.slots);
    }
    let mut first_with_key: HashMap<(VoterId, &str), usize> = HashMap::new();
    let mut decisions = Vec::with_capacity(ballots.len());
    let mut rows = Vec::new();
    for (i, b) in ballots.iter().enumerate() {
        if let Some(key) = &b.request_key {
            if let Some(saved) = saved.get(&(b.voter, key.clone())) {
                decisions.push(Decision::Answered(decode_outcome(saved)?));
                continue;
            }
            if let Some(&first) = first_with_key.get(&(b.voter, key.as_str())) {
                decisions.push(Decision::SameAs(first));
                continue;
            }
            first_with_key.insert((b.voter, key.as_str()), i);
        }
        let Some(&nominee) = nominees.get(&(b.campaign, b.nominee)) else {
            decisions.push(Decision::Answered(Err(VoteRefusal::UnknownNominee)));
            continue;
        };
        let day = days.entry(day_key(b)).or_default();
        match day.take(&b.rules, nominee) {
            Err(refusal) => decisions.push(Decision::Answered(Err(refusal))),
            Ok(slots) => {
                decisions.push(Decision::Insert {
                    row: rows.len(),
                    remaining_today: remaining_today(&b.rules, day.votes()),
                });
                rows.push(VoteRow {
                    campaign: b.campaign,
                    voter: b.voter,
                    nominee,
                    day: day_key(b).2,
                    slots,
                    channel: b.channel,
                    cast_at_ms: b.at.0,
                });
            }
        }
    }
    Ok(Plan { decisions, rows })
}

/// What the batch writes besides the votes, and every ballot's answer.
pub struct Settled {
    pub outcomes: Vec<Outcome>,
    /// Votes added per nominee, sorted by nominee: the order tally rows are locked in.
    pub tally: Vec<(NomineeId, i64)>,
    /// First answers to keep for idempotent retries.
    pub to_save: Vec<SavedOutcome>,
}

/// Pairs the planned ballots with the ids their rows got. `None` means
/// another writer took the slot, which the voter locks rule out; the caller
/// then abandons the batch rather than guess.
pub fn settle(
    ballots: &[Ballot],
    plan: Plan,
    saved: &HashMap<(VoterId, String), String>,
    ids: &[Option<i64>],
) -> Option<Settled> {
    let mut outcomes: Vec<Outcome> = Vec::with_capacity(ballots.len());
    let mut tally: HashMap<NomineeId, i64> = HashMap::new();
    for decision in &plan.decisions {
        let outcome = match decision {
            Decision::Answered(outcome) => outcome.clone(),
            Decision::SameAs(first) => outcomes.get(*first)?.clone().map(|r| VoteReceipt {
                replayed: true,
                ..r
            }),
            Decision::Insert {
                row,
                remaining_today,
            } => {
                let vote_id = (*ids.get(*row)?)?;
                *tally.entry(plan.rows.get(*row)?.nominee).or_default() += 1;
                Ok(VoteReceipt {
                    vote_id,
                    remaining_today: *remaining_today,
                    replayed: false,
                })
            }
        };
        outcomes.push(outcome);
    }
    let mut to_save = Vec::new();
    for (i, (b, decision)) in ballots.iter().zip(&plan.decisions).enumerate() {
        let Some(key) = &b.request_key else { continue };
        if matches!(decision, Decision::SameAs(_)) || saved.contains_key(&(b.voter, key.clone())) {
            continue;
        }
        to_save.push(SavedOutcome {
            voter: b.voter,
            key: key.clone(),
            outcome: encode_outcome(&outcomes[i]),
            at_ms: b.at.0,
        });
    }
    let mut tally: Vec<(NomineeId, i64)> = tally.into_iter().collect();
    tally.sort_unstable();
    Some(Settled {
        outcomes,
        tally,
        to_save,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alleyvote_domain::{Millis, VoteRules};

    const CAMPAIGN: CampaignId = CampaignId(1);
    // 2026-11-27 12:00 in Shanghai.
    const NOON: Millis = Millis(1_795_752_000_000);

    fn ballot(voter: i64, number: u32, key: Option<&str>) -> Ballot {
        Ballot {
            campaign: CAMPAIGN,
            rules: VoteRules::new(3, 1).unwrap(),
            voter: VoterId(voter),
            nominee: NomineeNumber::new(number).unwrap(),
            at: NOON,
            channel: Channel::Online,
            request_key: key.map(str::to_string),
        }
    }

    fn nominees() -> HashMap<(CampaignId, NomineeNumber), NomineeId> {
        (1..=5)
            .map(|n| {
                (
                    (CAMPAIGN, NomineeNumber::new(n).unwrap()),
                    NomineeId(100 + i64::from(n)),
                )
            })
            .collect()
    }

    fn run(
        ballots: &[Ballot],
        saved: &HashMap<(VoterId, String), String>,
        held: &[HeldVote],
    ) -> Settled {
        let plan = plan(ballots, saved, &nominees(), held).unwrap();
        let ids: Vec<Option<i64>> = (0..plan.rows.len() as i64)
            .map(|i| Some(1000 + i))
            .collect();
        settle(ballots, plan, saved, &ids).unwrap()
    }

    #[test]
    fn a_batch_obeys_the_quotas_in_arrival_order() {
        let ballots = [
            ballot(7, 1, None),
            ballot(7, 1, None),
            ballot(8, 1, None),
            ballot(7, 2, None),
            ballot(7, 3, None),
            ballot(7, 4, None),
            ballot(7, 99, None),
        ];
        let s = run(&ballots, &HashMap::new(), &[]);
        let codes: Vec<String> = s
            .outcomes
            .iter()
            .map(|o| match o {
                Ok(r) => format!("ok{}", r.remaining_today),
                Err(e) => e.code().to_string(),
            })
            .collect();
        assert_eq!(
            codes,
            [
                "ok2",
                "already_voted",
                "ok2",
                "ok1",
                "ok0",
                "daily_quota_used",
                "unknown_nominee"
            ]
        );
        assert_eq!(
            s.tally,
            vec![
                (NomineeId(101), 2),
                (NomineeId(102), 1),
                (NomineeId(103), 1)
            ]
        );
        assert!(s.to_save.is_empty());
    }

    #[test]
    fn held_votes_count_against_the_day() {
        let held = [HeldVote {
            campaign: CAMPAIGN,
            voter: VoterId(7),
            day: NOON.shanghai_day().0,
            nominee: NomineeId(101),
            slots: Slots {
                day_slot: 0,
                nominee_slot: 0,
            },
        }];
        let ballots = [ballot(7, 1, None), ballot(7, 2, None)];
        let plan = plan(&ballots, &HashMap::new(), &nominees(), &held).unwrap();
        assert_eq!(plan.rows.len(), 1);
        assert_eq!(plan.rows[0].slots.day_slot, 1);
    }

    #[test]
    fn a_key_repeated_in_the_batch_or_saved_before_answers_alike() {
        let mut saved = HashMap::new();
        saved.insert(
            (VoterId(7), "old".to_string()),
            "refused:already_voted".to_string(),
        );
        let ballots = [
            ballot(7, 1, Some("k")),
            ballot(7, 1, Some("k")),
            ballot(7, 2, Some("old")),
        ];
        let s = run(&ballots, &saved, &[]);
        let (first, again) = (
            s.outcomes[0].clone().unwrap(),
            s.outcomes[1].clone().unwrap(),
        );
        assert_eq!((first.vote_id, first.replayed), (again.vote_id, false));
        assert!(again.replayed);
        assert_eq!(s.outcomes[2], Err(VoteRefusal::AlreadyVoted));
        assert_eq!(
            s.tally,
            vec![(NomineeId(101), 1)],
            "the repeat counts nothing"
        );
        assert_eq!(s.to_save.len(), 1, "only the first answer is kept");
        assert_eq!(s.to_save[0].key, "k");
    }

    #[test]
    fn a_slot_taken_by_someone_else_abandons_the_batch() {
        let ballots = [ballot(7, 1, None)];
        let plan = plan(&ballots, &HashMap::new(), &nominees(), &[]).unwrap();
        assert!(settle(&ballots, plan, &HashMap::new(), &[None]).is_none());
    }

    #[test]
    fn lookups_are_sorted_and_unique() {
        let ballots = [
            ballot(9, 1, Some("a")),
            ballot(7, 1, Some("a")),
            ballot(9, 2, Some("a")),
        ];
        assert_eq!(voters_of(&ballots), vec![VoterId(7), VoterId(9)]);
        assert_eq!(keys_of(&ballots).len(), 2);
        assert_eq!(days_of(&ballots).len(), 2);
        assert_eq!(campaigns_of(&ballots), vec![CAMPAIGN]);
    }
}
