//! The use cases the pages and the JSON API share, composed from the store,
//! the results hub and Redis. The pages reach them through the app's
//! `PublicBackend` port; the API handlers call them directly.

use std::sync::Arc;

use alleyvote_domain::{
    Campaign, Millis, NomineeFilter, NomineeNumber, ResultsSnapshot, SearchQuery, StreetId,
};
use app::backend::{PublicBackend, Unavailable};
use app::model::{CampaignView, HomeData, NomineesData, ProfileData, SearchProblem, VoterToday};

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
    pub casting: crate::voting::Casting,
    pub organizers: Arc<crate::organizers::Organizers>,
    pub places: Arc<crate::places::Places>,
    pub signin: crate::signin::Signin,
    pub stations: Arc<crate::stations::Stations>,
}

/// A filter as typed into the search form, or why it cannot be used.
pub fn parse_filter(
    street: Option<&str>,
    query: Option<&str>,
) -> Result<NomineeFilter, SearchProblem> {
    let street = match street.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(StreetId(
            s.parse().map_err(|_| SearchProblem::UnknownStreet)?,
        )),
    };
    let query = match query {
        None => None,
        Some(q) => SearchQuery::parse(q).map_err(|e| match e {
            alleyvote_domain::nominee::SearchQueryError::TooLong => SearchProblem::TooLong,
            alleyvote_domain::nominee::SearchQueryError::BadNumber => SearchProblem::BadNumber,
        })?,
    };
    Ok(NomineeFilter { street, query })
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
        if let Some(s) = self.hub.current(&campaign.slug) {
            return Ok(s);
        }
        self.hub.refresh().await?;
        self.hub
            .current(&campaign.slug)
            .ok_or_else(|| StoreError::Corrupt(format!("no results for {}", campaign.slug)))
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

    /// Nominees of a campaign through a typed filter; unknown streets are a problem, not an error.
    pub async fn filtered_nominees(
        &self,
        campaign: &Campaign,
        street: Option<&str>,
        query: Option<&str>,
    ) -> StoreResult<Result<Vec<alleyvote_domain::NomineeSummary>, SearchProblem>> {
        let filter = match parse_filter(street, query) {
            Ok(f) => f,
            Err(p) => return Ok(Err(p)),
        };
        if let Some(street) = filter.street {
            if !self.store.streets().await?.iter().any(|s| s.id == street) {
                return Ok(Err(SearchProblem::UnknownStreet));
            }
        }
        Ok(Ok(self.store.nominees(campaign.id, &filter).await?))
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
            .filtered_nominees(&campaign, street.as_deref(), query.as_deref())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_what_the_form_sends() {
        assert_eq!(parse_filter(None, None), Ok(NomineeFilter::default()));
        assert_eq!(
            parse_filter(Some(""), Some("  ")),
            Ok(NomineeFilter::default())
        );
        assert_eq!(
            parse_filter(Some("3"), None).unwrap().street,
            Some(StreetId(3))
        );
        assert_eq!(
            parse_filter(Some("abc"), None),
            Err(SearchProblem::UnknownStreet)
        );
        assert_eq!(parse_filter(None, Some("0")), Err(SearchProblem::BadNumber));
        assert_eq!(
            parse_filter(None, Some(&"x".repeat(30))),
            Err(SearchProblem::TooLong)
        );
    }
}
