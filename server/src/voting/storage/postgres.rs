//! The batch statements on PostgreSQL: one set-based statement each
//! (`unnest` over arrays), so a batch of hundreds costs a few round trips.

use std::collections::HashMap;

use alleyvote_domain::{CampaignId, Millis, VoterId};
use async_trait::async_trait;

use super::{held_vote, BatchSql};
use crate::storage::{PostgresStore, StoreResult, Tx};
use crate::voting::batch::{DayKey, HeldVote, RequestId, SavedAnswer, SavedOutcome, VoteRow};

#[async_trait]
impl BatchSql for PostgresStore {
    async fn database_now(tx: &mut Tx<Self>) -> StoreResult<Millis> {
        let ms: i64 =
            sqlx::query_scalar("SELECT (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT")
                .fetch_one(&mut **tx)
                .await?;
        Ok(Millis(ms))
    }

    async fn saved_outcomes(
        tx: &mut Tx<Self>,
        keys: &[RequestId],
    ) -> StoreResult<HashMap<RequestId, SavedAnswer>> {
        let voters: Vec<i64> = keys.iter().map(|(v, _, _)| v.0).collect();
        let campaigns: Vec<i64> = keys.iter().map(|(_, c, _)| c.0).collect();
        let names: Vec<&str> = keys.iter().map(|(_, _, k)| k.as_str()).collect();
        let rows: Vec<(i64, i64, String, String, i32, String)> = sqlx::query_as(
            "SELECT r.voter_id, r.campaign_id, r.request_key, r.fingerprint, r.day, r.outcome \
             FROM vote_requests r \
             JOIN unnest($1::BIGINT[], $2::BIGINT[], $3::TEXT[]) AS k(voter_id, campaign_id, request_key) \
             USING (voter_id, campaign_id, request_key)",
        )
        .bind(&voters)
        .bind(&campaigns)
        .bind(&names)
        .fetch_all(&mut **tx)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(v, c, k, fingerprint, day, outcome)| {
                let answer = SavedAnswer {
                    fingerprint,
                    day,
                    outcome,
                };
                ((VoterId(v), CampaignId(c), k), answer)
            })
            .collect())
    }

    async fn held_votes(tx: &mut Tx<Self>, days: &[DayKey]) -> StoreResult<Vec<HeldVote>> {
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

    async fn insert_votes(tx: &mut Tx<Self>, rows: &[VoteRow]) -> StoreResult<Vec<Option<i64>>> {
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

    async fn save_outcomes(tx: &mut Tx<Self>, saved: &[SavedOutcome]) -> StoreResult<()> {
        let voters: Vec<i64> = saved.iter().map(|s| s.voter.0).collect();
        let campaigns: Vec<i64> = saved.iter().map(|s| s.campaign.0).collect();
        let keys: Vec<&str> = saved.iter().map(|s| s.key.as_str()).collect();
        let prints: Vec<&str> = saved.iter().map(|s| s.fingerprint.as_str()).collect();
        let days: Vec<i32> = saved.iter().map(|s| s.day).collect();
        let outcomes: Vec<&str> = saved.iter().map(|s| s.outcome.as_str()).collect();
        let at: Vec<i64> = saved.iter().map(|s| s.at_ms).collect();
        sqlx::query(
            "INSERT INTO vote_requests \
               (voter_id, campaign_id, request_key, fingerprint, day, outcome, created_at_ms) \
             SELECT * FROM unnest($1::BIGINT[], $2::BIGINT[], $3::TEXT[], $4::TEXT[], \
                                  $5::INTEGER[], $6::TEXT[], $7::BIGINT[]) \
             ON CONFLICT (voter_id, campaign_id, request_key) DO UPDATE SET \
               fingerprint = excluded.fingerprint, day = excluded.day, \
               outcome = excluded.outcome, created_at_ms = excluded.created_at_ms",
        )
        .bind(&voters)
        .bind(&campaigns)
        .bind(&keys)
        .bind(&prints)
        .bind(&days)
        .bind(&outcomes)
        .bind(&at)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}
