//! Votes in storage. A batch of ballots is decided in one transaction: lock
//! the batch's voters, read the clock, each campaign's rules and voting
//! window and what the rules need in a few statements, let
//! [`super::batch`] (plain code) decide every ballot in arrival order, then
//! write the votes, the running tally and the saved answers.
//!
//! What differs between the backends is the four batch statements of
//! [`BatchSql`]: set-based (`unnest`) on PostgreSQL, a loop of prepared
//! statements on SQLite, where a statement costs no round trip.

mod postgres;
mod sqlite;

use std::collections::HashMap;

use alleyvote_domain::voting::{voting_open, Slots};
use alleyvote_domain::{
    CampaignId, Millis, NomineeId, NomineeNumber, Phases, ShanghaiDay, VoteRefusal, VoteRules,
    VoterId,
};
use async_trait::async_trait;

use super::ballot::{Ballot, Outcome};
use super::batch::{self, DayKey, HeldVote, RequestId, SavedAnswer, SavedOutcome, VoteRow};
use crate::storage::rows::number;
use crate::storage::{Backend, Lock, PostgresStore, SqliteStore, StoreError, StoreResult, Tx};

#[async_trait]
pub trait VoteStorage: Send + Sync {
    /// Records the votes the rules allow, deciding each ballot in order, all in
    /// one transaction (group commit): one answer per ballot, or an error and
    /// nothing written. The table's unique slots make overruns impossible.
    async fn cast_votes(&self, ballots: &[Ballot]) -> StoreResult<Vec<Outcome>>;

    /// One ballot in a transaction of its own.
    async fn cast_vote(&self, ballot: &Ballot) -> StoreResult<Outcome> {
        self.cast_votes(std::slice::from_ref(ballot))
            .await?
            .pop()
            .ok_or_else(|| StoreError::Corrupt("a ballot without an answer".into()))
    }

    /// Nominee numbers the voter has voted for on a day, one entry per vote.
    async fn votes_on(
        &self,
        campaign: CampaignId,
        voter: VoterId,
        day: ShanghaiDay,
    ) -> StoreResult<Vec<NomineeNumber>>;

    /// The campaign's standing votes cast since `from`, counted by the hour
    /// they were cast in (hours since the Unix epoch): the dashboard's chart.
    async fn votes_by_hour(
        &self,
        campaign: CampaignId,
        from: Millis,
    ) -> StoreResult<Vec<(i64, u64)>>;

    /// The numbers of a campaign's active nominees and their ids.
    async fn active_nominees(
        &self,
        campaign: CampaignId,
    ) -> StoreResult<Vec<(NomineeNumber, NomineeId)>>;

    /// The campaign's rules and phases, and the nominee the number names,
    /// read now (no memo).
    async fn campaign_now(
        &self,
        campaign: CampaignId,
        number: NomineeNumber,
    ) -> StoreResult<Option<CampaignNow>>;
}

/// The batch's statements, each backend its own way.
#[async_trait]
trait BatchSql: Backend {
    /// The one clock every instance's batches are decided by: the
    /// database's, at the moment of deciding (after the voter locks).
    async fn database_now(tx: &mut Tx<Self>) -> StoreResult<Millis>;
    /// Earlier answers saved under the batch's request keys.
    async fn saved_outcomes(
        tx: &mut Tx<Self>,
        keys: &[RequestId],
    ) -> StoreResult<HashMap<RequestId, SavedAnswer>>;
    /// The votes already held on the batch's voter-days.
    async fn held_votes(tx: &mut Tx<Self>, days: &[DayKey]) -> StoreResult<Vec<HeldVote>>;
    /// Inserts the rows; a row whose slot is taken is skipped and comes back `None`.
    async fn insert_votes(tx: &mut Tx<Self>, rows: &[VoteRow]) -> StoreResult<Vec<Option<i64>>>;
    /// Keeps the answers; an answer already kept under the key (a refusal
    /// from another day) is replaced.
    async fn save_outcomes(tx: &mut Tx<Self>, saved: &[SavedOutcome]) -> StoreResult<()>;
}

/// The columns of [`CampaignRow`], in its order.
// A macro because `concat!` takes literals, not consts.
macro_rules! campaign_now_columns {
    () => {
        "c.votes_per_day, c.per_nominee_per_day, c.nomination_start_ms, c.review_start_ms, \
         c.voting_start_ms, c.voting_end_ms, c.notice_end_ms, c.ceremony_at_ms"
    };
}

/// A campaign's rules and voting window as they are now, inside the deciding
/// transaction: an organizer's change or an early close applies to the very
/// next batch, on every instance.
const CAMPAIGN_NOW: &str = concat!(
    "SELECT ",
    campaign_now_columns!(),
    " FROM campaigns c WHERE c.id = $1"
);

/// Each campaign's rules, and whether it takes votes at `now`.
type CampaignsNow = HashMap<CampaignId, (VoteRules, Result<(), VoteRefusal>)>;

type CampaignRow = (i32, i32, i64, i64, i64, i64, i64, i64);

fn campaign_now(
    row: CampaignRow,
    now: Millis,
) -> StoreResult<(VoteRules, Result<(), VoteRefusal>)> {
    let (rules, phases) = rules_and_phases(row)?;
    Ok((rules, voting_open(phases.at(now))))
}

fn rules_and_phases(row: CampaignRow) -> StoreResult<(VoteRules, Phases)> {
    let (per_day, per_nominee, n, r, vs, ve, ne, c) = row;
    let corrupt = |what: &str| StoreError::Corrupt(format!("campaign {what}"));
    let small = |v: i32| u16::try_from(v).map_err(|_| corrupt("rules"));
    let rules =
        VoteRules::new(small(per_day)?, small(per_nominee)?).map_err(|_| corrupt("rules"))?;
    let phases = Phases::new(
        Millis(n),
        Millis(r),
        Millis(vs),
        Millis(ve),
        Millis(ne),
        Millis(c),
    )
    .map_err(|_| corrupt("phases"))?;
    Ok((rules, phases))
}

/// A campaign's rules and phases as they are now, and which nominee a number
/// names now: what a refusal made before the database must be confirmed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CampaignNow {
    pub rules: VoteRules,
    pub phases: Phases,
    pub nominee: Option<NomineeId>,
}

/// [`CAMPAIGN_NOW`] and the nominee a number names, in one statement.
const CAMPAIGN_AND_NOMINEE_NOW: &str = concat!(
    "SELECT ",
    campaign_now_columns!(),
    ", n.id FROM campaigns c LEFT JOIN nominees n ON n.campaign_id = c.id \
     AND n.number = $2 AND n.status = 'active' WHERE c.id = $1"
);

/// The numbers of a campaign's active nominees: what a vote may name.
const ACTIVE_NOMINEE_IDS: &str =
    "SELECT id, number FROM nominees WHERE campaign_id = $1 AND status = 'active'";

/// Adds a batch's votes to a nominee's count, and counts the change (the
/// results' version: see migration 0010).
const ADD_TO_TALLY: &str = "INSERT INTO nominee_tallies (nominee_id, online_votes, version, changed_at_ms) \
     VALUES ($1, $2, 1, $3) \
     ON CONFLICT (nominee_id) DO UPDATE SET online_votes = nominee_tallies.online_votes + excluded.online_votes, \
     version = nominee_tallies.version + 1, changed_at_ms = excluded.changed_at_ms";

const VOTES_BY_HOUR: &str = "SELECT v.cast_at_ms / 3600000 AS hour, CAST(COUNT(*) AS BIGINT) \
     FROM votes v WHERE v.campaign_id = $1 AND v.cast_at_ms >= $2 AND v.invalidated_at_ms IS NULL \
     GROUP BY v.cast_at_ms / 3600000 ORDER BY 1";

const VOTES_ON_DAY: &str = "SELECT n.number FROM votes v JOIN nominees n ON n.id = v.nominee_id \
     WHERE v.campaign_id = $1 AND v.voter_id = $2 AND v.day = $3 ORDER BY v.day_slot";

/// A stored vote's place in its voter's day.
fn held_vote(
    (campaign, voter, day): (i64, i64, i32),
    nominee: i64,
    day_slot: i32,
    nominee_slot: i32,
) -> StoreResult<HeldVote> {
    let slot = |s: i32| u16::try_from(s).map_err(|_| StoreError::Corrupt(format!("vote slot {s}")));
    Ok(HeldVote {
        campaign: CampaignId(campaign),
        voter: VoterId(voter),
        day,
        nominee: NomineeId(nominee),
        slots: Slots {
            day_slot: slot(day_slot)?,
            nominee_slot: slot(nominee_slot)?,
        },
    })
}

// A macro, not a generic impl: generic over sqlx's `Database` this slice would
// need the executor and arguments bounds plus one for each type bound into or
// decoded from its queries (at least 3 row types here); the macro is shorter.
// See `crate::storage`.
macro_rules! vote_storage {
    ($backend:ty) => {
        #[async_trait]
        impl VoteStorage for $backend {
            async fn cast_votes(&self, ballots: &[Ballot]) -> StoreResult<Vec<Outcome>> {
                if ballots.is_empty() {
                    return Ok(Vec::new());
                }
                let mut tx = self.begin().await?;
                Self::lock(&mut tx, Lock::Voters(&batch::voters_of(ballots))).await?;
                let now = self.clock().read(Self::database_now(&mut tx).await?);
                // Each campaign's rules and window as they are now, and the
                // nominees a vote may name.
                let mut campaigns: CampaignsNow = HashMap::new();
                let mut nominees = HashMap::new();
                for campaign in batch::campaigns_of(ballots) {
                    let row = sqlx::query_as(CAMPAIGN_NOW)
                        .bind(campaign.0)
                        .fetch_optional(&mut *tx)
                        .await?
                        .ok_or_else(|| {
                            StoreError::Corrupt(format!("no campaign {}", campaign.0))
                        })?;
                    campaigns.insert(campaign, campaign_now(row, now)?);
                    let rows: Vec<(i64, i32)> = sqlx::query_as(ACTIVE_NOMINEE_IDS)
                        .bind(campaign.0)
                        .fetch_all(&mut *tx)
                        .await?;
                    for (id, n) in rows {
                        nominees.insert((campaign, number(n)?), NomineeId(id));
                    }
                }
                // Decided by the database's clock and the rules as they are
                // now, not by what the instance that took the ballot believed.
                let ballots: &[Ballot] = &batch::as_of(ballots, now, &campaigns);
                let keys = batch::keys_of(ballots);
                let saved = if keys.is_empty() {
                    HashMap::new()
                } else {
                    Self::saved_outcomes(&mut tx, &keys).await?
                };
                let held = Self::held_votes(&mut tx, &batch::days_of(ballots)).await?;
                let plan = batch::plan(ballots, &saved, &nominees, &held, &campaigns)?;
                let ids = if plan.rows.is_empty() {
                    Vec::new()
                } else {
                    Self::insert_votes(&mut tx, &plan.rows).await?
                };
                // The voter locks keep every other writer off these slots, so
                // a taken one means a writer outside them: refuse rather than
                // guess; nothing is committed.
                let settled =
                    batch::settle(ballots, plan, &ids).ok_or(StoreError::Duplicate("vote slot"))?;
                for (nominee, added) in &settled.tally {
                    sqlx::query(ADD_TO_TALLY)
                        .bind(nominee.0)
                        .bind(added)
                        .bind(now.0)
                        .execute(&mut *tx)
                        .await?;
                }
                if !settled.to_save.is_empty() {
                    Self::save_outcomes(&mut tx, &settled.to_save).await?;
                }
                tx.commit().await?;
                Ok(settled.outcomes)
            }

            async fn votes_on(
                &self,
                campaign: CampaignId,
                voter: VoterId,
                day: ShanghaiDay,
            ) -> StoreResult<Vec<NomineeNumber>> {
                let rows: Vec<i32> = sqlx::query_scalar(VOTES_ON_DAY)
                    .bind(campaign.0)
                    .bind(voter.0)
                    .bind(day.0)
                    .fetch_all(self.read())
                    .await?;
                rows.into_iter().map(number).collect()
            }

            async fn votes_by_hour(
                &self,
                campaign: CampaignId,
                from: Millis,
            ) -> StoreResult<Vec<(i64, u64)>> {
                let rows: Vec<(i64, i64)> = sqlx::query_as(VOTES_BY_HOUR)
                    .bind(campaign.0)
                    .bind(from.0)
                    .fetch_all(self.read())
                    .await?;
                Ok(rows
                    .into_iter()
                    .map(|(hour, n)| (hour, u64::try_from(n).unwrap_or(0)))
                    .collect())
            }

            async fn active_nominees(
                &self,
                campaign: CampaignId,
            ) -> StoreResult<Vec<(NomineeNumber, NomineeId)>> {
                let rows: Vec<(i64, i32)> = sqlx::query_as(ACTIVE_NOMINEE_IDS)
                    .bind(campaign.0)
                    .fetch_all(self.read())
                    .await?;
                rows.into_iter()
                    .map(|(id, n)| Ok((number(n)?, NomineeId(id))))
                    .collect()
            }

            async fn campaign_now(
                &self,
                campaign: CampaignId,
                number: NomineeNumber,
            ) -> StoreResult<Option<CampaignNow>> {
                let row: Option<(i32, i32, i64, i64, i64, i64, i64, i64, Option<i64>)> =
                    sqlx::query_as(CAMPAIGN_AND_NOMINEE_NOW)
                        .bind(campaign.0)
                        .bind(i32::from(number.get()))
                        .fetch_optional(self.read())
                        .await?;
                let Some((d, p, n, r, vs, ve, ne, c, nominee)) = row else {
                    return Ok(None);
                };
                let (rules, phases) = rules_and_phases((d, p, n, r, vs, ve, ne, c))?;
                Ok(Some(CampaignNow {
                    rules,
                    phases,
                    nominee: nominee.map(NomineeId),
                }))
            }
        }
    };
}

vote_storage!(SqliteStore);
vote_storage!(PostgresStore);
