//! SQLite: the embedded default. One file under `data/`, WAL so readers never
//! wait for the writer, `synchronous = FULL` so an acknowledged vote survives
//! a power cut, and a single writer connection so write transactions never
//! fight over the lock.

use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use alleyvote_domain::VoterId;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

use super::batch::{DayKey, HeldVote, SavedOutcome, VoteRow};
use super::rows::held_vote;
use super::shared::{impl_store, Place};
use super::{sql, BackendKind, StoreResult};

type Tx = Transaction<'static, Sqlite>;

pub struct SqliteStore {
    read: SqlitePool,
    write: SqlitePool,
}

impl SqliteStore {
    const NOMINEE_FILTER: &'static str = " AND ($2 IS NULL OR c.street_id = $2) \
         AND ($3 IS NULL OR n.number = $3) AND ($4 IS NULL OR instr(n.name, $4) > 0)";

    const AUDIT_FILTER: &'static str = " WHERE ($1 IS NULL OR substr(action, 1, length($1)) = $1) \
         AND ($2 IS NULL OR actor_id = $2) AND ($3 IS NULL OR seq < $3)";

    pub async fn open(path: &Path) -> StoreResult<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
        }
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("../migrations/sqlite").run(&write).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.read_only(true))
            .await?;
        Ok(SqliteStore { read, write })
    }

    async fn begin_vote(&self) -> StoreResult<Tx> {
        Ok(self.write.begin().await?)
    }

    /// The single writer connection already serialises every vote.
    async fn lock_voters(_tx: &mut Tx, _voters: &[VoterId]) -> StoreResult<()> {
        Ok(())
    }

    // The batch statements below are loops: SQLite runs in process, so a
    // prepared statement per row costs microseconds and no round trip.

    async fn saved_outcomes(
        tx: &mut Tx,
        keys: &[(VoterId, String)],
    ) -> StoreResult<HashMap<(VoterId, String), String>> {
        let mut saved = HashMap::new();
        for (voter, key) in keys {
            let outcome: Option<String> = sqlx::query_scalar(sql::SAVED_OUTCOME)
                .bind(voter.0)
                .bind(key)
                .fetch_optional(&mut **tx)
                .await?;
            if let Some(outcome) = outcome {
                saved.insert((*voter, key.clone()), outcome);
            }
        }
        Ok(saved)
    }

    async fn held_votes(tx: &mut Tx, days: &[DayKey]) -> StoreResult<Vec<HeldVote>> {
        let mut held = Vec::new();
        for &(campaign, voter, day) in days {
            let rows: Vec<(i64, i32, i32)> = sqlx::query_as(sql::HELD_VOTES)
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

    async fn insert_votes(tx: &mut Tx, rows: &[VoteRow]) -> StoreResult<Vec<Option<i64>>> {
        let mut ids = Vec::with_capacity(rows.len());
        for r in rows {
            let id: Option<i64> = sqlx::query_scalar(sql::INSERT_VOTE)
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

    async fn save_outcomes(tx: &mut Tx, saved: &[SavedOutcome]) -> StoreResult<()> {
        for s in saved {
            sqlx::query(sql::SAVE_OUTCOME)
                .bind(s.voter.0)
                .bind(&s.key)
                .bind(&s.outcome)
                .bind(s.at_ms)
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    /// Likewise for the audit log.
    async fn lock_audit(_tx: &mut Tx) -> StoreResult<()> {
        Ok(())
    }

    /// Likewise for SMS codes.
    async fn lock_sms(_tx: &mut Tx) -> StoreResult<()> {
        Ok(())
    }
}

impl_store!(SqliteStore, BackendKind::Sqlite);
