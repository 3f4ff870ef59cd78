//! Corrections in storage. Every step reads the correction and the stage
//! under the stage lock, so it decides on what is stored when it commits;
//! publishing one stores the tally again and moves the revision in the same
//! transaction, and while a correction is open the writes the published
//! ranking forbids are let through (`published_in`).

use alleyvote_domain::organizer::OrganizerId;
use alleyvote_domain::publication::correction::may_propose;
use alleyvote_domain::publication::{
    Correction, CorrectionNote, CorrectionReason, CorrectionRefusal, CorrectionState, Stage,
};
use alleyvote_domain::{CampaignId, Millis, Tally};

use super::StageGuard;
use crate::audit::storage::AuditedWrite;
use crate::audit::NewAuditEntry;
use crate::campaigns::storage::FREEZE_TALLY;
use crate::results::published::note_of;
use crate::storage::{Backend, Lock, PostgresStore, SqliteStore, StoreError, StoreResult, Tx};

/// What became of a correction step: done, or refused on what the step's
/// transaction read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Corrected<T> {
    Done(T),
    Refused(CorrectionRefusal),
}

/// How publishing a correction is decided: on the correction, the revision
/// it would publish, the tally published now and the running one (both read
/// in the publishing transaction), into the public note and the audit entry.
pub type DecidePublish<'a> = dyn Fn(
        &Correction,
        u32,
        &Tally,
        &Tally,
    ) -> Result<(CorrectionNote, NewAuditEntry), CorrectionRefusal>
    + Send
    + Sync
    + 'a;

/// Every correction of a campaign with who took each step, oldest first.
const CORRECTIONS_OF: &str =
    "SELECT r.id, r.state, r.reason, r.proposed_by, p.display_name AS proposed_by_name, \
     r.proposed_at_ms, c.display_name AS confirmed_by_name, r.confirmed_at_ms, \
     e.display_name AS ended_by_name, r.ended_at_ms, r.note \
     FROM result_corrections r JOIN organizers p ON p.id = r.proposed_by \
     LEFT JOIN organizers c ON c.id = r.confirmed_by LEFT JOIN organizers e ON e.id = r.ended_by \
     WHERE r.campaign_id = $1";

const OPEN_CORRECTION: &str =
    "SELECT EXISTS (SELECT 1 FROM result_corrections WHERE campaign_id = $1 AND state = 'open')";

const PROPOSE: &str = "INSERT INTO result_corrections \
     (campaign_id, state, reason, proposed_by, proposed_at_ms) VALUES ($1, 'proposed', $2, $3, $4) RETURNING id";

const CONFIRM: &str =
    "UPDATE result_corrections SET state = 'open', confirmed_by = $3, confirmed_at_ms = $4 \
     WHERE campaign_id = $1 AND id = $2 AND state = 'proposed'";

const CANCEL: &str =
    "UPDATE result_corrections SET state = 'cancelled', ended_by = $3, ended_at_ms = $4 \
     WHERE campaign_id = $1 AND id = $2 AND state = 'proposed'";

const PUBLISHED: &str = "UPDATE result_corrections SET state = 'published', ended_by = $3, ended_at_ms = $4, note = $5 \
     WHERE campaign_id = $1 AND id = $2 AND state = 'open'";

const REVISION_OF: &str = "SELECT revision FROM publications WHERE campaign_id = $1";

const NEXT_REVISION: &str = "UPDATE publications SET revision = $2 WHERE campaign_id = $1";

#[derive(sqlx::FromRow)]
struct CorrectionRow {
    id: i64,
    state: String,
    reason: String,
    proposed_by: i64,
    proposed_by_name: String,
    proposed_at_ms: i64,
    confirmed_by_name: Option<String>,
    confirmed_at_ms: Option<i64>,
    ended_by_name: Option<String>,
    ended_at_ms: Option<i64>,
    note: Option<String>,
}

impl TryFrom<CorrectionRow> for Correction {
    type Error = StoreError;

    fn try_from(r: CorrectionRow) -> StoreResult<Self> {
        Ok(Correction {
            id: r.id,
            state: CorrectionState::parse(&r.state)
                .ok_or_else(|| StoreError::Corrupt(format!("correction state {}", r.state)))?,
            reason: r.reason,
            proposed_by: OrganizerId(r.proposed_by),
            proposed_by_name: r.proposed_by_name,
            proposed_at: Millis(r.proposed_at_ms),
            confirmed_by_name: r.confirmed_by_name,
            confirmed_at: r.confirmed_at_ms.map(Millis),
            ended_by_name: r.ended_by_name,
            ended_at: r.ended_at_ms.map(Millis),
            note: r.note.as_deref().map(note_of).transpose()?,
        })
    }
}

// A macro, not a generic impl: generic over sqlx's `Database` this slice would
// need the executor and arguments bounds plus one for each type bound into or
// decoded from its queries (at least 3 row types here), and again on each of
// its 9 helper functions; the macro is shorter. See `crate::storage`.
macro_rules! correction_storage {
    ($backend:ty) => {
        impl $backend {
            /// Whether a confirmed correction is open: the published
            /// ranking lets the changes it forbids through meanwhile.
            pub(crate) async fn correcting_in(
                tx: &mut Tx<Self>,
                campaign: CampaignId,
            ) -> StoreResult<bool> {
                Ok(sqlx::query_scalar(OPEN_CORRECTION)
                    .bind(campaign.0)
                    .fetch_one(&mut **tx)
                    .await?)
            }

            /// Whether a correction is proposed or open (read in `tx`).
            pub(crate) async fn correction_underway_in(
                tx: &mut Tx<Self>,
                campaign: CampaignId,
            ) -> StoreResult<bool> {
                Ok(Self::corrections_in(tx, campaign)
                    .await?
                    .iter()
                    .any(|c| c.state.underway()))
            }

            async fn corrections_in(
                tx: &mut Tx<Self>,
                campaign: CampaignId,
            ) -> StoreResult<Vec<Correction>> {
                let sql = format!("{CORRECTIONS_OF} ORDER BY r.id");
                let rows: Vec<CorrectionRow> = sqlx::query_as(&sql)
                    .bind(campaign.0)
                    .fetch_all(&mut **tx)
                    .await?;
                crate::storage::rows::collect(rows)
            }

            /// The stage and the campaign's corrections, read under the
            /// stage lock, and the one asked for.
            async fn correction_in(
                tx: &mut Tx<Self>,
                campaign: CampaignId,
                id: i64,
            ) -> StoreResult<Option<Correction>> {
                Self::lock(tx, Lock::Stage(campaign)).await?;
                Ok(Self::corrections_in(tx, campaign)
                    .await?
                    .into_iter()
                    .find(|c| c.id == id))
            }

            pub(crate) async fn stored_corrections(
                &self,
                campaign: CampaignId,
            ) -> StoreResult<Vec<Correction>> {
                let sql = format!("{CORRECTIONS_OF} ORDER BY r.id");
                let rows: Vec<CorrectionRow> = sqlx::query_as(&sql)
                    .bind(campaign.0)
                    .fetch_all(self.read())
                    .await?;
                crate::storage::rows::collect(rows)
            }

            pub(crate) async fn propose_stored_correction(
                &self,
                campaign: CampaignId,
                reason: &CorrectionReason,
                by: OrganizerId,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<Corrected<i64>> {
                let mut tx = self.begin().await?;
                let stage = Self::stage_in(&mut tx, campaign).await?;
                let all = Self::corrections_in(&mut tx, campaign).await?;
                let underway = all.iter().find(|c| c.state.underway());
                if let Err(refusal) = may_propose(stage, underway) {
                    return Ok(Corrected::Refused(refusal));
                }
                let id: i64 = sqlx::query_scalar(PROPOSE)
                    .bind(campaign.0)
                    .bind(reason.as_str())
                    .bind(by.0)
                    .bind(now.0)
                    .fetch_one(&mut *tx)
                    .await?;
                let mut audit = audit.clone();
                audit.subject = format!("correction:{id}");
                self.commit_audited(tx, &audit, now).await?;
                Ok(Corrected::Done(id))
            }

            pub(crate) async fn confirm_stored_correction(
                &self,
                campaign: CampaignId,
                id: i64,
                by: OrganizerId,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<Corrected<()>> {
                let mut tx = self.begin().await?;
                let Some(correction) = Self::correction_in(&mut tx, campaign, id).await? else {
                    return Ok(Corrected::Refused(CorrectionRefusal::WrongState));
                };
                if let Err(refusal) = correction.may_confirm(by) {
                    return Ok(Corrected::Refused(refusal));
                }
                sqlx::query(CONFIRM)
                    .bind(campaign.0)
                    .bind(id)
                    .bind(by.0)
                    .bind(now.0)
                    .execute(&mut *tx)
                    .await?;
                self.commit_audited(tx, audit, now).await?;
                Ok(Corrected::Done(()))
            }

            pub(crate) async fn cancel_stored_correction(
                &self,
                campaign: CampaignId,
                id: i64,
                by: OrganizerId,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<Corrected<()>> {
                let mut tx = self.begin().await?;
                let Some(correction) = Self::correction_in(&mut tx, campaign, id).await? else {
                    return Ok(Corrected::Refused(CorrectionRefusal::WrongState));
                };
                if let Err(refusal) = correction.may_cancel() {
                    return Ok(Corrected::Refused(refusal));
                }
                sqlx::query(CANCEL)
                    .bind(campaign.0)
                    .bind(id)
                    .bind(by.0)
                    .bind(now.0)
                    .execute(&mut *tx)
                    .await?;
                self.commit_audited(tx, audit, now).await?;
                Ok(Corrected::Done(()))
            }

            pub(crate) async fn publish_stored_correction(
                &self,
                campaign: CampaignId,
                id: i64,
                by: OrganizerId,
                decide: &DecidePublish<'_>,
                now: Millis,
            ) -> StoreResult<Corrected<CorrectionNote>> {
                let mut tx = self.begin().await?;
                let Some(correction) = Self::correction_in(&mut tx, campaign, id).await? else {
                    return Ok(Corrected::Refused(CorrectionRefusal::WrongState));
                };
                if !matches!(
                    Self::stage_in(&mut tx, campaign).await?,
                    Some(Stage::Notice | Stage::Final)
                ) {
                    return Ok(Corrected::Refused(CorrectionRefusal::NotPublished));
                }
                // Writers of the tallies wait: the tally published is the
                // one the note compares.
                Self::lock(&mut tx, Lock::Tallies).await?;
                let published = Self::frozen_tally_in(&mut tx, campaign).await?;
                let running = Self::tally_in(&mut tx, campaign).await?;
                let revision: i64 = sqlx::query_scalar(REVISION_OF)
                    .bind(campaign.0)
                    .fetch_one(&mut *tx)
                    .await?;
                let next = u32::try_from(revision + 1)
                    .map_err(|_| StoreError::Corrupt(format!("revision {revision}")))?;
                let (note, audit) = match decide(&correction, next, &published, &running) {
                    Ok(decided) => decided,
                    Err(refusal) => return Ok(Corrected::Refused(refusal)),
                };
                sqlx::query("DELETE FROM frozen_tallies WHERE campaign_id = $1")
                    .bind(campaign.0)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(FREEZE_TALLY)
                    .bind(campaign.0)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(NEXT_REVISION)
                    .bind(campaign.0)
                    .bind(i64::from(next))
                    .execute(&mut *tx)
                    .await?;
                let json = serde_json::to_string(&note)
                    .map_err(|e| StoreError::Corrupt(format!("correction note: {e}")))?;
                sqlx::query(PUBLISHED)
                    .bind(campaign.0)
                    .bind(id)
                    .bind(by.0)
                    .bind(now.0)
                    .bind(json)
                    .execute(&mut *tx)
                    .await?;
                self.commit_audited(tx, &audit, now).await?;
                Ok(Corrected::Done(note))
            }
        }
    };
}

correction_storage!(SqliteStore);
correction_storage!(PostgresStore);
