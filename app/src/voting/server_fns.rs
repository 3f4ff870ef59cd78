//! Server functions of the voting pages: thin adapters to the port.

use alleyvote_domain::NomineeNumber;
use leptos::prelude::*;

use super::model::{HomeData, NomineesData, ProfileData};

#[cfg(feature = "ssr")]
fn voting() -> Result<super::port::SharedVoting, ServerFnError> {
    use_context::<super::port::SharedVoting>()
        .ok_or_else(|| ServerFnError::new("voting backend missing from context"))
}

#[server(prefix = "/sfn", endpoint = "home")]
pub async fn load_home() -> Result<HomeData, ServerFnError> {
    voting()?.home().await.map_err(crate::port::unavailable)
}

#[server(prefix = "/sfn", endpoint = "nominees")]
pub async fn load_nominees(
    street: Option<String>,
    query: Option<String>,
) -> Result<NomineesData, ServerFnError> {
    voting()?
        .nominees(street, query, crate::port::session_token())
        .await
        .map_err(crate::port::unavailable)
}

#[server(prefix = "/sfn", endpoint = "nominee")]
pub async fn load_nominee(number: NomineeNumber) -> Result<Option<ProfileData>, ServerFnError> {
    voting()?
        .nominee(number, crate::port::session_token())
        .await
        .map_err(crate::port::unavailable)
}
