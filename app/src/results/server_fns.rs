//! Server functions of the results pages: thin adapters to the port.

use alleyvote_domain::organizer::Console;
use alleyvote_domain::ResultsSnapshot;
use leptos::prelude::*;

use super::model::TallyCheckData;

#[cfg(feature = "ssr")]
fn results() -> Result<super::port::SharedResults, ServerFnError> {
    use_context::<super::port::SharedResults>()
        .ok_or_else(|| ServerFnError::new("results backend missing from context"))
}

#[server(prefix = "/sfn", endpoint = "results")]
pub async fn load_results() -> Result<Option<ResultsSnapshot>, ServerFnError> {
    results()?.results().await.map_err(crate::port::unavailable)
}

#[server(prefix = "/sfn", endpoint = "console_tally")]
pub async fn load_console_tally() -> Result<Console<TallyCheckData>, ServerFnError> {
    results()?
        .console_tally(crate::port::organizer_token())
        .await
        .map_err(crate::port::unavailable)
}
