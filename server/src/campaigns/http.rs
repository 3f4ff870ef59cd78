//! The console's campaign forms: `POST /console/campaign` (edit) and
//! `POST /console/campaigns` (new).

use std::sync::Arc;

use alleyvote_domain::notice::{ConsoleError, Done};
use alleyvote_domain::{Campaign, Millis, Phase, ResultsVisibility};
use app::campaigns::forms::CampaignForm;
use axum::extract::{FromRef, FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::response::Response;
use axum::routing::post;
use axum::{Json, Router};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{CampaignError, Campaigns};
use crate::organizers::access::{ConsoleForm, EditCampaign};
use crate::organizers::Organizers;
use crate::web::client::{request_lang, RequestLang};
use crate::web::error::{ApiError, ConsoleRefusal, ErrorBody};
use crate::web::redirect::see_other;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Campaigns>: FromRef<S>,
    Arc<Organizers>: FromRef<S>,
{
    Router::new()
        .route("/console/campaign", post(update))
        .route("/console/campaigns", post(create))
}

/// The campaign an API path names (`/campaigns/{slug}/…`): a 404 in the
/// request's language when there is none.
pub struct CampaignPath(pub Campaign);

impl<S> FromRequestParts<S> for CampaignPath
where
    S: Send + Sync,
    Arc<Campaigns>: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let lang = request_lang(&parts.headers);
        let Path(params) =
            Path::<std::collections::HashMap<String, String>>::from_request_parts(parts, state)
                .await
                .map_err(|_| ApiError::unknown_campaign(lang))?;
        let slug = params
            .get("slug")
            .ok_or_else(|| ApiError::unknown_campaign(lang))?;
        match Arc::<Campaigns>::from_ref(state).get(slug).await {
            Ok(Some(c)) => Ok(CampaignPath(c)),
            Ok(None) => Err(ApiError::unknown_campaign(lang)),
            Err(e) => Err(ApiError::internal(lang, &e)),
        }
    }
}

/// The `{slug}` of `/campaigns/{slug}/…`, as the API documents it.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct CampaignSlug {
    /// The campaign's address name ([`super::form::valid_slug`]).
    #[param(
        example = "yangpu-2026",
        pattern = r"^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$"
    )]
    #[allow(dead_code)]
    slug: String,
}

/// The public JSON API, under `/api/v1`.
pub fn api_routes<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Campaigns>: FromRef<S>,
{
    OpenApiRouter::new().routes(routes!(list))
}

/// `GET /campaigns`: every campaign.
#[derive(Serialize, ToSchema)]
pub struct CampaignList {
    campaigns: Vec<CampaignView>,
}

/// A campaign as the API shows it: language-neutral data.
#[derive(Serialize, ToSchema)]
pub struct CampaignView {
    /// The campaign's address name in paths.
    #[schema(example = "yangpu-2026")]
    slug: String,
    title_zh: String,
    title_en: String,
    /// The phase now.
    phase: Phase,
    phases: PhaseDates,
    rules: RulesView,
    results_visibility: ResultsVisibility,
}

/// When each phase starts (RFC 3339, +08:00); voting ends at `voting_end`.
#[derive(Serialize, ToSchema)]
pub struct PhaseDates {
    #[schema(format = DateTime)]
    nomination_start: String,
    #[schema(format = DateTime)]
    review_start: String,
    #[schema(format = DateTime)]
    voting_start: String,
    #[schema(format = DateTime)]
    voting_end: String,
    #[schema(format = DateTime)]
    notice_end: String,
    #[schema(format = DateTime)]
    ceremony_at: String,
}

/// How many votes a resident has each Shanghai day.
#[derive(Serialize, ToSchema)]
pub struct RulesView {
    #[schema(minimum = 1)]
    votes_per_day: u16,
    #[schema(minimum = 1)]
    per_nominee_per_day: u16,
    #[schema(example = "00:00 Asia/Shanghai")]
    day_boundary: String,
}

impl CampaignView {
    fn of(c: &Campaign, now: Millis) -> Self {
        CampaignView {
            slug: c.slug.clone(),
            title_zh: c.title_zh.clone(),
            title_en: c.title_en.clone(),
            phase: c.phase(now),
            phases: PhaseDates {
                nomination_start: c.phases.nomination_start.rfc3339(),
                review_start: c.phases.review_start.rfc3339(),
                voting_start: c.phases.voting_start.rfc3339(),
                voting_end: c.phases.voting_end.rfc3339(),
                notice_end: c.phases.notice_end.rfc3339(),
                ceremony_at: c.phases.ceremony_at.rfc3339(),
            },
            rules: RulesView {
                votes_per_day: c.rules.votes_per_day(),
                per_nominee_per_day: c.rules.per_nominee_per_day(),
                day_boundary: "00:00 Asia/Shanghai".into(),
            },
            results_visibility: c.results_visibility,
        }
    }
}

/// Campaigns with their slug, titles, phase, phase dates and vote rules.
#[utoipa::path(
    get,
    path = "/campaigns",
    tag = "campaigns",
    responses(
        (status = 200, body = CampaignList),
        (status = 503, description = "Briefly unavailable (unavailable).", body = ErrorBody),
    )
)]
async fn list(
    State(campaigns): State<Arc<Campaigns>>,
    RequestLang(lang): RequestLang,
) -> Result<Json<CampaignList>, ApiError> {
    let list = campaigns
        .all()
        .await
        .map_err(|e| ApiError::internal(lang, &e))?;
    let now = Millis::now();
    Ok(Json(CampaignList {
        campaigns: list.iter().map(|c| CampaignView::of(c, now)).collect(),
    }))
}

async fn update(
    State(campaigns): State<Arc<Campaigns>>,
    ConsoleForm { session, form, .. }: ConsoleForm<EditCampaign, CampaignForm>,
) -> Result<Response, ConsoleRefusal> {
    let here = format!("/console/campaign?slug={}", urlencoding::encode(&form.slug));
    match campaigns.update(session.actor(), &form).await {
        Ok(_) => Ok(see_other(format!("{here}&done={}", Done::Updated.code()))),
        Err(CampaignError::Unknown) => Ok(see_other(format!(
            "/console/campaign?error={}",
            ConsoleError::Invalid.code()
        ))),
        Err(CampaignError::Form(problem)) => {
            Ok(see_other(format!("{here}&problem={}", problem.code())))
        }
        Err(CampaignError::Store(e)) => Err(ConsoleRefusal::unavailable(&e)),
    }
}

async fn create(
    State(campaigns): State<Arc<Campaigns>>,
    ConsoleForm { session, form, .. }: ConsoleForm<EditCampaign, CampaignForm>,
) -> Result<Response, ConsoleRefusal> {
    match campaigns.create(session.actor(), &form).await {
        Ok(c) => Ok(see_other(format!(
            "/console/campaign?slug={}&done={}",
            c.slug,
            Done::CreatedCampaign.code()
        ))),
        Err(CampaignError::Form(problem)) => Ok(see_other(format!(
            "/console/campaign?new_problem={}",
            problem.code()
        ))),
        Err(CampaignError::Unknown) => Ok(see_other(format!(
            "/console/campaign?error={}",
            ConsoleError::Invalid.code()
        ))),
        Err(CampaignError::Store(e)) => Err(ConsoleRefusal::unavailable(&e)),
    }
}
