//! Campaigns: their settings as organizers create and edit them, and the
//! lookup every request makes (memoised for a second per instance).

pub mod api;
pub mod http;
pub mod pages;
pub mod parse;
pub mod storage;

use std::sync::Arc;
use std::time::Duration;

use alleyvote_domain::notice::CampaignProblem;
use alleyvote_domain::Campaign;
use app::campaigns::forms::CampaignForm;

use crate::audit::{Actor, AuditAction, NewAuditEntry};
use crate::clock::Clock;
use crate::storage::{StoreError, StoreResult};
use crate::ttl_cache::Memo;
use storage::CampaignStorage;

/// Why a campaign change was refused.
#[derive(Debug, thiserror::Error)]
pub enum CampaignError {
    #[error("no such campaign")]
    Unknown,
    #[error("the form: {0:?}")]
    Form(CampaignProblem),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for CampaignError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Duplicate(_) => CampaignError::Form(CampaignProblem::SlugTaken),
            e => CampaignError::Store(e),
        }
    }
}

pub struct Campaigns {
    store: Arc<dyn CampaignStorage>,
    /// The campaign the public pages show; the latest if `None`.
    shown: Option<String>,
    /// Campaigns by slug, for a second: every vote names one.
    memo: Memo<String, Option<Campaign>>,
    /// The clock every rule about time reads (one per instance: the
    /// configuration's, which a test may set).
    clock: Clock,
}

impl Campaigns {
    pub fn new(store: Arc<dyn CampaignStorage>, shown: Option<String>, clock: Clock) -> Self {
        Campaigns {
            store,
            shown,
            memo: Memo::new(Duration::from_secs(1), 1_000),
            clock,
        }
    }

    /// A campaign by its slug; an organizer's change shows within a second.
    pub async fn get(&self, slug: &str) -> StoreResult<Option<Campaign>> {
        // A malformed slug (from a path anyone can type) names no campaign.
        if !parse::valid_slug(slug) {
            return Ok(None);
        }
        if let Some(known) = self.memo.get(&slug.to_string()) {
            return Ok(known);
        }
        let found = self.store.campaign(slug).await?;
        self.memo.put(slug.to_string(), found.clone());
        Ok(found)
    }

    /// Every campaign, the latest voting first.
    pub async fn all(&self) -> StoreResult<Vec<Campaign>> {
        self.store.campaigns().await
    }

    /// The campaign the public pages show: the configured one, else the latest.
    pub async fn current(&self) -> StoreResult<Option<Campaign>> {
        match &self.shown {
            Some(slug) => self.get(slug).await,
            None => Ok(self.store.campaigns().await?.into_iter().next()),
        }
    }

    /// Creates a campaign from the console's form.
    #[tracing::instrument(skip_all, fields(slug = %form.slug))]
    pub async fn create(
        &self,
        actor: Actor<'_>,
        form: &CampaignForm,
    ) -> Result<Campaign, CampaignError> {
        let settings = parse::parse_new(form, self.clock.now()).map_err(CampaignError::Form)?;
        let audit = NewAuditEntry::new(
            actor,
            AuditAction::CampaignCreate,
            format!("campaign:{}", settings.slug),
        )
        .after(parse::audit_json(&settings));
        self.store
            .create_campaign(&settings, &audit, self.clock.now())
            .await?;
        self.store
            .campaign(&settings.slug)
            .await?
            .ok_or(CampaignError::Unknown)
    }

    /// Changes a campaign's titles, phases, rules and results visibility.
    #[tracing::instrument(skip_all, fields(slug = %form.slug))]
    pub async fn update(
        &self,
        actor: Actor<'_>,
        form: &CampaignForm,
    ) -> Result<Campaign, CampaignError> {
        let current = self
            .store
            .campaign(&form.slug)
            .await?
            .ok_or(CampaignError::Unknown)?;
        let edited = parse::parse(form, &current).map_err(CampaignError::Form)?;
        let audit = NewAuditEntry::new(
            actor,
            AuditAction::CampaignUpdate,
            format!("campaign:{}", current.slug),
        )
        .before(parse::audit_json(&parse::as_new(&current)))
        .after(parse::audit_json(&edited));
        self.store
            .update_campaign(current.id, &edited, &audit, self.clock.now())
            .await?;
        self.memo.forget(&current.slug);
        Ok(current)
    }
}
