//! The correction procedure (更正) as the console takes it: one
//! administrator proposes with a written reason, a second confirms, the
//! changes are made while it is open, and publishing it stores the corrected
//! ranking as a new revision with its public note. The rules are the
//! domain's (`alleyvote_domain::publication::correction`); every step is
//! audited, and a refused one changes nothing.

use alleyvote_domain::publication::{
    Correction, CorrectionNote, CorrectionReason, CorrectionRefusal, ResultsStage, Stage,
};
use alleyvote_domain::{Campaign, ResultsSnapshot, Tally};
use serde_json::json;

use super::storage::Corrected;
use super::{PublicationError, Publications};
use crate::audit::{Actor, AuditAction, NewAuditEntry};
use crate::storage::StoreError;

/// A correction step's outcome as the use case answers it.
fn outcome<T>(done: Corrected<T>) -> Result<T, PublicationError> {
    match done {
        Corrected::Done(t) => Ok(t),
        Corrected::Refused(r) => Err(PublicationError::Correction(r)),
    }
}

impl Publications {
    /// Every correction of the campaign, oldest first.
    pub async fn corrections(&self, campaign: &Campaign) -> Result<Vec<Correction>, StoreError> {
        self.store.corrections(campaign.id).await
    }

    /// Proposes a correction of the published ranking, with its reason.
    #[tracing::instrument(skip_all, fields(campaign = %campaign.slug))]
    pub async fn propose_correction(
        &self,
        actor: Actor<'_>,
        campaign: &Campaign,
        reason: &str,
    ) -> Result<i64, PublicationError> {
        let reason = CorrectionReason::parse(reason).map_err(PublicationError::Correction)?;
        let Some(by) = actor.id else {
            return Err(PublicationError::Moved);
        };
        let audit = NewAuditEntry::new(
            actor,
            AuditAction::CorrectionProposed,
            format!("campaign:{}", campaign.slug),
        )
        .after(json!({ "campaign": campaign.slug, "reason": reason.as_str() }));
        let id = outcome(
            self.store
                .propose_correction(campaign.id, &reason, by, &audit, self.clock.now())
                .await?,
        )?;
        self.hub.poke();
        Ok(id)
    }

    /// A second administrator confirms: the correction opens.
    #[tracing::instrument(skip_all, fields(campaign = %campaign.slug, id))]
    pub async fn confirm_correction(
        &self,
        actor: Actor<'_>,
        campaign: &Campaign,
        id: i64,
    ) -> Result<(), PublicationError> {
        let Some(by) = actor.id else {
            return Err(PublicationError::Moved);
        };
        let audit = NewAuditEntry::new(
            actor,
            AuditAction::CorrectionConfirmed,
            format!("correction:{id}"),
        )
        .after(json!({ "campaign": campaign.slug, "state": "open" }));
        outcome(
            self.store
                .confirm_correction(campaign.id, id, by, &audit, self.clock.now())
                .await?,
        )?;
        self.hub.poke();
        Ok(())
    }

    /// Cancels a correction not confirmed yet.
    #[tracing::instrument(skip_all, fields(campaign = %campaign.slug, id))]
    pub async fn cancel_correction(
        &self,
        actor: Actor<'_>,
        campaign: &Campaign,
        id: i64,
    ) -> Result<(), PublicationError> {
        let Some(by) = actor.id else {
            return Err(PublicationError::Moved);
        };
        let audit = NewAuditEntry::new(
            actor,
            AuditAction::CorrectionCancelled,
            format!("correction:{id}"),
        )
        .after(json!({ "campaign": campaign.slug, "state": "cancelled" }));
        outcome(
            self.store
                .cancel_correction(campaign.id, id, by, &audit, self.clock.now())
                .await?,
        )?;
        Ok(())
    }

    /// Publishes an open correction: the running tally becomes the
    /// published one, as a new revision with a note of what changed.
    #[tracing::instrument(skip_all, fields(campaign = %campaign.slug, id))]
    pub async fn publish_correction(
        &self,
        actor: Actor<'_>,
        campaign: &Campaign,
        id: i64,
    ) -> Result<CorrectionNote, PublicationError> {
        let Some(by) = actor.id else {
            return Err(PublicationError::Moved);
        };
        let now = self.clock.now();
        let Some(publication) = self.store.publication(campaign.id).await? else {
            return Err(PublicationError::Correction(
                CorrectionRefusal::NotPublished,
            ));
        };
        let stage = match publication.stage {
            Stage::Final => ResultsStage::Final,
            _ => ResultsStage::Notice,
        };
        let at = publication.notice_start.unwrap_or(now);
        let decide =
            |correction: &Correction, revision: u32, published: &Tally, running: &Tally| {
                let before = ResultsSnapshot::build(campaign, stage, published.clone(), at);
                let after = ResultsSnapshot::build(campaign, stage, running.clone(), at);
                correction.may_publish(&before, &after)?;
                let note =
                    CorrectionNote::between(revision, now, &correction.reason, &before, &after);
                let audit = NewAuditEntry::new(
                    actor,
                    AuditAction::CorrectionPublished,
                    format!("correction:{}", correction.id),
                )
                .before(json!({
                    "revision": revision - 1,
                    "total_votes": before.total_votes,
                    "winners": winners(&before),
                }))
                .after(json!({
                    "revision": revision,
                    "total_votes": after.total_votes,
                    "winners": winners(&after),
                    "note": note,
                }));
                Ok((note, audit))
            };
        let note = outcome(
            self.store
                .publish_correction(campaign.id, id, by, &decide, now)
                .await?,
        )?;
        self.hub.poke();
        Ok(note)
    }
}

fn winners(s: &ResultsSnapshot) -> Vec<u16> {
    s.entries
        .iter()
        .filter(|e| e.winner)
        .map(|e| e.number.get())
        .collect()
}
