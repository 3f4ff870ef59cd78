//! The console's campaign forms: `POST /console/campaign` (edit) and
//! `POST /console/campaigns` (new).

use std::sync::Arc;

use alleyvote_domain::notice::{ConsoleError, Done};
use alleyvote_domain::{Campaign, Millis};
use app::forms::CampaignForm;
use axum::extract::{FromRef, FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::{CampaignError, Campaigns};
use crate::organizers::access::{ConsoleForm, EditCampaign};
use crate::organizers::Organizers;
use crate::web::client::{request_lang, RequestLang};
use crate::web::error::{ApiError, ConsoleRefusal};
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

/// The public JSON API, under `/api/v1`.
pub fn api_routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Campaigns>: FromRef<S>,
{
    Router::new().route("/campaigns", get(list))
}

/// A campaign as the API shows it: language-neutral data.
pub fn campaign_json(c: &Campaign, now: Millis) -> Value {
    json!({
        "slug": c.slug,
        "title_zh": c.title_zh,
        "title_en": c.title_en,
        "phase": c.phase(now).as_str(),
        "phases": {
            "nomination_start": c.phases.nomination_start.rfc3339(),
            "review_start": c.phases.review_start.rfc3339(),
            "voting_start": c.phases.voting_start.rfc3339(),
            "voting_end": c.phases.voting_end.rfc3339(),
            "notice_end": c.phases.notice_end.rfc3339(),
            "ceremony_at": c.phases.ceremony_at.rfc3339(),
        },
        "rules": {
            "votes_per_day": c.rules.votes_per_day(),
            "per_nominee_per_day": c.rules.per_nominee_per_day(),
            "day_boundary": "00:00 Asia/Shanghai",
        },
        "results_visibility": c.results_visibility.as_str(),
    })
}

/// `GET /api/v1/campaigns`
async fn list(
    State(campaigns): State<Arc<Campaigns>>,
    RequestLang(lang): RequestLang,
) -> Result<Json<Value>, ApiError> {
    let list = campaigns
        .all()
        .await
        .map_err(|e| ApiError::internal(lang, &e))?;
    let now = Millis::now();
    Ok(Json(
        json!({ "campaigns": list.iter().map(|c| campaign_json(c, now)).collect::<Vec<_>>() }),
    ))
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
