//! Console access as extractors: a handler names the permission it needs as
//! a type, and receives the signed-in organizer only if the session is live,
//! the role allows it and (for a form) the form carries the session's CSRF
//! token. A page that is not linked is still refused.

use std::marker::PhantomData;
use std::sync::Arc;

use alleyvote_domain::organizer::{allowed, Action, Console};
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::storage::OrganizerSession;
use super::Organizers;
use crate::storage::same_hash;
use crate::web::cookies;
use crate::web::error::ConsoleRefusal;

/// A console permission, as a type.
pub trait Permission: Send + Sync + 'static {
    const ACTION: Action;
}

// A macro: sixteen unit structs with the same one-line impl; written out they
// would be four lines each, and a generic cannot declare types.
macro_rules! permissions {
    ($($name:ident),* $(,)?) => {
        $(
            #[doc = concat!("The `", stringify!($name), "` permission.")]
            pub struct $name;
            impl Permission for $name {
                const ACTION: Action = Action::$name;
            }
        )*
    };
}

permissions!(
    ViewConsole,
    ManageOrganizers,
    EditCampaign,
    EditNominees,
    ManageStreets,
    ViewAuditLog,
    EnterPaperBallots,
    ManageStations,
    ResolveSheets,
    ReopenSheets,
    WaiveSheetPhotos,
    PublishResults,
    AnswerObjections,
    ControlScreen,
    ReviewNominations,
    ReadHiddenResults,
);

/// A form posted from a console page: it names the session's CSRF token.
pub trait ConsoleFormFields: DeserializeOwned + Send {
    fn csrf(&self) -> &str;
}

/// The session token the request's organizer cookie carries.
pub fn session_token(parts: &Parts) -> Option<String> {
    cookies::read(&parts.headers, cookies::ORGANIZER_SESSION)
}

async fn session_for<S>(
    parts: &Parts,
    state: &S,
    action: Action,
) -> Result<OrganizerSession, ConsoleRefusal>
where
    Arc<Organizers>: FromRef<S>,
{
    let organizers = Arc::<Organizers>::from_ref(state);
    match organizers
        .access(session_token(parts).as_deref(), action)
        .await?
    {
        Console::Open(s) => Ok(s),
        Console::SignIn => Err(ConsoleRefusal::SignIn),
        Console::Forbidden => Err(ConsoleRefusal::Forbidden),
    }
}

/// A signed-in organizer who may do `P` (for reads: nothing changes on GET).
pub struct Signed<P: Permission> {
    pub session: OrganizerSession,
    _permission: PhantomData<P>,
}

impl<S, P> FromRequestParts<S> for Signed<P>
where
    S: Send + Sync,
    P: Permission,
    Arc<Organizers>: FromRef<S>,
{
    type Rejection = ConsoleRefusal;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Ok(Signed {
            session: session_for(parts, state, P::ACTION).await?,
            _permission: PhantomData,
        })
    }
}

/// A console form `T` from a signed-in organizer who may do `P`, carrying
/// the session's CSRF token. The checks run in this order: signed in, the
/// token, then the role, so an old page says "expired" rather than "forbidden".
pub struct ConsoleForm<P: Permission, T> {
    pub session: OrganizerSession,
    pub form: T,
    _permission: PhantomData<P>,
}

impl<S, P, T> FromRequest<S> for ConsoleForm<P, T>
where
    S: Send + Sync,
    P: Permission,
    T: ConsoleFormFields,
    Arc<Organizers>: FromRef<S>,
{
    type Rejection = ConsoleRefusal;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let session = session_for(&parts, state, Action::ViewConsole).await?;
        let req = Request::from_parts(parts, body);
        let axum_extra::extract::Form(form) =
            axum_extra::extract::Form::<T>::from_request(req, state)
                .await
                .map_err(|_| ConsoleRefusal::BadForm)?;
        if !same_hash(form.csrf().as_bytes(), session.csrf_token.as_bytes()) {
            tracing::warn!(organizer = %session.organizer.username, "console form without a valid CSRF token");
            return Err(ConsoleRefusal::Stale);
        }
        if !allowed(session.organizer.role, P::ACTION) {
            return Err(ConsoleRefusal::Forbidden);
        }
        Ok(ConsoleForm {
            session,
            form,
            _permission: PhantomData,
        })
    }
}

// A macro: the same impl for twenty-seven form types of the `app` crate; a
// blanket impl would need a trait there for one field.
macro_rules! console_forms {
    ($($form:ty),* $(,)?) => {
        $(
            impl ConsoleFormFields for $form {
                fn csrf(&self) -> &str {
                    &self.csrf
                }
            }
        )*
    };
}

console_forms!(
    app::console::forms::CsrfForm,
    app::organizers::forms::CreateOrganizerForm,
    app::organizers::forms::UpdateOrganizerForm,
    app::stations::forms::AddStationForm,
    app::stations::forms::AssignStationsForm,
    app::campaigns::forms::CampaignForm,
    app::places::forms::RenamePlaceForm,
    app::nominees::forms::NomineeStatusForm,
    app::stations::forms::StationDetailsForm,
    app::stations::forms::StockForm,
    app::stations::forms::StationOperatorsForm,
    app::paper::forms::NewSheetForm,
    app::paper::forms::PaperRuleForm,
    app::paper::forms::ResolveForm,
    app::paper::forms::ReopenForm,
    app::paper::forms::PhotoWaiverForm,
    app::publication::forms::RankRuleForm,
    app::publication::forms::PublicationStepForm,
    app::publication::forms::LotForm,
    app::publication::forms::AnswerForm,
    app::publication::forms::CorrectionForm,
    app::publication::forms::CorrectionStepForm,
    app::screen::forms::ScreenForm,
    app::jury::forms::AppointJudgeForm,
    app::nomination::forms::ReviewForm,
    app::nomination::forms::BulkEligibleForm,
    app::nomination::forms::ApproveForm,
    app::nomination::forms::PaperConsentForm,
);

impl ConsoleFormFields for app::jury::forms::JuryScoresForm {
    fn csrf(&self) -> &str {
        self.csrf()
    }
}

impl ConsoleFormFields for app::paper::forms::SheetEntryForm {
    fn csrf(&self) -> &str {
        self.value("csrf")
    }
}

/// Which file field a console upload carries.
pub trait FileField: Send + Sync + 'static {
    const NAME: &'static str;
}

/// A nominee's photo.
pub struct PhotoFile;
impl FileField for PhotoFile {
    const NAME: &'static str = app::nominees::forms::NOMINEE_PHOTO_FIELD;
}

/// A nomination's photo (the nomination form's and the committee's).
pub struct NominationPhotoFile;
impl FileField for NominationPhotoFile {
    const NAME: &'static str = "photo";
}

/// A photo of a signed tally sheet.
pub struct SheetPhotoFile;
impl FileField for SheetPhotoFile {
    const NAME: &'static str = app::paper::forms::PHOTO_FIELD;
}

/// A file of streets and communities.
pub struct PlacesFile;
impl FileField for PlacesFile {
    const NAME: &'static str = app::places::forms::PLACES_FILE_FIELD;
}

/// A console multipart form from an organizer who may do `P`. The session
/// and the role are checked before the (possibly large) body is read; the
/// CSRF token, which travels in the body, once it is. A body that cannot be
/// read is handed on as its problem, for the page to name.
pub struct ConsoleUpload<P: Permission, F: FileField> {
    pub session: OrganizerSession,
    pub upload: Result<crate::web::multipart::Upload, crate::web::multipart::UploadProblem>,
    _marker: PhantomData<(P, F)>,
}

impl<S, P, F> FromRequest<S> for ConsoleUpload<P, F>
where
    S: Send + Sync,
    P: Permission,
    F: FileField,
    Arc<Organizers>: FromRef<S>,
{
    type Rejection = ConsoleRefusal;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let session = session_for(&parts, state, P::ACTION).await?;
        let req = Request::from_parts(parts, body);
        let upload = match axum::extract::Multipart::from_request(req, state).await {
            Ok(multipart) => crate::web::multipart::read(multipart, F::NAME).await,
            Err(_) => Err(crate::web::multipart::UploadProblem::Unreadable),
        };
        if let Ok(read) = &upload {
            if !same_hash(read.field("csrf").as_bytes(), session.csrf_token.as_bytes()) {
                tracing::warn!(organizer = %session.organizer.username, "console upload without a valid CSRF token");
                return Err(ConsoleRefusal::Stale);
            }
        }
        Ok(ConsoleUpload {
            session,
            upload,
            _marker: PhantomData,
        })
    }
}
