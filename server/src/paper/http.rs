//! The paper-ballot forms and files: keying, deciding, reopening and
//! photographing a sheet, new sheets, the paper rule, and the photos. Each
//! handler parses, calls one use case and maps its outcome to a redirect
//! that names it (`?notice=` on the sheet page).

use std::sync::Arc;

use alleyvote_domain::notice::{ConsoleError, Done};
use alleyvote_domain::paper::{FinishRefusal, Resolution, SheetField, SheetNotice, SheetState};
use alleyvote_domain::{SheetId, StationId};
use app::paper::forms::{
    NewSheetForm, PaperRuleForm, PhotoWaiverForm, ReopenForm, ResolveForm, SheetEntryForm,
};
use axum::extract::{FromRef, Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use super::{EntryOutcome, Keyed, Operator, Paper, PaperError};
use crate::campaigns::Campaigns;
use crate::organizers::access::{
    ConsoleForm, ConsoleUpload, EnterPaperBallots, ManageStations, ReopenSheets, ResolveSheets,
    SheetPhotoFile, Signed, WaiveSheetPhotos,
};
use crate::organizers::storage::OrganizerSession;
use crate::organizers::Organizers;
use crate::web::error::ConsoleRefusal;
use crate::web::redirect::see_other;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Paper>: FromRef<S>,
    Arc<Campaigns>: FromRef<S>,
    Arc<Organizers>: FromRef<S>,
{
    Router::new()
        .route("/console/paper/rule", post(set_rule))
        .route("/console/stations/{id}/sheets", post(add_sheet))
        .route("/console/paper/sheets/{id}/entry", post(key))
        .route("/console/paper/sheets/{id}/draft", post(keep_draft))
        .route("/console/paper/sheets/{id}/resolve", post(resolve))
        .route("/console/paper/sheets/{id}/reopen", post(reopen))
        .route("/console/paper/sheets/{id}/photo-waiver", post(waive_photo))
        .route(
            "/console/paper/sheets/{id}/photo",
            post(add_photo).layer(crate::photos::upload_limit()),
        )
        .route("/console/paper/sheets/{id}/photo.jpg", get(console_photo))
        .route("/paper/sheets/{id}/photo.jpg", get(public_photo))
        .route(
            "/paper/sheets/{id}/photos/{photo}",
            get(public_earlier_photo),
        )
}

fn operator(session: &OrganizerSession) -> Operator<'_> {
    Operator {
        actor: session.actor(),
        id: session.organizer.id,
        role: session.organizer.role,
    }
}

/// The sheet page, with what happened. A saved draft brings the operator
/// back to the next empty field (Enter in a form without JavaScript saves
/// one: the page puts the focus there, and a fragment would stop it), a
/// refused finish to the list of what to fix.
fn at_sheet(id: i64, notice: SheetNotice) -> Response {
    let at = match notice {
        SheetNotice::Unfinished(FinishRefusal::PhotoNeeded) => "#sheet-photo",
        SheetNotice::Unfinished(_) => "#sheet-findings",
        _ => "",
    };
    see_other(format!(
        "/console/paper/sheets/{id}?notice={}{at}",
        notice.code()
    ))
}

/// A refusal as the sheet page names it, in the same words wherever it
/// happens; only a storage failure is refused outright.
fn refused(id: i64, e: PaperError) -> Result<Response, ConsoleRefusal> {
    let notice = match e {
        PaperError::Store(e) => return Err(ConsoleRefusal::unavailable(&e)),
        // Not this operator's sheet page to land on: the board says it.
        PaperError::NotYourStation => {
            return Ok(see_other(format!(
                "/console/paper?error={}",
                ConsoleError::NotYourStation.code()
            )))
        }
        PaperError::NotPermitted => SheetNotice::NotPermitted,
        PaperError::ReasonNeeded => SheetNotice::ReasonNeeded,
        PaperError::NotFound | PaperError::Invalid | PaperError::Taken => SheetNotice::Invalid,
        PaperError::Key(r) => SheetNotice::Key(r),
        PaperError::Unfinished(r) => SheetNotice::Unfinished(r),
        PaperError::OwnEntry => SheetNotice::OwnEntry,
        PaperError::WrongState(_) => SheetNotice::Moved,
        PaperError::Busy => SheetNotice::Busy,
        PaperError::Published => SheetNotice::Published,
        PaperError::Photo(_) => SheetNotice::PhotoRefused,
        PaperError::NothingToWaive => SheetNotice::NothingToWaive,
    };
    Ok(at_sheet(id, notice))
}

/// The board, with a console outcome.
fn at_board(result: Result<(), PaperError>) -> Result<Response, ConsoleRefusal> {
    let error = match result {
        Ok(()) => {
            return Ok(see_other(format!(
                "/console/paper?done={}",
                Done::Updated.code()
            )))
        }
        Err(PaperError::Store(e)) => return Err(ConsoleRefusal::unavailable(&e)),
        Err(PaperError::Taken) => ConsoleError::Taken,
        Err(PaperError::Published) => ConsoleError::Published,
        Err(_) => ConsoleError::Invalid,
    };
    Ok(see_other(format!("/console/paper?error={}", error.code())))
}

/// `POST /console/paper/rule`: how many nominees one ballot may mark.
async fn set_rule(
    State(paper): State<Arc<Paper>>,
    State(campaigns): State<Arc<Campaigns>>,
    ConsoleForm { session, form, .. }: ConsoleForm<ManageStations, PaperRuleForm>,
) -> Result<Response, ConsoleRefusal> {
    let Some(campaign) = campaigns.get(&form.slug).await? else {
        return at_board(Err(PaperError::NotFound));
    };
    at_board(
        paper
            .set_rule(session.actor(), &campaign, &form.max_marks)
            .await,
    )
}

/// `POST /console/stations/{id}/sheets`: a new tally sheet for a station.
async fn add_sheet(
    State(paper): State<Arc<Paper>>,
    Path(id): Path<i64>,
    ConsoleForm { session, form, .. }: ConsoleForm<ManageStations, NewSheetForm>,
) -> Result<Response, ConsoleRefusal> {
    // Added from the station's page: back to it.
    let error = match paper
        .add_sheet(session.actor(), StationId(id), &form.label)
        .await
    {
        Ok(_) => {
            return Ok(see_other(format!(
                "/console/stations/{id}?done={}",
                Done::Updated.code()
            )))
        }
        Err(PaperError::Store(e)) => return Err(ConsoleRefusal::unavailable(&e)),
        Err(PaperError::Taken) => ConsoleError::Taken,
        Err(PaperError::Published) => ConsoleError::Published,
        Err(_) => ConsoleError::Invalid,
    };
    Ok(see_other(format!(
        "/console/stations/{id}?error={}",
        error.code()
    )))
}

/// What the entry form holds, as the use case takes it.
fn keyed(form: &SheetEntryForm, finish: bool) -> Keyed {
    Keyed {
        fields: form
            .pairs
            .iter()
            .filter_map(|(name, value)| Some((SheetField::from_name(name)?, value.clone())))
            .collect(),
        checked_against_paper: form.checked(),
        note: form.value("note").to_string(),
        finish,
    }
}

/// `POST /console/paper/sheets/{id}/draft`: the entry form keeps what is
/// typed as it is typed (JavaScript posts here). 204 when kept; otherwise
/// the sheet page's sentence for the refusal, as text.
async fn keep_draft(
    State(paper): State<Arc<Paper>>,
    Path(id): Path<i64>,
    ConsoleForm { session, form, .. }: ConsoleForm<EnterPaperBallots, SheetEntryForm>,
) -> Result<Response, ConsoleRefusal> {
    let said = |status: StatusCode, notice: SheetNotice| {
        (
            status,
            [(CACHE_CONTROL, "no-store")],
            format!(
                "{} / {}",
                notice.message(alleyvote_domain::Lang::Zh),
                notice.message(alleyvote_domain::Lang::En)
            ),
        )
            .into_response()
    };
    Ok(
        match paper
            .key(&operator(&session), SheetId(id), &keyed(&form, false))
            .await
        {
            Ok(_) => (StatusCode::NO_CONTENT, [(CACHE_CONTROL, "no-store")]).into_response(),
            Err(PaperError::Store(e)) => return Err(ConsoleRefusal::unavailable(&e)),
            Err(PaperError::NotYourStation) => {
                said(StatusCode::FORBIDDEN, SheetNotice::NotYourStation)
            }
            Err(PaperError::Key(r)) => said(StatusCode::CONFLICT, SheetNotice::Key(r)),
            Err(PaperError::WrongState(_)) => said(StatusCode::CONFLICT, SheetNotice::Moved),
            Err(PaperError::Busy) => said(StatusCode::SERVICE_UNAVAILABLE, SheetNotice::Busy),
            Err(PaperError::Published) => said(StatusCode::CONFLICT, SheetNotice::Published),
            Err(_) => said(StatusCode::BAD_REQUEST, SheetNotice::Invalid),
        },
    )
}

/// `POST /console/paper/sheets/{id}/entry`: saves or finishes an entry.
async fn key(
    State(paper): State<Arc<Paper>>,
    Path(id): Path<i64>,
    ConsoleForm { session, form, .. }: ConsoleForm<EnterPaperBallots, SheetEntryForm>,
) -> Result<Response, ConsoleRefusal> {
    let keyed = keyed(&form, form.finishing());
    match paper.key(&operator(&session), SheetId(id), &keyed).await {
        Ok(outcome) => Ok(at_sheet(
            id,
            match outcome {
                EntryOutcome::Draft => SheetNotice::Saved,
                EntryOutcome::AwaitingSecond => SheetNotice::FirstDone,
                EntryOutcome::Definitive => SheetNotice::Definitive,
                EntryOutcome::Different => SheetNotice::Different,
            },
        )),
        Err(e) => refused(id, e),
    }
}

/// `POST /console/paper/sheets/{id}/resolve`: keep one entry, or neither.
async fn resolve(
    State(paper): State<Arc<Paper>>,
    Path(id): Path<i64>,
    ConsoleForm { session, form, .. }: ConsoleForm<ResolveSheets, ResolveForm>,
) -> Result<Response, ConsoleRefusal> {
    let Some(decision) = Resolution::parse(&form.decision) else {
        return Ok(at_sheet(id, SheetNotice::Invalid));
    };
    match paper
        .resolve(&operator(&session), SheetId(id), decision)
        .await
    {
        Ok(()) => Ok(at_sheet(id, SheetNotice::Resolved)),
        Err(e) => refused(id, e),
    }
}

/// `POST /console/paper/sheets/{id}/reopen`: an administrator, with a reason.
async fn reopen(
    State(paper): State<Arc<Paper>>,
    Path(id): Path<i64>,
    ConsoleForm { session, form, .. }: ConsoleForm<ReopenSheets, ReopenForm>,
) -> Result<Response, ConsoleRefusal> {
    match paper
        .reopen(&operator(&session), SheetId(id), &form.reason)
        .await
    {
        Ok(()) => Ok(at_sheet(id, SheetNotice::Reopened)),
        Err(e) => refused(id, e),
    }
}

/// `POST /console/paper/sheets/{id}/photo-waiver`: an administrator lets
/// the sheet count without its photo, with a reason.
async fn waive_photo(
    State(paper): State<Arc<Paper>>,
    Path(id): Path<i64>,
    ConsoleForm { session, form, .. }: ConsoleForm<WaiveSheetPhotos, PhotoWaiverForm>,
) -> Result<Response, ConsoleRefusal> {
    match paper
        .waive_photo(&operator(&session), SheetId(id), &form.reason)
        .await
    {
        Ok(()) => Ok(at_sheet(id, SheetNotice::PhotoWaived)),
        Err(e) => refused(id, e),
    }
}

/// `POST /console/paper/sheets/{id}/photo`: the photo of the signed sheet.
async fn add_photo(
    State(paper): State<Arc<Paper>>,
    Path(id): Path<i64>,
    ConsoleUpload {
        session, upload, ..
    }: ConsoleUpload<EnterPaperBallots, SheetPhotoFile>,
) -> Result<Response, ConsoleRefusal> {
    let Some(file) = upload.ok().and_then(|u| u.file) else {
        return Ok(at_sheet(id, SheetNotice::PhotoRefused));
    };
    match paper
        .add_photo(&operator(&session), SheetId(id), file)
        .await
    {
        Ok(()) => Ok(at_sheet(id, SheetNotice::PhotoSaved)),
        Err(e) => refused(id, e),
    }
}

fn jpeg(bytes: Vec<u8>, cache: &'static str) -> Response {
    (
        [(CONTENT_TYPE, "image/jpeg"), (CACHE_CONTROL, cache)],
        bytes,
    )
        .into_response()
}

fn no_photo() -> Response {
    (StatusCode::NOT_FOUND, "没有这张照片。 / No such photo.").into_response()
}

/// `GET /console/paper/sheets/{id}/photo.jpg`: for the console.
async fn console_photo(
    State(paper): State<Arc<Paper>>,
    Path(id): Path<i64>,
    who: Signed<EnterPaperBallots>,
) -> Result<Response, ConsoleRefusal> {
    match paper
        .reads_sheet(&operator(&who.session), SheetId(id))
        .await
    {
        Ok(true) => {}
        Ok(false) => return Err(ConsoleRefusal::Forbidden),
        Err(e) => return Err(ConsoleRefusal::unavailable(&e)),
    }
    Ok(match paper.storage().sheet_photo(SheetId(id)).await? {
        Some(bytes) => jpeg(bytes, "private, no-cache"),
        None => no_photo(),
    })
}

/// Whether a sheet's photos are public: it is definitive and its
/// campaign's results are published (voting over, results shown).
async fn photos_public(paper: &Paper, id: i64) -> Result<bool, ConsoleRefusal> {
    let Some(record) = paper.storage().sheet(SheetId(id)).await? else {
        return Ok(false);
    };
    Ok(record.summary.state == SheetState::Definitive
        && paper.published(record.summary.campaign).await?)
}

/// `GET /paper/sheets/{id}/photo.jpg`: a public sheet's latest photo.
async fn public_photo(
    State(paper): State<Arc<Paper>>,
    Path(id): Path<i64>,
) -> Result<Response, ConsoleRefusal> {
    if !photos_public(&paper, id).await? {
        return Ok(no_photo());
    }
    Ok(match paper.storage().sheet_photo(SheetId(id)).await? {
        Some(bytes) => jpeg(bytes, "public, max-age=300"),
        None => no_photo(),
    })
}

/// `GET /paper/sheets/{id}/photos/{photo}.jpg`: any photo a public sheet
/// ever had, a replaced one too, so a replacement is never silent.
async fn public_earlier_photo(
    State(paper): State<Arc<Paper>>,
    Path((id, file)): Path<(i64, String)>,
) -> Result<Response, ConsoleRefusal> {
    let Some(photo) = file
        .strip_suffix(".jpg")
        .and_then(|p| p.parse::<i64>().ok())
    else {
        return Ok(no_photo());
    };
    if !photos_public(&paper, id).await? {
        return Ok(no_photo());
    }
    Ok(
        match paper
            .storage()
            .sheet_photo_by_id(SheetId(id), photo)
            .await?
        {
            // A photo never changes under its id.
            Some(bytes) => jpeg(bytes, "public, max-age=31536000, immutable"),
            None => no_photo(),
        },
    )
}
