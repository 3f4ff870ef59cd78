//! The publication forms: the ranking rule, the lot, the stage steps and
//! the answers in the console, and the residents' objections. Each handler
//! parses, calls one use case and maps its outcome to a redirect that names
//! it (`?done=` or `?problem=` on the page it came from).

use std::sync::Arc;

use alleyvote_domain::publication::{ObjectionText, PublicationStep, UnreportedReason};
use alleyvote_domain::ranking::{Formula, RankRule, RuleProblem, Scaling, TieBreak, Weights};
use alleyvote_domain::{Campaign, Millis};
use app::publication::forms::{
    AnswerForm, CorrectionForm, CorrectionStepForm, LotForm, ObjectionForm, PublicationStepForm,
    RankRuleForm,
};
use axum::extract::{FromRef, Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::{Form, Router};

use super::{PublicationError, Publications};
use crate::campaigns::Campaigns;
use crate::organizers::access::{AnswerObjections, ConsoleForm, PublishResults};
use crate::organizers::Organizers;
use crate::signin::http::MaybeVoter;
use crate::signin::Signin;
use crate::web::error::ConsoleRefusal;
use crate::web::redirect::see_other;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Publications>: FromRef<S>,
    Arc<Campaigns>: FromRef<S>,
    Arc<Organizers>: FromRef<S>,
    Arc<Signin>: FromRef<S>,
{
    Router::new()
        .route("/console/results/rule", post(set_rule))
        .route("/console/results/lot", post(draw_lot))
        .route("/console/results/step", post(step))
        .route("/console/results/objections/{id}/answer", post(answer))
        .route("/console/results/corrections", post(propose_correction))
        .route(
            "/console/results/corrections/{id}/{step}",
            post(correction_step),
        )
        .route("/results/objections", post(object))
}

const PAGE: &str = "/console/results";

/// The console's results page for a campaign, with what happened.
fn at_page(slug: &str, outcome: &str) -> Response {
    see_other(format!(
        "{PAGE}?slug={}&{outcome}",
        urlencoding::encode(slug)
    ))
}

/// A refusal as the page names it; storage failures are refused outright.
fn refused(slug: &str, e: PublicationError) -> Result<Response, ConsoleRefusal> {
    let code = match e {
        PublicationError::Store(e) => return Err(ConsoleRefusal::unavailable(&e)),
        PublicationError::Rule(RuleProblem::Winners) => "winners".to_string(),
        PublicationError::Rule(RuleProblem::Formula(_)) => "weights".to_string(),
        PublicationError::RuleLocked => "rule_locked".to_string(),
        PublicationError::Step(r) => r.code().to_string(),
        PublicationError::Objection(p) => p.code().to_string(),
        PublicationError::Correction(r) => r.code().to_string(),
        PublicationError::Witness => "witness".to_string(),
        PublicationError::NoLot => "no_lot".to_string(),
        PublicationError::Moved => "moved".to_string(),
    };
    Ok(at_page(slug, &format!("problem={code}")))
}

async fn campaign_of(campaigns: &Campaigns, slug: &str) -> Result<Campaign, ConsoleRefusal> {
    match campaigns.get(slug).await {
        Ok(Some(c)) => Ok(c),
        Ok(None) => Err(ConsoleRefusal::BadForm),
        Err(e) => Err(ConsoleRefusal::unavailable(&e)),
    }
}

/// Reads the rule form: every number as typed, the ladder's rungs in order.
pub fn parse_rule(form: &RankRuleForm) -> Result<RankRule, RuleProblem> {
    let pct = |s: &str| s.trim().parse::<u8>().ok().filter(|w| *w <= 100);
    let weights_not_100 =
        RuleProblem::Formula(alleyvote_domain::ranking::FormulaProblem::WeightsNot100);
    let formula = match form.formula.trim() {
        "weighted" => Formula::Weighted {
            scaling: match form.scaling.trim() {
                "to_total" => Scaling::ToTotal,
                _ => Scaling::ToMaximum,
            },
            weights: Weights {
                online: pct(&form.online).ok_or(weights_not_100)?,
                paper: pct(&form.paper).ok_or(weights_not_100)?,
                jury: if form.jury.trim().is_empty() {
                    0
                } else {
                    pct(&form.jury).ok_or(weights_not_100)?
                },
            },
        },
        _ => Formula::PlainSum,
    };
    let winners = form
        .winners
        .trim()
        .parse::<u16>()
        .map_err(|_| RuleProblem::Winners)?;
    let ladder: Vec<TieBreak> = [&form.tie1, &form.tie2, &form.tie3]
        .into_iter()
        .filter_map(|t| TieBreak::parse(t))
        .collect();
    RankRule::new(formula, winners, &ladder)
}

async fn set_rule(
    State(publications): State<Arc<Publications>>,
    State(campaigns): State<Arc<Campaigns>>,
    ConsoleForm { session, form, .. }: ConsoleForm<PublishResults, RankRuleForm>,
) -> Result<Response, ConsoleRefusal> {
    let campaign = campaign_of(&campaigns, &form.slug).await?;
    match publications
        .set_rule(session.actor(), &campaign, parse_rule(&form))
        .await
    {
        Ok(()) => Ok(at_page(&campaign.slug, "done=rule")),
        Err(e) => refused(&campaign.slug, e),
    }
}

async fn draw_lot(
    State(publications): State<Arc<Publications>>,
    State(campaigns): State<Arc<Campaigns>>,
    ConsoleForm { session, form, .. }: ConsoleForm<PublishResults, LotForm>,
) -> Result<Response, ConsoleRefusal> {
    let campaign = campaign_of(&campaigns, &form.slug).await?;
    match publications
        .draw_lot(session.actor(), &campaign, &form.witness)
        .await
    {
        Ok(_) => Ok(at_page(&campaign.slug, "done=lot")),
        Err(e) => refused(&campaign.slug, e),
    }
}

async fn step(
    State(publications): State<Arc<Publications>>,
    State(campaigns): State<Arc<Campaigns>>,
    ConsoleForm { session, form, .. }: ConsoleForm<PublishResults, PublicationStepForm>,
) -> Result<Response, ConsoleRefusal> {
    let campaign = campaign_of(&campaigns, &form.slug).await?;
    let step = match form.step.trim() {
        "close" => PublicationStep::Close,
        "notice" => {
            let Some(end) = Millis::parse_local_input(&form.notice_end) else {
                return Ok(at_page(&campaign.slug, "problem=notice_end_too_early"));
            };
            match UnreportedReason::parse(&form.unreported_reason) {
                Ok(unreported) => PublicationStep::OpenNotice { end, unreported },
                Err(refusal) => {
                    return Ok(at_page(
                        &campaign.slug,
                        &format!("problem={}", refusal.code()),
                    ))
                }
            }
        }
        "final" => PublicationStep::Finalize,
        _ => return Ok(at_page(&campaign.slug, "problem=moved")),
    };
    match publications.step(session.actor(), &campaign, step).await {
        Ok(p) => Ok(at_page(
            &campaign.slug,
            &format!("done={}", p.stage.as_str()),
        )),
        Err(e) => refused(&campaign.slug, e),
    }
}

async fn answer(
    State(publications): State<Arc<Publications>>,
    State(campaigns): State<Arc<Campaigns>>,
    Path(id): Path<String>,
    ConsoleForm { session, form, .. }: ConsoleForm<AnswerObjections, AnswerForm>,
) -> Result<Response, ConsoleRefusal> {
    let campaign = campaign_of(&campaigns, &form.slug).await?;
    let Ok(id) = id.parse::<i64>() else {
        return Err(ConsoleRefusal::BadForm);
    };
    match publications
        .answer(session.actor(), &campaign, id, &form.answer)
        .await
    {
        Ok(()) => Ok(at_page(&campaign.slug, "done=answered")),
        Err(e) => refused(&campaign.slug, e),
    }
}

async fn propose_correction(
    State(publications): State<Arc<Publications>>,
    State(campaigns): State<Arc<Campaigns>>,
    ConsoleForm { session, form, .. }: ConsoleForm<PublishResults, CorrectionForm>,
) -> Result<Response, ConsoleRefusal> {
    let campaign = campaign_of(&campaigns, &form.slug).await?;
    match publications
        .propose_correction(session.actor(), &campaign, &form.reason)
        .await
    {
        Ok(_) => Ok(at_page(
            &campaign.slug,
            "done=correction_proposed#corrections",
        )),
        Err(e) => refused(&campaign.slug, e),
    }
}

/// Confirms, cancels or publishes a correction (`{step}`), each by an
/// administrator; the rules (a second one confirms) are the use case's.
async fn correction_step(
    State(publications): State<Arc<Publications>>,
    State(campaigns): State<Arc<Campaigns>>,
    Path((id, step)): Path<(String, String)>,
    ConsoleForm { session, form, .. }: ConsoleForm<PublishResults, CorrectionStepForm>,
) -> Result<Response, ConsoleRefusal> {
    let campaign = campaign_of(&campaigns, &form.slug).await?;
    let Ok(id) = id.parse::<i64>() else {
        return Err(ConsoleRefusal::BadForm);
    };
    let actor = session.actor();
    let done = match step.as_str() {
        "confirm" => publications
            .confirm_correction(actor, &campaign, id)
            .await
            .map(|()| "correction_confirmed"),
        "cancel" => publications
            .cancel_correction(actor, &campaign, id)
            .await
            .map(|()| "correction_cancelled"),
        "publish" => publications
            .publish_correction(actor, &campaign, id)
            .await
            .map(|_| "correction_published"),
        _ => return Err(ConsoleRefusal::BadForm),
    };
    match done {
        Ok(done) => Ok(at_page(&campaign.slug, &format!("done={done}#corrections"))),
        Err(e) => refused(&campaign.slug, e),
    }
}

/// `POST /results/objections`: a signed-in resident objects; back to the
/// results page with the outcome (or to sign in first).
async fn object(
    State(publications): State<Arc<Publications>>,
    State(campaigns): State<Arc<Campaigns>>,
    MaybeVoter(voter): MaybeVoter,
    Form(form): Form<ObjectionForm>,
) -> Response {
    let Some(voter) = voter else {
        return see_other("/login?next=%2Fresults%23objections");
    };
    let campaign = match campaigns.current().await {
        Ok(Some(c)) => c,
        Ok(None) => return see_other("/results"),
        Err(e) => {
            tracing::warn!(error = %e, "objection: no campaign");
            return see_other("/results?objection=unavailable#objections");
        }
    };
    let text = ObjectionText::parse(&form.reason, &form.contact, &form.nominee);
    match publications.object(&campaign, voter, text).await {
        Ok(_) => see_other("/results?objection=filed#objections"),
        Err(PublicationError::Objection(p)) => {
            see_other(format!("/results?objection={}#objections", p.code()))
        }
        Err(e) => {
            tracing::warn!(error = %e, "objection not filed");
            see_other("/results?objection=unavailable#objections")
        }
    }
}
