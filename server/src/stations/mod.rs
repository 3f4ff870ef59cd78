//! Polling stations (投票点) and the station operators who key in their
//! paper ballots.

pub mod http;
pub mod pages;
pub mod storage;

use std::sync::Arc;

use alleyvote_domain::organizer::{OrganizerId, Role};
use alleyvote_domain::paper::Count;
use alleyvote_domain::{CampaignId, CommunityId, FreeText, TextRule};

use crate::audit::{Actor, AuditAction, NewAuditEntry};
use crate::campaigns::storage::CampaignStorage;
use crate::clock::Clock;
use crate::organizers::storage::OrganizerStorage;
use crate::places::storage::PlaceStorage;
use crate::storage::StoreError;
use storage::{Removal, StationDetails, StationRecord, StationStorage, StockDelivery};

pub use alleyvote_domain::StationId;

/// The longest station name, in characters.
pub const MAX_NAME: usize = 60;
/// The longest address and opening hours, in characters.
pub const MAX_ADDRESS: usize = 120;
pub const MAX_HOURS: usize = 80;
/// The longest printed serial number, in characters.
pub const MAX_SERIAL: usize = 24;

/// A station's details as typed in the console, before they are checked.
#[derive(Debug, Clone, Default)]
pub struct TypedDetails<'a> {
    pub campaign: &'a str,
    pub community: &'a str,
    pub address: &'a str,
    pub opening_hours: &'a str,
    pub usual_turnout: &'a str,
}

/// A delivery of blank ballots as typed.
#[derive(Debug, Clone, Default)]
pub struct TypedStock<'a> {
    pub ballots: &'a str,
    pub serial_from: &'a str,
    pub serial_to: &'a str,
}

/// Text of at most `max` characters, trimmed; `None` when longer.
fn short_text(typed: &str, max: usize) -> Option<String> {
    FreeText::parse(typed, TextRule::line(max).optional())
        .ok()
        .map(FreeText::into_string)
}

/// An optional id as a form sends it: empty is none, else a number.
fn optional_id(typed: &str) -> Result<Option<i64>, StationError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    typed.parse().map(Some).map_err(|_| StationError::Invalid)
}

#[derive(Debug, thiserror::Error)]
pub enum StationError {
    #[error("the name is missing or too long, or the choice names no station operator")]
    Invalid,
    #[error("another station has the name")]
    Taken,
    #[error("no such station")]
    NotFound,
    /// The campaign's results are published: its stations stay its own.
    #[error("the results are published")]
    Published,
    /// Its sheets were keyed or photographed: the station stays.
    #[error("the station's sheets were keyed")]
    Keyed,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for StationError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Duplicate(_) => StationError::Taken,
            StoreError::Published => StationError::Published,
            e => StationError::Store(e),
        }
    }
}

pub struct Stations {
    stations: Arc<dyn StationStorage>,
    organizers: Arc<dyn OrganizerStorage>,
    places: Arc<dyn PlaceStorage>,
    campaigns: Arc<dyn CampaignStorage>,
    /// The clock every rule about time reads (one per instance: the
    /// configuration's, which a test may set).
    clock: Clock,
}

impl Stations {
    pub fn new(
        stations: Arc<dyn StationStorage>,
        organizers: Arc<dyn OrganizerStorage>,
        places: Arc<dyn PlaceStorage>,
        campaigns: Arc<dyn CampaignStorage>,
        clock: Clock,
    ) -> Self {
        Stations {
            stations,
            organizers,
            places,
            campaigns,
            clock,
        }
    }

    /// Every station with its details; a campaign's only when one is named.
    pub async fn records(
        &self,
        campaign: Option<CampaignId>,
    ) -> Result<Vec<StationRecord>, StoreError> {
        self.stations.station_records(campaign).await
    }

    /// Reads typed details: a campaign and a community that exist, short
    /// texts, a whole usual turnout.
    async fn details_of(&self, typed: &TypedDetails<'_>) -> Result<StationDetails, StationError> {
        let campaign = optional_id(typed.campaign)?.map(CampaignId);
        if let Some(c) = campaign {
            if !self.campaigns.campaigns().await?.iter().any(|k| k.id == c) {
                return Err(StationError::Invalid);
            }
        }
        let community = optional_id(typed.community)?.map(CommunityId);
        if let Some(c) = community {
            if self.places.community(c).await?.is_none() {
                return Err(StationError::Invalid);
            }
        }
        let usual_turnout = Count::parse(typed.usual_turnout)
            .map_err(|_| StationError::Invalid)?
            .map(Count::get);
        Ok(StationDetails {
            campaign,
            community,
            address: short_text(typed.address, MAX_ADDRESS).ok_or(StationError::Invalid)?,
            opening_hours: short_text(typed.opening_hours, MAX_HOURS)
                .ok_or(StationError::Invalid)?,
            usual_turnout,
        })
    }

    /// Sets where a station is, when it opens and whose campaign it serves.
    #[tracing::instrument(skip_all, fields(station = station.0))]
    pub async fn update(
        &self,
        actor: Actor<'_>,
        station: StationId,
        typed: &TypedDetails<'_>,
    ) -> Result<(), StationError> {
        let details = self.details_of(typed).await?;
        let before = self
            .stations
            .station_record(station)
            .await?
            .ok_or(StationError::NotFound)?;
        let audit = NewAuditEntry::new(
            actor,
            AuditAction::StationUpdate,
            format!("station:{}", station.0),
        )
        .before(details_json(&before.details))
        .after(details_json(&details));
        if !self
            .stations
            .update_station(station, &details, &audit, self.clock.now())
            .await?
        {
            return Err(StationError::NotFound);
        }
        Ok(())
    }

    /// Records blank ballots handed to a station.
    #[tracing::instrument(skip_all, fields(station = station.0))]
    pub async fn add_stock(
        &self,
        actor: Actor<'_>,
        station: StationId,
        typed: &TypedStock<'_>,
    ) -> Result<(), StationError> {
        let ballots = Count::parse(typed.ballots)
            .ok()
            .flatten()
            .map(Count::get)
            .filter(|n| *n > 0)
            .ok_or(StationError::Invalid)?;
        let delivery = StockDelivery {
            ballots,
            serial_from: short_text(typed.serial_from, MAX_SERIAL).ok_or(StationError::Invalid)?,
            serial_to: short_text(typed.serial_to, MAX_SERIAL).ok_or(StationError::Invalid)?,
        };
        let by = actor.id.ok_or(StationError::Invalid)?;
        if self.stations.station_record(station).await?.is_none() {
            return Err(StationError::NotFound);
        }
        let audit = NewAuditEntry::new(
            actor,
            AuditAction::BallotStock,
            format!("station:{}", station.0),
        )
        .after(serde_json::json!({
            "ballots": delivery.ballots,
            "serial_from": delivery.serial_from,
            "serial_to": delivery.serial_to,
        }));
        self.stations
            .add_stock(station, &delivery, by, &audit, self.clock.now())
            .await?;
        Ok(())
    }

    /// Adds a polling station.
    #[tracing::instrument(skip_all)]
    pub async fn add(&self, actor: Actor<'_>, name: &str) -> Result<StationId, StationError> {
        let name =
            FreeText::parse(name, TextRule::line(MAX_NAME)).map_err(|_| StationError::Invalid)?;
        let audit = NewAuditEntry::new(actor, AuditAction::StationCreate, String::new())
            .after(serde_json::json!({ "name": name.as_str() }));
        Ok(self
            .stations
            .add_station(name.as_str(), &audit, self.clock.now())
            .await?)
    }

    /// Makes `chosen` the station operators who key a station's sheets.
    #[tracing::instrument(skip_all, fields(station = station.0))]
    pub async fn set_operators(
        &self,
        actor: Actor<'_>,
        station: StationId,
        chosen: &[OrganizerId],
    ) -> Result<(), StationError> {
        let known = self.stations.stations().await?;
        let Some(current) = known.iter().find(|s| s.id == station) else {
            return Err(StationError::NotFound);
        };
        let organizers = self.organizers.organizers().await?;
        let operator = |id: &OrganizerId| {
            organizers
                .iter()
                .any(|o| o.id == *id && o.role == Role::StationOperator)
        };
        if !chosen.iter().all(operator) {
            return Err(StationError::Invalid);
        }
        let audit = NewAuditEntry::new(
            actor,
            AuditAction::StationOperators,
            format!("station:{}", station.0),
        )
        .before(serde_json::json!(current.operators))
        .after(serde_json::json!(chosen));
        self.stations
            .set_station_operators(station, chosen, &audit, self.clock.now())
            .await?;
        Ok(())
    }

    /// Removes a station set up by mistake: only while none of its sheets
    /// was keyed or photographed, and not from published results.
    #[tracing::instrument(skip_all, fields(station = station.0))]
    pub async fn remove(&self, actor: Actor<'_>, station: StationId) -> Result<(), StationError> {
        let before = self
            .stations
            .station_record(station)
            .await?
            .ok_or(StationError::NotFound)?;
        let mut was = details_json(&before.details);
        was["name"] = serde_json::json!(before.name);
        was["ballots_received"] = serde_json::json!(before.ballots_received);
        let audit = NewAuditEntry::new(
            actor,
            AuditAction::StationRemove,
            format!("station:{}", station.0),
        )
        .before(was);
        match self
            .stations
            .remove_station(station, &audit, self.clock.now())
            .await?
        {
            Removal::Removed => Ok(()),
            Removal::Keyed => Err(StationError::Keyed),
            Removal::NotFound => Err(StationError::NotFound),
        }
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
            .assign_stations(operator, chosen, &audit, self.clock.now())
            .await?;
        Ok(())
    }
}

fn details_json(d: &StationDetails) -> serde_json::Value {
    serde_json::json!({
        "campaign": d.campaign.map(|c| c.0),
        "community": d.community.map(|c| c.0),
        "address": d.address,
        "opening_hours": d.opening_hours,
        "usual_turnout": d.usual_turnout,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_texts_and_ids_are_read_or_refused() {
        assert_eq!(
            short_text("  长白路 10 号 ", MAX_ADDRESS).as_deref(),
            Some("长白路 10 号")
        );
        assert_eq!(short_text(&"路".repeat(121), MAX_ADDRESS), None);
        assert_eq!(short_text("a\u{0}b", MAX_ADDRESS), None);
        assert_eq!(optional_id(" ").unwrap(), None);
        assert_eq!(optional_id("12").unwrap(), Some(12));
        assert!(optional_id("12x").is_err());
    }
}
