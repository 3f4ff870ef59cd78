//! Server functions of the organizer accounts' pages: thin adapters to the port.

use alleyvote_domain::organizer::Console;
use leptos::prelude::*;

use super::model::OrganizersData;

#[cfg(feature = "ssr")]
fn organizers() -> Result<super::port::SharedOrganizers, ServerFnError> {
    use_context::<super::port::SharedOrganizers>()
        .ok_or_else(|| ServerFnError::new("organizers backend missing from context"))
}

#[server(prefix = "/sfn", endpoint = "console_organizers")]
pub async fn load_console_organizers() -> Result<Console<OrganizersData>, ServerFnError> {
    organizers()?
        .console_organizers(crate::port::organizer_token())
        .await
        .map_err(crate::port::unavailable)
}
