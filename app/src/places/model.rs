//! What the streets-and-communities page shows, and a community as the
//! console's forms offer it.

use alleyvote_domain::{CommunityId, StreetId};
use serde::{Deserialize, Serialize};

use crate::organizers::model::ConsoleMe;

/// A community to choose in a nominee form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityChoice {
    pub id: CommunityId,
    pub label: String,
}

/// A street and its communities, as the console lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreetPlaces {
    pub id: StreetId,
    pub street: String,
    pub street_en: String,
    /// (id, Chinese name, English name)
    pub communities: Vec<(CommunityId, String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacesData {
    pub who: ConsoleMe,
    pub streets: Vec<StreetPlaces>,
}
