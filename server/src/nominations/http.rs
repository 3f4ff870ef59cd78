//! Nominations through HTML forms (no JavaScript needed): a resident's
//! nomination, supporting a likely duplicate instead, answering a question;
//! the nominee's answer through the consent link; and the reviewers'
//! decisions in the console. Each handler reads its form, calls one use case
//! and sends the browser back with `done=` or `problem=`.

use std::sync::Arc;

use alleyvote_domain::nomination::{
    DecisionRefusal, DraftProblem, IneligibleReason, NominationDone as Done, NominationFields,
    NominationId, NominationProblem as Problem,
};
use alleyvote_domain::NomineeNumber;
use app::nomination::forms::{
    AnswerForm, ApproveForm, BulkEligibleForm, ConsentForm, JoinForm, PaperConsentForm, ReviewForm,
};
use axum::extract::{FromRef, Multipart, Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use super::storage::Approval;
use super::{NominateError, Nominations, Review, ReviewError};
use crate::campaigns::Campaigns;
use crate::limits::RateLimits;
use crate::organizers::access::{
    ConsoleForm, ConsoleUpload, NominationPhotoFile, ReviewNominations, Signed,
};
use crate::organizers::Organizers;
use crate::photos::upload_limit;
use crate::photos::PhotoProblem;
use crate::signin::http::MaybeVoter;
use crate::signin::Signin;
use crate::web::client::ClientAddr;
use crate::web::error::ConsoleRefusal;
use crate::web::multipart::{self, Upload, UploadProblem};
use crate::web::redirect::see_other;
use crate::web::WebConfig;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Nominations>: FromRef<S>,
    Arc<Campaigns>: FromRef<S>,
    Arc<Signin>: FromRef<S>,
    Arc<Organizers>: FromRef<S>,
    Arc<RateLimits>: FromRef<S>,
    WebConfig: FromRef<S>,
{
    Router::new()
        .route("/nominate", post(nominate).layer(upload_limit()))
        .route("/my/nominations/{id}/join", post(join))
        .route("/my/nominations/{id}/answer", post(answer))
        .route("/my/nominations/{id}/keep", post(keep))
        .route("/consent/{token}", post(consent))
        .route("/console/nominations", post(enter).layer(upload_limit()))
        .route("/console/nominations/bulk", post(bulk_eligible))
        .route("/console/nominations/{id}/review", post(review))
        .route("/console/nominations/{id}/approve", post(approve))
        .route("/console/nominations/{id}/consent", post(paper_consent))
        .route("/console/nominations/{id}/photo.jpg", get(photo))
        .route(
            "/console/nominations/{id}/photo",
            post(replace_photo).layer(upload_limit()),
        )
}

/// The nomination fields of a multipart form.
fn fields_of(upload: &Upload) -> NominationFields {
    NominationFields {
        name: upload.field("name").to_string(),
        community: upload.field("community").to_string(),
        role: upload.field("role").to_string(),
        years: upload.field("years").to_string(),
        story: upload.field("story").to_string(),
        relation: upload.field("relation").to_string(),
        nominee_phone: upload.field("nominee_phone").to_string(),
        my_phone: upload.field("my_phone").to_string(),
    }
}

/// A refusal as the `problem=` code the pages name.
fn code_of(e: &NominateError) -> &'static str {
    match e {
        NominateError::Closed => Problem::Closed.code(),
        NominateError::Problem(p) => p.as_str(),
        NominateError::NotOwnNumber => DraftProblem::MyPhone.as_str(),
        NominateError::UnknownCommunity => DraftProblem::Community.as_str(),
        NominateError::Photo(PhotoProblem::TooLarge | PhotoProblem::TooManyPixels) => {
            Problem::PhotoSize.code()
        }
        NominateError::Photo(PhotoProblem::Unsupported) => Problem::PhotoFormat.code(),
        NominateError::Photo(PhotoProblem::Unreadable) => Problem::PhotoUnreadable.code(),
        NominateError::LimitReached => Problem::Limit.code(),
        NominateError::AlreadyCounted => Problem::Already.code(),
        NominateError::NotStanding => Problem::NotStanding.code(),
        NominateError::NotAnOrganizer | NominateError::Duplicates(_) | NominateError::Store(_) => {
            Problem::Unavailable.code()
        }
    }
}

fn upload_code(p: UploadProblem) -> &'static str {
    match p {
        UploadProblem::FileTooLarge => Problem::PhotoSize.code(),
        UploadProblem::Unreadable | UploadProblem::FieldTooLong => DraftProblem::Story.as_str(),
    }
}

fn review_code(e: &ReviewError) -> &'static str {
    match e {
        ReviewError::NotFound => Problem::Unavailable.code(),
        ReviewError::Refused(r) => r.as_str(),
        ReviewError::Stale => Problem::Stale.code(),
        ReviewError::NumberTaken => Problem::NumberTaken.code(),
        ReviewError::Note => Problem::Note.code(),
        ReviewError::Closed => Problem::ListFixed.code(),
        ReviewError::Photo(p) => code_of(&NominateError::Photo(*p)),
        ReviewError::Store(e) => {
            crate::web::error::unexpected(e);
            Problem::Unavailable.code()
        }
    }
}

/// `page?done=…`.
fn done_at(page: &str, done: Done) -> Response {
    see_other(format!("{page}?done={}", done.code()))
}

/// `page?problem=…` for one of the nomination forms' own problems.
fn problem_at(page: &str, p: Problem) -> Response {
    see_other(format!("{page}?problem={}", p.code()))
}

async fn current(campaigns: &Campaigns) -> Option<alleyvote_domain::Campaign> {
    match campaigns.current().await {
        Ok(c) => c,
        Err(e) => {
            crate::web::error::unexpected(&e);
            None
        }
    }
}

/// `POST /nominate` (multipart): a resident's nomination. It is stored
/// whatever its likely duplicates; `/my/nominations` then offers to
/// support one of them instead (at `#n<id>`, the new nomination's card).
async fn nominate(
    State(nominations): State<Arc<Nominations>>,
    State(campaigns): State<Arc<Campaigns>>,
    State(limits): State<Arc<RateLimits>>,
    ClientAddr(ip): ClientAddr,
    MaybeVoter(voter): MaybeVoter,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let Some(voter) = voter else {
        return see_other("/login?next=%2Fnominate");
    };
    // The same rates as a vote: per address, then per resident.
    if limits.check_ip(ip).is_err() || limits.check_voter(voter).is_err() {
        return problem_at("/nominate", Problem::RateLimited);
    }
    let upload = match multipart {
        Ok(m) => multipart::read(m, "photo").await,
        Err(_) => Err(UploadProblem::Unreadable),
    };
    let upload = match upload {
        Ok(u) => u,
        Err(p) => return see_other(format!("/nominate?problem={}", upload_code(p))),
    };
    let Some(campaign) = current(&campaigns).await else {
        return problem_at("/nominate", Problem::Unavailable);
    };
    let fields = fields_of(&upload);
    match nominations
        .nominate(&campaign, voter, &fields, true, upload.file)
        .await
    {
        Ok(id) => see_other(format!("/my/nominations?done={}#n{id}", Done::Sent.code())),
        Err(e) => {
            if let NominateError::Store(s) = &e {
                crate::web::error::unexpected(s);
            }
            see_other(format!("/nominate?problem={}", code_of(&e)))
        }
    }
}

/// `POST /my/nominations/{id}/join`: support a likely duplicate instead of
/// one's own nomination, which is merged into it.
async fn join(
    State(nominations): State<Arc<Nominations>>,
    State(campaigns): State<Arc<Campaigns>>,
    State(limits): State<Arc<RateLimits>>,
    MaybeVoter(voter): MaybeVoter,
    Path(id): Path<i64>,
    Form(form): Form<JoinForm>,
) -> Response {
    let Some(voter) = voter else {
        return see_other("/login?next=%2Fmy%2Fnominations");
    };
    if limits.check_voter(voter).is_err() {
        return problem_at("/my/nominations", Problem::RateLimited);
    }
    let Some(campaign) = current(&campaigns).await else {
        return problem_at("/my/nominations", Problem::Unavailable);
    };
    let Ok(lead) = form.lead.trim().parse::<i64>() else {
        return problem_at("/my/nominations", Problem::NotStanding);
    };
    match nominations
        .join(&campaign, voter, NominationId(id), NominationId(lead))
        .await
    {
        Ok(()) => done_at("/my/nominations", Done::Joined),
        Err(e) => see_other(format!("/my/nominations?problem={}", code_of(&e))),
    }
}

/// `POST /my/nominations/{id}/answer`: the nominator answers a question.
async fn answer(
    State(nominations): State<Arc<Nominations>>,
    State(campaigns): State<Arc<Campaigns>>,
    State(limits): State<Arc<RateLimits>>,
    MaybeVoter(voter): MaybeVoter,
    Path(id): Path<i64>,
    Form(form): Form<AnswerForm>,
) -> Response {
    let Some(voter) = voter else {
        return see_other("/login?next=%2Fmy%2Fnominations");
    };
    if limits.check_voter(voter).is_err() {
        return problem_at("/my/nominations", Problem::RateLimited);
    }
    let Some(campaign) = current(&campaigns).await else {
        return problem_at("/my/nominations", Problem::Unavailable);
    };
    match nominations
        .answer(&campaign, voter, NominationId(id), &form.answer)
        .await
    {
        Ok(()) => done_at("/my/nominations", Done::Answered),
        Err(ReviewError::Note) => problem_at("/my/nominations", Problem::Answer),
        Err(e) => see_other(format!("/my/nominations?problem={}", review_code(&e))),
    }
}

/// `POST /my/nominations/{id}/keep`: the likely duplicates shown are
/// someone else; keep one's own nomination.
async fn keep(
    State(nominations): State<Arc<Nominations>>,
    State(campaigns): State<Arc<Campaigns>>,
    MaybeVoter(voter): MaybeVoter,
    Path(id): Path<i64>,
) -> Response {
    let Some(voter) = voter else {
        return see_other("/login?next=%2Fmy%2Fnominations");
    };
    let Some(campaign) = current(&campaigns).await else {
        return problem_at("/my/nominations", Problem::Unavailable);
    };
    match nominations
        .keep_separate(&campaign, voter, NominationId(id))
        .await
    {
        Ok(()) => done_at("/my/nominations", Done::Kept),
        Err(e) => see_other(format!("/my/nominations?problem={}", code_of(&e))),
    }
}

/// `POST /consent/{token}`: the nominee agrees (`agree=yes`) or declines.
async fn consent(
    State(nominations): State<Arc<Nominations>>,
    Path(token): Path<String>,
    Form(form): Form<ConsentForm>,
) -> Response {
    let agreed = form.agree == "yes";
    let back = format!("/consent/{}", urlencoding::encode(&token));
    // Declining is asked once more: a stray tap must not take someone off
    // the list for good.
    if !agreed && form.confirmed != "yes" {
        return see_other(format!("{back}?confirm=decline"));
    }
    match nominations.answer_link(&token, agreed).await {
        Ok(super::storage::LinkState::Open(_)) => {
            done_at(&back, if agreed { Done::Agreed } else { Done::Declined })
        }
        Ok(_) => see_other(back),
        Err(e) => {
            crate::web::error::unexpected(&e);
            see_other(back)
        }
    }
}

/// `POST /console/nominations` (multipart): a committee's nomination.
async fn enter(
    State(nominations): State<Arc<Nominations>>,
    State(campaigns): State<Arc<Campaigns>>,
    ConsoleUpload {
        session, upload, ..
    }: ConsoleUpload<ReviewNominations, NominationPhotoFile>,
) -> Result<Response, ConsoleRefusal> {
    let page = "/console/nominations";
    let upload = match upload {
        Ok(u) => u,
        Err(p) => return Ok(see_other(format!("{page}?problem={}", upload_code(p)))),
    };
    let campaign = reviewed(&campaigns).await?;
    let fields = fields_of(&upload);
    Ok(
        match nominations
            .enter_for_committee(&campaign, session.actor(), &fields, upload.file)
            .await
        {
            Ok(id) => done_at(&format!("/console/nominations/{id}"), Done::Entered),
            Err(e) => see_other(format!("{page}?problem={}", code_of(&e))),
        },
    )
}

fn revision_of(text: &str) -> i64 {
    text.trim().parse().unwrap_or(-1)
}

/// The campaign a reviewer's form acts on.
async fn reviewed(campaigns: &Campaigns) -> Result<alleyvote_domain::Campaign, ConsoleRefusal> {
    current(campaigns).await.ok_or(ConsoleRefusal::Unavailable)
}

/// Back to the nomination's page with `done=` or the refusal's `problem=`.
fn back_to<T>(id: i64, done: Done, outcome: Result<T, ReviewError>) -> Response {
    match outcome {
        Ok(_) => done_at(&format!("/console/nominations/{id}"), done),
        Err(e) => see_other(format!(
            "/console/nominations/{id}?problem={}",
            review_code(&e)
        )),
    }
}

/// `POST /console/nominations/{id}/review`: eligible, not eligible, a
/// question, or a merge.
async fn review(
    State(nominations): State<Arc<Nominations>>,
    State(campaigns): State<Arc<Campaigns>>,
    Path(id): Path<i64>,
    ConsoleForm { session, form, .. }: ConsoleForm<ReviewNominations, ReviewForm>,
) -> Result<Response, ConsoleRefusal> {
    let page = format!("/console/nominations/{id}");
    let campaign = reviewed(&campaigns).await?;
    if form.decision == "unmerge" {
        let outcome = nominations
            .unmerge(
                &campaign,
                session.actor(),
                NominationId(id),
                revision_of(&form.revision),
            )
            .await;
        return Ok(back_to(id, Done::Unmerged, outcome));
    }
    let decision = match form.decision.as_str() {
        "eligible" => Review::Eligible,
        "ineligible" => match IneligibleReason::parse(&form.reason) {
            Some(reason) => Review::Ineligible {
                reason,
                note: form.note.clone(),
            },
            None => return Ok(problem_at(&page, Problem::Note)),
        },
        "ask" => Review::AskForInfo {
            question: form.question.clone(),
        },
        "merge" => match form.into.trim().parse::<i64>() {
            // A merge is taken only from the side-by-side view, where both
            // stories were read: from anywhere else, that view first.
            Ok(into) if form.confirmed != "yes" => {
                return Ok(see_other(format!("{page}/compare/{into}")));
            }
            Ok(into) => Review::MergeInto(NominationId(into)),
            Err(_) => {
                return Ok(see_other(format!(
                    "{page}?problem={}",
                    DecisionRefusal::BadTarget.as_str()
                )))
            }
        },
        _ => return Err(ConsoleRefusal::BadForm),
    };
    let outcome = nominations
        .review(
            &campaign,
            session.actor(),
            NominationId(id),
            revision_of(&form.revision),
            &decision,
        )
        .await;
    let merged_into = match &decision {
        Review::MergeInto(into) => Some(into.0),
        _ => None,
    };
    Ok(match (outcome, merged_into) {
        // Merged: on to the lead, which now shows the merged story.
        (Ok(_), Some(lead)) => done_at(&format!("/console/nominations/{lead}"), Done::Merged),
        (Ok(_), None) if form.next == "1" => {
            match nominations.next_waiting(&campaign, NominationId(id)).await {
                Ok(Some(next)) => done_at(&format!("/console/nominations/{next}"), Done::Recorded),
                Ok(None) => done_at("/console/nominations", Done::QueueCleared),
                Err(e) => {
                    crate::web::error::unexpected(&e);
                    done_at("/console/nominations", Done::Recorded)
                }
            }
        }
        (outcome, _) => back_to(id, Done::Recorded, outcome),
    })
}

/// `POST /console/nominations/bulk`: the ticked new nominations without a
/// likely duplicate found eligible at once, each checked and audited.
async fn bulk_eligible(
    State(nominations): State<Arc<Nominations>>,
    State(campaigns): State<Arc<Campaigns>>,
    ConsoleForm { session, form, .. }: ConsoleForm<ReviewNominations, BulkEligibleForm>,
) -> Result<Response, ConsoleRefusal> {
    let campaign = reviewed(&campaigns).await?;
    let mut chosen = Vec::with_capacity(form.pick.len());
    for pick in &form.pick {
        let parsed = pick
            .split_once(':')
            .and_then(|(id, rev)| Some((id.trim().parse().ok()?, rev.trim().parse().ok()?)));
        let Some((id, revision)) = parsed else {
            return Err(ConsoleRefusal::BadForm);
        };
        chosen.push((NominationId(id), revision));
    }
    match nominations
        .bulk_eligible(&campaign, session.actor(), &chosen)
        .await
    {
        Ok(bulk) => Ok(see_other(format!(
            "/console/nominations?decided={}&skipped={}",
            bulk.decided, bulk.skipped
        ))),
        Err(e) => Ok(see_other(format!(
            "/console/nominations?problem={}",
            review_code(&e)
        ))),
    }
}

/// `POST /console/nominations/{id}/approve`: into a numbered nominee.
async fn approve(
    State(nominations): State<Arc<Nominations>>,
    State(campaigns): State<Arc<Campaigns>>,
    Path(id): Path<i64>,
    ConsoleForm { session, form, .. }: ConsoleForm<ReviewNominations, ApproveForm>,
) -> Result<Response, ConsoleRefusal> {
    let campaign = reviewed(&campaigns).await?;
    let Some(number) = form
        .number
        .trim()
        .parse::<u32>()
        .ok()
        .and_then(|n| NomineeNumber::new(n).ok())
    else {
        return Ok(problem_at(
            &format!("/console/nominations/{id}"),
            Problem::Number,
        ));
    };
    let approval = Approval {
        number,
        name: form.name.clone(),
        story: form.story.clone(),
    };
    let outcome = nominations
        .approve(
            &campaign,
            session.actor(),
            NominationId(id),
            revision_of(&form.revision),
            &approval,
        )
        .await;
    Ok(back_to(id, Done::Approved, outcome))
}

/// `POST /console/nominations/{id}/consent`: the committee's paper answer.
async fn paper_consent(
    State(nominations): State<Arc<Nominations>>,
    State(campaigns): State<Arc<Campaigns>>,
    Path(id): Path<i64>,
    ConsoleForm { session, form, .. }: ConsoleForm<ReviewNominations, PaperConsentForm>,
) -> Result<Response, ConsoleRefusal> {
    let campaign = reviewed(&campaigns).await?;
    let outcome = nominations
        .consent_on_paper(
            &campaign,
            session.actor(),
            NominationId(id),
            revision_of(&form.revision),
            form.agree == "yes",
            &form.note,
        )
        .await;
    Ok(back_to(id, Done::Consent, outcome))
}

/// `POST /console/nominations/{id}/photo` (multipart): a reviewer replaces
/// the photo before approval.
async fn replace_photo(
    State(nominations): State<Arc<Nominations>>,
    State(campaigns): State<Arc<Campaigns>>,
    Path(id): Path<i64>,
    ConsoleUpload {
        session, upload, ..
    }: ConsoleUpload<ReviewNominations, NominationPhotoFile>,
) -> Result<Response, ConsoleRefusal> {
    let page = format!("/console/nominations/{id}");
    let upload = match upload {
        Ok(u) => u,
        Err(p) => return Ok(see_other(format!("{page}?problem={}", upload_code(p)))),
    };
    let Some(file) = upload.file else {
        return Ok(problem_at(&page, Problem::PhotoUnreadable));
    };
    let campaign = reviewed(&campaigns).await?;
    let outcome = nominations
        .replace_photo(&campaign, session.actor(), NominationId(id), file)
        .await;
    Ok(back_to(id, Done::Photo, outcome))
}

/// `GET /console/nominations/{id}/photo.jpg`: reviewers only (a nomination
/// is not public before review).
async fn photo(
    State(nominations): State<Arc<Nominations>>,
    Path(id): Path<i64>,
    _reviewer: Signed<ReviewNominations>,
) -> Result<Response, ConsoleRefusal> {
    match nominations.photo(NominationId(id), true).await {
        Ok(Some(bytes)) => Ok((
            [
                (CONTENT_TYPE, "image/jpeg"),
                (CACHE_CONTROL, "private, no-store"),
            ],
            bytes,
        )
            .into_response()),
        Ok(None) => Ok(axum::http::StatusCode::NOT_FOUND.into_response()),
        Err(e) => Err(ConsoleRefusal::unavailable(&e)),
    }
}
