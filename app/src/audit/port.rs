//! The audit log page's port. It checks the session and the role itself.

use std::sync::Arc;

use alleyvote_domain::organizer::Console;

use super::model::{AuditData, AuditQuery};
use crate::port::Unavailable;

#[async_trait::async_trait]
pub trait AuditBackend: Send + Sync + 'static {
    /// Newest first, as the query filters it.
    async fn console_audit(
        &self,
        token: Option<String>,
        query: AuditQuery,
    ) -> Result<Console<AuditData>, Unavailable>;
}

pub type SharedAudit = Arc<dyn AuditBackend>;
