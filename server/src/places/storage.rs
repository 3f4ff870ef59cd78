//! Streets and communities in storage: reading them, importing a file's rows
//! in one transaction, renaming and removing, each change with its audit entry.

use alleyvote_domain::{Community, CommunityId, Millis, Street, StreetId};
use async_trait::async_trait;

use super::import::{ImportCounts, PlaceRow};
use crate::audit::storage::AuditedWrite;
use crate::audit::NewAuditEntry;
use crate::storage::{Backend, PostgresStore, SqliteStore, StoreError, StoreResult};

/// A community and the street it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityOf {
    pub community: Community,
    pub street_zh: String,
    pub street_en: String,
}

/// A street or a community, by its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceId {
    Street(StreetId),
    Community(CommunityId),
}

#[async_trait]
pub trait PlaceStorage: Send + Sync {
    /// Every street, in its order.
    async fn streets(&self) -> StoreResult<Vec<Street>>;
    async fn ensure_street(
        &self,
        name_zh: &str,
        name_en: &str,
        sort_order: i32,
    ) -> StoreResult<StreetId>;
    async fn community(&self, id: CommunityId) -> StoreResult<Option<CommunityOf>>;
    /// Every community with its street, in the streets' order.
    async fn communities(&self) -> StoreResult<Vec<CommunityOf>>;
    async fn ensure_community(
        &self,
        street: StreetId,
        name_zh: &str,
        name_en: &str,
    ) -> StoreResult<CommunityId>;
    /// Adds the streets and communities of an import in one transaction,
    /// keeping those already there as they are, with its audit entry.
    async fn import_places(
        &self,
        rows: &[PlaceRow],
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<ImportCounts>;
    /// Renames a street or a community, with its audit entry; `Duplicate` if
    /// another street (or another community of the same street) has the name.
    async fn rename_place(
        &self,
        place: PlaceId,
        name_zh: &str,
        name_en: &str,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()>;
    /// Removes a community nothing names any more, with its audit entry;
    /// `false` (and nothing removed) while nominees or ballot cards name it.
    async fn remove_community(
        &self,
        id: CommunityId,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<bool>;
}

const STREETS: &str = "SELECT id, name_zh, name_en FROM streets ORDER BY sort_order, id";

const ENSURE_STREET: &str = "INSERT INTO streets (name_zh, name_en, sort_order) VALUES ($1, $2, $3) \
     ON CONFLICT (name_zh) DO UPDATE SET name_en = excluded.name_en, sort_order = excluded.sort_order RETURNING id";

const COMMUNITY_COLUMNS: &str = "SELECT c.id, c.street_id, c.name_zh, c.name_en, \
     s.name_zh AS street_zh, s.name_en AS street_en \
     FROM communities c JOIN streets s ON s.id = c.street_id";

const ENSURE_COMMUNITY: &str =
    "INSERT INTO communities (street_id, name_zh, name_en) VALUES ($1, $2, $3) \
     ON CONFLICT (street_id, name_zh) DO UPDATE SET name_en = excluded.name_en RETURNING id";

// Importing: existing streets and communities are kept as they are.

const ADD_STREET: &str = "INSERT INTO streets (name_zh, name_en, sort_order) \
     VALUES ($1, $2, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM streets)) \
     ON CONFLICT (name_zh) DO NOTHING RETURNING id";

const STREET_BY_NAME: &str = "SELECT id FROM streets WHERE name_zh = $1";

const ADD_COMMUNITY: &str =
    "INSERT INTO communities (street_id, name_zh, name_en) VALUES ($1, $2, $3) \
     ON CONFLICT (street_id, name_zh) DO NOTHING RETURNING id";

// Renaming and removing.

const STREET_NAME_TAKEN: &str = "SELECT id FROM streets WHERE name_zh = $1 AND id <> $2";

const RENAME_STREET: &str = "UPDATE streets SET name_zh = $2, name_en = $3 WHERE id = $1";

const COMMUNITY_NAME_TAKEN: &str = "SELECT c.id FROM communities c \
     JOIN communities me ON me.street_id = c.street_id WHERE me.id = $2 AND c.name_zh = $1 AND c.id <> $2";

const RENAME_COMMUNITY: &str = "UPDATE communities SET name_zh = $2, name_en = $3 WHERE id = $1";

/// Whether anything still names a community: nominees (withdrawn too) or printed ballot cards.
const COMMUNITY_IN_USE: &str = "SELECT \
     (SELECT COUNT(*) FROM nominees WHERE community_id = $1) + \
     (SELECT COUNT(*) FROM ballot_codes WHERE community_id = $1)";

const REMOVE_COMMUNITY: &str = "DELETE FROM communities WHERE id = $1";

impl PlaceId {
    /// The statement that finds another place with the name (`$1` name,
    /// `$2` this place's id), the rename (`$1` id, `$2`, `$3` names), and
    /// what a clash is called.
    fn rename_sql(self) -> (&'static str, &'static str, &'static str, i64) {
        match self {
            PlaceId::Street(id) => (STREET_NAME_TAKEN, RENAME_STREET, "street name", id.0),
            PlaceId::Community(id) => (
                COMMUNITY_NAME_TAKEN,
                RENAME_COMMUNITY,
                "community name",
                id.0,
            ),
        }
    }
}

#[derive(sqlx::FromRow)]
struct StreetRow {
    id: i64,
    name_zh: String,
    name_en: String,
}

impl From<StreetRow> for Street {
    fn from(r: StreetRow) -> Self {
        Street {
            id: StreetId(r.id),
            name_zh: r.name_zh,
            name_en: r.name_en,
        }
    }
}

#[derive(sqlx::FromRow)]
struct CommunityRow {
    id: i64,
    street_id: i64,
    name_zh: String,
    name_en: String,
    street_zh: String,
    street_en: String,
}

impl From<CommunityRow> for CommunityOf {
    fn from(r: CommunityRow) -> Self {
        CommunityOf {
            community: Community {
                id: CommunityId(r.id),
                street_id: StreetId(r.street_id),
                name_zh: r.name_zh,
                name_en: r.name_en,
            },
            street_zh: r.street_zh,
            street_en: r.street_en,
        }
    }
}

// A macro, not a generic impl: generic over sqlx's `Database` this slice would
// need the executor and arguments bounds plus one for each type bound into or
// decoded from its queries (at least 6 row types here); the macro is shorter.
// See `crate::storage`.
macro_rules! place_storage {
    ($backend:ty) => {
        #[async_trait]
        impl PlaceStorage for $backend {
            async fn streets(&self) -> StoreResult<Vec<Street>> {
                let rows = sqlx::query_as::<_, StreetRow>(STREETS)
                    .fetch_all(self.read())
                    .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn ensure_street(
                &self,
                name_zh: &str,
                name_en: &str,
                sort_order: i32,
            ) -> StoreResult<StreetId> {
                let id: i64 = sqlx::query_scalar(ENSURE_STREET)
                    .bind(name_zh)
                    .bind(name_en)
                    .bind(sort_order)
                    .fetch_one(self.write())
                    .await?;
                Ok(StreetId(id))
            }

            async fn community(&self, id: CommunityId) -> StoreResult<Option<CommunityOf>> {
                let sql = format!("{COMMUNITY_COLUMNS} WHERE c.id = $1");
                let row = sqlx::query_as::<_, CommunityRow>(&sql)
                    .bind(id.0)
                    .fetch_optional(self.read())
                    .await?;
                Ok(row.map(Into::into))
            }

            async fn communities(&self) -> StoreResult<Vec<CommunityOf>> {
                let sql = format!("{COMMUNITY_COLUMNS} ORDER BY s.sort_order, s.id, c.name_zh");
                let rows = sqlx::query_as::<_, CommunityRow>(&sql)
                    .fetch_all(self.read())
                    .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn ensure_community(
                &self,
                street: StreetId,
                name_zh: &str,
                name_en: &str,
            ) -> StoreResult<CommunityId> {
                let id: i64 = sqlx::query_scalar(ENSURE_COMMUNITY)
                    .bind(street.0)
                    .bind(name_zh)
                    .bind(name_en)
                    .fetch_one(self.write())
                    .await?;
                Ok(CommunityId(id))
            }

            async fn import_places(
                &self,
                rows: &[PlaceRow],
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<ImportCounts> {
                let mut counts = ImportCounts::default();
                let mut tx = self.begin().await?;
                for row in rows {
                    let added: Option<i64> = sqlx::query_scalar(ADD_STREET)
                        .bind(&row.street_zh)
                        .bind(&row.street_en)
                        .fetch_optional(&mut *tx)
                        .await?;
                    let street = match added {
                        Some(id) => {
                            counts.streets_added += 1;
                            id
                        }
                        None => {
                            sqlx::query_scalar(STREET_BY_NAME)
                                .bind(&row.street_zh)
                                .fetch_one(&mut *tx)
                                .await?
                        }
                    };
                    let community: Option<i64> = sqlx::query_scalar(ADD_COMMUNITY)
                        .bind(street)
                        .bind(&row.community_zh)
                        .bind(&row.community_en)
                        .fetch_optional(&mut *tx)
                        .await?;
                    match community {
                        Some(_) => counts.communities_added += 1,
                        None => counts.already_present += 1,
                    }
                }
                let audit = audit.clone().after(serde_json::json!({
                    "rows": rows.len(),
                    "streets_added": counts.streets_added,
                    "communities_added": counts.communities_added,
                    "already_present": counts.already_present,
                }));
                self.commit_audited(tx, &audit, now).await?;
                Ok(counts)
            }

            async fn rename_place(
                &self,
                place: PlaceId,
                name_zh: &str,
                name_en: &str,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<()> {
                let (taken, rename, what, id) = place.rename_sql();
                let mut tx = self.begin().await?;
                let clash: Option<i64> = sqlx::query_scalar(taken)
                    .bind(name_zh)
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if clash.is_some() {
                    return Err(StoreError::Duplicate(what));
                }
                sqlx::query(rename)
                    .bind(id)
                    .bind(name_zh)
                    .bind(name_en)
                    .execute(&mut *tx)
                    .await?;
                self.commit_audited(tx, audit, now).await?;
                Ok(())
            }

            async fn remove_community(
                &self,
                id: CommunityId,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<bool> {
                let mut tx = self.begin().await?;
                let in_use: i64 = sqlx::query_scalar(COMMUNITY_IN_USE)
                    .bind(id.0)
                    .fetch_one(&mut *tx)
                    .await?;
                if in_use > 0 {
                    return Ok(false);
                }
                sqlx::query(REMOVE_COMMUNITY)
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await?;
                self.commit_audited(tx, audit, now).await?;
                Ok(true)
            }
        }
    };
}

place_storage!(SqliteStore);
place_storage!(PostgresStore);
