//! What the audit log page shows.

use serde::{Deserialize, Serialize};

use crate::organizers::model::ConsoleMe;

/// What the log page asks for: a kind of action (a prefix), an organizer,
/// a Shanghai day (`2026-12-07`), and where the page starts (paging back).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    pub action: Option<String>,
    pub actor: Option<i64>,
    pub day: Option<String>,
    pub before: Option<i64>,
}

/// One audit entry as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditView {
    pub seq: i64,
    /// Shanghai time, `2026-11-27 21:05:13`.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    /// The subject by its name ("凤联投票点 · 第1天" for `sheet:12`), when known.
    pub subject_name: Option<String>,
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
    /// Only this day's entries (`2026-12-07`), if chosen.
    pub day: Option<String>,
    /// The organizers to choose from, as (id, username).
    pub actors: Vec<(i64, String)>,
    /// Where the next (older) page starts, if there is one.
    pub older: Option<i64>,
}
