//! The results pages' port: the live results, and the recount in the
//! console. The server implements it over its results hub and store.

use std::sync::Arc;

use alleyvote_domain::organizer::Console;
use alleyvote_domain::ResultsSnapshot;

use super::model::TallyCheckData;
use crate::port::Unavailable;

#[async_trait::async_trait]
pub trait ResultsBackend: Send + Sync + 'static {
    /// The current campaign's results; `None` before a campaign exists.
    async fn results(&self) -> Result<Option<ResultsSnapshot>, Unavailable>;
    /// Recounts every campaign's votes (administrators).
    async fn console_tally(
        &self,
        token: Option<String>,
    ) -> Result<Console<TallyCheckData>, Unavailable>;
}

pub type SharedResults = Arc<dyn ResultsBackend>;
