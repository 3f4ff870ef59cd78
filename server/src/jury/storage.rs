//! The jury in storage: a campaign's judges and each judge's scores, by
//! nominee id (a renumbering moves nothing).

use alleyvote_domain::organizer::OrganizerId;
use alleyvote_domain::ranking::jury::JuryScore;
use alleyvote_domain::{CampaignId, Millis, NomineeNumber};
use async_trait::async_trait;
use sqlx::{Database, Encode, Executor, FromRow, IntoArguments, Type};

use crate::audit::NewAuditEntry;
use crate::publication::storage::StageGuard;
use crate::storage::rows::number;
use crate::storage::{StoreResult, Tx};

/// A judge with how many nominees they scored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JudgeProgress {
    pub id: OrganizerId,
    pub name: String,
    pub scored: u32,
}

#[async_trait]
pub trait JuryStorage: Send + Sync {
    async fn judges(&self, campaign: CampaignId) -> StoreResult<Vec<JudgeProgress>>;
    async fn appoint_judge(
        &self,
        campaign: CampaignId,
        organizer: OrganizerId,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()>;
    /// A judge's scores, by nominee number.
    async fn scores_of(
        &self,
        campaign: CampaignId,
        judge: OrganizerId,
    ) -> StoreResult<Vec<(NomineeNumber, u8)>>;
    /// Sets (or, for `None`, takes back) a judge's scores for active nominees.
    async fn save_scores(
        &self,
        campaign: CampaignId,
        judge: OrganizerId,
        scores: &[(NomineeNumber, Option<JuryScore>)],
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()>;
}

const JUDGES: &str = "SELECT m.organizer_id, o.display_name, \
     (SELECT CAST(COUNT(*) AS BIGINT) FROM jury_scores js JOIN nominees n ON n.id = js.nominee_id \
      WHERE n.campaign_id = m.campaign_id AND js.organizer_id = m.organizer_id) AS scored \
     FROM jury_members m JOIN organizers o ON o.id = m.organizer_id \
     WHERE m.campaign_id = $1 ORDER BY m.appointed_at_ms, m.organizer_id";

const APPOINT: &str = "INSERT INTO jury_members (campaign_id, organizer_id, appointed_at_ms) \
     VALUES ($1, $2, $3) ON CONFLICT (campaign_id, organizer_id) DO NOTHING";

const SCORES_OF: &str =
    "SELECT n.number, js.score FROM jury_scores js JOIN nominees n ON n.id = js.nominee_id \
     WHERE n.campaign_id = $1 AND js.organizer_id = $2 ORDER BY n.number";

const SET_SCORE: &str = "INSERT INTO jury_scores (nominee_id, organizer_id, score, scored_at_ms) \
     SELECT n.id, $2, $3, $4 FROM nominees n WHERE n.campaign_id = $1 AND n.number = $5 AND n.status = 'active' \
     ON CONFLICT (nominee_id, organizer_id) DO UPDATE SET score = excluded.score, scored_at_ms = excluded.scored_at_ms";

const TAKE_SCORE: &str = "DELETE FROM jury_scores WHERE organizer_id = $2 \
     AND nominee_id IN (SELECT n.id FROM nominees n WHERE n.campaign_id = $1 AND n.number = $3)";

const VOTING_END: &str = "SELECT voting_end_ms FROM campaigns WHERE id = $1";

/// Whether the jury's window has shut: voting has closed (by the clock, or
/// the count was closed), so the preliminary ranking may have been seen.
/// Read in `tx`, under the stage lock.
async fn jury_closed<B>(store: &B, tx: &mut Tx<B>, campaign: CampaignId) -> StoreResult<bool>
where
    B: StageGuard,
    for<'c> &'c mut <B::Db as Database>::Connection: Executor<'c, Database = B::Db>,
    for<'q> <B::Db as Database>::Arguments<'q>: IntoArguments<'q, B::Db>,
    for<'q> i64: Encode<'q, B::Db> + Type<B::Db>,
    for<'r> (i64,): FromRow<'r, <B::Db as Database>::Row>,
{
    if B::stage_in(tx, campaign).await?.is_some() {
        return Ok(true);
    }
    let end: Option<i64> = sqlx::query_scalar(VOTING_END)
        .bind(campaign.0)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(end.is_none_or(|end| store.clock().now().0 >= end))
}

#[async_trait]
impl<B> JuryStorage for B
where
    B: StageGuard,
    for<'c> &'c mut <B::Db as Database>::Connection: Executor<'c, Database = B::Db>,
    for<'q> <B::Db as Database>::Arguments<'q>: IntoArguments<'q, B::Db>,
    for<'q> i32: Encode<'q, B::Db> + Type<B::Db>,
    for<'q> i64: Encode<'q, B::Db> + Type<B::Db>,
    for<'r> (i64,): FromRow<'r, <B::Db as Database>::Row>,
    for<'r> (i32, i64): FromRow<'r, <B::Db as Database>::Row>,
    for<'r> (i64, String, i64): FromRow<'r, <B::Db as Database>::Row>,
{
    async fn judges(&self, campaign: CampaignId) -> StoreResult<Vec<JudgeProgress>> {
        let rows: Vec<(i64, String, i64)> = sqlx::query_as(JUDGES)
            .bind(campaign.0)
            .fetch_all(self.read())
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, scored)| JudgeProgress {
                id: OrganizerId(id),
                name,
                scored: u32::try_from(scored).unwrap_or(0),
            })
            .collect())
    }

    async fn appoint_judge(
        &self,
        campaign: CampaignId,
        organizer: OrganizerId,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        if jury_closed(self, &mut tx, campaign).await? {
            return Err(self.refuse_published(tx, audit, now).await);
        }
        sqlx::query(APPOINT)
            .bind(campaign.0)
            .bind(organizer.0)
            .bind(now.0)
            .execute(&mut *tx)
            .await?;
        self.commit_audited(tx, audit, now).await?;
        Ok(())
    }

    async fn scores_of(
        &self,
        campaign: CampaignId,
        judge: OrganizerId,
    ) -> StoreResult<Vec<(NomineeNumber, u8)>> {
        let rows: Vec<(i32, i64)> = sqlx::query_as(SCORES_OF)
            .bind(campaign.0)
            .bind(judge.0)
            .fetch_all(self.read())
            .await?;
        rows.into_iter()
            .map(|(n, s)| Ok((number(n)?, u8::try_from(s).unwrap_or(0))))
            .collect()
    }

    async fn save_scores(
        &self,
        campaign: CampaignId,
        judge: OrganizerId,
        scores: &[(NomineeNumber, Option<JuryScore>)],
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        if jury_closed(self, &mut tx, campaign).await? {
            return Err(self.refuse_published(tx, audit, now).await);
        }
        for (n, score) in scores {
            let n = i32::from(n.get());
            match score {
                Some(s) => {
                    sqlx::query(SET_SCORE)
                        .bind(campaign.0)
                        .bind(judge.0)
                        .bind(i64::from(s.get()))
                        .bind(now.0)
                        .bind(n)
                        .execute(&mut *tx)
                        .await?;
                }
                None => {
                    sqlx::query(TAKE_SCORE)
                        .bind(campaign.0)
                        .bind(judge.0)
                        .bind(n)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        self.commit_audited(tx, audit, now).await?;
        Ok(())
    }
}
