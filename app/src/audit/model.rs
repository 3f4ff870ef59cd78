//! What the audit log page shows.

use serde::{Deserialize, Serialize};

use crate::organizers::model::ConsoleMe;

/// One audit entry as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditView {
    pub seq: i64,
    /// Shanghai time, `2026-11-27 21:05:13`.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditData {
    pub who: ConsoleMe,
    pub entries: Vec<AuditView>,
    /// The action filter as given (`nominee.` and the like), empty for all.
    pub action: String,
    /// Only this organizer's entries, if chosen.
    pub actor: Option<i64>,
    /// The organizers to choose from, as (id, username).
    pub actors: Vec<(i64, String)>,
    /// Where the next (older) page starts, if there is one.
    pub older: Option<i64>,
}
