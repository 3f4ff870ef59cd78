//! The floor every capability stores through: the two database backends, what
//! differs between them, and the one storage error.
//!
//! Each capability keeps its own slice of the storage interface (a trait in
//! its `storage.rs`, with the SQL both backends run) and implements it for
//! [`SqliteStore`] and [`PostgresStore`]. This module knows no capability;
//! the server's `Store` (capabilities.rs) puts the slices together.
//!
//! One implementation serves both backends, in one of two forms. A generic
//! `impl<B> XStorage for B` names in its `where` clause what its queries need
//! of sqlx: always the executor and arguments bounds, then one bound per type
//! bound into a query or decoded from one. Rust does not carry such bounds
//! from a trait to its users (a `where` clause on a trait is not implied), so
//! they cannot be packaged here once: each impl and each helper function
//! repeats its own. Measured on the first slices converted (lines before →
//! after, macro → generic): retention 61 → 62 (4 bound lines), installation
//! 28 → 28 (5), screen 171 → 174 (7: an optional bind is a bound of its own),
//! jury 189 → 194 (8 on the impl, 5 again on its helper, and the stage guard
//! became `publication::storage::StageGuard`, a trait, so a generic impl can
//! call it). That reads as well: the body is plain code a tool sees, and a
//! mistake is reported once, at its line (a macro reports it once per
//! backend, at the line and at the invocation), naming `<B as Backend>::Db`
//! (the compiler then suggests a new bound, where the fix is usually the
//! type). The `async_trait` futures stayed `Send` with no lifetime ("not
//! general enough") errors. The larger slices keep a `macro_rules!` invoked
//! for [`SqliteStore`] and [`PostgresStore`]: they bind and decode more types
//! (up to 14 row types, besides what they bind) and several have helpers that
//! would repeat the bounds, so the `where` clauses would outgrow the
//! half-dozen lines the macro costs; each such macro says so.
//! [`Backend::rows_affected`] exists for the generic ones (it is not a sqlx
//! trait method).
//!
//! The database is the source of truth for every vote: quota and dedup
//! invariants are enforced by constraints and in one transaction, never only
//! in a cache.

mod backend;
pub mod postgres;
pub mod rows;
pub mod sqlite;

pub use backend::{Backend, BackendKind, Installation, Lock, Tx};
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

/// What went wrong below the domain. Never shown to users as is: the web
/// layer logs it once, with its cause, and answers with a generic sentence.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// A unique name or number is already taken; the capability turns this
    /// into its own typed refusal.
    #[error("{0} is already taken")]
    Duplicate(&'static str),
    /// The campaign's results are published (on notice, or final): the
    /// write was refused inside its transaction, and the attempt recorded.
    /// The capability turns this into its own refusal.
    #[error("the results are published")]
    Published,
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error("the vote writer has stopped")]
    WriterStopped,
    /// The answer took longer than a request may wait (a stalled database,
    /// a held lock, a full queue).
    #[error("no answer within the bound")]
    Busy,
}

pub type StoreResult<T> = Result<T, StoreError>;

impl From<sqlx::Error> for StoreError {
    /// SQLite's "database is locked" (another process holds the write lock)
    /// is the database being busy, as a wait past the bound is: the client
    /// is told to try again, and nothing is logged as a failure.
    fn from(e: sqlx::Error) -> Self {
        let sqlite_busy = e
            .as_database_error()
            .filter(|d| d.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some())
            .and_then(|d| d.code())
            .and_then(|code| code.parse::<u32>().ok())
            .is_some_and(|code| matches!(code & 0xff, 5 | 6));
        if sqlite_busy {
            StoreError::Busy
        } else {
            StoreError::Database(e)
        }
    }
}

/// Compares two hashes in time independent of where they differ.
pub fn same_hash(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
