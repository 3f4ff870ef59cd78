//! The voting pages' port: the server implements it over its store.

use std::sync::Arc;

use alleyvote_domain::NomineeNumber;

use super::model::{HomeData, NomineesData, ProfileData};
use crate::port::Unavailable;

#[async_trait::async_trait]
pub trait VotingBackend: Send + Sync + 'static {
    async fn home(&self) -> Result<HomeData, Unavailable>;
    /// `street` and `query` as typed in the search form; bad input is reported in the data.
    /// `session`: the voter's session token, to say what they have left today.
    async fn nominees(
        &self,
        street: Option<String>,
        query: Option<String>,
        session: Option<String>,
    ) -> Result<NomineesData, Unavailable>;
    async fn nominee(
        &self,
        number: NomineeNumber,
        session: Option<String>,
    ) -> Result<Option<ProfileData>, Unavailable>;
}

/// How the port travels in Leptos context.
pub type SharedVoting = Arc<dyn VotingBackend>;
