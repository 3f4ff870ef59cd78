//! The console's campaign forms: `POST /console/campaign` (edit) and
//! `POST /console/campaigns` (new).

use std::sync::Arc;

use alleyvote_domain::notice::{ConsoleError, Done};
use app::campaigns::forms::CampaignForm;
use axum::extract::{FromRef, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;

use super::{CampaignError, Campaigns};
use crate::organizers::access::{ConsoleForm, EditCampaign};
use crate::organizers::Organizers;
use crate::web::error::ConsoleRefusal;
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
