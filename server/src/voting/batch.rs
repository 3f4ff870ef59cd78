//! Deciding a batch of ballots in one transaction (group commit). The backends
//! read what the batch needs in a few set-based statements; this module, plain
//! code with no database, decides every ballot in arrival order and says what
//! to write. Both backends share it, so a batch of one and a batch of a
//! thousand follow exactly the same rules.

use std::collections::HashMap;

use alleyvote_domain::voting::{remaining_today, Slots, VoterDay};
use alleyvote_domain::{
    CampaignId, Millis, NomineeId, NomineeNumber, ShanghaiDay, VoteRefusal, VoteRules, VoterId,
};

use super::ballot::{
    decode_outcome, encode_outcome, Ballot, Channel, Counted, Outcome, VoteReceipt,
};
use crate::storage::StoreResult;

/// A voter's day within a campaign: the unit the quotas count in.
pub type DayKey = (CampaignId, VoterId, i32);

/// Whose request a key names: keys are the voter's own, per campaign.
pub type RequestId = (VoterId, CampaignId, String);

/// An answer kept under a request key, with what was asked and on which day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedAnswer {
    pub fingerprint: String,
    pub day: i32,
    pub outcome: String,
}

/// What a ballot asks for, as far as its key is concerned: the same key with
/// another fingerprint is another request, refused rather than replayed.
pub fn fingerprint(b: &Ballot) -> String {
    format!("{}:{}", b.channel.as_str(), b.nominee.get())
}

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

/// An answer to keep under the ballot's request key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedOutcome {
    pub voter: VoterId,
    pub campaign: CampaignId,
    pub key: String,
    pub fingerprint: String,
    pub day: i32,
    pub outcome: String,
    pub at_ms: i64,
}

enum Decision {
    /// Refused by the rules now: the answer is kept under the key.
    Refused(VoteRefusal),
    /// The answer kept under the key, given again; nothing is written.
    Replayed(Outcome),
    /// The key was used for another request: refused, nothing is kept.
    KeyReused,
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

/// The requests whose earlier answers must be looked up.
pub fn keys_of(ballots: &[Ballot]) -> Vec<RequestId> {
    let mut keys: Vec<RequestId> = ballots.iter().filter_map(request_id).collect();
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

fn request_id(b: &Ballot) -> Option<RequestId> {
    b.request_key
        .as_ref()
        .map(|k| (b.voter, b.campaign, k.clone()))
}

/// The ballots as the deciding transaction sees them: cast at its clock's
/// `now`, under each campaign's rules as they are now.
pub fn as_of(
    ballots: &[Ballot],
    now: Millis,
    campaigns: &HashMap<CampaignId, (VoteRules, Result<(), VoteRefusal>)>,
) -> Vec<Ballot> {
    ballots
        .iter()
        .map(|b| Ballot {
            at: now,
            rules: campaigns.get(&b.campaign).map_or(b.rules, |c| c.0),
            ..b.clone()
        })
        .collect()
}

/// Decides every ballot in order against what is stored and what the batch
/// itself has taken so far.
pub fn plan(
    ballots: &[Ballot],
    saved: &HashMap<RequestId, SavedAnswer>,
    nominees: &HashMap<(CampaignId, NomineeNumber), NomineeId>,
    held: &[HeldVote],
    campaigns: &HashMap<CampaignId, (VoteRules, Result<(), VoteRefusal>)>,
) -> StoreResult<Plan> {
    let mut days: HashMap<DayKey, VoterDay> = HashMap::new();
    for h in held {
        days.entry((h.campaign, h.voter, h.day))
            .or_default()
            .record(h.nominee, h.slots);
    }
    let mut first_with_key: HashMap<RequestId, usize> = HashMap::new();
    let mut decisions = Vec::with_capacity(ballots.len());
    let mut rows = Vec::new();
    for (i, b) in ballots.iter().enumerate() {
        if let Some(id) = request_id(b) {
            if let Some(saved) = saved.get(&id) {
                if saved.fingerprint != fingerprint(b) {
                    decisions.push(Decision::KeyReused);
                    continue;
                }
                let outcome = decode_outcome(&saved.outcome)?;
                // A refusal answers for its own day only: the next day the
                // same request may count. One the campaign alone decided
                // (closed, no such nominee) is decided afresh: it replays
                // only while the campaign is unchanged.
                let replays = match &outcome {
                    Ok(_) => true,
                    Err(refusal) => saved.day == day_key(b).2 && !refusal.decided_by_campaign(),
                };
                if replays {
                    decisions.push(Decision::Replayed(outcome));
                    continue;
                }
            }
            if let Some(&first) = first_with_key.get(&id) {
                decisions.push(if fingerprint(&ballots[first]) == fingerprint(b) {
                    Decision::SameAs(first)
                } else {
                    Decision::KeyReused
                });
                continue;
            }
            first_with_key.insert(id, i);
        }
        // A retry of a vote that counted still gets its answer after the
        // close (above); a new ballot does not count.
        if let Some((_, Err(closed))) = campaigns.get(&b.campaign) {
            decisions.push(Decision::Refused(*closed));
            continue;
        }
        let Some(&nominee) = nominees.get(&(b.campaign, b.nominee)) else {
            decisions.push(Decision::Refused(VoteRefusal::UnknownNominee));
            continue;
        };
        let day = days.entry(day_key(b)).or_default();
        match day.take(&b.rules, nominee) {
            Err(refusal) => decisions.push(Decision::Refused(refusal)),
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
    /// First answers to keep for retries (a stale refusal is replaced).
    pub to_save: Vec<SavedOutcome>,
}

/// Pairs the planned ballots with the ids their rows got. `None` means
/// another writer took the slot, which the voter locks rule out; the caller
/// then abandons the batch rather than guess.
pub fn settle(ballots: &[Ballot], plan: Plan, ids: &[Option<i64>]) -> Option<Settled> {
    let mut outcomes: Vec<Outcome> = Vec::with_capacity(ballots.len());
    let mut tally: HashMap<NomineeId, i64> = HashMap::new();
    for decision in &plan.decisions {
        let outcome = match decision {
            Decision::Refused(refusal) => Err(*refusal),
            Decision::Replayed(outcome) => outcome.clone(),
            Decision::KeyReused => Err(VoteRefusal::KeyReused),
            Decision::SameAs(first) => outcomes.get(*first)?.clone().map(|r| VoteReceipt {
                replayed: true,
                ..r
            }),
            Decision::Insert {
                row,
                remaining_today,
            } => {
                let vote_id = (*ids.get(*row)?)?;
                let inserted = plan.rows.get(*row)?;
                *tally.entry(inserted.nominee).or_default() += 1;
                Ok(VoteReceipt {
                    vote_id,
                    remaining_today: *remaining_today,
                    counted: Some(Counted {
                        nominee: inserted.nominee,
                        day: ShanghaiDay(inserted.day),
                    }),
                    replayed: false,
                })
            }
        };
        outcomes.push(outcome);
    }
    let mut to_save = Vec::new();
    for (i, (b, decision)) in ballots.iter().zip(&plan.decisions).enumerate() {
        let Some(key) = &b.request_key else { continue };
        if !matches!(decision, Decision::Insert { .. } | Decision::Refused(_)) {
            continue;
        }
        to_save.push(SavedOutcome {
            voter: b.voter,
            campaign: b.campaign,
            key: key.clone(),
            fingerprint: fingerprint(b),
            day: day_key(b).2,
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
        saved: &HashMap<RequestId, SavedAnswer>,
        held: &[HeldVote],
    ) -> Settled {
        let plan = plan(ballots, saved, &nominees(), held, &HashMap::new()).unwrap();
        let ids: Vec<Option<i64>> = (0..plan.rows.len() as i64)
            .map(|i| Some(1000 + i))
            .collect();
        settle(ballots, plan, &ids).unwrap()
    }

    fn saved(
        voter: i64,
        key: &str,
        number: u32,
        day: i32,
        outcome: &str,
    ) -> (RequestId, SavedAnswer) {
        (
            (VoterId(voter), CAMPAIGN, key.to_string()),
            SavedAnswer {
                fingerprint: format!("online:{number}"),
                day,
                outcome: outcome.to_string(),
            },
        )
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
        let plan = plan(
            &ballots,
            &HashMap::new(),
            &nominees(),
            &held,
            &HashMap::new(),
        )
        .unwrap();
        assert_eq!(plan.rows.len(), 1);
        assert_eq!(plan.rows[0].slots.day_slot, 1);
    }

    #[test]
    fn a_key_repeated_in_the_batch_or_saved_before_answers_alike() {
        let today = NOON.shanghai_day().0;
        let saved = HashMap::from([saved(7, "old", 2, today, "refused:already_voted")]);
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
        assert_eq!(s.to_save[0].fingerprint, "online:1");
    }

    #[test]
    fn a_key_names_one_request_only() {
        let today = NOON.shanghai_day().0;
        let saved = HashMap::from([saved(7, "used", 1, today, "ok:55:2")]);
        let ballots = [
            // The saved key, but another nominee: refused, nothing counted.
            ballot(7, 2, Some("used")),
            // The same key twice in one batch for different nominees.
            ballot(7, 3, Some("twice")),
            ballot(7, 4, Some("twice")),
            // The saved key, the same request: the first answer again.
            ballot(7, 1, Some("used")),
        ];
        let s = run(&ballots, &saved, &[]);
        assert_eq!(s.outcomes[0], Err(VoteRefusal::KeyReused));
        assert!(s.outcomes[1].is_ok());
        assert_eq!(s.outcomes[2], Err(VoteRefusal::KeyReused));
        assert_eq!(s.outcomes[3].as_ref().unwrap().vote_id, 55);
        assert_eq!(s.tally, vec![(NomineeId(103), 1)]);
        assert_eq!(s.to_save.len(), 1, "a refused reuse is not kept");
    }

    #[test]
    fn a_refusal_replays_on_its_own_day_only() {
        let today = NOON.shanghai_day().0;
        let ballots = [ballot(7, 1, Some("r"))];
        let same_day = HashMap::from([saved(7, "r", 1, today, "refused:daily_quota_used")]);
        let s = run(&ballots, &same_day, &[]);
        assert_eq!(s.outcomes[0], Err(VoteRefusal::DailyQuotaUsed));
        assert!(s.to_save.is_empty() && s.tally.is_empty());

        let yesterday = HashMap::from([saved(7, "r", 1, today - 1, "refused:daily_quota_used")]);
        let s = run(&ballots, &yesterday, &[]);
        assert!(s.outcomes[0].is_ok(), "decided afresh on a new day");
        assert_eq!(s.tally, vec![(NomineeId(101), 1)]);
        assert_eq!(
            s.to_save[0].day, today,
            "and its new answer replaces the old"
        );
    }

    #[test]
    fn a_refusal_the_campaign_decided_is_decided_afresh() {
        let today = NOON.shanghai_day().0;
        let ballots = [ballot(7, 1, Some("r"))];
        for kept in ["refused:voting_closed", "refused:unknown_nominee"] {
            let saved = HashMap::from([saved(7, "r", 1, today, kept)]);
            let s = run(&ballots, &saved, &[]);
            assert!(s.outcomes[0].is_ok(), "{kept}: reopened, the retry counts");
            assert_eq!(s.tally, vec![(NomineeId(101), 1)]);
            assert_eq!(s.to_save.len(), 1, "its new answer replaces the old");
        }
    }

    #[test]
    fn keys_are_per_voter_and_per_campaign() {
        let today = NOON.shanghai_day().0;
        let saved = HashMap::from([saved(7, "k", 1, today, "ok:55:2")]);
        let mut elsewhere = ballot(7, 1, Some("k"));
        elsewhere.campaign = CampaignId(2);
        let ballots = [ballot(8, 1, Some("k")), elsewhere];
        let mut nominees = nominees();
        nominees.insert(
            (CampaignId(2), NomineeNumber::new(1).unwrap()),
            NomineeId(201),
        );
        let plan = plan(&ballots, &saved, &nominees, &[], &HashMap::new()).unwrap();
        assert_eq!(
            plan.rows.len(),
            2,
            "another voter's or campaign's key is a new vote"
        );
    }

    #[test]
    fn the_deciding_clock_and_rules_are_the_transaction_s() {
        let today = NOON.shanghai_day().0;
        // Taken by an instance whose clock was a day behind, under old rules.
        let mut stale = ballot(7, 1, Some("late"));
        stale.at = Millis(NOON.0 - 86_400_000);
        stale.rules = VoteRules::new(100, 5).unwrap();
        let fresh = VoteRules::new(1, 1).unwrap();
        let campaigns = HashMap::from([(CAMPAIGN, (fresh, Ok(())))]);
        let ballots = as_of(&[stale, ballot(7, 2, None)], NOON, &campaigns);
        let decided = plan(&ballots, &HashMap::new(), &nominees(), &[], &campaigns).unwrap();
        assert_eq!(
            decided.rows.len(),
            1,
            "one vote a day, as the rules are now"
        );
        assert_eq!(decided.rows[0].day, today, "on the deciding clock's day");
        assert_eq!(decided.rows[0].cast_at_ms, NOON.0);

        // Closed: a new ballot is refused, a retry of one that counted replays.
        let closed = HashMap::from([(CAMPAIGN, (fresh, Err(VoteRefusal::Closed)))]);
        let saved = HashMap::from([saved(7, "counted", 3, today, "ok:55:0")]);
        let ballots = [ballot(7, 3, Some("counted")), ballot(8, 3, None)];
        let decided = plan(&ballots, &saved, &nominees(), &[], &closed).unwrap();
        let s = settle(&ballots, decided, &[]).unwrap();
        assert_eq!(s.outcomes[0].as_ref().unwrap().vote_id, 55);
        assert_eq!(s.outcomes[1], Err(VoteRefusal::Closed));
        assert!(s.tally.is_empty());
    }

    #[test]
    fn a_slot_taken_by_someone_else_abandons_the_batch() {
        let ballots = [ballot(7, 1, None)];
        let plan = plan(&ballots, &HashMap::new(), &nominees(), &[], &HashMap::new()).unwrap();
        assert!(settle(&ballots, plan, &[None]).is_none());
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
        assert!(keys_of(&ballots).windows(2).all(|w| w[0] < w[1]));
        assert_eq!(days_of(&ballots).len(), 2);
        assert_eq!(campaigns_of(&ballots), vec![CAMPAIGN]);
    }
}
