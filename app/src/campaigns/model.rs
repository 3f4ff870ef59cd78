//! What the campaign settings page shows.

use alleyvote_domain::Campaign;
use serde::{Deserialize, Serialize};

use crate::organizers::model::ConsoleMe;

/// The campaign form: the campaign as it stands (`None` before any is set up).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignEditData {
    pub who: ConsoleMe,
    pub campaign: Option<Campaign>,
    /// Every campaign, as (slug, Chinese title), newest first.
    pub campaigns: Vec<(String, String)>,
}
