//! PostgreSQL: the scale-out backend shared by any number of instances.

use std::time::Duration;

use alleyvote_domain::VoterId;
use sqlx::postgres::PgPoolOptions;
use sqlx::{PgPool, Postgres, Transaction};

use super::shared::impl_store;
use super::{BackendKind, StoreResult};

pub struct PostgresStore {
    read: PgPool,
    write: PgPool,
}

impl PostgresStore {
    const NOMINEE_FILTER: &'static str = " AND ($2::BIGINT IS NULL OR c.street_id = $2) \
         AND ($3::INTEGER IS NULL OR n.number = $3) AND ($4::TEXT IS NULL OR strpos(n.name, $4) > 0)";

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

    async fn begin_vote(&self) -> StoreResult<Transaction<'static, Postgres>> {
        Ok(self.write.begin().await?)
    }

    /// Serialises one voter's concurrent votes, across every instance, on the
    /// voter's row; different voters never wait for each other.
    async fn lock_voter(
        tx: &mut Transaction<'static, Postgres>,
        voter: VoterId,
    ) -> StoreResult<()> {
        sqlx::query("SELECT id FROM voters WHERE id = $1 FOR UPDATE")
            .bind(voter.0)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Serialises SMS-code decisions across instances, so no race can slip
    /// past a cooldown or a cap. Codes are rare next to votes; one lock is enough.
    async fn lock_sms(tx: &mut Transaction<'static, Postgres>) -> StoreResult<()> {
        const SMS_LOCK: i64 = 0x414c_4c45_5953_4d53; // "ALLEYSMS"
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(SMS_LOCK)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }
}

impl_store!(PostgresStore, BackendKind::Postgres);
