//! The jury page's port: the server implements it over its store.

use std::sync::Arc;

use super::model::JuryPageData;
use crate::port::Unavailable;
use alleyvote_domain::organizer::Console;

#[async_trait::async_trait]
pub trait JuryBackend: Send + Sync + 'static {
    /// `Forbidden` for an account that is neither a judge nor an administrator.
    async fn jury_page(
        &self,
        token: Option<String>,
    ) -> Result<Console<Option<JuryPageData>>, Unavailable>;
}

pub type SharedJury = Arc<dyn JuryBackend>;
