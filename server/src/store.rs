//! Opening the database: its URL, its settings, and [`connect`], which
//! answers a [`Store`] — every capability's storage slice, as
//! `capabilities.rs` lists them. It sits above the capabilities, which know
//! only their own slice and the [`crate::storage`] floor.

use std::path::PathBuf;
use std::sync::Arc;

use crate::audit::AuditKey;
use crate::keys::{redact_url, Secret};
use crate::storage::{PostgresStore, SqliteStore, StoreResult};

pub use crate::storage::{BackendKind, StoreError};

pub use crate::capabilities::{prelude, Store};

/// PostgreSQL connections one instance holds at most, unless configured.
pub const DEFAULT_POOL: u32 = 32;

/// How a store is opened besides its address.
#[derive(Debug, Clone)]
pub struct StoreSettings {
    /// At most this many PostgreSQL connections (`ALLEYVOTE_DB_POOL`): the
    /// instances together must stay under the server's `max_connections`.
    pub pool: u32,
    /// The audit chain's key (never stored in the database).
    pub audit_key: AuditKey,
    /// The database's clock as votes are decided by it (the system's).
    pub clock: crate::clock::Clock,
}

/// Where the votes live, chosen by the URL's scheme.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(Secret),
}

impl DatabaseUrl {
    /// Why a URL was refused, as a sentence.
    pub fn parse(url: &str) -> Result<Self, &'static str> {
        if let Some(rest) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            let path = rest.split('?').next().unwrap_or(rest);
            if path.is_empty() {
                return Err("sqlite URL without a file path");
            }
            Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DatabaseUrl::Postgres(Secret::new(url)))
        } else {
            Err("must start with sqlite:// or postgres://")
        }
    }

    /// The URL with any password replaced by `***`, safe to print.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
            DatabaseUrl::Postgres(s) => redact_url(s.expose()),
        }
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// Opens the database named by the URL and brings its schema up to date.
pub async fn connect(url: &DatabaseUrl, settings: &StoreSettings) -> StoreResult<Arc<dyn Store>> {
    let key = settings.audit_key.clone();
    match url {
        DatabaseUrl::Sqlite(path) => Ok(Arc::new(
            SqliteStore::open(path, key)
                .await?
                .with_clock(settings.clock),
        )),
        DatabaseUrl::Postgres(url) => Ok(Arc::new(
            PostgresStore::open(url.expose(), settings.pool, key)
                .await?
                .with_clock(settings.clock),
        )),
    }
}
