//! The whole storage interface, put together from every capability's slice.
//! It sits above the capabilities (which know only their own slice and the
//! [`crate::storage`] floor): a new capability adds its trait here, beside
//! its migrations and the line that mounts its routes.

use std::path::PathBuf;
use std::sync::Arc;

use crate::audit::AuditKey;
use crate::keys::{redact_url, Secret};
use crate::storage::{PostgresStore, SqliteStore, StoreResult};

pub use crate::storage::{BackendKind, StoreError};

/// Every slice, for `use alleyvote::store::prelude::*`.
pub mod prelude {
    pub use crate::audit::storage::AuditStorage;
    pub use crate::campaigns::storage::CampaignStorage;
    pub use crate::jury::storage::JuryStorage;
    pub use crate::nominations::storage::NominationStorage;
    pub use crate::nominees::storage::NomineeStorage;
    pub use crate::organizers::storage::OrganizerStorage;
    pub use crate::paper::storage::PaperStorage;
    pub use crate::places::storage::PlaceStorage;
    pub use crate::publication::storage::PublicationStorage;
    pub use crate::results::storage::ResultsStorage;
    pub use crate::retention::storage::RetentionStorage;
    pub use crate::screen::storage::ScreenStorage;
    pub use crate::signin::storage::SigninStorage;
    pub use crate::stations::storage::StationStorage;
    pub use crate::storage::Installation;
    pub use crate::voting::storage::VoteStorage;

    pub use super::Store;
}

use prelude::*;

/// A database with every capability's storage.
pub trait Store:
    Installation
    + CampaignStorage
    + PlaceStorage
    + NomineeStorage
    + NominationStorage
    + SigninStorage
    + VoteStorage
    + ResultsStorage
    + OrganizerStorage
    + StationStorage
    + PaperStorage
    + PublicationStorage
    + ScreenStorage
    + JuryStorage
    + AuditStorage
    + RetentionStorage
    + 'static
{
}

impl<T> Store for T where
    T: Installation
        + CampaignStorage
        + PlaceStorage
        + NomineeStorage
        + NominationStorage
        + NominationStorage
        + SigninStorage
        + VoteStorage
        + ResultsStorage
        + OrganizerStorage
        + StationStorage
        + PaperStorage
        + PublicationStorage
        + ScreenStorage
        + JuryStorage
        + PublicationStorage
        + AuditStorage
        + RetentionStorage
        + 'static
{
}

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
