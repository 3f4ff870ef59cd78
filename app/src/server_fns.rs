//! Server functions: thin adapters from the pages to the `PublicBackend` port.

use alleyvote_domain::{NomineeNumber, ResultsSnapshot};
use leptos::prelude::*;

use crate::model::{HomeData, NomineesData, ProfileData};

#[cfg(feature = "ssr")]
fn backend() -> Result<crate::backend::SharedBackend, ServerFnError> {
    use_context::<crate::backend::SharedBackend>()
        .ok_or_else(|| ServerFnError::new("backend missing from context"))
}

/// The voter's session token from the request's cookie, if any.
#[cfg(feature = "ssr")]
fn session_token() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    let cookies = parts.headers.get_all(http::header::COOKIE);
    let token = cookies
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| kv.trim().strip_prefix("av_session=").map(str::to_string));
    token
}

#[cfg(feature = "ssr")]
fn unavailable(_: crate::backend::Unavailable) -> ServerFnError {
    ServerFnError::new("服务暂时不可用，请稍后再试。 / The service is briefly unavailable.")
}

#[server(prefix = "/sfn", endpoint = "home")]
pub async fn load_home() -> Result<HomeData, ServerFnError> {
    backend()?.home().await.map_err(unavailable)
}

#[server(prefix = "/sfn", endpoint = "nominees")]
pub async fn load_nominees(
    street: Option<String>,
    query: Option<String>,
) -> Result<NomineesData, ServerFnError> {
    backend()?
        .nominees(street, query, session_token())
        .await
        .map_err(unavailable)
}

#[server(prefix = "/sfn", endpoint = "nominee")]
pub async fn load_nominee(number: NomineeNumber) -> Result<Option<ProfileData>, ServerFnError> {
    backend()?.nominee(number).await.map_err(unavailable)
}

#[server(prefix = "/sfn", endpoint = "results")]
pub async fn load_results() -> Result<Option<ResultsSnapshot>, ServerFnError> {
    backend()?.results().await.map_err(unavailable)
}
