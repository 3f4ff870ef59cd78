//! The publication pages' port: the server implements it over its store.
//! Every console method checks the session and the role itself.

use std::sync::Arc;

use super::model::{MyObjections, ResultsConsoleData};
use crate::port::Unavailable;
use alleyvote_domain::organizer::Console;

#[async_trait::async_trait]
pub trait PublicationBackend: Send + Sync + 'static {
    /// The console's results page for the current campaign (`None`: no campaign).
    async fn results_console(
        &self,
        token: Option<String>,
    ) -> Result<Console<Option<ResultsConsoleData>>, Unavailable>;
    /// The reader's own objections to the current campaign's results.
    async fn my_objections(&self, voter_token: Option<String>)
        -> Result<MyObjections, Unavailable>;
}

pub type SharedPublication = Arc<dyn PublicationBackend>;
