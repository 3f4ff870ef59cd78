//! The campaign settings page's port: the campaign a slug names (or the
//! one the public pages show), and every campaign to choose from.

use std::sync::Arc;

use alleyvote_domain::organizer::{Action, Console};
use app::campaigns::model::CampaignEditData;
use app::campaigns::port::CampaignsBackend;
use app::port::Unavailable;

use super::storage::CampaignStorage;
use super::Campaigns;
use crate::organizers::pages::{me_of, unavailable, with_access, PageAccess};

/// The campaign settings page's port, as the server answers it.
pub struct CampaignPages<S: ?Sized> {
    pub access: PageAccess,
    pub campaigns: Arc<Campaigns>,
    /// The storage slice the page reads beside the use case.
    pub store: Arc<S>,
}

#[async_trait::async_trait]
impl<S> CampaignsBackend for CampaignPages<S>
where
    S: CampaignStorage + ?Sized + 'static,
{
    async fn console_campaign(
        &self,
        token: Option<String>,
        slug: Option<String>,
    ) -> Result<Console<CampaignEditData>, Unavailable> {
        let all = self.store.campaigns().await.map_err(unavailable)?;
        let campaign = match slug {
            Some(slug) => all.iter().find(|c| c.slug == slug).cloned(),
            None => self.campaigns.current().await.map_err(unavailable)?,
        };
        with_access!(self.access, token, Action::EditCampaign, |session| {
            CampaignEditData {
                who: me_of(&session),
                campaign,
                campaigns: all
                    .iter()
                    .map(|c| (c.slug.clone(), c.title_zh.clone()))
                    .collect(),
            }
        })
    }
}
