//! The nomination pages' port: the server implements it over its store.
//! Console methods check the session and the role themselves.

use std::sync::Arc;

use super::model::{
    ConsentPageData, MyNominationsData, NominatePageData, NominationDetailData, QueueQuery,
    ReviewQueueData,
};
use crate::port::Unavailable;
use alleyvote_domain::organizer::Console;

#[async_trait::async_trait]
pub trait NominationBackend: Send + Sync + 'static {
    /// `None`: no campaign yet.
    async fn nominate_page(
        &self,
        voter_token: Option<String>,
    ) -> Result<Option<NominatePageData>, Unavailable>;
    /// `check`: a nomination just sent, to look for likely duplicates of.
    async fn my_nominations(
        &self,
        voter_token: Option<String>,
        check: Option<i64>,
    ) -> Result<Option<MyNominationsData>, Unavailable>;
    async fn consent_page(&self, token: String) -> Result<ConsentPageData, Unavailable>;
    async fn review_queue(
        &self,
        token: Option<String>,
        filter: QueueQuery,
    ) -> Result<Console<Option<ReviewQueueData>>, Unavailable>;
    async fn review_detail(
        &self,
        token: Option<String>,
        id: i64,
    ) -> Result<Console<Option<NominationDetailData>>, Unavailable>;
}

pub type SharedNominations = Arc<dyn NominationBackend>;
