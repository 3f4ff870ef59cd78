//! SQLite: the embedded default. One file under `data/`, WAL so readers never
//! wait for the writer, `synchronous = FULL` so an acknowledged vote survives
//! a power cut, and a single writer connection so write transactions never
//! fight over the lock.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use alleyvote_domain::VoterId;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

use super::shared::impl_store;
use super::{BackendKind, StoreResult};

pub struct SqliteStore {
    read: SqlitePool,
    write: SqlitePool,
}

impl SqliteStore {
    const NOMINEE_FILTER: &'static str = " AND ($2 IS NULL OR c.street_id = $2) \
         AND ($3 IS NULL OR n.number = $3) AND ($4 IS NULL OR instr(n.name, $4) > 0)";

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

    async fn begin_vote(&self) -> StoreResult<Transaction<'static, Sqlite>> {
        Ok(self.write.begin().await?)
    }

    /// The single writer connection already serialises every vote.
    async fn lock_voter(
        _tx: &mut Transaction<'static, Sqlite>,
        _voter: VoterId,
    ) -> StoreResult<()> {
        Ok(())
    }

    /// Likewise for SMS codes.
    async fn lock_sms(_tx: &mut Transaction<'static, Sqlite>) -> StoreResult<()> {
        Ok(())
    }
}

impl_store!(SqliteStore, BackendKind::Sqlite);
