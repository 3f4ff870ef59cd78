//! The public pages' port ([`PublicBackend`]): what each page shows, read
//! from the capabilities. The pages reach it through Leptos server functions.

use alleyvote_domain::{Campaign, Millis, NomineeFilter, NomineeNumber, ResultsSnapshot};
use app::backend::{PublicBackend, Unavailable};
use app::model::{CampaignView, HomeData, NomineesData, ProfileData};

use crate::services::Services;
use crate::storage::StoreError;

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
        Ok(Some(ProfileData {
            campaign: view_of(campaign),
            nominee,
            nominators,
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
