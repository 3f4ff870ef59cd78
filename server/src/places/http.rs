//! The console's street and community forms.

use std::sync::Arc;

use alleyvote_domain::notice::{ConsoleError, Done};
use alleyvote_domain::{CommunityId, StreetId};
use app::console::forms::CsrfForm;
use app::places::forms::RenamePlaceForm;
use axum::extract::{FromRef, Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;

use super::storage::PlaceId;
use super::ImportError;
use super::{PlaceError, Places};
use crate::organizers::access::{ConsoleForm, ConsoleUpload, ManageStreets, PlacesFile};
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
        .route(
            "/console/places",
            post(import).layer(crate::photos::upload_limit()),
        )
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

/// `POST /console/places`: streets and communities from a CSV file (or
/// pasted text), all or nothing; every rejected line is named.
async fn import(
    State(places): State<Arc<Places>>,
    ConsoleUpload {
        session, upload, ..
    }: ConsoleUpload<ManageStreets, PlacesFile>,
) -> Result<Response, ConsoleRefusal> {
    let Ok(mut upload) = upload else {
        return Ok(see_other("/console/places?rejected=1:empty"));
    };
    let text = match upload.file.take() {
        Some(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => return Ok(see_other("/console/places?rejected=1:encoding")),
        },
        None => upload.fields.remove("csv").unwrap_or_default(),
    };
    match places.import(session.actor(), &text).await {
        Ok(counts) => Ok(see_other(format!(
            "/console/places?added={},{},{}",
            counts.streets_added, counts.communities_added, counts.already_present
        ))),
        Err(ImportError::Rejected(rejected)) => {
            let report: Vec<String> = rejected
                .iter()
                .take(30)
                .map(|r| format!("{}:{}", r.line, r.reason))
                .collect();
            Ok(see_other(format!(
                "/console/places?rejected={}&count={}",
                report.join(","),
                rejected.len()
            )))
        }
        Err(ImportError::Store(e)) => Err(ConsoleRefusal::unavailable(&e)),
    }
}
