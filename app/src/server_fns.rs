//! Server functions: thin adapters from the pages to the `PublicBackend` port.

use alleyvote_domain::{NomineeNumber, ResultsSnapshot};
use leptos::prelude::*;

use crate::model::{
    AuditData, CampaignEditData, Console, ConsoleHome, HomeData, NomineeEditData,
    NomineesAdminData, NomineesData, OrganizersData, PlacesData, ProfileData, TallyCheckData,
};

#[cfg(feature = "ssr")]
fn backend() -> Result<crate::backend::SharedBackend, ServerFnError> {
    use_context::<crate::backend::SharedBackend>()
        .ok_or_else(|| ServerFnError::new("backend missing from context"))
}

#[cfg(feature = "ssr")]
fn console() -> Result<crate::backend::SharedConsole, ServerFnError> {
    use_context::<crate::backend::SharedConsole>()
        .ok_or_else(|| ServerFnError::new("console backend missing from context"))
}

/// A cookie of the request, if present.
#[cfg(feature = "ssr")]
fn cookie(name: &str) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    crate::cookies::read(&parts.headers, name)
}

/// The voter's session token from the request's cookie, if any.
#[cfg(feature = "ssr")]
pub(crate) fn session_token() -> Option<String> {
    cookie(crate::cookies::VOTER_SESSION)
}

/// The organizer's session token (its own cookie, never the voter's).
#[cfg(feature = "ssr")]
pub(crate) fn organizer_token() -> Option<String> {
    cookie(crate::cookies::ORGANIZER_SESSION)
}

#[cfg(feature = "ssr")]
pub(crate) fn unavailable(_: crate::backend::Unavailable) -> ServerFnError {
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

#[server(prefix = "/sfn", endpoint = "console_home")]
pub async fn load_console_home() -> Result<Console<ConsoleHome>, ServerFnError> {
    console()?
        .console_home(organizer_token())
        .await
        .map_err(unavailable)
}

#[server(prefix = "/sfn", endpoint = "console_organizers")]
pub async fn load_console_organizers() -> Result<Console<OrganizersData>, ServerFnError> {
    console()?
        .console_organizers(organizer_token())
        .await
        .map_err(unavailable)
}

#[server(prefix = "/sfn", endpoint = "console_audit")]
pub async fn load_console_audit(
    action: Option<String>,
    actor: Option<i64>,
    before: Option<i64>,
) -> Result<Console<AuditData>, ServerFnError> {
    console()?
        .console_audit(organizer_token(), action, actor, before)
        .await
        .map_err(unavailable)
}

#[server(prefix = "/sfn", endpoint = "console_tally")]
pub async fn load_console_tally() -> Result<Console<TallyCheckData>, ServerFnError> {
    console()?
        .console_tally(organizer_token())
        .await
        .map_err(unavailable)
}

#[server(prefix = "/sfn", endpoint = "console_campaign")]
pub async fn load_console_campaign(
    slug: Option<String>,
) -> Result<Console<CampaignEditData>, ServerFnError> {
    console()?
        .console_campaign(organizer_token(), slug)
        .await
        .map_err(unavailable)
}

#[server(prefix = "/sfn", endpoint = "console_nominees")]
pub async fn load_console_nominees() -> Result<Console<NomineesAdminData>, ServerFnError> {
    console()?
        .console_nominees(organizer_token())
        .await
        .map_err(unavailable)
}

#[server(prefix = "/sfn", endpoint = "console_nominee")]
pub async fn load_console_nominee(
    id: i64,
) -> Result<Console<Option<NomineeEditData>>, ServerFnError> {
    console()?
        .console_nominee(organizer_token(), id)
        .await
        .map_err(unavailable)
}

#[server(prefix = "/sfn", endpoint = "console_places")]
pub async fn load_console_places() -> Result<Console<PlacesData>, ServerFnError> {
    console()?
        .console_places(organizer_token())
        .await
        .map_err(unavailable)
}
