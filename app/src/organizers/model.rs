//! What the console's first page and the accounts page show, and the
//! signed-in organizer every console page carries ([`ConsoleMe`]).

use alleyvote_domain::organizer::OrganizerId;
use serde::{Deserialize, Serialize};

use crate::stations::model::StationView;

/// An organizer account as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizerView {
    pub id: OrganizerId,
    pub username: String,
    pub display_name: String,
    pub role: alleyvote_domain::organizer::Role,
    pub active: bool,
}

/// The signed-in organizer, the CSRF token their forms carry, and what they may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleMe {
    pub me: OrganizerView,
    pub csrf: String,
    pub may: Vec<alleyvote_domain::organizer::Action>,
}

impl ConsoleMe {
    pub fn may(&self, action: alleyvote_domain::organizer::Action) -> bool {
        self.may.contains(&action)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizersData {
    pub who: ConsoleMe,
    pub accounts: Vec<OrganizerView>,
    pub stations: Vec<StationView>,
}
