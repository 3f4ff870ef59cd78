//! PostgreSQL: the scale-out backend shared by any number of instances.

use std::time::Duration;

use async_trait::async_trait;
use sqlx::postgres::PgPoolOptions;
use sqlx::{PgPool, Postgres};

use super::{Backend, BackendKind, Lock, StoreResult, Tx};
use crate::keys::AuditKey;

/// The advisory-lock space of voter locks ("AVVL"); voter ids fill the second key.
const VOTER_LOCK_SPACE: i32 = 0x4156_564c;
const AUDIT_LOCK: i64 = 0x414c_4c45_5941_5544; // "ALLEYAUD"
/// Two-key advisory locks: (space, key).
const NUMBER_LOCK_SPACE: i32 = 0x414c_534e; // "ALSN"
const ADDRESS_LOCK_SPACE: i32 = 0x414c_5341; // "ALSA"
const LOGIN_LOCK: i64 = 0x414c_4c45_594c_4f47; // "ALLEYLOG"
const ACCOUNTS_LOCK: i64 = 0x414c_4c45_5941_4343; // "ALLEYACC"
const STAGE_LOCK_SPACE: i32 = 0x414c_5354; // "ALST"

pub struct PostgresStore {
    pool: PgPool,
    audit_key: AuditKey,
    clock: crate::clock::Clock,
}

impl PostgresStore {
    /// The same store, reading the database's clock through `clock`.
    pub fn with_clock(self, clock: crate::clock::Clock) -> Self {
        PostgresStore { clock, ..self }
    }

    pub async fn open(url: &str, max_connections: u32, audit_key: AuditKey) -> StoreResult<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(max_connections.max(2))
            .acquire_timeout(Duration::from_secs(5))
            .connect(url)
            .await?;
        sqlx::migrate!("../migrations/postgres").run(&pool).await?;
        Ok(PostgresStore {
            pool,
            audit_key,
            clock: crate::clock::Clock::SYSTEM,
        })
    }
}

#[async_trait]
impl Backend for PostgresStore {
    type Db = Postgres;
    const KIND: BackendKind = BackendKind::Postgres;
    const POSITION_FN: &'static str = "strpos";

    fn read(&self) -> &PgPool {
        &self.pool
    }

    fn audit_key(&self) -> &AuditKey {
        &self.audit_key
    }

    fn clock(&self) -> crate::clock::Clock {
        self.clock
    }

    fn write(&self) -> &PgPool {
        &self.pool
    }

    fn rows_affected(done: &sqlx::postgres::PgQueryResult) -> u64 {
        done.rows_affected()
    }

    async fn begin(&self) -> StoreResult<Tx<Self>> {
        Ok(self.pool.begin().await?)
    }

    /// Advisory locks, held to the end of the transaction. Voter locks are
    /// keyed by voter id (no row is written, unlike `FOR UPDATE`); a batch
    /// takes them in id order, so two batches never wait in a circle and
    /// different voters never wait for each other at all. SMS decisions and
    /// audit appends each take one lock: they are rare next to votes.
    async fn lock(tx: &mut Tx<Self>, lock: Lock<'_>) -> StoreResult<()> {
        match lock {
            Lock::Voters(voters) => {
                let ids: Vec<i64> = voters.iter().map(|v| v.0).collect();
                sqlx::query(
                    "SELECT pg_advisory_xact_lock($2, (v % 2147483647)::INTEGER) \
                     FROM unnest($1::BIGINT[]) WITH ORDINALITY AS u(v, i) ORDER BY i",
                )
                .bind(&ids)
                .bind(VOTER_LOCK_SPACE)
                .execute(&mut **tx)
                .await?;
            }
            // Writers wait; readers do not. What the transaction reads of
            // the tallies is then exactly what they are when it commits.
            Lock::Tallies => {
                sqlx::query("LOCK TABLE nominee_tallies IN SHARE MODE")
                    .execute(&mut **tx)
                    .await?;
            }
            Lock::Number(hash) | Lock::Address(hash) => {
                let space = if matches!(lock, Lock::Number(_)) {
                    NUMBER_LOCK_SPACE
                } else {
                    ADDRESS_LOCK_SPACE
                };
                // A keyed hash's first four bytes: evenly spread, and a rare
                // collision only makes two numbers queue together.
                let key = i32::from_be_bytes([hash[0], hash[1], hash[2], hash[3]]);
                sqlx::query("SELECT pg_advisory_xact_lock($1, $2)")
                    .bind(space)
                    .bind(key)
                    .execute(&mut **tx)
                    .await?;
            }
            Lock::Stage(campaign) => {
                sqlx::query("SELECT pg_advisory_xact_lock($1, ($2 % 2147483647)::INTEGER)")
                    .bind(STAGE_LOCK_SPACE)
                    .bind(campaign.0)
                    .execute(&mut **tx)
                    .await?;
            }
            Lock::Audit | Lock::Logins | Lock::Accounts => {
                let key = match lock {
                    Lock::Audit => AUDIT_LOCK,
                    Lock::Logins => LOGIN_LOCK,
                    _ => ACCOUNTS_LOCK,
                };
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(key)
                    .execute(&mut **tx)
                    .await?;
            }
        }
        Ok(())
    }
}
