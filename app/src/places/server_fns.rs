//! Server functions of the streets-and-communities page: thin adapters to the port.

use alleyvote_domain::organizer::Console;
use leptos::prelude::*;

use super::model::PlacesData;

#[server(prefix = "/sfn", endpoint = "console_places")]
pub async fn load_console_places() -> Result<Console<PlacesData>, ServerFnError> {
    use_context::<super::port::SharedPlaces>()
        .ok_or_else(|| ServerFnError::new("places backend missing from context"))?
        .console_places(crate::port::organizer_token())
        .await
        .map_err(crate::port::unavailable)
}
