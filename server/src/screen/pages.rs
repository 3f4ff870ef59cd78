//! The screen pages' port: the public wall for anyone, the rehearsal
//! screen and the panel for a screen operator (or an admin).

use alleyvote_domain::organizer::Action;
use alleyvote_domain::organizer::Console;
use alleyvote_domain::screen::Channel;
use app::port::Unavailable;
use app::screen::model::ScreenPanelData;
use app::screen::port::ScreenBackend;

use crate::organizers::pages::{me_of, unavailable, PageAccess};

/// The screen pages' port, as the server answers it: each method checks
/// the session and the role, then reads what the page shows.
pub struct ScreenPages {
    pub access: PageAccess,
    pub campaigns: std::sync::Arc<crate::campaigns::Campaigns>,
    pub screens: std::sync::Arc<crate::screen::Screens>,
}

#[async_trait::async_trait]
impl ScreenBackend for ScreenPages {
    async fn screen(
        &self,
        channel: Channel,
        token: Option<String>,
    ) -> Result<Console<Option<alleyvote_domain::screen::ScreenView>>, Unavailable> {
        if channel == Channel::Rehearsal {
            if let Err(answer) = self
                .access
                .page_session(token.as_deref(), Action::ControlScreen)
                .await?
            {
                return Ok(answer);
            }
        }
        let Some(campaign) = self.campaigns.current().await.map_err(unavailable)? else {
            return Ok(Console::Open(None));
        };
        let (view, _) = self
            .screens
            .view(&campaign, channel, false)
            .await
            .map_err(unavailable)?;
        Ok(Console::Open(Some(view)))
    }

    async fn screen_panel(
        &self,
        token: Option<String>,
        channel: Channel,
    ) -> Result<Console<Option<ScreenPanelData>>, Unavailable> {
        let session = match self
            .access
            .page_session(token.as_deref(), Action::ControlScreen)
            .await?
        {
            Ok(s) => s,
            Err(answer) => return Ok(answer),
        };
        let Some(campaign) = self.campaigns.current().await.map_err(unavailable)? else {
            return Ok(Console::Open(None));
        };
        let (public, _) = self
            .screens
            .view(&campaign, Channel::Public, true)
            .await
            .map_err(unavailable)?;
        let (rehearsal, _) = self
            .screens
            .view(&campaign, Channel::Rehearsal, true)
            .await
            .map_err(unavailable)?;
        let (public_page, reveal_ready) = self
            .screens
            .readiness(&campaign, channel)
            .await
            .map_err(unavailable)?;
        Ok(Console::Open(Some(ScreenPanelData {
            who: me_of(&session),
            channel,
            public,
            rehearsal,
            public_page,
            reveal_ready,
        })))
    }
}
