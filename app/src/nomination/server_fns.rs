//! Server functions of the nomination pages: thin adapters to the port.

use leptos::prelude::*;

use super::model::{
    CompareData, ConsentPageData, MyNominationsData, NominatePageData, NominationDetailData,
    QueueQuery, ReviewQueueData,
};
use alleyvote_domain::organizer::Console;

#[cfg(feature = "ssr")]
fn port() -> Result<super::port::SharedNominations, ServerFnError> {
    use_context::<super::port::SharedNominations>()
        .ok_or_else(|| ServerFnError::new("nomination backend missing from context"))
}

#[server(prefix = "/sfn", endpoint = "nominate")]
pub async fn load_nominate_page() -> Result<Option<NominatePageData>, ServerFnError> {
    port()?
        .nominate_page(crate::port::session_token())
        .await
        .map_err(crate::port::unavailable)
}

#[server(prefix = "/sfn", endpoint = "my_nominations")]
pub async fn load_my_nominations() -> Result<Option<MyNominationsData>, ServerFnError> {
    port()?
        .my_nominations(crate::port::session_token())
        .await
        .map_err(crate::port::unavailable)
}

#[server(prefix = "/sfn", endpoint = "consent")]
pub async fn load_consent_page(token: String) -> Result<ConsentPageData, ServerFnError> {
    port()?
        .consent_page(token)
        .await
        .map_err(crate::port::unavailable)
}

#[server(prefix = "/sfn", endpoint = "console_nominations")]
pub async fn load_review_queue(
    filter: QueueQuery,
) -> Result<Console<Option<ReviewQueueData>>, ServerFnError> {
    port()?
        .review_queue(crate::port::organizer_token(), filter)
        .await
        .map_err(crate::port::unavailable)
}

#[server(prefix = "/sfn", endpoint = "console_nomination")]
pub async fn load_review_detail(
    id: i64,
) -> Result<Console<Option<NominationDetailData>>, ServerFnError> {
    port()?
        .review_detail(crate::port::organizer_token(), id)
        .await
        .map_err(crate::port::unavailable)
}

#[server(prefix = "/sfn", endpoint = "console_nomination_compare")]
pub async fn load_review_compare(
    id: i64,
    other: i64,
) -> Result<Console<Option<CompareData>>, ServerFnError> {
    port()?
        .review_compare(crate::port::organizer_token(), id, other)
        .await
        .map_err(crate::port::unavailable)
}
