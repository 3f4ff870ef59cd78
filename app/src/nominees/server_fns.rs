//! Server functions of the console's nominee pages: thin adapters to the port.

use alleyvote_domain::organizer::Console;
use leptos::prelude::*;

use super::model::{NomineeEditData, NomineesAdminData};

#[cfg(feature = "ssr")]
fn nominees() -> Result<super::port::SharedNominees, ServerFnError> {
    use_context::<super::port::SharedNominees>()
        .ok_or_else(|| ServerFnError::new("nominees backend missing from context"))
}

#[server(prefix = "/sfn", endpoint = "console_nominees")]
pub async fn load_console_nominees() -> Result<Console<NomineesAdminData>, ServerFnError> {
    nominees()?
        .console_nominees(crate::port::organizer_token())
        .await
        .map_err(crate::port::unavailable)
}

#[server(prefix = "/sfn", endpoint = "console_nominee")]
pub async fn load_console_nominee(
    id: i64,
) -> Result<Console<Option<NomineeEditData>>, ServerFnError> {
    nominees()?
        .console_nominee(crate::port::organizer_token(), id)
        .await
        .map_err(crate::port::unavailable)
}
