//! The audit log page's port. It checks the session and the role itself.

use std::sync::Arc;

use alleyvote_domain::organizer::Console;

use super::model::AuditData;
use crate::port::Unavailable;

#[async_trait::async_trait]
pub trait AuditBackend: Send + Sync + 'static {
    /// Newest first; `action` filters by prefix, `before` pages back.
    async fn console_audit(
        &self,
        token: Option<String>,
        action: Option<String>,
        actor: Option<i64>,
        before: Option<i64>,
    ) -> Result<Console<AuditData>, Unavailable>;
}

pub type SharedAudit = Arc<dyn AuditBackend>;
