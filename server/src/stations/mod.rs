//! Polling stations (投票点) and the station operators who key in their
//! paper ballots.

pub mod http;
pub mod storage;

use std::sync::Arc;

use alleyvote_domain::organizer::{OrganizerId, Role};
use alleyvote_domain::Millis;

use crate::audit::{Actor, AuditAction, NewAuditEntry};
use crate::organizers::storage::OrganizerStorage;
use crate::storage::StoreError;
use storage::StationStorage;

pub use alleyvote_domain::StationId;

/// The longest station name, in characters.
pub const MAX_NAME: usize = 60;

#[derive(Debug, thiserror::Error)]
pub enum StationError {
    #[error("the name is missing or too long, or the choice names no station operator")]
    Invalid,
    #[error("another station has the name")]
    Taken,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for StationError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Duplicate(_) => StationError::Taken,
            e => StationError::Store(e),
        }
    }
}

pub struct Stations {
    stations: Arc<dyn StationStorage>,
    organizers: Arc<dyn OrganizerStorage>,
}

impl Stations {
    pub fn new(stations: Arc<dyn StationStorage>, organizers: Arc<dyn OrganizerStorage>) -> Self {
        Stations {
            stations,
            organizers,
        }
    }

    /// Adds a polling station.
    #[tracing::instrument(skip_all)]
    pub async fn add(&self, actor: Actor<'_>, name: &str) -> Result<StationId, StationError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME {
            return Err(StationError::Invalid);
        }
        let audit = NewAuditEntry::new(actor, AuditAction::StationCreate, String::new())
            .after(serde_json::json!({ "name": name }));
        Ok(self
            .stations
            .add_station(name, &audit, Millis::now())
            .await?)
    }

    /// Makes `chosen` the stations a station operator enters ballots for.
    #[tracing::instrument(skip_all, fields(operator = operator.0))]
    pub async fn assign(
        &self,
        actor: Actor<'_>,
        operator: OrganizerId,
        chosen: &[StationId],
    ) -> Result<(), StationError> {
        let known = self.stations.stations().await?;
        let is_operator = self
            .organizers
            .organizers()
            .await?
            .iter()
            .any(|o| o.id == operator && o.role == Role::StationOperator);
        if !is_operator || !chosen.iter().all(|c| known.iter().any(|s| s.id == *c)) {
            return Err(StationError::Invalid);
        }
        let before: Vec<StationId> = known
            .iter()
            .filter(|s| s.operators.contains(&operator))
            .map(|s| s.id)
            .collect();
        let audit = NewAuditEntry::new(
            actor,
            AuditAction::OrganizerStations,
            format!("organizer:{}", operator.0),
        )
        .before(serde_json::json!(before))
        .after(serde_json::json!(chosen));
        self.stations
            .assign_stations(operator, chosen, &audit, Millis::now())
            .await?;
        Ok(())
    }
}
