//! The console's station forms: `POST /console/stations` (a new station),
//! `POST /console/organizers/{id}/stations` (an operator's stations),
//! `POST /console/stations/{id}` (where it is and when it opens) and
//! `POST /console/stations/{id}/stock` (blank ballots handed over).

use std::sync::Arc;

use alleyvote_domain::notice::{ConsoleError, Done};
use alleyvote_domain::organizer::OrganizerId;
use app::stations::forms::{AddStationForm, AssignStationsForm, StationDetailsForm, StockForm};
use axum::extract::{FromRef, Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;

use super::{StationError, StationId, Stations, TypedDetails, TypedStock};
use crate::organizers::access::{ConsoleForm, ManageOrganizers, ManageStations};
use crate::organizers::Organizers;
use crate::web::error::ConsoleRefusal;
use crate::web::redirect::see_other;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Stations>: FromRef<S>,
    Arc<Organizers>: FromRef<S>,
{
    Router::new()
        .route("/console/stations", post(add))
        .route("/console/organizers/{id}/stations", post(assign))
        .route("/console/stations/{id}", post(update))
        .route("/console/stations/{id}/stock", post(add_stock))
}

/// The paper board, with the outcome of a station form.
fn at_board(result: Result<(), StationError>) -> Result<Response, ConsoleRefusal> {
    let error = match result {
        Ok(()) => {
            return Ok(see_other(format!(
                "/console/paper?done={}",
                Done::Updated.code()
            )))
        }
        Err(StationError::Store(e)) => return Err(ConsoleRefusal::unavailable(&e)),
        Err(StationError::Taken) => ConsoleError::Taken,
        Err(StationError::Published) => ConsoleError::Published,
        Err(_) => ConsoleError::Invalid,
    };
    Ok(see_other(format!("/console/paper?error={}", error.code())))
}

/// `POST /console/stations/{id}`: the station's campaign, community,
/// address, hours and usual turnout.
async fn update(
    State(stations): State<Arc<Stations>>,
    Path(id): Path<i64>,
    ConsoleForm { session, form, .. }: ConsoleForm<ManageStations, StationDetailsForm>,
) -> Result<Response, ConsoleRefusal> {
    let typed = TypedDetails {
        campaign: &form.campaign,
        community: &form.community,
        address: &form.address,
        opening_hours: &form.opening_hours,
        usual_turnout: &form.usual_turnout,
    };
    at_board(
        stations
            .update(session.actor(), StationId(id), &typed)
            .await,
    )
}

/// `POST /console/stations/{id}/stock`: blank ballots handed to the station.
async fn add_stock(
    State(stations): State<Arc<Stations>>,
    Path(id): Path<i64>,
    ConsoleForm { session, form, .. }: ConsoleForm<ManageStations, StockForm>,
) -> Result<Response, ConsoleRefusal> {
    let typed = TypedStock {
        ballots: &form.ballots,
        serial_from: &form.serial_from,
        serial_to: &form.serial_to,
    };
    at_board(
        stations
            .add_stock(session.actor(), StationId(id), &typed)
            .await,
    )
}

fn outcome(result: Result<(), StationError>) -> Result<Response, ConsoleRefusal> {
    let error = match result {
        Ok(()) => {
            return Ok(see_other(format!(
                "/console/organizers?done={}",
                Done::Updated.code()
            )))
        }
        Err(StationError::Invalid | StationError::NotFound) => ConsoleError::Invalid,
        Err(StationError::Published) => ConsoleError::Published,
        Err(StationError::Taken) => ConsoleError::Taken,
        Err(StationError::Store(e)) => return Err(ConsoleRefusal::unavailable(&e)),
    };
    Ok(see_other(format!(
        "/console/organizers?error={}",
        error.code()
    )))
}

/// `POST /console/stations`: a new polling station.
async fn add(
    State(stations): State<Arc<Stations>>,
    ConsoleForm { session, form, .. }: ConsoleForm<ManageOrganizers, AddStationForm>,
) -> Result<Response, ConsoleRefusal> {
    outcome(stations.add(session.actor(), &form.name).await.map(|_| ()))
}

/// `POST /console/organizers/{id}/stations`: the stations a station operator
/// enters paper ballots for (`station` repeated, one per ticked box).
async fn assign(
    State(stations): State<Arc<Stations>>,
    Path(id): Path<i64>,
    ConsoleForm { session, form, .. }: ConsoleForm<ManageOrganizers, AssignStationsForm>,
) -> Result<Response, ConsoleRefusal> {
    let chosen: Vec<StationId> = form.station.iter().copied().map(StationId).collect();
    outcome(
        stations
            .assign(session.actor(), OrganizerId(id), &chosen)
            .await,
    )
}
