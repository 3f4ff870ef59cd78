//! Campaigns in storage: their settings, and creating and changing them with
//! their audit entries.

use alleyvote_domain::texts::Hotline;
use alleyvote_domain::{Campaign, CampaignId, Millis, Phases, ResultsVisibility, VoteRules};
use async_trait::async_trait;

use crate::audit::storage::AuditedWrite;
use crate::audit::NewAuditEntry;
use crate::storage::rows::collect;
use crate::storage::{Backend, Lock, PostgresStore, SqliteStore, StoreError, StoreResult};

/// Everything an organizer sets about a campaign: for a new one, and as the
/// whole of an edit.
#[derive(Debug, Clone)]
pub struct CampaignSettings {
    pub slug: String,
    pub title_zh: String,
    pub title_en: String,
    pub description_zh: String,
    pub description_en: String,
    /// The organisers' line (主办 / 承办), in each language.
    pub hosts_zh: String,
    pub hosts_en: String,
    /// The organisers' telephone, given in texts and on the consent page.
    pub hotline: Option<Hotline>,
    pub phases: Phases,
    pub rules: VoteRules,
    pub results_visibility: ResultsVisibility,
}

#[async_trait]
pub trait CampaignStorage: Send + Sync {
    /// Every campaign, the latest voting first.
    async fn campaigns(&self) -> StoreResult<Vec<Campaign>>;
    async fn campaign(&self, slug: &str) -> StoreResult<Option<Campaign>>;
    /// Creates the campaign, or returns the one with this slug untouched.
    async fn ensure_campaign(
        &self,
        campaign: &CampaignSettings,
        now: Millis,
    ) -> StoreResult<CampaignId>;
    /// Creates a campaign, with its audit entry; `Duplicate` if the slug is taken.
    async fn create_campaign(
        &self,
        campaign: &CampaignSettings,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<CampaignId>;
    /// Changes a campaign's titles, phases, rules and results visibility,
    /// with its audit entry.
    async fn update_campaign(
        &self,
        id: CampaignId,
        campaign: &CampaignSettings,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()>;
}

const CAMPAIGN_COLUMNS: &str = "SELECT id, slug, title_zh, title_en, description_zh, description_en, \
     nomination_start_ms, review_start_ms, voting_start_ms, voting_end_ms, notice_end_ms, ceremony_at_ms, \
     votes_per_day, per_nominee_per_day, results_visibility, results_frozen_at_ms, hosts_zh, hosts_en, hotline FROM campaigns";

/// A campaign's columns in the order `bind_settings!` binds them.
// A macro because `concat!` takes literals, not consts.
macro_rules! insert_campaign {
    ($on_conflict:literal) => {
        concat!(
            "INSERT INTO campaigns (slug, title_zh, title_en, description_zh, description_en, \
             nomination_start_ms, review_start_ms, voting_start_ms, voting_end_ms, notice_end_ms, ceremony_at_ms, \
             votes_per_day, per_nominee_per_day, results_visibility, created_at_ms, hosts_zh, hosts_en, hotline) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) ",
            $on_conflict
        )
    };
}

/// The demo's campaign: created once, then left as organizers set it.
const ENSURE_CAMPAIGN: &str =
    insert_campaign!("ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING id");

/// A new campaign from the console; no row if the slug is taken.
const CREATE_CAMPAIGN: &str = insert_campaign!("ON CONFLICT (slug) DO NOTHING RETURNING id");

/// Everything an organizer may change in a campaign; the slug (its address) stays.
/// Freezing the results keeps the first freeze instant; unfreezing forgets it.
const UPDATE_CAMPAIGN: &str = "UPDATE campaigns SET title_zh = $2, title_en = $3, description_zh = $4, description_en = $5, \
     nomination_start_ms = $6, review_start_ms = $7, voting_start_ms = $8, voting_end_ms = $9, notice_end_ms = $10, \
     ceremony_at_ms = $11, votes_per_day = $12, per_nominee_per_day = $13, results_visibility = $14, \
     results_frozen_at_ms = CASE WHEN $14 = 'frozen' THEN COALESCE(results_frozen_at_ms, $15) ELSE NULL END, \
     hosts_zh = $16, hosts_en = $17, hotline = $18 WHERE id = $1";

/// A freeze copies the running tally, once: the numbers every instance shows
/// until the results are unfrozen.
pub const FREEZE_TALLY: &str = "INSERT INTO frozen_tallies (campaign_id, nominee_id, votes, paper_votes, version, changed_at_ms, name, status, jury_sum, jury_count) \
     SELECT n.campaign_id, n.id, COALESCE(t.online_votes, 0), COALESCE(t.paper_votes, 0), COALESCE(t.version, 0), t.changed_at_ms, n.name, n.status, \
     (SELECT CAST(COALESCE(SUM(js.score), 0) AS BIGINT) FROM jury_scores js WHERE js.nominee_id = n.id), \
     (SELECT CAST(COUNT(*) AS BIGINT) FROM jury_scores js WHERE js.nominee_id = n.id) \
     FROM nominees n LEFT JOIN nominee_tallies t ON t.nominee_id = n.id \
     WHERE n.campaign_id = $1 AND NOT EXISTS (SELECT 1 FROM frozen_tallies f WHERE f.campaign_id = $1)";

/// A published notice keeps its tally whatever the visibility says.
pub const UNFREEZE_TALLY: &str = "DELETE FROM frozen_tallies WHERE campaign_id = $1 \
     AND NOT EXISTS (SELECT 1 FROM publications p WHERE p.campaign_id = $1 AND p.stage <> 'closed')";

/// Binds a campaign's settings after a first parameter (its slug, or its id)
/// and before the current time: the order the three statements share.
// A macro: as a function over sqlx's `Query` it would need an `Encode` and
// `Type` bound for each of its types, and it is expanded only inside
// `campaign_storage!`, on the concrete backends.
macro_rules! bind_settings {
    ($query:expr, $first:expr, $c:expr, $now:expr) => {
        $query
            .bind($first)
            .bind(&$c.title_zh)
            .bind(&$c.title_en)
            .bind(&$c.description_zh)
            .bind(&$c.description_en)
            .bind($c.phases.nomination_start.0)
            .bind($c.phases.review_start.0)
            .bind($c.phases.voting_start.0)
            .bind($c.phases.voting_end.0)
            .bind($c.phases.notice_end.0)
            .bind($c.phases.ceremony_at.0)
            .bind(i32::from($c.rules.votes_per_day()))
            .bind(i32::from($c.rules.per_nominee_per_day()))
            .bind($c.results_visibility.as_str())
            .bind($now.0)
            .bind(&$c.hosts_zh)
            .bind(&$c.hosts_en)
            .bind($c.hotline.as_ref().map_or("", |h| h.as_str()))
    };
}

#[derive(sqlx::FromRow)]
struct CampaignRow {
    id: i64,
    slug: String,
    title_zh: String,
    title_en: String,
    description_zh: String,
    description_en: String,
    nomination_start_ms: i64,
    review_start_ms: i64,
    voting_start_ms: i64,
    voting_end_ms: i64,
    notice_end_ms: i64,
    ceremony_at_ms: i64,
    votes_per_day: i32,
    per_nominee_per_day: i32,
    results_visibility: String,
    results_frozen_at_ms: Option<i64>,
    hosts_zh: String,
    hosts_en: String,
    hotline: String,
}

impl TryFrom<CampaignRow> for Campaign {
    type Error = StoreError;

    fn try_from(r: CampaignRow) -> Result<Self, StoreError> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("campaign {}: {what}", r.id));
        let phases = Phases::new(
            Millis(r.nomination_start_ms),
            Millis(r.review_start_ms),
            Millis(r.voting_start_ms),
            Millis(r.voting_end_ms),
            Millis(r.notice_end_ms),
            Millis(r.ceremony_at_ms),
        )
        .map_err(|e| corrupt(&e.to_string()))?;
        let rules = VoteRules::new(
            u16::try_from(r.votes_per_day).map_err(|_| corrupt("votes_per_day"))?,
            u16::try_from(r.per_nominee_per_day).map_err(|_| corrupt("per_nominee_per_day"))?,
        )
        .map_err(|e| corrupt(&e.to_string()))?;
        let results_visibility = ResultsVisibility::parse(&r.results_visibility)
            .ok_or_else(|| corrupt("results_visibility"))?;
        Ok(Campaign {
            id: CampaignId(r.id),
            slug: r.slug,
            title_zh: r.title_zh,
            title_en: r.title_en,
            description_zh: r.description_zh,
            description_en: r.description_en,
            hosts_zh: r.hosts_zh,
            hosts_en: r.hosts_en,
            hotline: Hotline::parse(&r.hotline).map_err(|_| corrupt("hotline"))?,
            phases,
            rules,
            results_visibility,
            results_frozen_at: r.results_frozen_at_ms.map(Millis),
        })
    }
}

// A macro, not a generic impl: generic over sqlx's `Database` this slice would
// need the executor and arguments bounds plus one for each type bound into or
// decoded from its queries (at least 2 row types here); the macro is shorter.
// See `crate::storage`.
macro_rules! campaign_storage {
    ($backend:ty) => {
        #[async_trait]
        impl CampaignStorage for $backend {
            async fn campaigns(&self) -> StoreResult<Vec<Campaign>> {
                let sql = format!("{CAMPAIGN_COLUMNS} ORDER BY voting_start_ms DESC, id DESC");
                let rows = sqlx::query_as::<_, CampaignRow>(&sql)
                    .fetch_all(self.read())
                    .await?;
                collect(rows)
            }

            async fn campaign(&self, slug: &str) -> StoreResult<Option<Campaign>> {
                let sql = format!("{CAMPAIGN_COLUMNS} WHERE slug = $1");
                let row = sqlx::query_as::<_, CampaignRow>(&sql)
                    .bind(slug)
                    .fetch_optional(self.read())
                    .await?;
                row.map(Campaign::try_from).transpose()
            }

            async fn ensure_campaign(
                &self,
                c: &CampaignSettings,
                now: Millis,
            ) -> StoreResult<CampaignId> {
                let id: i64 =
                    bind_settings!(sqlx::query_scalar(ENSURE_CAMPAIGN), c.slug.as_str(), c, now)
                        .fetch_one(self.write())
                        .await?;
                Ok(CampaignId(id))
            }

            async fn create_campaign(
                &self,
                c: &CampaignSettings,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<CampaignId> {
                let mut tx = self.begin().await?;
                let id: Option<i64> =
                    bind_settings!(sqlx::query_scalar(CREATE_CAMPAIGN), c.slug.as_str(), c, now)
                        .fetch_optional(&mut *tx)
                        .await?;
                let id = id.ok_or(StoreError::Duplicate("campaign slug"))?;
                self.commit_audited(tx, audit, now).await?;
                Ok(CampaignId(id))
            }

            async fn update_campaign(
                &self,
                id: CampaignId,
                c: &CampaignSettings,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<()> {
                let mut tx = self.begin().await?;
                bind_settings!(sqlx::query(UPDATE_CAMPAIGN), id.0, c, now)
                    .execute(&mut *tx)
                    .await?;
                if c.results_visibility == ResultsVisibility::Frozen {
                    // Vote batches wait for the copy; they never wait for the
                    // campaign's row (a plain read), so nothing can deadlock.
                    Self::lock(&mut tx, Lock::Tallies).await?;
                    sqlx::query(FREEZE_TALLY)
                        .bind(id.0)
                        .execute(&mut *tx)
                        .await?;
                } else {
                    sqlx::query(UNFREEZE_TALLY)
                        .bind(id.0)
                        .execute(&mut *tx)
                        .await?;
                }
                self.commit_audited(tx, audit, now).await?;
                Ok(())
            }
        }
    };
}

campaign_storage!(SqliteStore);
campaign_storage!(PostgresStore);
