//! Server functions of the campaign settings page: thin adapters to the port.

use alleyvote_domain::organizer::Console;
use leptos::prelude::*;

use super::model::CampaignEditData;

#[server(prefix = "/sfn", endpoint = "console_campaign")]
pub async fn load_console_campaign(
    slug: Option<String>,
) -> Result<Console<CampaignEditData>, ServerFnError> {
    use_context::<super::port::SharedCampaigns>()
        .ok_or_else(|| ServerFnError::new("campaigns backend missing from context"))?
        .console_campaign(crate::port::organizer_token(), slug)
        .await
        .map_err(crate::port::unavailable)
}
