//! The port the server functions call. The server crate implements it over
//! its store and results hub; the pages never see SQL or Redis.

use std::sync::Arc;

use alleyvote_domain::{NomineeNumber, ResultsSnapshot};

use crate::model::{HomeData, NomineesData, ProfileData};

/// Something the server could not do. Details go to the server log, never to the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unavailable;

#[async_trait::async_trait]
pub trait PublicBackend: Send + Sync + 'static {
    async fn home(&self) -> Result<HomeData, Unavailable>;
    /// `street` and `query` as typed in the search form; bad input is reported in the data.
    /// `session`: the voter's session token, to say what they have left today.
    async fn nominees(
        &self,
        street: Option<String>,
        query: Option<String>,
        session: Option<String>,
    ) -> Result<NomineesData, Unavailable>;
    async fn nominee(&self, number: NomineeNumber) -> Result<Option<ProfileData>, Unavailable>;
    async fn results(&self) -> Result<Option<ResultsSnapshot>, Unavailable>;
}

/// How the backend travels in Leptos context.
pub type SharedBackend = Arc<dyn PublicBackend>;
