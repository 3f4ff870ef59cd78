//! The use cases the pages and the JSON API share, composed from the store,
//! the results hub and Redis. The pages reach them through the app's
//! `PublicBackend` port; the API handlers call them directly.

use std::sync::Arc;

use alleyvote_domain::{Campaign, Millis, NomineeFilter, NomineeNumber, ResultsSnapshot};
use app::backend::{PublicBackend, Unavailable};
use app::model::{CampaignView, HomeData, NomineesData, ProfileData, VoterToday};

use crate::cache::RedisHandle;
use crate::results::ResultsHub;
use crate::storage::{StoreError, StoreResult};
use crate::store::Store;

pub struct Services {
    pub store: Arc<dyn Store>,
    pub web: crate::web::WebConfig,
    pub limits: Arc<crate::limits::RateLimits>,
    pub redis: Option<RedisHandle>,
    pub hub: ResultsHub,
    // The capabilities' use cases.
    pub audit: Arc<crate::audit::http::AuditLog>,
    pub campaigns: Arc<crate::campaigns::Campaigns>,
    pub casting: Arc<crate::voting::Casting>,
    pub nominees: Arc<crate::nominees::Nominees>,
    pub organizers: Arc<crate::organizers::Organizers>,
    pub places: Arc<crate::places::Places>,
    pub signin: Arc<crate::signin::Signin>,
    pub stations: Arc<crate::stations::Stations>,
}

impl Services {
    /// A campaign by its slug; an organizer's change shows within a second.
    pub async fn campaign(&self, slug: &str) -> StoreResult<Option<Campaign>> {
        self.campaigns.get(slug).await
    }

    pub async fn current_campaign(&self) -> StoreResult<Option<Campaign>> {
        self.campaigns.current().await
    }

    /// The latest snapshot of a campaign's results.
    pub async fn results_of(&self, campaign: &Campaign) -> StoreResult<Arc<ResultsSnapshot>> {
        self.hub.of(campaign).await
    }

    /// What a signed-in voter has done today; `None` for no live session.
    pub async fn voter_today(
        &self,
        campaign: &Campaign,
        token: &str,
    ) -> StoreResult<Option<VoterToday>> {
        let now = Millis::now();
        let Some(voter) = self.signin.voter_of(token, now).await? else {
            return Ok(None);
        };
        let (voted, remaining) =
            crate::voting::my_votes(&*self.store, campaign, voter, now).await?;
        Ok(Some(VoterToday { remaining, voted }))
    }
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

#[async_trait::async_trait]
impl PublicBackend for Services {
    async fn home(&self) -> Result<HomeData, Unavailable> {
        let campaign = self.current_campaign().await.map_err(unavailable)?;
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
        let Some(campaign) = self.current_campaign().await.map_err(unavailable)? else {
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

    async fn nominee(&self, number: NomineeNumber) -> Result<Option<ProfileData>, Unavailable> {
        let Some(campaign) = self.current_campaign().await.map_err(unavailable)? else {
            return Ok(None);
        };
        let nominee = self
            .store
            .nominee(campaign.id, number)
            .await
            .map_err(unavailable)?;
        Ok(nominee.map(|nominee| ProfileData {
            campaign: view_of(campaign),
            nominee,
            form_key: form_key(),
        }))
    }

    async fn results(&self) -> Result<Option<ResultsSnapshot>, Unavailable> {
        let Some(campaign) = self.current_campaign().await.map_err(unavailable)? else {
            return Ok(None);
        };
        let snapshot = self.results_of(&campaign).await.map_err(unavailable)?;
        Ok(Some((*snapshot).clone()))
    }
}
