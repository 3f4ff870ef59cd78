//! The publication pages' port: the console's results page for an
//! organizer who may answer objections (admins also publish), and a
//! resident's own objections.

use alleyvote_domain::organizer::Console;
use alleyvote_domain::organizer::{allowed, Action};
use alleyvote_domain::publication::working_days::{notice_end_after, USUAL_NOTICE_DAYS};
use alleyvote_domain::Millis;
use app::port::Unavailable;
use app::publication::model::{MyObjections, ResultsConsoleData};
use app::publication::port::PublicationBackend;

use crate::organizers::pages::{me_of, unavailable, PageAccess};

/// The publication pages' port, as the server answers it: each method checks
/// the session and the role, then reads what the page shows.
pub struct PublicationPages {
    pub access: PageAccess,
    pub campaigns: std::sync::Arc<crate::campaigns::Campaigns>,
    pub publications: std::sync::Arc<crate::publication::Publications>,
    pub signin: std::sync::Arc<crate::signin::Signin>,
}

#[async_trait::async_trait]
impl PublicationBackend for PublicationPages {
    async fn results_console(
        &self,
        token: Option<String>,
    ) -> Result<Console<Option<ResultsConsoleData>>, Unavailable> {
        let session = match self
            .access
            .page_session(token.as_deref(), Action::AnswerObjections)
            .await?
        {
            Ok(s) => s,
            Err(answer) => return Ok(answer),
        };
        let Some(campaign) = self.campaigns.current().await.map_err(unavailable)? else {
            return Ok(Console::Open(None));
        };
        let p = self
            .publications
            .preliminary(
                &campaign,
                allowed(session.organizer.role, Action::ReadHiddenResults),
            )
            .await
            .map_err(unavailable)?;
        let corrections = self
            .publications
            .corrections(&campaign)
            .await
            .map_err(unavailable)?;
        Ok(Console::Open(Some(ResultsConsoleData {
            who: me_of(&session),
            slug: campaign.slug.clone(),
            rule: p.rule,
            rule_locked: p.rule_locked,
            voting_end: campaign.phases.voting_end,
            publication: p.publication,
            ranking: (*p.ranking).clone(),
            objections: p.objections,
            corrections,
            suggested_notice_end: notice_end_after(Millis::now(), USUAL_NOTICE_DAYS),
        })))
    }

    async fn my_objections(
        &self,
        voter_token: Option<String>,
    ) -> Result<MyObjections, Unavailable> {
        let Some(campaign) = self.campaigns.current().await.map_err(unavailable)? else {
            return Ok(MyObjections {
                signed_in: false,
                open: false,
                mine: Vec::new(),
            });
        };
        let now = Millis::now();
        let open = self
            .publications
            .takes_objections(&campaign, now)
            .await
            .map_err(unavailable)?;
        let voter = match voter_token {
            Some(t) => self.signin.voter_of(&t, now).await.map_err(unavailable)?,
            None => None,
        };
        let mine = match voter {
            Some(v) => self
                .publications
                .objections_of(&campaign, v)
                .await
                .map_err(unavailable)?,
            None => Vec::new(),
        };
        Ok(MyObjections {
            signed_in: voter.is_some(),
            open,
            mine,
        })
    }
}
