//! The organizer accounts' page's port. Every method checks the session
//! and the role itself: a page that is not linked is still refused.

use std::sync::Arc;

use alleyvote_domain::organizer::Console;

use super::model::OrganizersData;
use crate::port::Unavailable;

#[async_trait::async_trait]
pub trait OrganizersBackend: Send + Sync + 'static {
    async fn console_organizers(
        &self,
        token: Option<String>,
    ) -> Result<Console<OrganizersData>, Unavailable>;
}

pub type SharedOrganizers = Arc<dyn OrganizersBackend>;
