//! The console's nominee pages' port. Every method checks the session and
//! the role itself.

use std::sync::Arc;

use alleyvote_domain::organizer::Console;

use super::model::{NomineeEditData, NomineesAdminData};
use crate::port::Unavailable;

#[async_trait::async_trait]
pub trait NomineesBackend: Send + Sync + 'static {
    async fn console_nominees(
        &self,
        token: Option<String>,
    ) -> Result<Console<NomineesAdminData>, Unavailable>;
    /// `None` inside `Open` for an id that is not a nominee of the campaign.
    async fn console_nominee(
        &self,
        token: Option<String>,
        id: i64,
    ) -> Result<Console<Option<NomineeEditData>>, Unavailable>;
}

pub type SharedNominees = Arc<dyn NomineesBackend>;
