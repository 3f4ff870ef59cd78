//! What the dashboard shows, as the server hands it over.

use alleyvote_domain::dashboard::Hourly;
use alleyvote_domain::{Millis, Phase};
use serde::{Deserialize, Serialize};

use crate::organizers::model::ConsoleMe;

/// A paper sheet waiting for someone: its page, station and label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingSheet {
    pub id: i64,
    pub station: String,
    pub label: String,
}

/// The campaign's week at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub title_zh: String,
    pub title_en: String,
    pub phase: Phase,
    /// The next phase and when it begins, if one is still to come.
    pub next: Option<(Phase, Millis)>,
    pub hourly: Hourly,
    pub stations_total: u32,
    /// The stations not reported yet (a sheet missing or not definitive).
    pub stations_waiting: Vec<String>,
    /// Sheets whose two entries differ: a coordinator decides.
    pub sheets_to_decide: Vec<WaitingSheet>,
    /// Nominations submitted and not yet decided.
    pub nominations_to_review: u32,
    /// Sign-in codes the SMS gateway could not deliver today (Shanghai).
    pub sms_failed_today: u32,
    /// The latest of them, newest first (at most a few).
    pub sms_failures: Vec<SmsFailureView>,
    pub as_of: Millis,
}

/// A sign-in code the gateway did not deliver: when, to which (masked)
/// number, and the gateway's reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsFailureView {
    pub at: Millis,
    pub number: String,
    pub reason: String,
}

/// `/console`: who is signed in, the overview (none before a campaign
/// exists) and the audit log's length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardData {
    pub who: ConsoleMe,
    pub overview: Option<Overview>,
    pub audit_entries: i64,
}
