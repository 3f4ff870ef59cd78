//! The campaign settings page's port. It checks the session and the role itself.

use std::sync::Arc;

use alleyvote_domain::organizer::Console;

use super::model::CampaignEditData;
use crate::port::Unavailable;

#[async_trait::async_trait]
pub trait CampaignsBackend: Send + Sync + 'static {
    /// The campaign `slug` names, or the one the public pages show.
    async fn console_campaign(
        &self,
        token: Option<String>,
        slug: Option<String>,
    ) -> Result<Console<CampaignEditData>, Unavailable>;
}

pub type SharedCampaigns = Arc<dyn CampaignsBackend>;
