//! The nomination pages' port: the server implements it over its store.
//! Console methods check the session and the role themselves.

use std::sync::Arc;

use super::model::{
    CompareData, ConsentPageData, MyNominationsData, NominatePageData, NominationDetailData,
    QueueQuery, ReviewQueueData,
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
    /// Each of the reader's nominations, a new one with its likely
    /// duplicates until the reader supports one or keeps theirs.
    async fn my_nominations(
        &self,
        voter_token: Option<String>,
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
    /// `None`: either nomination is not the campaign's.
    async fn review_compare(
        &self,
        token: Option<String>,
        id: i64,
        other: i64,
    ) -> Result<Console<Option<CompareData>>, Unavailable>;
}

pub type SharedNominations = Arc<dyn NominationBackend>;
