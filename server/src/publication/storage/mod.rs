//! Publication in storage: the ranking rule, the lots drawn, the stage after
//! voting (a change names the stage it was decided on and is refused as
//! stale if another came first; opening a notice copies the running tally
//! in the same transaction), and the objections with their answers.

use alleyvote_domain::organizer::OrganizerId;
use alleyvote_domain::publication::{
    Correction, CorrectionNote, CorrectionReason, Objection, ObjectionText, Publication,
    PublicationRefusal, Stage,
};
use alleyvote_domain::ranking::RankRule;
use alleyvote_domain::{CampaignId, Millis, NomineeNumber, Tally, VoterId};
use async_trait::async_trait;

use crate::audit::storage::AuditedWrite;
use crate::audit::{AuditAction, NewAuditEntry};
use crate::campaigns::storage::{FREEZE_TALLY, UNFREEZE_TALLY};
use crate::signin::reply::ReplyPhone;
use crate::storage::{Backend, Lock, PostgresStore, SqliteStore, StoreError, StoreResult, Tx};

mod correction;

pub use crate::results::published::{lot_places, rule_of, PublicationRow, LOTS_OF, RULE_OF};
pub use correction::{Corrected, DecidePublish};

/// Whether a change was made, or another came first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    Done,
    Stale,
}

/// How a publication step is decided: on the running tally (with its rule
/// and lots) as the step's own transaction reads it, into the publication
/// after the step and its audit entry, or a refusal.
/// (and whether a correction is under way).
pub type DecideStep<'a> = dyn Fn(&Tally, bool) -> Result<(Publication, NewAuditEntry), PublicationRefusal>
    + Send
    + Sync
    + 'a;

/// What became of a publication step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stepped {
    Done(Publication),
    /// Another step came first.
    Stale,
    /// Refused on the facts read in the step's transaction.
    Refused(PublicationRefusal),
}

/// Whether an objection was filed, or its author already filed the most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filed {
    Filed(i64),
    TooMany,
}

/// A lot as drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawnLot {
    pub seed: String,
    pub order: Vec<NomineeNumber>,
    pub by: OrganizerId,
    pub witness: String,
}

#[async_trait]
pub trait PublicationStorage: Send + Sync {
    /// The campaign's ranking rule, if one was chosen.
    async fn rank_rule(&self, campaign: CampaignId) -> StoreResult<Option<RankRule>>;
    async fn set_rank_rule(
        &self,
        campaign: CampaignId,
        rule: &RankRule,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()>;
    /// Whether any vote was ever cast in the campaign.
    async fn votes_cast(&self, campaign: CampaignId) -> StoreResult<bool>;
    /// Records an attempt that was refused (the entry alone).
    async fn record_refusal(&self, audit: &NewAuditEntry, now: Millis) -> StoreResult<()>;
    /// How many lots the campaign has drawn.
    async fn lots_drawn(&self, campaign: CampaignId) -> StoreResult<i64>;
    /// Adds a lot decided on `drawn_before` lots, while the count is closed
    /// (or a correction of the published count is open); `Stale` if another
    /// lot or a stage change came first.
    async fn add_lot(
        &self,
        campaign: CampaignId,
        lot: &DrawnLot,
        drawn_before: i64,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<Applied>;
    async fn publication(&self, campaign: CampaignId) -> StoreResult<Option<Publication>>;
    /// Moves the campaign on from stage `from` (`None`: still voting), as
    /// `decide` says on the facts read in the same transaction.
    async fn set_publication(
        &self,
        campaign: CampaignId,
        from: Option<Stage>,
        decide: &DecideStep<'_>,
        now: Millis,
    ) -> StoreResult<Stepped>;
    /// Files an objection unless its author already filed `most`; `reply`
    /// is the author's own number, sealed, to text when it is answered.
    async fn file_objection(
        &self,
        campaign: CampaignId,
        voter: VoterId,
        text: &ObjectionText,
        reply: Option<&ReplyPhone>,
        most: u32,
        now: Millis,
    ) -> StoreResult<Filed>;
    /// The sealed number an objection's author gave to be texted back.
    async fn reply_phone(&self, campaign: CampaignId, id: i64) -> StoreResult<Option<Vec<u8>>>;
    /// A phone voter's keyed identity (`None` for a ballot card's holder).
    async fn voter_identity(&self, voter: VoterId) -> StoreResult<Option<[u8; 32]>>;
    /// Answers an objection of the campaign that has no answer yet.
    async fn answer_objection(
        &self,
        campaign: CampaignId,
        id: i64,
        answer: &str,
        by: OrganizerId,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<Applied>;
    /// Every objection of the campaign, oldest first.
    async fn objections(&self, campaign: CampaignId) -> StoreResult<Vec<Objection>>;
    /// One resident's objections, oldest first.
    async fn objections_of(
        &self,
        campaign: CampaignId,
        voter: VoterId,
    ) -> StoreResult<Vec<Objection>>;
    /// Every correction of the campaign, oldest first.
    async fn corrections(&self, campaign: CampaignId) -> StoreResult<Vec<Correction>>;
    /// Proposes a correction, if the results are published and no other
    /// is under way.
    async fn propose_correction(
        &self,
        campaign: CampaignId,
        reason: &CorrectionReason,
        by: OrganizerId,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<Corrected<i64>>;
    /// Confirms a proposed correction by a second administrator: it opens.
    async fn confirm_correction(
        &self,
        campaign: CampaignId,
        id: i64,
        by: OrganizerId,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<Corrected<()>>;
    /// Cancels a correction not confirmed yet.
    async fn cancel_correction(
        &self,
        campaign: CampaignId,
        id: i64,
        by: OrganizerId,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<Corrected<()>>;
    /// Publishes an open correction as `decide` says: the tally is stored
    /// again and the revision moves, in one transaction.
    async fn publish_correction(
        &self,
        campaign: CampaignId,
        id: i64,
        by: OrganizerId,
        decide: &DecidePublish<'_>,
        now: Millis,
    ) -> StoreResult<Corrected<CorrectionNote>>;
}

const VOTES_CAST: &str = "SELECT EXISTS (SELECT 1 FROM votes WHERE campaign_id = $1)";

const SET_RULE: &str = "INSERT INTO rank_rules (campaign_id, rule, updated_at_ms) VALUES ($1, $2, $3) \
     ON CONFLICT (campaign_id) DO UPDATE SET rule = excluded.rule, updated_at_ms = excluded.updated_at_ms";

const LOTS_DRAWN: &str = "SELECT CAST(COUNT(*) AS BIGINT) FROM lots WHERE campaign_id = $1";

const ADD_LOT: &str =
    "INSERT INTO lots (campaign_id, seed, drawn_order, drawn_by, witness, drawn_at_ms) \
     VALUES ($1, $2, $3, $4, $5, $6)";

const STAGE_OF: &str = "SELECT stage FROM publications WHERE campaign_id = $1";

/// The campaign a tally sheet counts into (through its station).
pub const CAMPAIGN_OF_SHEET: &str = "SELECT st.campaign_id FROM tally_sheets t \
     JOIN stations st ON st.id = t.station_id WHERE t.id = $1";

/// The entry that records a write the published results forbid: who tried
/// what on which subject, and what it would have changed.
pub fn published_refusal(attempt: &NewAuditEntry) -> NewAuditEntry {
    NewAuditEntry {
        action: AuditAction::LockedRefused,
        before: None,
        after: Some(serde_json::json!({
            "refused": attempt.action.as_str(),
            "change": attempt.after,
        })),
        ..attempt.clone()
    }
}

const PUBLICATION_OF: &str = concat!(
    "SELECT ",
    crate::publication_columns!(),
    " FROM publications p WHERE p.campaign_id = $1"
);

const OPEN_PUBLICATION: &str = "INSERT INTO publications \
     (campaign_id, stage, closed_at_ms, notice_start_ms, notice_end_ms, final_at_ms, unreported_reason) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (campaign_id) DO NOTHING";

const MOVE_PUBLICATION: &str = "UPDATE publications SET stage = $2, closed_at_ms = $3, \
     notice_start_ms = $4, notice_end_ms = $5, final_at_ms = $6, unreported_reason = $7 \
     WHERE campaign_id = $1 AND stage = $8";

const OBJECTIONS_BY: &str =
    "SELECT CAST(COUNT(*) AS BIGINT) FROM objections WHERE campaign_id = $1 AND voter_id = $2";

const FILE_OBJECTION: &str = "INSERT INTO objections \
     (campaign_id, voter_id, nominee_number, reason, contact, filed_at_ms, reply_phone_sealed, reply_phone_masked) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";

const REPLY_PHONE: &str =
    "SELECT reply_phone_sealed FROM objections WHERE campaign_id = $1 AND id = $2";

const ANSWER_OBJECTION: &str =
    "UPDATE objections SET answer = $3, answered_by = $4, answered_at_ms = $5 \
     WHERE campaign_id = $1 AND id = $2 AND answer IS NULL";

const OBJECTION_COLUMNS: &str =
    "SELECT o.id, o.nominee_number, o.reason, o.contact, o.reply_phone_masked, o.filed_at_ms, \
     o.answer, a.display_name AS answered_by, o.answered_at_ms \
     FROM objections o LEFT JOIN organizers a ON a.id = o.answered_by";

#[derive(sqlx::FromRow)]
struct ObjectionRow {
    id: i64,
    nominee_number: Option<i64>,
    reason: String,
    contact: String,
    reply_phone_masked: Option<String>,
    filed_at_ms: i64,
    answer: Option<String>,
    answered_by: Option<String>,
    answered_at_ms: Option<i64>,
}

impl TryFrom<ObjectionRow> for Objection {
    type Error = StoreError;

    fn try_from(r: ObjectionRow) -> StoreResult<Self> {
        let nominee = r
            .nominee_number
            .map(|n| {
                i32::try_from(n)
                    .map_err(|_| StoreError::Corrupt(format!("nominee number {n}")))
                    .and_then(crate::storage::rows::number)
            })
            .transpose()?;
        Ok(Objection {
            id: r.id,
            nominee,
            reason: r.reason,
            contact: r.contact,
            reply_phone_masked: r.reply_phone_masked,
            filed_at: Millis(r.filed_at_ms),
            answer: r.answer,
            answered_by: r.answered_by,
            answered_at: r.answered_at_ms.map(Millis),
        })
    }
}

fn json<T: serde::Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(format!("json: {e}")))
}

/// How a write the published results may forbid asks first: the stage
/// (under its lock) and the refusal, for every capability's storage.
#[async_trait]
pub(crate) trait StageGuard: AuditedWrite {
    /// The campaign's stage as a write decides on it: read in `tx` under
    /// the stage lock, so a stage change in flight is waited for and one
    /// asked for later waits for `tx` to end.
    async fn stage_in(tx: &mut Tx<Self>, campaign: CampaignId) -> StoreResult<Option<Stage>>;

    /// Whether the published ranking forbids a change now: the results are
    /// published (on notice, or final), as [`Self::stage_in`] reads it, and
    /// no confirmed correction is open.
    async fn published_in(tx: &mut Tx<Self>, campaign: CampaignId) -> StoreResult<bool>;

    /// Refuses a write the published results forbid: its transaction is
    /// rolled back, and the attempt alone is recorded.
    async fn refuse_published(
        &self,
        tx: Tx<Self>,
        attempt: &NewAuditEntry,
        now: Millis,
    ) -> StoreError;
}

// A macro, not a generic impl: generic over sqlx's `Database` this slice would
// need the executor and arguments bounds plus one for each type bound into or
// decoded from its queries (at least 5 row types here); the macro is shorter.
// See `crate::storage`.
macro_rules! publication_storage {
    ($backend:ty) => {
        #[async_trait]
        impl StageGuard for $backend {
            async fn stage_in(
                tx: &mut Tx<Self>,
                campaign: CampaignId,
            ) -> StoreResult<Option<Stage>> {
                Self::lock(tx, Lock::Stage(campaign)).await?;
                let stage: Option<String> = sqlx::query_scalar(STAGE_OF)
                    .bind(campaign.0)
                    .fetch_optional(&mut **tx)
                    .await?;
                stage
                    .map(|s| {
                        Stage::parse(&s)
                            .ok_or_else(|| StoreError::Corrupt(format!("publication stage {s}")))
                    })
                    .transpose()
            }

            async fn published_in(
                tx: &mut Tx<Self>,
                campaign: CampaignId,
            ) -> StoreResult<bool> {
                Ok(matches!(
                    Self::stage_in(tx, campaign).await?,
                    Some(Stage::Notice | Stage::Final)
                ) && !Self::correcting_in(tx, campaign).await?)
            }

            async fn refuse_published(
                &self,
                tx: Tx<Self>,
                attempt: &NewAuditEntry,
                now: Millis,
            ) -> StoreError {
                let recorded = async {
                    tx.rollback().await?;
                    let tx = self.begin().await?;
                    self.commit_audited(tx, &published_refusal(attempt), now)
                        .await
                }
                .await;
                match recorded {
                    Ok(_) => StoreError::Published,
                    Err(e) => e,
                }
            }
        }

        #[async_trait]
        impl PublicationStorage for $backend {
            async fn rank_rule(&self, campaign: CampaignId) -> StoreResult<Option<RankRule>> {
                let json: Option<String> = sqlx::query_scalar(RULE_OF)
                    .bind(campaign.0)
                    .fetch_optional(self.read())
                    .await?;
                rule_of(json)
            }

            async fn set_rank_rule(
                &self,
                campaign: CampaignId,
                rule: &RankRule,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<()> {
                let mut tx = self.begin().await?;
                sqlx::query(SET_RULE)
                    .bind(campaign.0)
                    .bind(json(rule)?)
                    .bind(now.0)
                    .execute(&mut *tx)
                    .await?;
                self.commit_audited(tx, audit, now).await?;
                Ok(())
            }

            async fn votes_cast(&self, campaign: CampaignId) -> StoreResult<bool> {
                Ok(sqlx::query_scalar(VOTES_CAST)
                    .bind(campaign.0)
                    .fetch_one(self.read())
                    .await?)
            }

            async fn record_refusal(&self, audit: &NewAuditEntry, now: Millis) -> StoreResult<()> {
                let tx = self.begin().await?;
                self.commit_audited(tx, audit, now).await?;
                Ok(())
            }

            async fn lots_drawn(&self, campaign: CampaignId) -> StoreResult<i64> {
                Ok(sqlx::query_scalar(LOTS_DRAWN)
                    .bind(campaign.0)
                    .fetch_one(self.read())
                    .await?)
            }

            async fn add_lot(
                &self,
                campaign: CampaignId,
                lot: &DrawnLot,
                drawn_before: i64,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<Applied> {
                let mut tx = self.begin().await?;
                // Compare and set: drawn on the closed count, and on the
                // lots the tie was read with (two draws at once: one wins).
                // (or on a published one, while a correction is open).
                let drawable = match Self::stage_in(&mut tx, campaign).await? {
                    Some(Stage::Closed) => true,
                    Some(Stage::Notice | Stage::Final) => {
                        Self::correcting_in(&mut tx, campaign).await?
                    }
                    None => false,
                };
                if !drawable {
                    return Ok(Applied::Stale);
                }
                let drawn: i64 = sqlx::query_scalar(LOTS_DRAWN)
                    .bind(campaign.0)
                    .fetch_one(&mut *tx)
                    .await?;
                if drawn != drawn_before {
                    return Ok(Applied::Stale);
                }
                sqlx::query(ADD_LOT)
                    .bind(campaign.0)
                    .bind(&lot.seed)
                    .bind(json(&lot.order)?)
                    .bind(lot.by.0)
                    .bind(&lot.witness)
                    .bind(now.0)
                    .execute(&mut *tx)
                    .await?;
                self.commit_audited(tx, audit, now).await?;
                Ok(Applied::Done)
            }

            async fn publication(&self, campaign: CampaignId) -> StoreResult<Option<Publication>> {
                let row: Option<PublicationRow> = sqlx::query_as(PUBLICATION_OF)
                    .bind(campaign.0)
                    .fetch_optional(self.read())
                    .await?;
                Ok(row.map(PublicationRow::publication).transpose()?.flatten())
            }

            async fn set_publication(
                &self,
                campaign: CampaignId,
                from: Option<Stage>,
                decide: &DecideStep<'_>,
                now: Millis,
            ) -> StoreResult<Stepped> {
                let mut tx = self.begin().await?;
                // Held until commit: writes the stage forbids, and lots,
                // wait for the change or see it. Then the tallies: the facts
                // the step checks (lot pending, stations reported) are the
                // ones the notice publishes.
                if Self::stage_in(&mut tx, campaign).await? != from {
                    return Ok(Stepped::Stale);
                }
                let underway = Self::correction_underway_in(&mut tx, campaign).await?;
                Self::lock(&mut tx, Lock::Tallies).await?;
                let tally = Self::tally_in(&mut tx, campaign).await?;
                let (to, audit) = match decide(&tally, underway) {
                    Ok(decided) => decided,
                    Err(refusal) => return Ok(Stepped::Refused(refusal)),
                };
                let (to, audit) = (&to, &audit);
                let (sql, from) = match from {
                    None => (OPEN_PUBLICATION, None),
                    Some(stage) => (MOVE_PUBLICATION, Some(stage.as_str())),
                };
                let mut q = sqlx::query(sql)
                    .bind(campaign.0)
                    .bind(to.stage.as_str())
                    .bind(to.closed_at.0)
                    .bind(to.notice_start.map(|m| m.0))
                    .bind(to.notice_end.map(|m| m.0))
                    .bind(to.final_at.map(|m| m.0))
                    .bind(to.unreported_reason.as_deref());
                if let Some(from) = from {
                    q = q.bind(from);
                }
                if q.execute(&mut *tx).await?.rows_affected() == 0 {
                    return Ok(Stepped::Stale);
                }
                if to.stage == Stage::Notice {
                    // The notice publishes the tally as it is now: every
                    // instance shows these numbers until it is withdrawn.
                    sqlx::query("DELETE FROM frozen_tallies WHERE campaign_id = $1")
                        .bind(campaign.0)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(FREEZE_TALLY)
                        .bind(campaign.0)
                        .execute(&mut *tx)
                        .await?;
                } else if to.stage == Stage::Closed && from.is_some() {
                    // A withdrawn notice: its published tally goes.
                    sqlx::query(UNFREEZE_TALLY)
                        .bind(campaign.0)
                        .execute(&mut *tx)
                        .await?;
                }
                self.commit_audited(tx, audit, now).await?;
                Ok(Stepped::Done(to.clone()))
            }

            async fn file_objection(
                &self,
                campaign: CampaignId,
                voter: VoterId,
                text: &ObjectionText,
                reply: Option<&ReplyPhone>,
                most: u32,
                now: Millis,
            ) -> StoreResult<Filed> {
                let mut tx = self.begin().await?;
                // One resident's objections are counted and added in turn.
                Self::lock(&mut tx, Lock::Voters(&[voter])).await?;
                let filed: i64 = sqlx::query_scalar(OBJECTIONS_BY)
                    .bind(campaign.0)
                    .bind(voter.0)
                    .fetch_one(&mut *tx)
                    .await?;
                if filed >= i64::from(most) {
                    return Ok(Filed::TooMany);
                }
                let id: i64 = sqlx::query_scalar(FILE_OBJECTION)
                    .bind(campaign.0)
                    .bind(voter.0)
                    .bind(text.nominee.map(|n| i64::from(n.get())))
                    .bind(&text.reason)
                    .bind(&text.contact)
                    .bind(now.0)
                    .bind(reply.map(|r| r.sealed.clone()))
                    .bind(reply.map(|r| r.masked.as_str()))
                    .fetch_one(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(Filed::Filed(id))
            }

            async fn reply_phone(
                &self,
                campaign: CampaignId,
                id: i64,
            ) -> StoreResult<Option<Vec<u8>>> {
                let sealed: Option<Option<Vec<u8>>> = sqlx::query_scalar(REPLY_PHONE)
                    .bind(campaign.0)
                    .bind(id)
                    .fetch_optional(self.read())
                    .await?;
                Ok(sealed.flatten())
            }

            async fn voter_identity(&self, voter: VoterId) -> StoreResult<Option<[u8; 32]>> {
                let hash: Option<Vec<u8>> =
                    sqlx::query_scalar(crate::signin::storage::VOTER_IDENTITY)
                        .bind(voter.0)
                        .fetch_optional(self.read())
                        .await?;
                Ok(hash.and_then(|h| <[u8; 32]>::try_from(h.as_slice()).ok()))
            }

            async fn answer_objection(
                &self,
                campaign: CampaignId,
                id: i64,
                answer: &str,
                by: OrganizerId,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<Applied> {
                let mut tx = self.begin().await?;
                let done = sqlx::query(ANSWER_OBJECTION)
                    .bind(campaign.0)
                    .bind(id)
                    .bind(answer)
                    .bind(by.0)
                    .bind(now.0)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Ok(Applied::Stale);
                }
                self.commit_audited(tx, audit, now).await?;
                Ok(Applied::Done)
            }

            async fn objections(&self, campaign: CampaignId) -> StoreResult<Vec<Objection>> {
                let sql = format!("{OBJECTION_COLUMNS} WHERE o.campaign_id = $1 ORDER BY o.id");
                let rows: Vec<ObjectionRow> = sqlx::query_as(&sql)
                    .bind(campaign.0)
                    .fetch_all(self.read())
                    .await?;
                crate::storage::rows::collect(rows)
            }

            async fn objections_of(
                &self,
                campaign: CampaignId,
                voter: VoterId,
            ) -> StoreResult<Vec<Objection>> {
                let sql = format!(
                    "{OBJECTION_COLUMNS} WHERE o.campaign_id = $1 AND o.voter_id = $2 ORDER BY o.id"
                );
                let rows: Vec<ObjectionRow> = sqlx::query_as(&sql)
                    .bind(campaign.0)
                    .bind(voter.0)
                    .fetch_all(self.read())
                    .await?;
                crate::storage::rows::collect(rows)
            }

            async fn corrections(&self, campaign: CampaignId) -> StoreResult<Vec<Correction>> {
                self.stored_corrections(campaign).await
            }

            async fn propose_correction(
                &self,
                campaign: CampaignId,
                reason: &CorrectionReason,
                by: OrganizerId,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<Corrected<i64>> {
                self.propose_stored_correction(campaign, reason, by, audit, now)
                    .await
            }

            async fn confirm_correction(
                &self,
                campaign: CampaignId,
                id: i64,
                by: OrganizerId,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<Corrected<()>> {
                self.confirm_stored_correction(campaign, id, by, audit, now)
                    .await
            }

            async fn cancel_correction(
                &self,
                campaign: CampaignId,
                id: i64,
                by: OrganizerId,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<Corrected<()>> {
                self.cancel_stored_correction(campaign, id, by, audit, now)
                    .await
            }

            async fn publish_correction(
                &self,
                campaign: CampaignId,
                id: i64,
                by: OrganizerId,
                decide: &DecidePublish<'_>,
                now: Millis,
            ) -> StoreResult<Corrected<CorrectionNote>> {
                self.publish_stored_correction(campaign, id, by, decide, now)
                    .await
            }
        }
    };
}

publication_storage!(SqliteStore);
publication_storage!(PostgresStore);
