//! The screen pages' port: the server implements it over its store.

use std::sync::Arc;

use alleyvote_domain::screen::{Channel, ScreenView};

use super::model::ScreenPanelData;
use crate::port::Unavailable;
use alleyvote_domain::organizer::Console;

#[async_trait::async_trait]
pub trait ScreenBackend: Send + Sync + 'static {
    /// The public screen (anyone; `Console::Open` always), or the rehearsal
    /// screen (a screen operator's session). `None`: no campaign.
    async fn screen(
        &self,
        channel: Channel,
        token: Option<String>,
    ) -> Result<Console<Option<ScreenView>>, Unavailable>;
    async fn screen_panel(
        &self,
        token: Option<String>,
        channel: Channel,
    ) -> Result<Console<Option<ScreenPanelData>>, Unavailable>;
}

pub type SharedScreen = Arc<dyn ScreenBackend>;
