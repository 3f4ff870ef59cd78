//! The voting pages' port ([`VotingBackend`]): the home page, the nominee
//! list and a nominee's profile, read from the capabilities. The pages
//! reach it through Leptos server functions.

use std::sync::Arc;

use alleyvote_domain::{Campaign, Millis, NomineeFilter, NomineeNumber};
use app::port::Unavailable;
use app::voting::model::{CampaignView, HomeData, NomineesData, ProfileData, VoterToday};
use app::voting::port::VotingBackend;

use crate::campaigns::Campaigns;
use crate::nominations::storage::NominationStorage;
use crate::nominees::storage::NomineeStorage;
use crate::nominees::Nominees;
use crate::places::storage::PlaceStorage;
use crate::signin::Signin;
use crate::storage::{StoreError, StoreResult};

/// The voting pages' port, as the server answers it.
pub struct VotingPages<S: ?Sized> {
    pub campaigns: Arc<Campaigns>,
    pub nominees: Arc<Nominees>,
    pub signin: Arc<Signin>,
    pub casting: Arc<super::Casting>,
    /// The storage slices the pages read beside the use cases.
    pub store: Arc<S>,
}

fn view_of(campaign: Campaign) -> CampaignView {
    let now = Millis::now();
    CampaignView {
        phase: campaign.phase(now),
        campaign,
        now,
    }
}

/// A fresh random key for a page's vote forms.
fn form_key() -> String {
    hex::encode(rand::random::<[u8; 12]>())
}

fn unavailable(e: StoreError) -> Unavailable {
    tracing::error!(error = %e, "storage failed while rendering a page");
    Unavailable
}

impl<S: ?Sized> VotingPages<S> {
    /// What a signed-in voter has done today; `None` for no live session.
    async fn voter_today(
        &self,
        campaign: &Campaign,
        token: &str,
    ) -> StoreResult<Option<VoterToday>> {
        let now = Millis::now();
        let Some(voter) = self.signin.voter_of(token, now).await? else {
            return Ok(None);
        };
        let (voted, remaining) =
            super::my_votes(&*self.casting.store, campaign, voter, now).await?;
        Ok(Some(VoterToday { remaining, voted }))
    }
}

#[async_trait::async_trait]
impl<S> VotingBackend for VotingPages<S>
where
    S: PlaceStorage + NomineeStorage + NominationStorage + ?Sized + 'static,
{
    async fn home(&self) -> Result<HomeData, Unavailable> {
        let campaign = self.campaigns.current().await.map_err(unavailable)?;
        let streets = self.store.streets().await.map_err(unavailable)?;
        let nominee_count = match &campaign {
            Some(c) => self
                .store
                .nominees(c.id, &NomineeFilter::default())
                .await
                .map_err(unavailable)?
                .len(),
            None => 0,
        };
        Ok(HomeData {
            campaign: campaign.map(view_of),
            nominee_count,
            street_count: streets.len(),
        })
    }

    async fn nominees(
        &self,
        street: Option<String>,
        query: Option<String>,
        session: Option<String>,
    ) -> Result<NomineesData, Unavailable> {
        let streets = self.store.streets().await.map_err(unavailable)?;
        let Some(campaign) = self.campaigns.current().await.map_err(unavailable)? else {
            return Ok(NomineesData {
                campaign: None,
                streets,
                nominees: vec![],
                problem: None,
                me: None,
                form_key: form_key(),
            });
        };
        let found = self
            .nominees
            .search(&campaign, street.as_deref(), query.as_deref())
            .await
            .map_err(unavailable)?;
        let (nominees, problem) = match found {
            Ok(list) => (list, None),
            // Keep the page useful: show everyone, and say what was wrong with the search.
            Err(problem) => (
                self.store
                    .nominees(campaign.id, &NomineeFilter::default())
                    .await
                    .map_err(unavailable)?,
                Some(problem),
            ),
        };
        let me = match session {
            Some(token) => self
                .voter_today(&campaign, &token)
                .await
                .map_err(unavailable)?,
            None => None,
        };
        Ok(NomineesData {
            campaign: Some(view_of(campaign)),
            streets,
            nominees,
            problem,
            me,
            form_key: form_key(),
        })
    }

    async fn nominee(
        &self,
        number: NomineeNumber,
        session: Option<String>,
    ) -> Result<Option<ProfileData>, Unavailable> {
        let Some(campaign) = self.campaigns.current().await.map_err(unavailable)? else {
            return Ok(None);
        };
        let nominee = self
            .store
            .nominee(campaign.id, number)
            .await
            .map_err(unavailable)?;
        let Some(nominee) = nominee else {
            return Ok(None);
        };
        let nominators = self
            .store
            .nominators_of(campaign.id)
            .await
            .map_err(unavailable)?
            .into_iter()
            .find(|(id, _)| *id == nominee.id)
            .map(|(_, n)| n);
        let me = match session {
            Some(token) => self
                .voter_today(&campaign, &token)
                .await
                .map_err(unavailable)?,
            None => None,
        };
        Ok(Some(ProfileData {
            campaign: view_of(campaign),
            nominee,
            nominators,
            form_key: form_key(),
            me,
        }))
    }
}
