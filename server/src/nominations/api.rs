//! Nominations over the JSON API (`/api/v1/campaigns/{slug}/…`): put a
//! name forward, support a nomination of the same person instead, the
//! likely duplicates while typing, one's own nominations and the count per
//! street. Handlers parse, call one use case and map its outcome.

use std::sync::Arc;

use alleyvote_domain::nomination::{
    DraftProblem, IneligibleReason, Likeness, NominationFields, NominationId,
    NominationProblem as Problem, NominationState,
};
use alleyvote_domain::{CommunityId, Lang, VoterId};
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRef, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{NominateError, Nominations, ReviewError, Suggestion};
use crate::campaigns::api::CampaignSlug;
use crate::campaigns::Campaigns;
use crate::limits::RateLimits;
use crate::signin::http::voter_of;
use crate::signin::Signin;
use crate::web::client::{request_lang, ClientAddr, RequestLang};
use crate::web::error::{json_body, limit, ApiError, ErrorBody, ErrorCode};
use crate::web::WebConfig;

pub fn api_routes<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Nominations>: FromRef<S>,
    Arc<Campaigns>: FromRef<S>,
    Arc<Signin>: FromRef<S>,
    Arc<RateLimits>: FromRef<S>,
    WebConfig: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(nominate))
        .routes(routes!(support))
        .routes(routes!(answer))
        .routes(routes!(similar))
        .routes(routes!(my_nominations))
        .routes(routes!(per_street))
}

/// A nomination: the fields of the form at `/nominate`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NominateBody {
    #[serde(flatten)]
    pub fields: NominationFields,
    /// Send it although likely duplicates were shown (it is someone else).
    #[serde(default)]
    pub different_person: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Nominated {
    #[schema(value_type = i64)]
    pub id: NominationId,
    #[schema(value_type = String, example = "submitted")]
    pub state: NominationState,
}

/// A likely duplicate: a nomination of the same person already there.
#[derive(Debug, Serialize, ToSchema)]
pub struct SimilarNomination {
    #[schema(value_type = i64)]
    pub id: NominationId,
    pub name: String,
    pub likeness: Likeness,
}

impl From<Suggestion> for SimilarNomination {
    fn from(s: Suggestion) -> Self {
        SimilarNomination {
            id: s.id,
            name: s.name,
            likeness: s.likeness,
        }
    }
}

/// Refused for likely duplicates: support one of them, or send again with
/// `different_person`.
#[derive(Debug, Serialize, ToSchema)]
pub struct DuplicatesBody {
    pub error: ErrorCode,
    pub message: String,
    pub duplicates: Vec<SimilarNomination>,
}

/// One of the signed-in resident's nominations (or supports).
#[derive(Debug, Serialize, ToSchema)]
pub struct MyNominationView {
    #[schema(value_type = i64)]
    pub id: NominationId,
    pub name: String,
    pub community: String,
    #[schema(value_type = String, example = "submitted")]
    pub state: NominationState,
    /// The state in words.
    pub state_text: String,
    /// When found not eligible: the reason in words, and the reviewer's note.
    pub reason: Option<String>,
    pub reason_note: String,
    /// A reviewer's question, when more information is needed.
    pub question: String,
    /// Supported rather than written.
    pub supported: bool,
    /// The nomination now standing for the person (after a merge).
    #[schema(value_type = i64)]
    pub lead: NominationId,
    /// Residents who put the person forward (推荐人数).
    pub nominators: u32,
    /// The nominee number, once approved.
    pub nominee_number: Option<u16>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StreetCount {
    pub street_id: i64,
    pub street: String,
    pub nominations: u32,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SimilarQuery {
    /// A community id.
    #[param(required = true, value_type = i64)]
    pub community: Option<String>,
    /// The name as typed so far.
    #[param(required = true, value_type = String, max_length = 40)]
    pub name: Option<String>,
}

/// The most characters of a name as typed, looked up for likely duplicates.
const MAX_TYPED_NAME_CHARS: usize = 40;

/// Supporting: what the resident typed, of which the nomination is a likely duplicate.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SupportBody {
    /// The name as typed.
    #[schema(min_length = 1, max_length = 40)]
    pub name: String,
    /// The community id chosen.
    #[serde(deserialize_with = "crate::web::number::whole")]
    pub community: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AnswerBody {
    /// The answer to the reviewer's question (1–500 characters, not only
    /// spaces and control characters, which are dropped). The pattern is
    /// `alleyvote_domain::text`'s `WHITE_SPACE_CLASS` and `CONTROL_CLASS`.
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u0000-\u001f\u007f-\u009f]"
    )]
    pub answer: String,
}

/// A signed-in resident's request, past its address's rate: who asks, and
/// the language to answer in. Refused with 429 or 401 before anything else.
pub struct Resident {
    pub voter: VoterId,
    pub lang: Lang,
}

impl<S> FromRequestParts<S> for Resident
where
    S: Send + Sync,
    Arc<RateLimits>: FromRef<S>,
    Arc<Signin>: FromRef<S>,
    WebConfig: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let lang = request_lang(&parts.headers);
        let Ok(ClientAddr(ip)) = ClientAddr::from_request_parts(parts, state).await;
        // The address check first, in process: a flood without a session
        // never reaches the database.
        limit(lang, Arc::<RateLimits>::from_ref(state).check_ip(ip))?;
        let voter = voter_of(&Arc::<Signin>::from_ref(state), &parts.headers, lang).await?;
        Ok(Resident { voter, lang })
    }
}

fn nomination_id(lang: Lang, text: &str) -> Result<NominationId, ApiError> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(NominationId)
        .ok_or_else(|| ApiError::not_found(lang, "没有这条推荐。", "There is no such nomination."))
}

async fn campaign_of(
    campaigns: &Campaigns,
    lang: Lang,
    slug: &str,
) -> Result<alleyvote_domain::Campaign, ApiError> {
    match campaigns.get(slug).await {
        Ok(Some(c)) => Ok(c),
        Ok(None) => Err(ApiError::unknown_campaign(lang)),
        Err(e) => Err(ApiError::internal(lang, &e)),
    }
}

/// A refusal in words, shared by the API and the form.
pub fn refusal(lang: Lang, e: NominateError) -> Response {
    let (status, code, problem) = match e {
        NominateError::Duplicates(found) => {
            return (
                StatusCode::CONFLICT,
                Json(DuplicatesBody {
                    error: ErrorCode::LikelyDuplicates,
                    message: lang
                        .pick(
                            "这个居民区已经有人推荐了同一个人，可以直接支持那条推荐；如果确实是另一位，请确认后再提交。",
                            "This community already has a nomination of the same person: support it instead, or confirm it is someone else.",
                        )
                        .to_string(),
                    duplicates: found.into_iter().map(SimilarNomination::from).collect(),
                }),
            )
                .into_response();
        }
        // The nominator's own number is well formed: refused for who sends it.
        NominateError::Problem(DraftProblem::OwnPhone) => {
            let p = DraftProblem::OwnPhone;
            return ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::OwnPhone,
                lang,
                p.message(Lang::Zh),
                p.message(Lang::En),
            )
            .into_response();
        }
        // A well-formed number that is not the nominator's own: likewise.
        NominateError::NotOwnNumber => {
            let p = DraftProblem::MyPhone;
            return ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::NotOwnPhone,
                lang,
                p.message(Lang::Zh),
                p.message(Lang::En),
            )
            .into_response();
        }
        NominateError::Problem(p) => {
            return ApiError::invalid_input(p.message(lang)).into_response();
        }
        NominateError::UnknownCommunity => {
            let p = DraftProblem::Community;
            return ApiError::new(
                StatusCode::NOT_FOUND,
                ErrorCode::NotFound,
                lang,
                p.message(Lang::Zh),
                p.message(Lang::En),
            )
            .into_response();
        }
        NominateError::Photo(p) => {
            return ApiError::invalid_input(crate::nominees::parse::photo_problem(p).message(lang))
                .into_response();
        }
        NominateError::Closed => (
            StatusCode::FORBIDDEN,
            ErrorCode::NominationsClosed,
            Problem::Closed,
        ),
        NominateError::LimitReached => (
            StatusCode::CONFLICT,
            ErrorCode::NominationLimit,
            Problem::Limit,
        ),
        NominateError::AlreadyCounted => (
            StatusCode::CONFLICT,
            ErrorCode::AlreadyCounted,
            Problem::Already,
        ),
        NominateError::NotStanding => (
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            Problem::NotStanding,
        ),
        // Only a console form enters for a committee; the API never does.
        NominateError::NotAnOrganizer => (
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Unavailable,
            Problem::Unavailable,
        ),
        NominateError::Store(e) => return ApiError::internal(lang, &e).into_response(),
    };
    ApiError::new(
        status,
        code,
        lang,
        problem.message(Lang::Zh),
        problem.message(Lang::En),
    )
    .into_response()
}

/// Puts a community leader forward (nomination phase only).
#[utoipa::path(
    post,
    path = "/campaigns/{slug}/nominations",
    tag = "nominations",
    params(CampaignSlug),
    request_body = NominateBody,
    security(("bearer" = [])),
    responses(
        (status = 201, body = Nominated),
        (status = 401, description = "No live session (unauthenticated).", body = ErrorBody),
        (status = 403, description = "Not the nomination phase (nominations_closed).", body = ErrorBody),
        (status = 404, description = "No such campaign, or no community has that id (not_found).", body = ErrorBody),
        (status = 409, description = "Likely duplicates (likely_duplicates: the body adds \
            `duplicates`, a list of SimilarNomination), the resident's nominations are used up \
            (nomination_limit), the resident already counts for this person (already_counted), \
            the nominee's number is the nominator's own (own_phone), or `my_phone` is not the \
            number the resident signed in with (not_own_phone).", body = ErrorBody),
        (status = 422, description = "A field is not as the schema says (invalid_input), named \
            in the message.", body = ErrorBody),
        (status = 429, description = "Too many requests (rate_limited); see Retry-After.", body = ErrorBody),
        (status = 503, description = "Briefly unavailable (unavailable).", body = ErrorBody),
    )
)]
async fn nominate(
    State(nominations): State<Arc<Nominations>>,
    State(campaigns): State<Arc<Campaigns>>,
    State(limits): State<Arc<RateLimits>>,
    Resident { voter, lang }: Resident,
    Path(slug): Path<String>,
    json: Result<Json<NominateBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    limit(lang, limits.check_voter(voter))?;
    let body = json_body(lang, json)?;
    let campaign = campaign_of(&campaigns, lang, &slug).await?;
    Ok(
        match nominations
            .nominate(&campaign, voter, &body.fields, body.different_person, None)
            .await
        {
            Ok(id) => submitted(id),
            Err(e) => refusal(lang, e),
        },
    )
}

/// `201` with the nomination the resident now stands behind.
fn submitted(id: NominationId) -> Response {
    (
        StatusCode::CREATED,
        Json(Nominated {
            id,
            state: NominationState::Submitted,
        }),
    )
        .into_response()
}

/// Supports a standing nomination of the same person instead of writing
/// another: the resident counts among its nominators.
#[utoipa::path(
    post,
    path = "/campaigns/{slug}/nominations/{id}/support",
    tag = "nominations",
    params(CampaignSlug, ("id" = i64, Path, description = "The nomination to support.")),
    request_body = SupportBody,
    security(("bearer" = [])),
    responses(
        (status = 201, body = Nominated),
        (status = 401, description = "No live session (unauthenticated).", body = ErrorBody),
        (status = 403, description = "Not the nomination phase (nominations_closed).", body = ErrorBody),
        (status = 404, description = "No such campaign, or no likely duplicate of what was typed (not_found).", body = ErrorBody),
        (status = 409, description = "Already counted (already_counted) or the limit is reached (nomination_limit).", body = ErrorBody),
        (status = 422, description = "Malformed request (invalid_input).", body = ErrorBody),
        (status = 429, description = "Too many requests (rate_limited); see Retry-After.", body = ErrorBody),
        (status = 503, description = "Briefly unavailable (unavailable).", body = ErrorBody),
    )
)]
async fn support(
    State(nominations): State<Arc<Nominations>>,
    State(campaigns): State<Arc<Campaigns>>,
    State(limits): State<Arc<RateLimits>>,
    Resident { voter, lang }: Resident,
    Path((slug, id)): Path<(String, String)>,
    json: Result<Json<SupportBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    limit(lang, limits.check_voter(voter))?;
    let body = json_body(lang, json)?;
    if !(1..=MAX_TYPED_NAME_CHARS).contains(&body.name.chars().count()) {
        return Err(ApiError::invalid_input(lang.pick(
            "请给出输入的姓名（不超过 40 个字）。",
            "Give the name as typed (at most 40 characters).",
        )));
    }
    let id = nomination_id(lang, &id)?;
    let campaign = campaign_of(&campaigns, lang, &slug).await?;
    Ok(
        match nominations
            .support(
                &campaign,
                voter,
                id,
                (&body.name, CommunityId(body.community)),
            )
            .await
        {
            Ok(lead) => submitted(lead),
            Err(e) => refusal(lang, e),
        },
    )
}

/// Answers a reviewer's question about one's nomination: it goes back to review.
#[utoipa::path(
    post,
    path = "/campaigns/{slug}/nominations/{id}/answer",
    tag = "nominations",
    params(CampaignSlug, ("id" = i64, Path, description = "The nomination.")),
    request_body = AnswerBody,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Answered; back in review."),
        (status = 401, description = "No live session (unauthenticated).", body = ErrorBody),
        (status = 404, description = "No such campaign (not_found).", body = ErrorBody),
        (status = 409, description = "Not one of yours awaiting an answer (not_found).", body = ErrorBody),
        (status = 422, description = "An empty or too long answer (invalid_input).", body = ErrorBody),
        (status = 429, description = "Too many requests (rate_limited); see Retry-After.", body = ErrorBody),
        (status = 503, description = "Briefly unavailable (unavailable).", body = ErrorBody),
    )
)]
async fn answer(
    State(nominations): State<Arc<Nominations>>,
    State(campaigns): State<Arc<Campaigns>>,
    Resident { voter, lang }: Resident,
    Path((slug, id)): Path<(String, String)>,
    json: Result<Json<AnswerBody>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let body = json_body(lang, json)?;
    // As typed: the document's bound holds before control characters are dropped.
    if body.answer.chars().count() > super::MAX_NOTE_CHARS {
        return Err(note_refused(lang));
    }
    let id = nomination_id(lang, &id)?;
    let campaign = campaign_of(&campaigns, lang, &slug).await?;
    match nominations.answer(&campaign, voter, id, &body.answer).await {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(ReviewError::Note) => Err(note_refused(lang)),
        Err(ReviewError::Store(e)) => Err(ApiError::internal(lang, &e)),
        Err(_) => Err(ApiError::new(
            StatusCode::CONFLICT,
            ErrorCode::NotFound,
            lang,
            "这条推荐现在不需要补充材料。",
            "This nomination is not waiting for an answer.",
        )),
    }
}

fn note_refused(lang: Lang) -> ApiError {
    ApiError::invalid_input(lang.pick(
        "请写下补充的内容（不超过 500 字）。",
        "Write your answer (at most 500 characters).",
    ))
}

/// Likely duplicates of a name being typed, in one community (signed-in
/// residents only: names are not public before review).
#[utoipa::path(
    get,
    path = "/campaigns/{slug}/nominations/similar",
    tag = "nominations",
    params(CampaignSlug, SimilarQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<SimilarNomination>),
        (status = 401, description = "No live session (unauthenticated).", body = ErrorBody),
        (status = 404, description = "No such campaign (not_found).", body = ErrorBody),
        (status = 422, description = "No community or name (invalid_input).", body = ErrorBody),
        (status = 429, description = "Too many requests (rate_limited); see Retry-After.", body = ErrorBody),
        (status = 503, description = "Briefly unavailable (unavailable).", body = ErrorBody),
    )
)]
async fn similar(
    State(nominations): State<Arc<Nominations>>,
    State(campaigns): State<Arc<Campaigns>>,
    State(limits): State<Arc<RateLimits>>,
    Resident { voter, lang }: Resident,
    Path(slug): Path<String>,
    query: Result<Query<SimilarQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<SimilarNomination>>, ApiError> {
    limit(lang, limits.check_voter(voter))?;
    let bad = || {
        ApiError::invalid_input(lang.pick(
            "请给出居民区编号和姓名。",
            "Give a community id and a name.",
        ))
    };
    let Ok(Query(q)) = query else {
        return Err(bad());
    };
    let community = q
        .community
        .as_deref()
        .and_then(|c| c.trim().parse::<i64>().ok())
        .map(CommunityId)
        .ok_or_else(bad)?;
    let name = q.name.ok_or_else(bad)?;
    if name.chars().count() > MAX_TYPED_NAME_CHARS {
        return Err(bad());
    }
    let campaign = campaign_of(&campaigns, lang, &slug).await?;
    let found = nominations
        .suggest(&campaign, community, &name)
        .await
        .map_err(|e| ApiError::internal(lang, &e))?;
    Ok(Json(
        found.into_iter().map(SimilarNomination::from).collect(),
    ))
}

/// Reads one of the resident's nominations into its API shape.
pub fn view_of(lang: Lang, m: super::storage::MyNomination) -> MyNominationView {
    MyNominationView {
        id: m.origin,
        name: m.name,
        community: lang.pick(&m.community_zh, &m.community_en).to_string(),
        state: m.state,
        state_text: m.state.label(lang).to_string(),
        reason: m
            .reason
            .map(|r: IneligibleReason| r.label(lang).to_string()),
        reason_note: m.reason_note,
        question: m.question,
        supported: m.supported,
        lead: m.lead,
        nominators: m.supporters,
        nominee_number: m.nominee_number.map(|n| n.get()),
    }
}

/// The signed-in resident's nominations and supports, newest first, each
/// with its state and, when declined, the reason.
#[utoipa::path(
    get,
    path = "/campaigns/{slug}/my-nominations",
    tag = "nominations",
    params(CampaignSlug),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<MyNominationView>),
        (status = 401, description = "No live session (unauthenticated).", body = ErrorBody),
        (status = 404, description = "No such campaign (not_found).", body = ErrorBody),
        (status = 503, description = "Briefly unavailable (unavailable).", body = ErrorBody),
    )
)]
async fn my_nominations(
    State(nominations): State<Arc<Nominations>>,
    State(campaigns): State<Arc<Campaigns>>,
    Resident { voter, lang }: Resident,
    Path(slug): Path<String>,
) -> Result<Json<Vec<MyNominationView>>, ApiError> {
    let campaign = campaign_of(&campaigns, lang, &slug).await?;
    let mine = nominations
        .mine(&campaign, voter)
        .await
        .map_err(|e| ApiError::internal(lang, &e))?;
    Ok(Json(mine.into_iter().map(|m| view_of(lang, m)).collect()))
}

/// How many nominations each street has received (counts only, no names).
#[utoipa::path(
    get,
    path = "/campaigns/{slug}/nominations/per-street",
    tag = "nominations",
    params(CampaignSlug),
    responses(
        (status = 200, body = Vec<StreetCount>),
        (status = 404, description = "No such campaign (not_found).", body = ErrorBody),
        (status = 503, description = "Briefly unavailable (unavailable).", body = ErrorBody),
    )
)]
async fn per_street(
    State(nominations): State<Arc<Nominations>>,
    State(campaigns): State<Arc<Campaigns>>,
    RequestLang(lang): RequestLang,
    Path(slug): Path<String>,
) -> Result<Json<Vec<StreetCount>>, ApiError> {
    let campaign = campaign_of(&campaigns, lang, &slug).await?;
    let counts = nominations
        .per_street(&campaign)
        .await
        .map_err(|e| ApiError::internal(lang, &e))?;
    Ok(Json(
        counts
            .into_iter()
            .map(|(s, nominations)| StreetCount {
                street_id: s.id.0,
                street: s.name(lang).to_string(),
                nominations,
            })
            .collect(),
    ))
}
