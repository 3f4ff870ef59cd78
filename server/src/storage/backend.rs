//! The small interface that is all that differs between SQLite and
//! PostgreSQL outside the vote batch: the pools, how a transaction takes a
//! lock, and one string function. Everything else is SQL text both accept
//! (`$n` placeholders, `ON CONFLICT … RETURNING`, `CAST(… AS …)`).

use alleyvote_domain::{CampaignId, VoterId};
use async_trait::async_trait;
use sqlx::{Database, Encode, Executor, FromRow, IntoArguments, Pool, Transaction, Type};

use super::StoreResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

impl BackendKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BackendKind::Sqlite => "sqlite",
            BackendKind::Postgres => "postgres",
        }
    }
}

/// What a write transaction may need to hold until it ends, so that writers
/// on other instances wait instead of racing.
#[derive(Debug, Clone, Copy)]
pub enum Lock<'a> {
    /// Appending to the audit chain: each entry names the one before it.
    Audit,
    /// Deciding whether an SMS code may be sent to or redeemed for a number
    /// (its keyed hash).
    Number(&'a [u8; 32]),
    /// Counting the codes asked for from an address (its keyed hash).
    Address(&'a [u8; 32]),
    /// Counting a console login's earlier failures and recording it.
    Logins,
    /// Changing an organizer's role: the administrators are counted after.
    Accounts,
    /// A batch's voters, in id order (the caller sorts them).
    Voters(&'a [VoterId]),
    /// Every running tally, against writers: a freeze copies them.
    Tallies,
    /// A campaign's publication stage: a change of stage (or a lot) holds
    /// it while it decides, and so does every write the stage may forbid,
    /// so neither decides on a stage the other is changing. Taken first.
    Stage(CampaignId),
}

/// A write transaction on a backend.
pub type Tx<B> = Transaction<'static, <B as Backend>::Db>;

#[async_trait]
pub trait Backend: Send + Sync + 'static {
    type Db: sqlx::Database;
    const KIND: BackendKind;
    /// The function that finds a substring: `f(haystack, needle) > 0` when found.
    const POSITION_FN: &'static str;

    /// Reads: on SQLite a pool of read-only connections beside the writer.
    fn read(&self) -> &Pool<Self::Db>;
    /// The key of the audit log's hash chain.
    fn audit_key(&self) -> &crate::keys::AuditKey;
    /// The clock votes are decided by, as this store reads the database's
    /// (the system's; a test may skew it).
    fn clock(&self) -> crate::clock::Clock;

    /// Writes: on SQLite its single writer connection.
    fn write(&self) -> &Pool<Self::Db>;

    /// How many rows a statement changed (an inherent method on each
    /// backend's result, not a trait one).
    fn rows_affected(done: &<Self::Db as Database>::QueryResult) -> u64;

    /// Opens a write transaction.
    async fn begin(&self) -> StoreResult<Tx<Self>>;

    /// Holds `lock` until the transaction ends. SQLite's single writer
    /// connection already serialises every write, so there it does nothing.
    async fn lock(tx: &mut Tx<Self>, lock: Lock<'_>) -> StoreResult<()>;
}

/// What every backend offers whichever capabilities run on it.
#[async_trait]
pub trait Installation: Send + Sync {
    fn kind(&self) -> BackendKind;

    /// A cheap round trip, for health checks.
    async fn ping(&self) -> StoreResult<()>;

    /// This database's installation key: `fresh` if none was chosen yet,
    /// else the one chosen first (by whichever instance started first).
    async fn installation_key(&self, fresh: &str) -> StoreResult<String>;
}

const CLAIM_INSTALLATION_KEY: &str =
    "INSERT INTO installation (id, key) VALUES (1, $1) ON CONFLICT (id) DO NOTHING";

const INSTALLATION_KEY: &str = "SELECT key FROM installation WHERE id = 1";

#[async_trait]
impl<B> Installation for B
where
    B: Backend,
    for<'c> &'c mut <B::Db as Database>::Connection: Executor<'c, Database = B::Db>,
    for<'q> <B::Db as Database>::Arguments<'q>: IntoArguments<'q, B::Db>,
    for<'q> &'q str: Encode<'q, B::Db> + Type<B::Db>,
    for<'r> (String,): FromRow<'r, <B::Db as Database>::Row>,
{
    fn kind(&self) -> BackendKind {
        B::KIND
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(self.read()).await?;
        Ok(())
    }

    async fn installation_key(&self, fresh: &str) -> StoreResult<String> {
        sqlx::query(CLAIM_INSTALLATION_KEY)
            .bind(fresh)
            .execute(self.write())
            .await?;
        Ok(sqlx::query_scalar(INSTALLATION_KEY)
            .fetch_one(self.write())
            .await?)
    }
}
