//! What the console's nominee list and a nominee's edit page show.

use alleyvote_domain::{CommunityId, NomineeId};
use serde::{Deserialize, Serialize};

use crate::organizers::model::ConsoleMe;
use crate::places::model::CommunityChoice;

/// A nominee in the console's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NomineeAdminRow {
    pub id: NomineeId,
    pub number: u16,
    pub name: String,
    /// `定海路街道 · 和润苑`
    pub place: String,
    pub active: bool,
    pub photo_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NomineesAdminData {
    pub who: ConsoleMe,
    /// `None` before any campaign is set up.
    pub campaign: Option<String>,
    pub nominees: Vec<NomineeAdminRow>,
    pub communities: Vec<CommunityChoice>,
    /// The first free number, offered for a new nominee.
    pub next_number: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NomineeEditData {
    pub who: ConsoleMe,
    pub id: NomineeId,
    pub number: u16,
    pub name: String,
    pub community: CommunityId,
    pub story: String,
    pub active: bool,
    pub photo_url: Option<String>,
    pub communities: Vec<CommunityChoice>,
}
