//! The audit log's storage: appending inside an action's own transaction,
//! listing and reading the whole chain.

use alleyvote_domain::organizer::OrganizerId;
use alleyvote_domain::Millis;
use async_trait::async_trait;

use super::{chain_hash, AuditRecord, NewAuditEntry, GENESIS};
use crate::storage::rows::hash32;
use crate::storage::{Backend, Lock, PostgresStore, SqliteStore, StoreResult, Tx};

/// An audit entry as stored, with the hashes that chain it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAudit {
    pub record: AuditRecord,
    pub prev_hash: [u8; 32],
    pub hash: [u8; 32],
    /// Whether `hash` is keyed (entries from before the key are not).
    pub keyed: bool,
}

impl StoredAudit {
    /// The entry as the verifier reads it.
    pub fn link(self) -> super::chain::Link {
        (self.record, self.prev_hash, self.hash, self.keyed)
    }
}

/// Which audit entries to list, newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Entries whose action starts with this, e.g. `nominee.`.
    pub action_prefix: Option<String>,
    pub actor: Option<OrganizerId>,
    /// Only entries numbered below this (paging back).
    pub before_seq: Option<i64>,
    /// Only entries made in `[from, until)` (a Shanghai day on the page).
    pub from: Option<Millis>,
    pub until: Option<Millis>,
    pub limit: u32,
}

#[async_trait]
pub trait AuditStorage: Send + Sync {
    /// Appends an entry on its own; returns its number.
    async fn append_audit(&self, entry: &NewAuditEntry, now: Millis) -> StoreResult<i64>;
    /// Entries by a filter, newest first.
    async fn audit_entries(&self, filter: &AuditFilter) -> StoreResult<Vec<StoredAudit>>;
    /// The whole log in order, for the verifier.
    async fn audit_chain(&self) -> StoreResult<Vec<StoredAudit>>;
}

/// How every audited action ends: its entry is appended in the action's own
/// transaction, so the two commit together or not at all.
#[async_trait]
pub trait AuditedWrite: Backend {
    async fn append_in(
        &self,
        tx: &mut Tx<Self>,
        entry: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<i64>;

    /// Appends `entry` and commits.
    async fn commit_audited(
        &self,
        mut tx: Tx<Self>,
        entry: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<i64>;
}

const AUDIT_HEAD: &str = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";

/// New entries are always keyed (see `chain.rs`).
const INSERT_AUDIT: &str = "INSERT INTO audit_log \
     (seq, at_ms, actor_id, actor_name, action, subject, before_json, after_json, prev_hash, hash, keyed) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, TRUE)";

const AUDIT_COLUMNS: &str = "SELECT seq, at_ms, actor_id, actor_name, action, subject, \
     before_json, after_json, prev_hash, hash, keyed FROM audit_log";

const AUDIT_FILTER: &str = " WHERE (CAST($1 AS TEXT) IS NULL \
         OR substr(action, 1, length(CAST($1 AS TEXT))) = CAST($1 AS TEXT)) \
     AND (CAST($2 AS BIGINT) IS NULL OR actor_id = $2) \
     AND (CAST($3 AS BIGINT) IS NULL OR seq < $3) \
     AND (CAST($4 AS BIGINT) IS NULL OR at_ms >= $4) \
     AND (CAST($5 AS BIGINT) IS NULL OR at_ms < $5)";

#[derive(sqlx::FromRow)]
struct AuditRow {
    seq: i64,
    at_ms: i64,
    actor_id: Option<i64>,
    actor_name: String,
    action: String,
    subject: String,
    before_json: Option<String>,
    after_json: Option<String>,
    prev_hash: Vec<u8>,
    hash: Vec<u8>,
    keyed: bool,
}

impl AuditRow {
    fn into_stored(self) -> StoreResult<StoredAudit> {
        Ok(StoredAudit {
            prev_hash: hash32(&self.prev_hash)?,
            hash: hash32(&self.hash)?,
            keyed: self.keyed,
            record: AuditRecord {
                seq: self.seq,
                at: Millis(self.at_ms),
                actor: self.actor_id.map(OrganizerId),
                actor_name: self.actor_name,
                action: self.action,
                subject: self.subject,
                before: self.before_json,
                after: self.after_json,
            },
        })
    }
}

// A macro, not a generic impl: generic over sqlx's `Database` this slice would
// need the executor and arguments bounds plus one for each type bound into or
// decoded from its queries (at least 3 row types here); the macro is shorter
// (two traits: the bounds twice). See `crate::storage`.
macro_rules! audit_storage {
    ($backend:ty) => {
        #[async_trait]
        impl AuditedWrite for $backend {
            async fn append_in(
                &self,
                tx: &mut Tx<Self>,
                entry: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<i64> {
                Self::lock(tx, Lock::Audit).await?;
                let head: Option<(i64, Vec<u8>)> =
                    sqlx::query_as(AUDIT_HEAD).fetch_optional(&mut **tx).await?;
                let (seq, prev) = match head {
                    None => (1, GENESIS),
                    Some((seq, hash)) => (seq + 1, hash32(&hash)?),
                };
                let record = entry.record(seq, now);
                let hash = chain_hash(Some(self.audit_key()), &prev, &record);
                sqlx::query(INSERT_AUDIT)
                    .bind(seq)
                    .bind(now.0)
                    .bind(record.actor.map(|a| a.0))
                    .bind(&record.actor_name)
                    .bind(&record.action)
                    .bind(&record.subject)
                    .bind(record.before.as_deref())
                    .bind(record.after.as_deref())
                    .bind(&prev[..])
                    .bind(&hash[..])
                    .execute(&mut **tx)
                    .await?;
                Ok(seq)
            }

            async fn commit_audited(
                &self,
                mut tx: Tx<Self>,
                entry: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<i64> {
                let seq = self.append_in(&mut tx, entry, now).await?;
                tx.commit().await?;
                Ok(seq)
            }
        }

        #[async_trait]
        impl AuditStorage for $backend {
            async fn append_audit(&self, entry: &NewAuditEntry, now: Millis) -> StoreResult<i64> {
                let tx = self.begin().await?;
                self.commit_audited(tx, entry, now).await
            }

            async fn audit_entries(&self, f: &AuditFilter) -> StoreResult<Vec<StoredAudit>> {
                let sql = format!("{AUDIT_COLUMNS}{AUDIT_FILTER} ORDER BY seq DESC LIMIT $6");
                let rows = sqlx::query_as::<_, AuditRow>(&sql)
                    .bind(f.action_prefix.as_deref())
                    .bind(f.actor.map(|a| a.0))
                    .bind(f.before_seq)
                    .bind(f.from.map(|m| m.0))
                    .bind(f.until.map(|m| m.0))
                    .bind(i64::from(f.limit.clamp(1, 10_000)))
                    .fetch_all(self.read())
                    .await?;
                rows.into_iter().map(AuditRow::into_stored).collect()
            }

            async fn audit_chain(&self) -> StoreResult<Vec<StoredAudit>> {
                let sql = format!("{AUDIT_COLUMNS} ORDER BY seq");
                let rows = sqlx::query_as::<_, AuditRow>(&sql)
                    .fetch_all(self.read())
                    .await?;
                rows.into_iter().map(AuditRow::into_stored).collect()
            }
        }
    };
}

audit_storage!(SqliteStore);
audit_storage!(PostgresStore);
