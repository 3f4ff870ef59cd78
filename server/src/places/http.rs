//! The console's street and community forms.

use std::sync::Arc;

use alleyvote_domain::notice::{ConsoleError, Done};
use alleyvote_domain::{CommunityId, StreetId};
use app::forms::{CsrfForm, RenamePlaceForm};
use axum::extract::{FromRef, Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;

use super::storage::PlaceId;
use super::{PlaceError, Places};
use crate::organizers::access::{ConsoleForm, ManageStreets};
use crate::organizers::Organizers;
use crate::web::error::ConsoleRefusal;
use crate::web::redirect::see_other;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Places>: FromRef<S>,
    Arc<Organizers>: FromRef<S>,
{
    Router::new()
        .route("/console/streets/{id}", post(rename_street))
        .route("/console/communities/{id}", post(rename_community))
        .route("/console/communities/{id}/remove", post(remove_community))
}

/// Where a places form goes back to, with what came of it.
fn outcome(result: Result<(), PlaceError>, done: Done) -> Result<Response, ConsoleRefusal> {
    let error = match result {
        Ok(()) => return Ok(see_other(format!("/console/places?done={}", done.code()))),
        Err(PlaceError::Invalid) => ConsoleError::Invalid,
        Err(PlaceError::Taken) => ConsoleError::Taken,
        Err(PlaceError::InUse) => ConsoleError::InUse,
        Err(PlaceError::Store(e)) => return Err(ConsoleRefusal::unavailable(&e)),
    };
    Ok(see_other(format!("/console/places?error={}", error.code())))
}

/// `POST /console/streets/{id}`
async fn rename_street(
    State(places): State<Arc<Places>>,
    Path(id): Path<i64>,
    ConsoleForm { session, form, .. }: ConsoleForm<ManageStreets, RenamePlaceForm>,
) -> Result<Response, ConsoleRefusal> {
    let place = PlaceId::Street(StreetId(id));
    let renamed = places
        .rename(session.actor(), place, &form.name_zh, &form.name_en)
        .await;
    outcome(renamed, Done::Updated)
}

/// `POST /console/communities/{id}`
async fn rename_community(
    State(places): State<Arc<Places>>,
    Path(id): Path<i64>,
    ConsoleForm { session, form, .. }: ConsoleForm<ManageStreets, RenamePlaceForm>,
) -> Result<Response, ConsoleRefusal> {
    let place = PlaceId::Community(CommunityId(id));
    let renamed = places
        .rename(session.actor(), place, &form.name_zh, &form.name_en)
        .await;
    outcome(renamed, Done::Updated)
}

/// `POST /console/communities/{id}/remove`: only while nothing names it.
async fn remove_community(
    State(places): State<Arc<Places>>,
    Path(id): Path<i64>,
    ConsoleForm { session, .. }: ConsoleForm<ManageStreets, CsrfForm>,
) -> Result<Response, ConsoleRefusal> {
    let removed = places
        .remove_community(session.actor(), CommunityId(id))
        .await;
    outcome(removed, Done::Removed)
}
