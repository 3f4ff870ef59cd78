//! Nominees: the console creates, edits, withdraws and restores them, with
//! photos re-encoded before they are stored; the public reads them.

pub mod api;
pub mod http;
pub mod pages;
pub mod parse;
pub mod qr;
pub mod search;
pub mod share_card;
pub mod storage;

use std::sync::Arc;

use alleyvote_domain::nominee::SearchProblem;
use alleyvote_domain::notice::NomineeProblem;
use alleyvote_domain::{Campaign, NomineeId, NomineeSummary};
use serde_json::json;

use crate::audit::{Actor, AuditAction, NewAuditEntry};
use crate::clock::Clock;
use crate::photos;
use crate::places::storage::PlaceStorage;
use crate::results::ResultsHub;
use crate::storage::StoreError;
use crate::web::multipart::Upload;
use storage::{NomineeStorage, PhotoSize};

/// Why a nominee change was refused.
#[derive(Debug, thiserror::Error)]
pub enum NomineeError {
    #[error("the form: {0:?}")]
    Form(NomineeProblem),
    #[error("no such nominee in the campaign")]
    Unknown,
    /// The nominee was saved, but the photo could not be.
    #[error("nominee {0:?} saved; its photo: {1:?}")]
    Photo(NomineeId, NomineeProblem),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for NomineeError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Duplicate(_) => NomineeError::Form(NomineeProblem::NumberTaken),
            StoreError::Published => NomineeError::Form(NomineeProblem::Published),
            e => NomineeError::Store(e),
        }
    }
}

pub struct Nominees {
    store: Arc<dyn NomineeStorage>,
    places: Arc<dyn PlaceStorage>,
    /// Told after each change, so the results show it at once.
    hub: ResultsHub,
    /// The clock every rule about time reads (one per instance: the
    /// configuration's, which a test may set).
    clock: Clock,
}

impl Nominees {
    pub fn new(
        store: Arc<dyn NomineeStorage>,
        places: Arc<dyn PlaceStorage>,
        hub: ResultsHub,
        clock: Clock,
    ) -> Self {
        Nominees {
            store,
            places,
            hub,
            clock,
        }
    }

    /// A new nominee from the console's form, with its photo if one came.
    #[tracing::instrument(skip_all, fields(campaign = %campaign.slug))]
    pub async fn create(
        &self,
        actor: Actor<'_>,
        campaign: &Campaign,
        upload: Upload,
    ) -> Result<NomineeId, NomineeError> {
        let communities = self.places.communities().await?;
        let nominee = parse::parse(&upload, &communities).map_err(NomineeError::Form)?;
        // Check the photo before anything is stored, so a bad one adds nothing.
        if let Some(file) = &upload.file {
            photos::check_format(file).map_err(|p| NomineeError::Form(parse::photo_problem(p)))?;
        }
        let audit = NewAuditEntry::new(actor, AuditAction::NomineeCreate, String::new())
            .after(parse::audit_json(&nominee));
        let id = self
            .store
            .create_nominee(campaign.id, &nominee, &audit, self.clock.now())
            .await?;
        if let Some(file) = upload.file {
            self.save_photo(actor, id, file)
                .await
                .map_err(|e| match e {
                    NomineeError::Form(problem) => NomineeError::Photo(id, problem),
                    e => e,
                })?;
        }
        self.hub.poke();
        Ok(id)
    }

    /// Edits a nominee, and replaces the photo if a new one came.
    #[tracing::instrument(skip_all, fields(nominee = id.0))]
    pub async fn update(
        &self,
        actor: Actor<'_>,
        campaign: &Campaign,
        id: NomineeId,
        upload: Upload,
    ) -> Result<(), NomineeError> {
        let records = self.store.nominee_records(campaign.id).await?;
        let before = records
            .iter()
            .find(|r| r.nominee.id == id)
            .ok_or(NomineeError::Unknown)?;
        let communities = self.places.communities().await?;
        let nominee = parse::parse(&upload, &communities).map_err(NomineeError::Form)?;
        let audit = NewAuditEntry::new(
            actor,
            AuditAction::NomineeUpdate,
            format!("nominee:{}", id.0),
        )
        .before(json!({
            "number": before.nominee.summary.number.get(),
            "name": before.nominee.summary.name,
            "community": before.community.0,
            "story": before.nominee.story,
        }))
        .after(parse::audit_json(&nominee));
        self.store
            .update_nominee(campaign.id, id, &nominee, &audit, self.clock.now())
            .await?;
        if let Some(file) = upload.file {
            self.save_photo(actor, id, file).await?;
        }
        self.hub.poke();
        Ok(())
    }

    /// Withdraws a nominee (`active` false) or brings one back. Votes already
    /// cast stay in the records.
    #[tracing::instrument(skip_all, fields(nominee = id.0, active))]
    pub async fn set_active(
        &self,
        actor: Actor<'_>,
        campaign: &Campaign,
        id: NomineeId,
        active: bool,
    ) -> Result<(), NomineeError> {
        let known = self
            .store
            .nominee_records(campaign.id)
            .await?
            .iter()
            .any(|r| r.nominee.id == id);
        if !known {
            return Err(NomineeError::Unknown);
        }
        let action = if active {
            AuditAction::NomineeRestore
        } else {
            AuditAction::NomineeWithdraw
        };
        let audit = NewAuditEntry::new(actor, action, format!("nominee:{}", id.0));
        self.store
            .set_nominee_active(id, active, &audit, self.clock.now())
            .await?;
        self.hub.poke();
        Ok(())
    }

    /// Re-encodes (off the async threads) and stores a photo.
    async fn save_photo(
        &self,
        actor: Actor<'_>,
        id: NomineeId,
        upload: Vec<u8>,
    ) -> Result<(), NomineeError> {
        let processed = photos::process_in_turn(upload)
            .await?
            .map_err(|p| NomineeError::Form(parse::photo_problem(p)))?;
        let now = self.clock.now();
        // The version in the address lets browsers cache each photo for good.
        let url = format!("/photos/{}/full.jpg?v={}", id.0, now.0);
        let audit = NewAuditEntry::new(
            actor,
            AuditAction::NomineePhoto,
            format!("nominee:{}", id.0),
        );
        self.store
            .save_photos(id, &processed.full, &processed.card, &url, &audit, now)
            .await?;
        Ok(())
    }

    /// Active nominees through the search form's filter; a street that is not
    /// there is a problem to show, not an error.
    pub async fn search(
        &self,
        campaign: &Campaign,
        street: Option<&str>,
        query: Option<&str>,
    ) -> Result<Result<Vec<NomineeSummary>, SearchProblem>, StoreError> {
        let filter = match search::parse_filter(street, query) {
            Ok(f) => f,
            Err(p) => return Ok(Err(p)),
        };
        if let Some(street) = filter.street {
            if !self.places.streets().await?.iter().any(|s| s.id == street) {
                return Ok(Err(SearchProblem::UnknownStreet));
            }
        }
        Ok(Ok(self.store.nominees(campaign.id, &filter).await?))
    }

    /// A stored photo.
    pub async fn photo(
        &self,
        id: NomineeId,
        size: PhotoSize,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        self.store.photo(id, size).await
    }
}
