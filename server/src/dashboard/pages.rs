//! The dashboard's port: any organizer signed in sees it.

use std::sync::Arc;

use alleyvote_domain::organizer::{Action, Console};
use app::dashboard::model::DashboardData;
use app::dashboard::port::DashboardBackend;
use app::port::Unavailable;

use super::DashboardSources;
use crate::audit::storage::{AuditFilter, AuditStorage};
use crate::clock::Clock;
use crate::organizers::pages::{me_of, unavailable, PageAccess};

pub struct DashboardPages<S: ?Sized> {
    pub access: PageAccess,
    pub campaigns: Arc<crate::campaigns::Campaigns>,
    pub store: Arc<S>,
    pub clock: Clock,
}

#[async_trait::async_trait]
impl<S> DashboardBackend for DashboardPages<S>
where
    S: DashboardSources + AuditStorage + ?Sized + 'static,
{
    async fn dashboard(
        &self,
        token: Option<String>,
    ) -> Result<Console<DashboardData>, Unavailable> {
        let session = match self
            .access
            .page_session(token.as_deref(), Action::ViewConsole)
            .await?
        {
            Ok(s) => s,
            Err(answer) => return Ok(answer),
        };
        let overview = match self.campaigns.current().await.map_err(unavailable)? {
            Some(campaign) => Some(
                super::overview(&*self.store, &campaign, self.clock.now())
                    .await
                    .map_err(unavailable)?,
            ),
            None => None,
        };
        let head = self
            .store
            .audit_entries(&AuditFilter {
                limit: 1,
                ..AuditFilter::default()
            })
            .await
            .map_err(unavailable)?;
        Ok(Console::Open(DashboardData {
            who: me_of(&session),
            overview,
            audit_entries: head.first().map_or(0, |a| a.record.seq),
        }))
    }
}
