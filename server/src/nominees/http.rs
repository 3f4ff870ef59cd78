//! The console's nominee forms (multipart, so a photo travels with them) and
//! the public photo files.

use std::sync::Arc;

use alleyvote_domain::notice::{Done, NomineeProblem};
use alleyvote_domain::{Campaign, NomineeId};
use app::nominees::forms::NomineeStatusForm;
use axum::extract::{FromRef, Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use super::storage::PhotoSize;
use super::{parse, NomineeError, Nominees};
use crate::campaigns::Campaigns;
use crate::organizers::access::{ConsoleForm, ConsoleUpload, EditNominees, PhotoFile};
use crate::organizers::Organizers;
use crate::web::error::{unexpected, ConsoleRefusal};
use crate::web::redirect::see_other;
use crate::web::WebConfig;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Nominees>: FromRef<S>,
    Arc<Campaigns>: FromRef<S>,
    Arc<Organizers>: FromRef<S>,
    WebConfig: FromRef<S>,
{
    Router::new()
        .route(
            "/console/nominees",
            post(create).layer(crate::photos::upload_limit()),
        )
        .route(
            "/console/nominees/{id}",
            post(update).layer(crate::photos::upload_limit()),
        )
        .route("/console/nominees/{id}/status", post(set_status))
        .route("/photos/{id}/{file}", get(photo))
        .route("/nominees/{number}/qr.svg", get(super::qr::nominee_qr))
        .route(
            "/nominees/{number}/card.png",
            get(super::share_card::nominee_card),
        )
        .route("/qr.svg", get(super::qr::site_qr))
}

fn no_such_nominee() -> Response {
    (StatusCode::NOT_FOUND, "没有这位候选人。 / No such nominee.").into_response()
}

/// The campaign the console edits: the one the public pages show.
async fn edited_campaign(campaigns: &Campaigns) -> Result<Campaign, ConsoleRefusal> {
    campaigns.current().await?.ok_or(ConsoleRefusal::Forbidden)
}

/// Back to `page` naming the problem, or a refusal for a failure.
fn problem_at(page: &str, e: NomineeError) -> Result<Response, ConsoleRefusal> {
    match e {
        NomineeError::Form(p) => Ok(see_other(format!("{page}?problem={}", p.code()))),
        NomineeError::Photo(id, p) => Ok(see_other(format!(
            "/console/nominees/{}?problem={}",
            id.0,
            p.code()
        ))),
        NomineeError::Unknown => Ok(no_such_nominee()),
        NomineeError::Store(e) => Err(ConsoleRefusal::unavailable(&e)),
    }
}

fn upload_refused(page: &str, p: NomineeProblem) -> Response {
    see_other(format!("{page}?problem={}", p.code()))
}

/// `POST /console/nominees`: a new nominee, with an optional photo.
async fn create(
    State(nominees): State<Arc<Nominees>>,
    State(campaigns): State<Arc<Campaigns>>,
    ConsoleUpload {
        session, upload, ..
    }: ConsoleUpload<EditNominees, PhotoFile>,
) -> Result<Response, ConsoleRefusal> {
    let page = "/console/nominees";
    let upload = match upload {
        Ok(u) => u,
        Err(p) => return Ok(upload_refused(page, parse::upload_problem(p))),
    };
    let campaign = edited_campaign(&campaigns).await?;
    match nominees.create(session.actor(), &campaign, upload).await {
        Ok(_) => Ok(see_other(format!(
            "{page}?done={}",
            Done::NomineeCreated.code()
        ))),
        Err(e) => problem_at(page, e),
    }
}

/// `POST /console/nominees/{id}`: edits, and a new photo if one was chosen.
async fn update(
    State(nominees): State<Arc<Nominees>>,
    State(campaigns): State<Arc<Campaigns>>,
    Path(id): Path<i64>,
    ConsoleUpload {
        session, upload, ..
    }: ConsoleUpload<EditNominees, PhotoFile>,
) -> Result<Response, ConsoleRefusal> {
    let page = format!("/console/nominees/{id}");
    let upload = match upload {
        Ok(u) => u,
        Err(p) => return Ok(upload_refused(&page, parse::upload_problem(p))),
    };
    let campaign = edited_campaign(&campaigns).await?;
    match nominees
        .update(session.actor(), &campaign, NomineeId(id), upload)
        .await
    {
        Ok(()) => Ok(see_other(format!("{page}?done={}", Done::Updated.code()))),
        Err(NomineeError::Photo(_, p)) => Ok(upload_refused(&page, p)),
        Err(e) => problem_at(&page, e),
    }
}

/// `POST /console/nominees/{id}/status`: withdraw (`active=off`) or restore.
async fn set_status(
    State(nominees): State<Arc<Nominees>>,
    State(campaigns): State<Arc<Campaigns>>,
    Path(id): Path<i64>,
    ConsoleForm { session, form, .. }: ConsoleForm<EditNominees, NomineeStatusForm>,
) -> Result<Response, ConsoleRefusal> {
    let campaign = edited_campaign(&campaigns).await?;
    match nominees
        .set_active(session.actor(), &campaign, NomineeId(id), form.active)
        .await
    {
        Ok(()) => Ok(see_other(format!(
            "/console/nominees/{id}?done={}",
            Done::Updated.code()
        ))),
        Err(e) => problem_at(&format!("/console/nominees/{id}"), e),
    }
}

/// `GET /photos/{id}/{size}.jpg`: a nominee's photo, `full` or `card`.
async fn photo(
    State(nominees): State<Arc<Nominees>>,
    Path((id, file)): Path<(i64, String)>,
) -> Response {
    let size = match file.as_str() {
        "full.jpg" => PhotoSize::Full,
        "card.jpg" => PhotoSize::Card,
        _ => return (StatusCode::NOT_FOUND, "没有这张照片。 / No such photo.").into_response(),
    };
    match nominees.photo(NomineeId(id), size).await {
        Ok(Some(bytes)) => (
            [
                (CONTENT_TYPE, "image/jpeg"),
                // Addresses carry a version, so a photo never changes under one.
                (CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, "没有这张照片。 / No such photo.").into_response(),
        Err(e) => {
            unexpected(&e);
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "服务暂时不可用。 / Briefly unavailable.",
            )
                .into_response()
        }
    }
}
