//! The jury's forms: `POST /console/jury/judges` (an administrator appoints
//! a judge) and `POST /console/jury/scores` (a judge's score sheet).

use std::sync::Arc;

use alleyvote_domain::organizer::OrganizerId;
use alleyvote_domain::NomineeNumber;
use app::jury::forms::{AppointJudgeForm, JuryScoresForm};
use axum::extract::{FromRef, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;

use super::{Jury, JuryError};
use crate::campaigns::Campaigns;
use crate::organizers::access::{ConsoleForm, PublishResults, ViewConsole};
use crate::organizers::Organizers;
use crate::web::error::ConsoleRefusal;
use crate::web::redirect::see_other;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Jury>: FromRef<S>,
    Arc<Campaigns>: FromRef<S>,
    Arc<Organizers>: FromRef<S>,
{
    Router::new()
        .route("/console/jury/judges", post(appoint))
        .route("/console/jury/scores", post(score))
}

fn back(outcome: &str) -> Response {
    see_other(format!("/console/jury?{outcome}"))
}

fn refused(e: JuryError) -> Result<Response, ConsoleRefusal> {
    match e {
        JuryError::Store(e) => Err(ConsoleRefusal::unavailable(&e)),
        JuryError::NotAJudge => Err(ConsoleRefusal::Forbidden),
        JuryError::Locked => Ok(back("problem=locked")),
        JuryError::NotAScore(n) => Ok(back(&format!("problem=not_a_score&nominee={}", n.get()))),
        JuryError::UnknownAccount => Ok(back("problem=unknown_account")),
    }
}

async fn appoint(
    State(jury): State<Arc<Jury>>,
    State(campaigns): State<Arc<Campaigns>>,
    ConsoleForm { session, form, .. }: ConsoleForm<PublishResults, AppointJudgeForm>,
) -> Result<Response, ConsoleRefusal> {
    let Ok(Some(campaign)) = campaigns.current().await else {
        return Err(ConsoleRefusal::BadForm);
    };
    let Ok(id) = form.organizer.trim().parse::<i64>() else {
        return Ok(back("problem=unknown_account"));
    };
    match jury
        .appoint(session.actor(), &campaign, OrganizerId(id))
        .await
    {
        Ok(()) => Ok(back("done=appointed")),
        Err(e) => refused(e),
    }
}

async fn score(
    State(jury): State<Arc<Jury>>,
    State(campaigns): State<Arc<Campaigns>>,
    ConsoleForm { session, form, .. }: ConsoleForm<ViewConsole, JuryScoresForm>,
) -> Result<Response, ConsoleRefusal> {
    let Ok(Some(campaign)) = campaigns.current().await else {
        return Err(ConsoleRefusal::BadForm);
    };
    let typed: Vec<(NomineeNumber, String)> = form
        .scores()
        .filter_map(|(n, text)| Some((NomineeNumber::parse(n).ok()?, text.to_string())))
        .collect();
    match jury.score(session.actor(), &campaign, &typed).await {
        Ok(()) => Ok(back("done=scored")),
        Err(e) => refused(e),
    }
}
