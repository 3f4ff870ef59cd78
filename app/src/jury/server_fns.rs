//! Server functions of the jury page: thin adapters to the port.

use leptos::prelude::*;

use super::model::JuryPageData;
use crate::model::Console;

#[server(prefix = "/sfn", endpoint = "console_jury")]
pub async fn load_jury_page() -> Result<Console<Option<JuryPageData>>, ServerFnError> {
    use_context::<super::port::SharedJury>()
        .ok_or_else(|| ServerFnError::new("jury backend missing from context"))?
        .jury_page(crate::server_fns::organizer_token())
        .await
        .map_err(crate::server_fns::unavailable)
}
