//! The jury page's port: judges see their sheet, administrators the jury.

use alleyvote_domain::organizer::Console;
use alleyvote_domain::organizer::{allowed, Action};
use alleyvote_domain::{Lang, NomineeFilter};
use app::jury::model::{JudgeRow, JuryPageData, ScoreRow};
use app::jury::port::JuryBackend;
use app::port::Unavailable;

use crate::organizers::pages::{me_of, unavailable, PageAccess};

/// The jury pages' port, as the server answers it: each method checks
/// the session and the role, then reads what the page shows.
pub struct JuryPages<S: ?Sized> {
    pub access: PageAccess,
    pub campaigns: std::sync::Arc<crate::campaigns::Campaigns>,
    pub jury: std::sync::Arc<crate::jury::Jury>,
    /// The storage slices the pages read beside the use cases.
    pub store: std::sync::Arc<S>,
}

#[async_trait::async_trait]
impl<S> JuryBackend for JuryPages<S>
where
    S: crate::nominees::storage::NomineeStorage
        + crate::organizers::storage::OrganizerStorage
        + ?Sized
        + 'static,
{
    async fn jury_page(
        &self,
        token: Option<String>,
    ) -> Result<Console<Option<JuryPageData>>, Unavailable> {
        let session = match self
            .access
            .page_session(token.as_deref(), Action::ViewConsole)
            .await?
        {
            Ok(s) => s,
            Err(answer) => return Ok(answer),
        };
        let Some(campaign) = self.campaigns.current().await.map_err(unavailable)? else {
            return Ok(Console::Open(None));
        };
        let admin = allowed(session.organizer.role, Action::PublishResults);
        let judges = self.jury.judges(&campaign).await.map_err(unavailable)?;
        let me = session.organizer.id;
        let judge = judges.iter().any(|j| j.id == me);
        if !admin && !judge {
            return Ok(Console::Forbidden);
        }
        let nominees = self
            .store
            .nominees(campaign.id, &NomineeFilter::default())
            .await
            .map_err(unavailable)?;
        let sheet = if judge {
            let mine = self
                .jury
                .scores_of(&campaign, me)
                .await
                .map_err(unavailable)?;
            Some(
                nominees
                    .iter()
                    .map(|n| ScoreRow {
                        number: n.number.get(),
                        name: n.name.clone(),
                        community: n.community(Lang::Zh).to_string(),
                        score: mine.iter().find(|(k, _)| *k == n.number).map(|(_, s)| *s),
                    })
                    .collect(),
            )
        } else {
            None
        };
        let candidates = if admin {
            self.store
                .organizers()
                .await
                .map_err(unavailable)?
                .into_iter()
                .filter(|o| o.active && !judges.iter().any(|j| j.id == o.id))
                .map(|o| (o.id.0, format!("{}（{}）", o.display_name, o.username)))
                .collect()
        } else {
            Vec::new()
        };
        Ok(Console::Open(Some(JuryPageData {
            who: me_of(&session),
            sheet,
            locked: self.jury.locked(&campaign).await.map_err(unavailable)?,
            judges: if admin {
                judges
                    .iter()
                    .map(|j| JudgeRow {
                        name: j.name.clone(),
                        scored: j.scored,
                    })
                    .collect()
            } else {
                Vec::new()
            },
            candidates,
            nominees: u32::try_from(nominees.len()).unwrap_or(0),
        })))
    }
}
