//! The console's station forms: `POST /console/stations` and
//! `POST /console/organizers/{id}/stations`.

use std::sync::Arc;

use alleyvote_domain::notice::{ConsoleError, Done};
use alleyvote_domain::organizer::OrganizerId;
use app::forms::{AddStationForm, AssignStationsForm};
use axum::extract::{FromRef, Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;

use super::{StationError, StationId, Stations};
use crate::organizers::access::{ConsoleForm, ManageOrganizers};
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
}

fn outcome(result: Result<(), StationError>) -> Result<Response, ConsoleRefusal> {
    let error = match result {
        Ok(()) => {
            return Ok(see_other(format!(
                "/console/organizers?done={}",
                Done::Updated.code()
            )))
        }
        Err(StationError::Invalid) => ConsoleError::Invalid,
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
