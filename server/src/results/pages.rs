//! The results pages' port: the live results the public page shows, and the
//! recount in the console (administrators), which reads every vote.

use std::sync::Arc;

use alleyvote_domain::organizer::{Action, Console};
use alleyvote_domain::{Millis, ResultsSnapshot};
use app::port::Unavailable;
use app::results::model::{RecountRow, TallyCheckData, TallyCheckView};
use app::results::port::ResultsBackend;

use super::storage::ResultsStorage;
use super::ResultsHub;
use crate::audit::shanghai_time;
use crate::campaigns::Campaigns;
use crate::organizers::pages::{me_of, with_access, PageAccess};
use crate::storage::StoreError;

/// The results pages' port, as the server answers it.
pub struct ResultsPages {
    pub access: PageAccess,
    pub campaigns: Arc<Campaigns>,
    pub hub: ResultsHub,
    /// The storage slice the recount reads.
    pub store: Arc<dyn ResultsStorage>,
}

/// A storage failure while a public page renders.
fn unavailable(e: StoreError) -> Unavailable {
    tracing::error!(error = %e, "storage failed while rendering a page");
    Unavailable
}

#[async_trait::async_trait]
impl ResultsBackend for ResultsPages {
    async fn results(&self) -> Result<Option<ResultsSnapshot>, Unavailable> {
        let Some(campaign) = self.campaigns.current().await.map_err(unavailable)? else {
            return Ok(None);
        };
        let snapshot = self.hub.view(&campaign, None).await.map_err(unavailable)?;
        Ok(Some((*snapshot).clone()))
    }

    async fn console_tally(
        &self,
        token: Option<String>,
    ) -> Result<Console<TallyCheckData>, Unavailable> {
        // The recount reads every vote: only for an organizer allowed to see it.
        with_access!(self.access, token, Action::ViewAuditLog, |session| {
            let mut campaigns = Vec::new();
            for c in self
                .campaigns
                .all()
                .await
                .map_err(crate::organizers::pages::unavailable)?
            {
                let check = super::verify::verify(&*self.store, &c)
                    .await
                    .map_err(crate::organizers::pages::unavailable)?;
                campaigns.push(TallyCheckView {
                    slug: c.slug.clone(),
                    title_zh: c.title_zh.clone(),
                    title_en: c.title_en.clone(),
                    rows: check
                        .rows
                        .iter()
                        .map(|r| RecountRow {
                            number: r.number.map_or(0, |n| n.get()),
                            name: if r.active {
                                r.name.clone()
                            } else {
                                format!("{}（已退出）", r.name)
                            },
                            running: r.running,
                            recounted: r.recounted,
                            running_paper: r.running_paper,
                            recounted_paper: r.recounted_paper,
                        })
                        .collect(),
                });
            }
            TallyCheckData {
                who: me_of(&session),
                campaigns,
                at: shanghai_time(Millis::now()),
            }
        })
    }
}
