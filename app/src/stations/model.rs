//! A polling station as the accounts page lists it.

use alleyvote_domain::organizer::OrganizerId;
use alleyvote_domain::StationId;
use serde::{Deserialize, Serialize};

/// A polling station and the ids of the organizers who operate it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationView {
    pub id: StationId,
    pub name: String,
    pub operators: Vec<OrganizerId>,
}
