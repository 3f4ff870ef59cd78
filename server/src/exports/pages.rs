//! The audit log page's port (administrators): newest first, filtered by
//! kind of action and by organizer, a page at a time.

use std::sync::Arc;

use std::collections::HashMap;

use alleyvote_domain::organizer::{Action, Console};
use alleyvote_domain::ShanghaiDay;
use app::audit::model::{AuditData, AuditQuery, AuditView};
use app::audit::port::AuditBackend;
use app::port::Unavailable;

use crate::audit::shanghai_time;
use crate::audit::storage::{AuditFilter, AuditStorage, StoredAudit};
use crate::organizers::pages::{me_of, unavailable, PageAccess};
use crate::organizers::storage::OrganizerStorage;
use crate::paper::storage::PaperStorage;
use crate::stations::storage::StationStorage;
use crate::storage::StoreResult;

/// Entries a page of the audit log lists.
pub const AUDIT_PAGE: u32 = 100;

pub fn audit_view(a: &StoredAudit) -> AuditView {
    AuditView {
        seq: a.record.seq,
        at: shanghai_time(a.record.at),
        actor: a.record.actor_name.clone(),
        action: a.record.action.clone(),
        subject: a.record.subject.clone(),
        subject_name: None,
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

impl<S> AuditPages<S>
where
    S: AuditStorage + OrganizerStorage + PaperStorage + StationStorage + ?Sized + 'static,
{
    /// The names the log's subjects stand for: sheets (station · label),
    /// stations and organizer accounts.
    async fn subject_names(&self) -> StoreResult<HashMap<String, String>> {
        let mut names = HashMap::new();
        for sheet in self.store.sheets(None).await? {
            names.insert(
                format!("sheet:{}", sheet.id.0),
                format!("{} · {}", sheet.station_name, sheet.label),
            );
        }
        for station in self.store.stations().await? {
            names.insert(format!("station:{}", station.id.0), station.name);
        }
        for organizer in self.store.organizers().await? {
            names.insert(format!("organizer:{}", organizer.id.0), organizer.username);
        }
        Ok(names)
    }
}

#[async_trait::async_trait]
impl<S> AuditBackend for AuditPages<S>
where
    S: AuditStorage + OrganizerStorage + PaperStorage + StationStorage + ?Sized + 'static,
{
    async fn console_audit(
        &self,
        token: Option<String>,
        query: AuditQuery,
    ) -> Result<Console<AuditData>, Unavailable> {
        let AuditQuery {
            action,
            actor,
            day,
            before,
        } = query;
        // A day as the date field sends it; anything else is no filter.
        let day_text = day.filter(|d| ShanghaiDay::parse(d).is_some());
        let day = day_text.as_deref().and_then(ShanghaiDay::parse);
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
                from: day.map(ShanghaiDay::start),
                until: day.map(|d| d.next_midnight()),
                limit: AUDIT_PAGE,
            })
            .await
            .map_err(unavailable)?;
        let names = self.subject_names().await.map_err(unavailable)?;
        let older = (entries.len() == AUDIT_PAGE as usize)
            .then(|| entries.last().map(|e| e.record.seq))
            .flatten();
        Ok(Console::Open(AuditData {
            who: me_of(&session),
            entries: entries
                .iter()
                .map(|e| {
                    let mut view = audit_view(e);
                    view.subject_name = names.get(&view.subject).cloned();
                    view
                })
                .collect(),
            action: action.unwrap_or_default(),
            actor,
            day: day.and(day_text),
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
