//! Server functions of the screen pages: thin adapters to the port.

use alleyvote_domain::screen::{Channel, ScreenView};
use leptos::prelude::*;

use super::model::ScreenPanelData;
use alleyvote_domain::organizer::Console;

#[cfg(feature = "ssr")]
fn screens() -> Result<super::port::SharedScreen, ServerFnError> {
    use_context::<super::port::SharedScreen>()
        .ok_or_else(|| ServerFnError::new("screen backend missing from context"))
}

#[server(prefix = "/sfn", endpoint = "screen")]
pub async fn load_screen(channel: Channel) -> Result<Console<Option<ScreenView>>, ServerFnError> {
    screens()?
        .screen(channel, crate::port::organizer_token())
        .await
        .map_err(crate::port::unavailable)
}

#[server(prefix = "/sfn", endpoint = "console_screen")]
pub async fn load_screen_panel(
    channel: Channel,
) -> Result<Console<Option<ScreenPanelData>>, ServerFnError> {
    screens()?
        .screen_panel(crate::port::organizer_token(), channel)
        .await
        .map_err(crate::port::unavailable)
}
