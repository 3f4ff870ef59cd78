//! The audit log page's port (administrators): newest first, filtered by
//! kind of action and by organizer, a page at a time.

use std::sync::Arc;

use alleyvote_domain::organizer::{Action, Console};
use app::audit::model::{AuditData, AuditView};
use app::audit::port::AuditBackend;
use app::port::Unavailable;

use crate::audit::shanghai_time;
use crate::audit::storage::{AuditFilter, AuditStorage, StoredAudit};
use crate::organizers::pages::{me_of, unavailable, PageAccess};
use crate::organizers::storage::OrganizerStorage;

/// Entries a page of the audit log lists.
pub const AUDIT_PAGE: u32 = 100;

pub fn audit_view(a: &StoredAudit) -> AuditView {
    AuditView {
        seq: a.record.seq,
        at: shanghai_time(a.record.at),
        actor: a.record.actor_name.clone(),
        action: a.record.action.clone(),
        subject: a.record.subject.clone(),
        before: a.record.before.clone(),
        after: a.record.after.clone(),
    }
}

/// The audit log page's port, as the server answers it.
pub struct AuditPages<S: ?Sized> {
    pub access: PageAccess,
    /// The storage slices the page reads.
    pub store: Arc<S>,
}

#[async_trait::async_trait]
impl<S> AuditBackend for AuditPages<S>
where
    S: AuditStorage + OrganizerStorage + ?Sized + 'static,
{
    async fn console_audit(
        &self,
        token: Option<String>,
        action: Option<String>,
        actor: Option<i64>,
        before: Option<i64>,
    ) -> Result<Console<AuditData>, Unavailable> {
        let access = self
            .access
            .console_access(token.as_deref(), Action::ViewAuditLog)
            .await
            .map_err(unavailable)?;
        let session = match access {
            Console::Open(s) => s,
            Console::SignIn => return Ok(Console::SignIn),
            Console::Forbidden => return Ok(Console::Forbidden),
        };
        let action = action.map(|a| a.chars().take(40).collect::<String>());
        let entries = self
            .store
            .audit_entries(&AuditFilter {
                action_prefix: action.clone().filter(|a| !a.is_empty()),
                actor: actor.map(alleyvote_domain::organizer::OrganizerId),
                before_seq: before,
                limit: AUDIT_PAGE,
            })
            .await
            .map_err(unavailable)?;
        let older = (entries.len() == AUDIT_PAGE as usize)
            .then(|| entries.last().map(|e| e.record.seq))
            .flatten();
        Ok(Console::Open(AuditData {
            who: me_of(&session),
            entries: entries.iter().map(audit_view).collect(),
            action: action.unwrap_or_default(),
            actor,
            actors: self
                .store
                .organizers()
                .await
                .map_err(unavailable)?
                .iter()
                .map(|o| (o.id.0, o.username.clone()))
                .collect(),
            older,
        }))
    }
}
