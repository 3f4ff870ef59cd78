//! SQLite: the embedded default. One file under `data/`, WAL so readers never
//! wait for the writer, `synchronous = FULL` so an acknowledged vote survives
//! a power cut, and a single writer connection so write transactions never
//! fight over the lock.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool};

use super::{Backend, BackendKind, Lock, StoreResult, Tx};
use crate::keys::AuditKey;

pub struct SqliteStore {
    read: SqlitePool,
    write: SqlitePool,
    audit_key: AuditKey,
    clock: crate::clock::Clock,
}

impl SqliteStore {
    /// The same store, reading the database's clock through `clock`.
    pub fn with_clock(self, clock: crate::clock::Clock) -> Self {
        SqliteStore { clock, ..self }
    }

    pub async fn open(path: &Path, audit_key: AuditKey) -> StoreResult<Self> {
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
        Ok(SqliteStore {
            read,
            write,
            audit_key,
            clock: crate::clock::Clock::SYSTEM,
        })
    }
}

#[async_trait]
impl Backend for SqliteStore {
    type Db = Sqlite;
    const KIND: BackendKind = BackendKind::Sqlite;
    const POSITION_FN: &'static str = "instr";

    fn read(&self) -> &SqlitePool {
        &self.read
    }

    fn audit_key(&self) -> &AuditKey {
        &self.audit_key
    }

    fn clock(&self) -> crate::clock::Clock {
        self.clock
    }

    fn write(&self) -> &SqlitePool {
        &self.write
    }

    fn rows_affected(done: &sqlx::sqlite::SqliteQueryResult) -> u64 {
        done.rows_affected()
    }

    async fn begin(&self) -> StoreResult<Tx<Self>> {
        Ok(self.write.begin().await?)
    }

    /// The single writer connection already serialises every write.
    async fn lock(_tx: &mut Tx<Self>, _lock: Lock<'_>) -> StoreResult<()> {
        Ok(())
    }
}
