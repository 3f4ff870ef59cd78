//! Polling stations in storage, and who operates them.

use alleyvote_domain::organizer::OrganizerId;
use alleyvote_domain::Millis;
use async_trait::async_trait;

use super::StationId;
use crate::audit::storage::AuditedWrite;
use crate::audit::NewAuditEntry;
use crate::storage::{Backend, PostgresStore, SqliteStore, StoreError, StoreResult};

/// A polling station and the organizers assigned to operate it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Station {
    pub id: StationId,
    pub name: String,
    pub operators: Vec<OrganizerId>,
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
}

const ADD_STATION: &str = "INSERT INTO stations (name, created_at_ms) VALUES ($1, $2) \
     ON CONFLICT (name) DO NOTHING RETURNING id";

const STATIONS: &str = "SELECT id, name FROM stations ORDER BY name";

const STATION_OPERATORS: &str = "SELECT organizer_id, station_id FROM station_operators";

const CLEAR_STATIONS_OF: &str = "DELETE FROM station_operators WHERE organizer_id = $1";

const ASSIGN_STATION: &str =
    "INSERT INTO station_operators (organizer_id, station_id) VALUES ($1, $2)";

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
        }
    };
}

station_storage!(SqliteStore);
station_storage!(PostgresStore);
