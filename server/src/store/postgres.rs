//! PostgreSQL: the scale-out backend shared by any number of instances.

use std::collections::HashMap;
use std::time::Duration;

use alleyvote_domain::VoterId;
use sqlx::postgres::PgPoolOptions;
use sqlx::{PgPool, Postgres, Transaction};

use super::batch::{DayKey, HeldVote, SavedOutcome, VoteRow};
use super::rows::held_vote;
use super::shared::{impl_store, Place};
use super::{BackendKind, StoreResult};

type Tx = Transaction<'static, Postgres>;

/// The advisory-lock space of voter locks ("AVVL"); voter ids fill the second key.
const VOTER_LOCK_SPACE: i32 = 0x4156_564c;

pub struct PostgresStore {
    read: PgPool,
    write: PgPool,
}

impl PostgresStore {
    const NOMINEE_FILTER: &'static str = " AND ($2::BIGINT IS NULL OR c.street_id = $2) \
         AND ($3::INTEGER IS NULL OR n.number = $3) AND ($4::TEXT IS NULL OR strpos(n.name, $4) > 0)";

    const AUDIT_FILTER: &'static str =
        " WHERE ($1::TEXT IS NULL OR substr(action, 1, length($1::TEXT)) = $1::TEXT) \
         AND ($2::BIGINT IS NULL OR actor_id = $2) AND ($3::BIGINT IS NULL OR seq < $3)";

    pub async fn open(url: &str) -> StoreResult<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(32)
            .acquire_timeout(Duration::from_secs(5))
            .connect(url)
            .await?;
        sqlx::migrate!("../migrations/postgres").run(&pool).await?;
        Ok(PostgresStore {
            read: pool.clone(),
            write: pool,
        })
    }

    async fn begin_vote(&self) -> StoreResult<Tx> {
        Ok(self.write.begin().await?)
    }

    /// Serialises each voter's votes across every instance with advisory
    /// locks keyed by voter id (held to the end of the transaction; no row
    /// is written, unlike `FOR UPDATE`). The batch takes them in id order, so
    /// two batches never wait in a circle, and different voters never wait
    /// for each other at all.
    async fn lock_voters(tx: &mut Tx, voters: &[VoterId]) -> StoreResult<()> {
        let ids: Vec<i64> = voters.iter().map(|v| v.0).collect();
        sqlx::query(
            "SELECT pg_advisory_xact_lock($2, (v % 2147483647)::INTEGER) FROM unnest($1::BIGINT[]) WITH ORDINALITY AS u(v, i) ORDER BY i",
        )
        .bind(&ids)
        .bind(VOTER_LOCK_SPACE)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    async fn saved_outcomes(
        tx: &mut Tx,
        keys: &[(VoterId, String)],
    ) -> StoreResult<HashMap<(VoterId, String), String>> {
        let voters: Vec<i64> = keys.iter().map(|(v, _)| v.0).collect();
        let names: Vec<&str> = keys.iter().map(|(_, k)| k.as_str()).collect();
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT r.voter_id, r.request_key, r.outcome FROM vote_requests r \
             JOIN unnest($1::BIGINT[], $2::TEXT[]) AS k(voter_id, request_key) \
             USING (voter_id, request_key)",
        )
        .bind(&voters)
        .bind(&names)
        .fetch_all(&mut **tx)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(v, k, o)| ((VoterId(v), k), o))
            .collect())
    }

    async fn held_votes(tx: &mut Tx, days: &[DayKey]) -> StoreResult<Vec<HeldVote>> {
        let campaigns: Vec<i64> = days.iter().map(|d| d.0 .0).collect();
        let voters: Vec<i64> = days.iter().map(|d| d.1 .0).collect();
        let dates: Vec<i32> = days.iter().map(|d| d.2).collect();
        let rows: Vec<(i64, i64, i32, i64, i32, i32)> = sqlx::query_as(
            "SELECT v.campaign_id, v.voter_id, v.day, v.nominee_id, v.day_slot, v.nominee_slot \
             FROM votes v JOIN unnest($1::BIGINT[], $2::BIGINT[], $3::INTEGER[]) \
             AS k(campaign_id, voter_id, day) USING (campaign_id, voter_id, day)",
        )
        .bind(&campaigns)
        .bind(&voters)
        .bind(&dates)
        .fetch_all(&mut **tx)
        .await?;
        rows.into_iter()
            .map(|(c, v, d, n, ds, ns)| held_vote((c, v, d), n, ds, ns))
            .collect()
    }

    /// All of a batch's votes in one statement; a row whose slot is taken is
    /// skipped and comes back `None`.
    async fn insert_votes(tx: &mut Tx, rows: &[VoteRow]) -> StoreResult<Vec<Option<i64>>> {
        let col = |f: fn(&VoteRow) -> i64| rows.iter().map(f).collect::<Vec<i64>>();
        let small = |f: fn(&VoteRow) -> i32| rows.iter().map(f).collect::<Vec<i32>>();
        let channels: Vec<&str> = rows.iter().map(|r| r.channel.as_str()).collect();
        let inserted: Vec<(i64, i64, i64, i32, i32)> = sqlx::query_as(
            "INSERT INTO votes (campaign_id, voter_id, nominee_id, day, day_slot, nominee_slot, channel, cast_at_ms) \
             SELECT * FROM unnest($1::BIGINT[], $2::BIGINT[], $3::BIGINT[], $4::INTEGER[], $5::INTEGER[], \
                                  $6::INTEGER[], $7::TEXT[], $8::BIGINT[]) \
             ON CONFLICT DO NOTHING RETURNING id, campaign_id, voter_id, day, day_slot",
        )
        .bind(col(|r| r.campaign.0))
        .bind(col(|r| r.voter.0))
        .bind(col(|r| r.nominee.0))
        .bind(small(|r| r.day))
        .bind(small(|r| i32::from(r.slots.day_slot)))
        .bind(small(|r| i32::from(r.slots.nominee_slot)))
        .bind(&channels)
        .bind(col(|r| r.cast_at_ms))
        .fetch_all(&mut **tx)
        .await?;
        // The returned rows come in no promised order; a voter-day slot names each.
        let by_slot: HashMap<(i64, i64, i32, i32), i64> = inserted
            .into_iter()
            .map(|(id, campaign, voter, day, slot)| ((campaign, voter, day, slot), id))
            .collect();
        Ok(rows
            .iter()
            .map(|r| {
                by_slot
                    .get(&(r.campaign.0, r.voter.0, r.day, i32::from(r.slots.day_slot)))
                    .copied()
            })
            .collect())
    }

    async fn save_outcomes(tx: &mut Tx, saved: &[SavedOutcome]) -> StoreResult<()> {
        let voters: Vec<i64> = saved.iter().map(|s| s.voter.0).collect();
        let keys: Vec<&str> = saved.iter().map(|s| s.key.as_str()).collect();
        let outcomes: Vec<&str> = saved.iter().map(|s| s.outcome.as_str()).collect();
        let at: Vec<i64> = saved.iter().map(|s| s.at_ms).collect();
        sqlx::query(
            "INSERT INTO vote_requests (voter_id, request_key, outcome, created_at_ms) \
             SELECT * FROM unnest($1::BIGINT[], $2::TEXT[], $3::TEXT[], $4::BIGINT[])",
        )
        .bind(&voters)
        .bind(&keys)
        .bind(&outcomes)
        .bind(&at)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Serialises audit appends across instances: each entry names the one before it.
    async fn lock_audit(tx: &mut Tx) -> StoreResult<()> {
        const AUDIT_LOCK: i64 = 0x414c_4c45_5941_5544; // "ALLEYAUD"
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(AUDIT_LOCK)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Serialises SMS-code decisions across instances, so no race can slip
    /// past a cooldown or a cap. Codes are rare next to votes; one lock is enough.
    async fn lock_sms(tx: &mut Tx) -> StoreResult<()> {
        const SMS_LOCK: i64 = 0x414c_4c45_5953_4d53; // "ALLEYSMS"
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(SMS_LOCK)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }
}

impl_store!(PostgresStore, BackendKind::Postgres);
