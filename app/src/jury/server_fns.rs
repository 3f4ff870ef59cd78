//! Server functions of the jury page: thin adapters to the port.

use leptos::prelude::*;

use super::model::JuryPageData;
use alleyvote_domain::organizer::Console;

#[server(prefix = "/sfn", endpoint = "console_jury")]
pub async fn load_jury_page() -> Result<Console<Option<JuryPageData>>, ServerFnError> {
    use_context::<super::port::SharedJury>()
        .ok_or_else(|| ServerFnError::new("jury backend missing from context"))?
        .jury_page(crate::port::organizer_token())
        .await
        .map_err(crate::port::unavailable)
}
