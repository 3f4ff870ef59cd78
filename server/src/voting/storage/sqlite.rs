//! The batch statements on SQLite: loops of prepared statements. SQLite runs
//! in process, so a statement per row costs microseconds and no round trip.

use std::collections::HashMap;

use alleyvote_domain::Millis;
use async_trait::async_trait;

use super::{held_vote, BatchSql};
use crate::storage::{SqliteStore, StoreResult, Tx};
use crate::voting::batch::{DayKey, HeldVote, RequestId, SavedAnswer, SavedOutcome, VoteRow};

const SAVED_OUTCOME: &str = "SELECT fingerprint, day, outcome FROM vote_requests \
     WHERE voter_id = $1 AND campaign_id = $2 AND request_key = $3";

/// One voter-day's stored votes.
const HELD_VOTES: &str = "SELECT nominee_id, day_slot, nominee_slot FROM votes \
     WHERE campaign_id = $1 AND voter_id = $2 AND day = $3";

const INSERT_VOTE: &str = "INSERT INTO votes \
     (campaign_id, voter_id, nominee_id, day, day_slot, nominee_slot, channel, cast_at_ms) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id";

const SAVE_OUTCOME: &str = "INSERT INTO vote_requests \
     (voter_id, campaign_id, request_key, fingerprint, day, outcome, created_at_ms) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) \
     ON CONFLICT (voter_id, campaign_id, request_key) DO UPDATE SET \
       fingerprint = excluded.fingerprint, day = excluded.day, \
       outcome = excluded.outcome, created_at_ms = excluded.created_at_ms";

#[async_trait]
impl BatchSql for SqliteStore {
    /// SQLite lives in this process: its clock is this machine's, and one
    /// process writes the file, so there is only one clock to begin with.
    async fn database_now(_tx: &mut Tx<Self>) -> StoreResult<Millis> {
        Ok(Millis::now())
    }

    async fn saved_outcomes(
        tx: &mut Tx<Self>,
        keys: &[RequestId],
    ) -> StoreResult<HashMap<RequestId, SavedAnswer>> {
        let mut saved = HashMap::new();
        for id in keys {
            let (voter, campaign, key) = id;
            let row: Option<(String, i32, String)> = sqlx::query_as(SAVED_OUTCOME)
                .bind(voter.0)
                .bind(campaign.0)
                .bind(key)
                .fetch_optional(&mut **tx)
                .await?;
            if let Some((fingerprint, day, outcome)) = row {
                let answer = SavedAnswer {
                    fingerprint,
                    day,
                    outcome,
                };
                saved.insert(id.clone(), answer);
            }
        }
        Ok(saved)
    }

    async fn held_votes(tx: &mut Tx<Self>, days: &[DayKey]) -> StoreResult<Vec<HeldVote>> {
        let mut held = Vec::new();
        for &(campaign, voter, day) in days {
            let rows: Vec<(i64, i32, i32)> = sqlx::query_as(HELD_VOTES)
                .bind(campaign.0)
                .bind(voter.0)
                .bind(day)
                .fetch_all(&mut **tx)
                .await?;
            for (nominee, day_slot, nominee_slot) in rows {
                held.push(held_vote(
                    (campaign.0, voter.0, day),
                    nominee,
                    day_slot,
                    nominee_slot,
                )?);
            }
        }
        Ok(held)
    }

    async fn insert_votes(tx: &mut Tx<Self>, rows: &[VoteRow]) -> StoreResult<Vec<Option<i64>>> {
        let mut ids = Vec::with_capacity(rows.len());
        for r in rows {
            let id: Option<i64> = sqlx::query_scalar(INSERT_VOTE)
                .bind(r.campaign.0)
                .bind(r.voter.0)
                .bind(r.nominee.0)
                .bind(r.day)
                .bind(i32::from(r.slots.day_slot))
                .bind(i32::from(r.slots.nominee_slot))
                .bind(r.channel.as_str())
                .bind(r.cast_at_ms)
                .fetch_optional(&mut **tx)
                .await?;
            ids.push(id);
        }
        Ok(ids)
    }

    async fn save_outcomes(tx: &mut Tx<Self>, saved: &[SavedOutcome]) -> StoreResult<()> {
        for s in saved {
            sqlx::query(SAVE_OUTCOME)
                .bind(s.voter.0)
                .bind(s.campaign.0)
                .bind(&s.key)
                .bind(&s.fingerprint)
                .bind(s.day)
                .bind(&s.outcome)
                .bind(s.at_ms)
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }
}
