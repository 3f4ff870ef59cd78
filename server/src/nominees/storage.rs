//! Nominees in storage: the public list and profiles (active nominees only),
//! the console's records (withdrawn ones too), and their photos.

use alleyvote_domain::{
    CampaignId, CommunityId, Millis, Nominee, NomineeFilter, NomineeId, NomineeNumber,
    NomineeSummary, SearchQuery, StreetId,
};
use async_trait::async_trait;

use crate::audit::storage::AuditedWrite;
use crate::audit::NewAuditEntry;
use crate::publication::storage::StageGuard;
use crate::storage::rows::number;
use crate::storage::{Backend, PostgresStore, SqliteStore, StoreError, StoreResult};

/// What an organizer sets about a nominee, new or edited (the photo has its
/// own upload).
#[derive(Debug, Clone)]
pub struct NomineeDetails {
    pub number: NomineeNumber,
    pub name: String,
    pub community: CommunityId,
    pub photo_url: Option<String>,
    pub story: String,
}

/// A nominee as the console lists it: withdrawn ones too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NomineeRecord {
    pub nominee: Nominee,
    pub community: CommunityId,
    pub active: bool,
}

/// A stored photo's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoSize {
    /// 800 px, for the profile.
    Full,
    /// A 240 px square, for lists.
    Card,
}

impl PhotoSize {
    pub fn as_str(self) -> &'static str {
        match self {
            PhotoSize::Full => "full",
            PhotoSize::Card => "card",
        }
    }
}

#[async_trait]
pub trait NomineeStorage: Send + Sync {
    /// Active nominees, by number.
    async fn nominees(
        &self,
        campaign: CampaignId,
        filter: &NomineeFilter,
    ) -> StoreResult<Vec<NomineeSummary>>;
    /// An active nominee by number.
    async fn nominee(
        &self,
        campaign: CampaignId,
        number: NomineeNumber,
    ) -> StoreResult<Option<Nominee>>;
    /// Every nominee of a campaign, withdrawn ones included, by number.
    async fn nominee_records(&self, campaign: CampaignId) -> StoreResult<Vec<NomineeRecord>>;
    /// Creates the nominee or, if the number is taken in this campaign, returns that one untouched.
    async fn ensure_nominee(
        &self,
        campaign: CampaignId,
        nominee: &NomineeDetails,
        now: Millis,
    ) -> StoreResult<NomineeId>;
    /// Creates a nominee, with its audit entry; `Duplicate` if the number is taken.
    async fn create_nominee(
        &self,
        campaign: CampaignId,
        nominee: &NomineeDetails,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<NomineeId>;
    /// Changes a nominee's number, name, community and story (not its photo),
    /// with its audit entry; `Duplicate` if the new number is taken.
    async fn update_nominee(
        &self,
        campaign: CampaignId,
        id: NomineeId,
        nominee: &NomineeDetails,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()>;
    /// Withdraws a nominee (or brings one back), with its audit entry. Votes
    /// already cast stay in the records.
    async fn set_nominee_active(
        &self,
        id: NomineeId,
        active: bool,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()>;
    /// Stores a nominee's re-encoded photos and points the profile at them.
    async fn save_photos(
        &self,
        id: NomineeId,
        full: &[u8],
        card: &[u8],
        photo_url: &str,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()>;
    async fn photo(&self, id: NomineeId, size: PhotoSize) -> StoreResult<Option<Vec<u8>>>;
}

/// Nominee columns joined with their community and street; callers append conditions.
const NOMINEE_COLUMNS: &str = "SELECT n.id, n.number, n.name, c.street_id, \
     s.name_zh AS street_zh, s.name_en AS street_en, \
     c.name_zh AS community_zh, c.name_en AS community_en, n.photo_url, n.story, n.community_id, n.status \
     FROM nominees n JOIN communities c ON c.id = n.community_id JOIN streets s ON s.id = c.street_id \
     WHERE n.campaign_id = $1";

const ACTIVE: &str = " AND n.status = 'active'";

/// The search form's filter: `$2` street, `$3` number, `$4` part of the
/// name (found by the backend's position function).
const FILTER: &str = " AND (CAST($2 AS BIGINT) IS NULL OR c.street_id = $2) \
     AND (CAST($3 AS INTEGER) IS NULL OR n.number = $3) \
     AND (CAST($4 AS TEXT) IS NULL OR ";

const ENSURE_NOMINEE: &str = "INSERT INTO nominees (campaign_id, number, name, community_id, photo_url, story, created_at_ms) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) \
     ON CONFLICT (campaign_id, number) DO UPDATE SET number = excluded.number RETURNING id";

const CREATE_NOMINEE: &str = "INSERT INTO nominees (campaign_id, number, name, community_id, photo_url, story, created_at_ms) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (campaign_id, number) DO NOTHING RETURNING id";

const NUMBER_TAKEN: &str =
    "SELECT id FROM nominees WHERE campaign_id = $1 AND number = $2 AND id <> $3";

const UPDATE_NOMINEE: &str =
    "UPDATE nominees SET number = $2, name = $3, community_id = $4, story = $5 WHERE id = $1";

const SET_NOMINEE_STATUS: &str = "UPDATE nominees SET status = $2 WHERE id = $1";

const CAMPAIGN_AND_NUMBER: &str = "SELECT campaign_id, number, status FROM nominees WHERE id = $1";

/// What the published ranking shows of a nominee.
const PUBLISHED_FIELDS: &str = "SELECT number, name, community_id FROM nominees WHERE id = $1";

const SAVE_PHOTO: &str = "INSERT INTO nominee_photos (nominee_id, size, content_type, bytes, created_at_ms) \
     VALUES ($1, $2, 'image/jpeg', $3, $4) \
     ON CONFLICT (nominee_id, size) DO UPDATE SET bytes = excluded.bytes, created_at_ms = excluded.created_at_ms";

const SET_PHOTO_URL: &str = "UPDATE nominees SET photo_url = $2 WHERE id = $1";

const PHOTO: &str = "SELECT bytes FROM nominee_photos WHERE nominee_id = $1 AND size = $2";

#[derive(sqlx::FromRow)]
struct NomineeRow {
    id: i64,
    number: i32,
    name: String,
    street_id: i64,
    street_zh: String,
    street_en: String,
    community_zh: String,
    community_en: String,
    photo_url: Option<String>,
    story: String,
    community_id: i64,
    status: String,
}

impl NomineeRow {
    fn into_record(self) -> StoreResult<NomineeRecord> {
        Ok(NomineeRecord {
            community: CommunityId(self.community_id),
            active: self.status == "active",
            nominee: Nominee {
                id: NomineeId(self.id),
                story: self.story,
                summary: NomineeSummary {
                    number: number(self.number)?,
                    name: self.name,
                    street_id: StreetId(self.street_id),
                    street_zh: self.street_zh,
                    street_en: self.street_en,
                    community_zh: self.community_zh,
                    community_en: self.community_en,
                    photo_url: self.photo_url,
                },
            },
        })
    }

    fn into_nominee(self) -> StoreResult<Nominee> {
        self.into_record().map(|r| r.nominee)
    }
}

// A macro, not a generic impl: generic over sqlx's `Database` this slice would
// need the executor and arguments bounds plus one for each type bound into or
// decoded from its queries (at least 6 row types here); the macro is shorter.
// See `crate::storage`.
macro_rules! nominee_storage {
    ($backend:ty) => {
        #[async_trait]
        impl NomineeStorage for $backend {
            async fn nominees(
                &self,
                campaign: CampaignId,
                filter: &NomineeFilter,
            ) -> StoreResult<Vec<NomineeSummary>> {
                let (number, name) = match &filter.query {
                    Some(SearchQuery::Number(n)) => (Some(i32::from(n.get())), None),
                    Some(SearchQuery::Name(s)) => (None, Some(s.as_str())),
                    None => (None, None),
                };
                let sql = format!(
                    "{NOMINEE_COLUMNS}{ACTIVE}{FILTER}{}(n.name, $4) > 0) ORDER BY n.number",
                    <$backend as Backend>::POSITION_FN
                );
                let rows = sqlx::query_as::<_, NomineeRow>(&sql)
                    .bind(campaign.0)
                    .bind(filter.street.map(|s| s.0))
                    .bind(number)
                    .bind(name)
                    .fetch_all(self.read())
                    .await?;
                rows.into_iter()
                    .map(|r| r.into_nominee().map(|n| n.summary))
                    .collect()
            }

            async fn nominee(
                &self,
                campaign: CampaignId,
                number: NomineeNumber,
            ) -> StoreResult<Option<Nominee>> {
                let sql = format!("{NOMINEE_COLUMNS}{ACTIVE} AND n.number = $2");
                let row = sqlx::query_as::<_, NomineeRow>(&sql)
                    .bind(campaign.0)
                    .bind(i32::from(number.get()))
                    .fetch_optional(self.read())
                    .await?;
                row.map(NomineeRow::into_nominee).transpose()
            }

            async fn nominee_records(
                &self,
                campaign: CampaignId,
            ) -> StoreResult<Vec<NomineeRecord>> {
                let sql = format!("{NOMINEE_COLUMNS} ORDER BY n.number");
                let rows = sqlx::query_as::<_, NomineeRow>(&sql)
                    .bind(campaign.0)
                    .fetch_all(self.read())
                    .await?;
                rows.into_iter().map(NomineeRow::into_record).collect()
            }

            async fn ensure_nominee(
                &self,
                campaign: CampaignId,
                n: &NomineeDetails,
                now: Millis,
            ) -> StoreResult<NomineeId> {
                let id: i64 = sqlx::query_scalar(ENSURE_NOMINEE)
                    .bind(campaign.0)
                    .bind(i32::from(n.number.get()))
                    .bind(&n.name)
                    .bind(n.community.0)
                    .bind(n.photo_url.as_deref())
                    .bind(&n.story)
                    .bind(now.0)
                    .fetch_one(self.write())
                    .await?;
                Ok(NomineeId(id))
            }

            async fn create_nominee(
                &self,
                campaign: CampaignId,
                n: &NomineeDetails,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<NomineeId> {
                let mut tx = self.begin().await?;
                // A nominee added after the notice would join the published
                // ranking with nothing counted.
                if Self::published_in(&mut tx, campaign).await? {
                    return Err(self.refuse_published(tx, audit, now).await);
                }
                let id: Option<i64> = sqlx::query_scalar(CREATE_NOMINEE)
                    .bind(campaign.0)
                    .bind(i32::from(n.number.get()))
                    .bind(&n.name)
                    .bind(n.community.0)
                    .bind(n.photo_url.as_deref())
                    .bind(&n.story)
                    .bind(now.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                let id = id.ok_or(StoreError::Duplicate("nominee number"))?;
                let mut audit = audit.clone();
                audit.subject = format!("nominee:{id}");
                self.commit_audited(tx, &audit, now).await?;
                Ok(NomineeId(id))
            }

            async fn update_nominee(
                &self,
                campaign: CampaignId,
                id: NomineeId,
                n: &NomineeDetails,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<()> {
                let mut tx = self.begin().await?;
                // The published ranking names each winner by number, name
                // and community; the story may still be mended.
                let stored: Option<(i32, String, i64)> = sqlx::query_as(PUBLISHED_FIELDS)
                    .bind(id.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some((number, name, community)) = stored {
                    let published_changes = number != i32::from(n.number.get())
                        || name != n.name
                        || community != n.community.0;
                    if published_changes && Self::published_in(&mut tx, campaign).await? {
                        return Err(self.refuse_published(tx, audit, now).await);
                    }
                }
                let taken: Option<i64> = sqlx::query_scalar(NUMBER_TAKEN)
                    .bind(campaign.0)
                    .bind(i32::from(n.number.get()))
                    .bind(id.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                if taken.is_some() {
                    return Err(StoreError::Duplicate("nominee number"));
                }
                sqlx::query(UPDATE_NOMINEE)
                    .bind(id.0)
                    .bind(i32::from(n.number.get()))
                    .bind(&n.name)
                    .bind(n.community.0)
                    .bind(&n.story)
                    .execute(&mut *tx)
                    .await?;
                self.commit_audited(tx, audit, now).await?;
                Ok(())
            }

            async fn set_nominee_active(
                &self,
                id: NomineeId,
                active: bool,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<()> {
                let mut tx = self.begin().await?;
                let stored: Option<(i64, i32, String)> = sqlx::query_as(CAMPAIGN_AND_NUMBER)
                    .bind(id.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some((campaign, _, status)) = stored {
                    // Withdrawing or restoring changes who ranks where.
                    let changes = (status == "active") != active;
                    if changes && Self::published_in(&mut tx, CampaignId(campaign)).await? {
                        return Err(self.refuse_published(tx, audit, now).await);
                    }
                }
                sqlx::query(SET_NOMINEE_STATUS)
                    .bind(id.0)
                    .bind(if active { "active" } else { "withdrawn" })
                    .execute(&mut *tx)
                    .await?;
                self.commit_audited(tx, audit, now).await?;
                Ok(())
            }

            async fn save_photos(
                &self,
                id: NomineeId,
                full: &[u8],
                card: &[u8],
                photo_url: &str,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<()> {
                let mut tx = self.begin().await?;
                for (size, bytes) in [(PhotoSize::Full, full), (PhotoSize::Card, card)] {
                    sqlx::query(SAVE_PHOTO)
                        .bind(id.0)
                        .bind(size.as_str())
                        .bind(bytes)
                        .bind(now.0)
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query(SET_PHOTO_URL)
                    .bind(id.0)
                    .bind(photo_url)
                    .execute(&mut *tx)
                    .await?;
                self.commit_audited(tx, audit, now).await?;
                Ok(())
            }

            async fn photo(&self, id: NomineeId, size: PhotoSize) -> StoreResult<Option<Vec<u8>>> {
                Ok(sqlx::query_scalar(PHOTO)
                    .bind(id.0)
                    .bind(size.as_str())
                    .fetch_optional(self.read())
                    .await?)
            }
        }
    };
}

nominee_storage!(SqliteStore);
nominee_storage!(PostgresStore);
