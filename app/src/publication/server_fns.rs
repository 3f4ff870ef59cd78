//! Server functions of the publication pages: thin adapters to the port.

use leptos::prelude::*;

use super::model::{MyObjections, ResultsConsoleData};
use alleyvote_domain::organizer::Console;

#[cfg(feature = "ssr")]
fn publication() -> Result<super::port::SharedPublication, ServerFnError> {
    use_context::<super::port::SharedPublication>()
        .ok_or_else(|| ServerFnError::new("publication backend missing from context"))
}

#[server(prefix = "/sfn", endpoint = "console_results")]
pub async fn load_results_console() -> Result<Console<Option<ResultsConsoleData>>, ServerFnError> {
    publication()?
        .results_console(crate::port::organizer_token())
        .await
        .map_err(crate::port::unavailable)
}

#[server(prefix = "/sfn", endpoint = "my_objections")]
pub async fn load_my_objections() -> Result<MyObjections, ServerFnError> {
    publication()?
        .my_objections(crate::port::session_token())
        .await
        .map_err(crate::port::unavailable)
}
