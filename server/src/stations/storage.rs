//! Polling stations in storage, and who operates them.

use alleyvote_domain::organizer::OrganizerId;
use alleyvote_domain::{CampaignId, CommunityId, Millis};
use std::sync::LazyLock;

use async_trait::async_trait;

use super::StationId;
use crate::audit::storage::AuditedWrite;
use crate::audit::NewAuditEntry;
use crate::publication::storage::StageGuard;
use crate::storage::{Backend, PostgresStore, SqliteStore, StoreError, StoreResult};

/// A polling station and the organizers assigned to operate it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Station {
    pub id: StationId,
    pub name: String,
    pub operators: Vec<OrganizerId>,
}

/// Where a station is and when it opens: what the public page lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StationDetails {
    pub campaign: Option<CampaignId>,
    pub community: Option<CommunityId>,
    pub address: String,
    pub opening_hours: String,
    /// The ballots the station's box usually holds, when a reference is set.
    pub usual_turnout: Option<u32>,
}

/// A station with its details, its place and the ballots it received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationRecord {
    pub id: StationId,
    pub name: String,
    pub details: StationDetails,
    /// The street and community names (Chinese, English), when placed.
    pub street: Option<(String, String)>,
    pub community: Option<(String, String)>,
    /// The street's place in the district's order.
    pub street_order: i64,
    /// Every blank ballot handed to the station so far.
    pub ballots_received: u64,
}

/// A delivery of blank ballots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockDelivery {
    pub ballots: u32,
    /// The printed serial range, when the ballots are numbered.
    pub serial_from: String,
    pub serial_to: String,
}

/// A delivery as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockRecord {
    pub delivery: StockDelivery,
    pub recorded_by: String,
    pub recorded_at: Millis,
}

#[async_trait]
pub trait StationStorage: Send + Sync {
    /// Adds a polling station, with its audit entry; `Duplicate` if the name is taken.
    async fn add_station(
        &self,
        name: &str,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<StationId>;
    /// Every station with its operators, by name.
    async fn stations(&self) -> StoreResult<Vec<Station>>;
    /// Makes `stations` the ones an organizer operates (replacing the
    /// previous set), with its audit entry.
    async fn assign_stations(
        &self,
        organizer: OrganizerId,
        stations: &[StationId],
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()>;
    /// Every station with its details, by street order and name; only a
    /// campaign's when one is named.
    async fn station_records(
        &self,
        campaign: Option<CampaignId>,
    ) -> StoreResult<Vec<StationRecord>>;
    /// One station with its details.
    async fn station_record(&self, id: StationId) -> StoreResult<Option<StationRecord>>;
    /// Replaces a station's details, with its audit entry; `false` for no such station.
    async fn update_station(
        &self,
        station: StationId,
        details: &StationDetails,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<bool>;
    /// Records blank ballots handed to a station, with its audit entry.
    async fn add_stock(
        &self,
        station: StationId,
        delivery: &StockDelivery,
        by: OrganizerId,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()>;
    /// A station's deliveries, oldest first.
    async fn stock_of(&self, station: StationId) -> StoreResult<Vec<StockRecord>>;
    /// Makes `operators` the ones who key a station's sheets (replacing the
    /// previous set), with its audit entry.
    async fn set_station_operators(
        &self,
        station: StationId,
        operators: &[OrganizerId],
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()>;
    /// Removes a station never keyed, with its empty sheets, its stock and
    /// its operators' assignment; a station whose sheets hold an entry, a
    /// photo or a waiver stays.
    async fn remove_station(
        &self,
        station: StationId,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<Removal>;
}

/// What removing a station did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    Removed,
    /// Its sheets were keyed or photographed: it stays.
    Keyed,
    NotFound,
}

const ADD_STATION: &str = "INSERT INTO stations (name, created_at_ms) VALUES ($1, $2) \
     ON CONFLICT (name) DO NOTHING RETURNING id";

const STATIONS: &str = "SELECT id, name FROM stations ORDER BY name";

const STATION_OPERATORS: &str = "SELECT organizer_id, station_id FROM station_operators";

const CLEAR_STATIONS_OF: &str = "DELETE FROM station_operators WHERE organizer_id = $1";

const ASSIGN_STATION: &str =
    "INSERT INTO station_operators (organizer_id, station_id) VALUES ($1, $2)";

const CLEAR_OPERATORS_OF: &str = "DELETE FROM station_operators WHERE station_id = $1";

/// Taken first when removing: holds the station's sheets, so no entry is
/// keyed into one while the removal decides.
const HOLD_SHEETS: &str = "UPDATE tally_sheets SET revision = revision + 1 WHERE station_id = $1";

const KEYED: &str = "SELECT EXISTS (SELECT 1 FROM tally_sheets t WHERE t.station_id = $1 AND \
     (t.photo_waiver IS NOT NULL \
      OR EXISTS (SELECT 1 FROM sheet_entries e WHERE e.sheet_id = t.id) \
      OR EXISTS (SELECT 1 FROM sheet_photos p WHERE p.sheet_id = t.id)))";

/// What a station never keyed leaves behind, children first.
const REMOVE_STATION: [&str; 4] = [
    "DELETE FROM station_operators WHERE station_id = $1",
    "DELETE FROM ballot_stock WHERE station_id = $1",
    "DELETE FROM tally_sheets WHERE station_id = $1",
    "DELETE FROM stations WHERE id = $1",
];

const STATION_COLUMNS: &str = "SELECT st.id, st.name, st.campaign_id, st.community_id, st.address, \
     st.opening_hours, st.usual_turnout, s.name_zh AS street_zh, s.name_en AS street_en, \
     c.name_zh AS community_zh, c.name_en AS community_en, CAST(COALESCE(s.sort_order, 1000000) AS BIGINT) AS street_order, \
     CAST((SELECT COALESCE(SUM(b.ballots), 0) FROM ballot_stock b WHERE b.station_id = st.id) AS BIGINT) AS received \
     FROM stations st LEFT JOIN communities c ON c.id = st.community_id \
     LEFT JOIN streets s ON s.id = c.street_id";

static STATION_RECORDS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{STATION_COLUMNS} WHERE (CAST($1 AS BIGINT) IS NULL OR st.campaign_id = $1) \
         ORDER BY COALESCE(s.sort_order, 1000000), s.id, st.name"
    )
});

static STATION_RECORD: LazyLock<String> =
    LazyLock::new(|| format!("{STATION_COLUMNS} WHERE st.id = $1"));

const UPDATE_STATION: &str =
    "UPDATE stations SET campaign_id = $2, community_id = $3, address = $4, \
     opening_hours = $5, usual_turnout = $6 WHERE id = $1";

const CAMPAIGN_OF_STATION: &str = "SELECT campaign_id FROM stations WHERE id = $1";

const ADD_STOCK: &str = "INSERT INTO ballot_stock \
     (station_id, ballots, serial_from, serial_to, recorded_by, recorded_at_ms) \
     VALUES ($1, $2, $3, $4, $5, $6)";

const STOCK_OF: &str =
    "SELECT b.ballots, b.serial_from, b.serial_to, o.display_name, b.recorded_at_ms \
     FROM ballot_stock b JOIN organizers o ON o.id = b.recorded_by \
     WHERE b.station_id = $1 ORDER BY b.id";

#[derive(sqlx::FromRow)]
struct StationRow {
    id: i64,
    name: String,
    campaign_id: Option<i64>,
    community_id: Option<i64>,
    address: String,
    opening_hours: String,
    usual_turnout: Option<i64>,
    street_zh: Option<String>,
    street_en: Option<String>,
    community_zh: Option<String>,
    community_en: Option<String>,
    street_order: i64,
    received: i64,
}

impl TryFrom<StationRow> for StationRecord {
    type Error = StoreError;

    fn try_from(r: StationRow) -> Result<Self, StoreError> {
        let usual_turnout = r
            .usual_turnout
            .map(|u| u32::try_from(u).map_err(|_| StoreError::Corrupt("usual turnout".into())))
            .transpose()?;
        Ok(StationRecord {
            id: StationId(r.id),
            name: r.name,
            details: StationDetails {
                campaign: r.campaign_id.map(CampaignId),
                community: r.community_id.map(CommunityId),
                address: r.address,
                opening_hours: r.opening_hours,
                usual_turnout,
            },
            street: r.street_zh.zip(r.street_en),
            community: r.community_zh.zip(r.community_en),
            street_order: r.street_order,
            ballots_received: u64::try_from(r.received)
                .map_err(|_| StoreError::Corrupt("ballot stock".into()))?,
        })
    }
}

// A macro, not a generic impl: generic over sqlx's `Database` this slice would
// need the executor and arguments bounds plus one for each type bound into or
// decoded from its queries (at least 7 row types here); the macro is shorter.
// See `crate::storage`.
macro_rules! station_storage {
    ($backend:ty) => {
        #[async_trait]
        impl StationStorage for $backend {
            async fn add_station(
                &self,
                name: &str,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<StationId> {
                let mut tx = self.begin().await?;
                let id: Option<i64> = sqlx::query_scalar(ADD_STATION)
                    .bind(name)
                    .bind(now.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                let id = id.ok_or(StoreError::Duplicate("station name"))?;
                let mut audit = audit.clone();
                audit.subject = format!("station:{id}");
                self.commit_audited(tx, &audit, now).await?;
                Ok(StationId(id))
            }

            async fn stations(&self) -> StoreResult<Vec<Station>> {
                let stations: Vec<(i64, String)> =
                    sqlx::query_as(STATIONS).fetch_all(self.read()).await?;
                let operators: Vec<(i64, i64)> = sqlx::query_as(STATION_OPERATORS)
                    .fetch_all(self.read())
                    .await?;
                Ok(stations
                    .into_iter()
                    .map(|(id, name)| Station {
                        id: StationId(id),
                        name,
                        operators: operators
                            .iter()
                            .filter(|(_, s)| *s == id)
                            .map(|(o, _)| OrganizerId(*o))
                            .collect(),
                    })
                    .collect())
            }

            async fn assign_stations(
                &self,
                organizer: OrganizerId,
                stations: &[StationId],
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<()> {
                let mut tx = self.begin().await?;
                sqlx::query(CLEAR_STATIONS_OF)
                    .bind(organizer.0)
                    .execute(&mut *tx)
                    .await?;
                for station in stations {
                    sqlx::query(ASSIGN_STATION)
                        .bind(organizer.0)
                        .bind(station.0)
                        .execute(&mut *tx)
                        .await?;
                }
                self.commit_audited(tx, audit, now).await?;
                Ok(())
            }

            async fn station_records(
                &self,
                campaign: Option<CampaignId>,
            ) -> StoreResult<Vec<StationRecord>> {
                let rows = sqlx::query_as::<_, StationRow>(STATION_RECORDS.as_str())
                    .bind(campaign.map(|c| c.0))
                    .fetch_all(self.read())
                    .await?;
                crate::storage::rows::collect(rows)
            }

            async fn station_record(&self, id: StationId) -> StoreResult<Option<StationRecord>> {
                sqlx::query_as::<_, StationRow>(STATION_RECORD.as_str())
                    .bind(id.0)
                    .fetch_optional(self.read())
                    .await?
                    .map(StationRecord::try_from)
                    .transpose()
            }

            async fn update_station(
                &self,
                station: StationId,
                details: &StationDetails,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<bool> {
                let mut tx = self.begin().await?;
                // A station's sheets count into its campaign: moving it moves
                // them out of (or into) a published tally.
                let serving: Option<Option<i64>> = sqlx::query_scalar(CAMPAIGN_OF_STATION)
                    .bind(station.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                let from = serving.flatten();
                let to = details.campaign.map(|c| c.0);
                if serving.is_some() && from != to {
                    // Stage locks in id order, so two moves never wait in a circle.
                    let mut touched: Vec<i64> = from.into_iter().chain(to).collect();
                    touched.sort_unstable();
                    for c in touched {
                        if Self::published_in(&mut tx, CampaignId(c)).await? {
                            return Err(self.refuse_published(tx, audit, now).await);
                        }
                    }
                }
                let updated = sqlx::query(UPDATE_STATION)
                    .bind(station.0)
                    .bind(details.campaign.map(|c| c.0))
                    .bind(details.community.map(|c| c.0))
                    .bind(&details.address)
                    .bind(&details.opening_hours)
                    .bind(details.usual_turnout.map(i64::from))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if updated == 0 {
                    return Ok(false);
                }
                self.commit_audited(tx, audit, now).await?;
                Ok(true)
            }

            async fn add_stock(
                &self,
                station: StationId,
                delivery: &StockDelivery,
                by: OrganizerId,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<()> {
                let mut tx = self.begin().await?;
                sqlx::query(ADD_STOCK)
                    .bind(station.0)
                    .bind(i64::from(delivery.ballots))
                    .bind(&delivery.serial_from)
                    .bind(&delivery.serial_to)
                    .bind(by.0)
                    .bind(now.0)
                    .execute(&mut *tx)
                    .await?;
                self.commit_audited(tx, audit, now).await?;
                Ok(())
            }

            async fn stock_of(&self, station: StationId) -> StoreResult<Vec<StockRecord>> {
                let rows: Vec<(i64, String, String, String, i64)> = sqlx::query_as(STOCK_OF)
                    .bind(station.0)
                    .fetch_all(self.read())
                    .await?;
                rows.into_iter()
                    .map(|(ballots, serial_from, serial_to, by, at)| {
                        Ok(StockRecord {
                            delivery: StockDelivery {
                                ballots: u32::try_from(ballots)
                                    .map_err(|_| StoreError::Corrupt("ballots".into()))?,
                                serial_from,
                                serial_to,
                            },
                            recorded_by: by,
                            recorded_at: Millis(at),
                        })
                    })
                    .collect()
            }

            async fn set_station_operators(
                &self,
                station: StationId,
                operators: &[OrganizerId],
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<()> {
                let mut tx = self.begin().await?;
                sqlx::query(CLEAR_OPERATORS_OF)
                    .bind(station.0)
                    .execute(&mut *tx)
                    .await?;
                for operator in operators {
                    sqlx::query(ASSIGN_STATION)
                        .bind(operator.0)
                        .bind(station.0)
                        .execute(&mut *tx)
                        .await?;
                }
                self.commit_audited(tx, audit, now).await?;
                Ok(())
            }

            async fn remove_station(
                &self,
                station: StationId,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<Removal> {
                let mut tx = self.begin().await?;
                let serving: Option<Option<i64>> = sqlx::query_scalar(CAMPAIGN_OF_STATION)
                    .bind(station.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(serving) = serving else {
                    return Ok(Removal::NotFound);
                };
                // A published result counts its stations ("reported n of m").
                if let Some(c) = serving {
                    if Self::published_in(&mut tx, CampaignId(c)).await? {
                        return Err(self.refuse_published(tx, audit, now).await);
                    }
                }
                sqlx::query(HOLD_SHEETS)
                    .bind(station.0)
                    .execute(&mut *tx)
                    .await?;
                let keyed: bool = sqlx::query_scalar(KEYED)
                    .bind(station.0)
                    .fetch_one(&mut *tx)
                    .await?;
                if keyed {
                    return Ok(Removal::Keyed);
                }
                for sql in REMOVE_STATION {
                    sqlx::query(sql).bind(station.0).execute(&mut *tx).await?;
                }
                self.commit_audited(tx, audit, now).await?;
                Ok(Removal::Removed)
            }
        }
    };
}

station_storage!(SqliteStore);
station_storage!(PostgresStore);
