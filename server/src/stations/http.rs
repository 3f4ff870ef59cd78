//! The console's station forms: `POST /console/stations` (a new station),
//! `POST /console/organizers/{id}/stations` (an operator's stations), and
//! from the station's own page `POST /console/stations/{id}` (where it is
//! and when it opens), `…/stock` (blank ballots handed over), `…/operators`
//! (who keys its sheets) and `…/remove` (a station never keyed).

use std::sync::Arc;

use alleyvote_domain::notice::{ConsoleError, Done};
use alleyvote_domain::organizer::OrganizerId;
use app::console::forms::CsrfForm;
use app::stations::forms::{
    AddStationForm, AssignStationsForm, StationDetailsForm, StationOperatorsForm, StockForm,
};
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
        .route("/console/stations/{id}/operators", post(set_operators))
        .route("/console/stations/{id}/remove", post(remove))
}

/// The console's sentence for a station form that did not work, or the
/// refusal when storage failed.
fn error_of(e: StationError) -> Result<ConsoleError, ConsoleRefusal> {
    Ok(match e {
        StationError::Store(e) => return Err(ConsoleRefusal::unavailable(&e)),
        StationError::Taken => ConsoleError::Taken,
        StationError::Published => ConsoleError::Published,
        StationError::Keyed => ConsoleError::Keyed,
        StationError::Invalid | StationError::NotFound => ConsoleError::Invalid,
    })
}

/// The station's page, with the outcome of one of its forms.
fn at_station(id: i64, result: Result<(), StationError>) -> Result<Response, ConsoleRefusal> {
    Ok(see_other(match result {
        Ok(()) => format!("/console/stations/{id}?done={}", Done::Updated.code()),
        Err(e) => format!("/console/stations/{id}?error={}", error_of(e)?.code()),
    }))
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
    at_station(
        id,
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
    at_station(
        id,
        stations
            .add_stock(session.actor(), StationId(id), &typed)
            .await,
    )
}

/// `POST /console/stations/{id}/operators`: the station operators who key
/// its sheets (`operator` repeated, one per ticked box).
async fn set_operators(
    State(stations): State<Arc<Stations>>,
    Path(id): Path<i64>,
    ConsoleForm { session, form, .. }: ConsoleForm<ManageStations, StationOperatorsForm>,
) -> Result<Response, ConsoleRefusal> {
    let mut chosen: Vec<OrganizerId> = form.operator.iter().copied().map(OrganizerId).collect();
    // A box ticked twice (a replayed form) is one operator.
    chosen.sort_unstable();
    chosen.dedup();
    at_station(
        id,
        stations
            .set_operators(session.actor(), StationId(id), &chosen)
            .await,
    )
}

/// `POST /console/stations/{id}/remove`: a station set up by mistake, never
/// keyed. Back to the board once it is gone.
async fn remove(
    State(stations): State<Arc<Stations>>,
    Path(id): Path<i64>,
    ConsoleForm { session, .. }: ConsoleForm<ManageStations, CsrfForm>,
) -> Result<Response, ConsoleRefusal> {
    match stations.remove(session.actor(), StationId(id)).await {
        Ok(()) => Ok(see_other(format!(
            "/console/paper?done={}",
            Done::Removed.code()
        ))),
        Err(e) => at_station(id, Err(e)),
    }
}

fn outcome(result: Result<(), StationError>) -> Result<Response, ConsoleRefusal> {
    let error = match result {
        Ok(()) => {
            return Ok(see_other(format!(
                "/console/organizers?done={}",
                Done::Updated.code()
            )))
        }
        Err(e) => error_of(e)?,
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
