//! The stations' part of the accounts page: the stations and who operates
//! each ([`StationRoster`], which the organizers' page port asks).

use app::stations::model::StationView;

use super::Stations;
use crate::organizers::pages::StationRoster;
use crate::storage::StoreError;

#[async_trait::async_trait]
impl StationRoster for Stations {
    async fn roster(&self) -> Result<Vec<StationView>, StoreError> {
        Ok(self
            .stations
            .stations()
            .await?
            .iter()
            .map(|s| StationView {
                id: s.id,
                name: s.name.clone(),
                operators: s.operators.clone(),
            })
            .collect())
    }
}
