//! Casting votes: the one-tap form post (`/nominees/{number}/vote`, no
//! JavaScript needed) and the JSON API (`/api/v1/campaigns/{slug}/votes`,
//! `/my-votes`).

use std::sync::Arc;

use alleyvote_domain::notice::VoteRefused;
use alleyvote_domain::{Lang, NomineeNumber, VoteRefusal};
use app::voting::forms::VoteForm;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRef, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Form, Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::gate::Requester;
use super::{CastError, Casting, VoteRequest};
use crate::campaigns::http::{CampaignPath, CampaignSlug};
use crate::campaigns::Campaigns;
use crate::limits::RateLimits;
use crate::signin::http::Voter;
use crate::signin::Signin;
use crate::storage::StoreError;
use crate::web::client::{ClientAddr, RequestLang};
use crate::web::device::DeviceId;
use crate::web::error::{json_body, limit, rate_limited, unexpected, ApiError, ErrorBody};
use crate::web::redirect::{safe_next, see_other, with_query};
use crate::web::WebConfig;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Casting>: FromRef<S>,
    Arc<Campaigns>: FromRef<S>,
    Arc<Signin>: FromRef<S>,
    Arc<RateLimits>: FromRef<S>,
    WebConfig: FromRef<S>,
{
    Router::new().route("/nominees/{number}/vote", post(vote_form))
}

/// The JSON API, under `/api/v1`.
pub fn api_routes<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Casting>: FromRef<S>,
    Arc<Campaigns>: FromRef<S>,
    Arc<Signin>: FromRef<S>,
    Arc<RateLimits>: FromRef<S>,
    WebConfig: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(cast_vote))
        .routes(routes!(my_votes))
}

/// A client-chosen key that makes retries safe: 1 to 64 letters, digits and `-_.:`.
pub fn valid_request_key(key: &str) -> bool {
    (1..=64).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
}

fn enc(s: &str) -> String {
    urlencoding::encode(s).into_owned()
}

/// `POST /nominees/{number}/vote`: one tap, then back with the outcome.
#[allow(clippy::too_many_arguments)]
async fn vote_form(
    State(casting): State<Arc<Casting>>,
    State(campaigns): State<Arc<Campaigns>>,
    State(limits): State<Arc<RateLimits>>,
    State(signin): State<Arc<Signin>>,
    ClientAddr(ip): ClientAddr,
    Extension(device): Extension<DeviceId>,
    headers: HeaderMap,
    Path(number): Path<String>,
    Form(form): Form<VoteForm>,
) -> Response {
    let Ok(number) = NomineeNumber::parse(&number) else {
        return see_other("/nominees");
    };
    let back = safe_next(form.next.as_deref()).to_string();
    let back = if back == "/" {
        format!("/nominees/{}", number.get())
    } else {
        back
    };
    let refused = |r: VoteRefused| format!("refused={}", r.code());
    if limits.check_ip(ip).is_err() {
        return see_other(with_query(&back, &refused(VoteRefused::RateLimited)));
    }
    // The page puts a fresh key in each vote form: a double tap replays the first answer.
    let request_key = form
        .request_key
        .as_deref()
        .map(str::trim)
        .filter(|k| valid_request_key(k))
        .map(str::to_string);
    let who = Requester {
        ip,
        device: Some(device.0),
    };
    // Everything that may wait on storage (the session, the campaign, the
    // vote itself) is answered within the one bound.
    let work = async {
        let Some(voter) = crate::signin::http::maybe_voter(&signin, &headers).await else {
            return Err(see_other(format!("/login?next={}", enc(&back))));
        };
        let campaign = match campaigns.current().await {
            Ok(Some(c)) => c,
            Ok(None) => return Ok(refused(VoteRefused::Unavailable)),
            Err(e) => {
                unexpected(&e);
                return Ok(refused(VoteRefused::Unavailable));
            }
        };
        let vote = VoteRequest {
            voter,
            nominee: number,
            request_key,
        };
        Ok(match casting.cast(&campaign, &who, vote).await {
            Ok(receipt) => format!("voted={}&left={}", number.get(), receipt.remaining_today),
            Err(CastError::Refused(r)) => format!("refused={}&number={}", r.code(), number.get()),
            Err(CastError::Limited(_)) => refused(VoteRefused::RateLimited),
            Err(CastError::Store(e)) => {
                unexpected(&e);
                refused(VoteRefused::Unavailable)
            }
        })
    };
    match casting.within_bound(work).await {
        Some(Ok(outcome)) => see_other(with_query(&back, &outcome)),
        Some(Err(sign_in)) => sign_in,
        None => see_other(with_query(&back, &refused(VoteRefused::Unavailable))),
    }
}

// ------------------------------------------------------------------ JSON API

/// A vote refused by the rules, as the API answers it.
pub fn refusal_error(lang: Lang, r: VoteRefusal) -> ApiError {
    let status = match r {
        VoteRefusal::AlreadyVoted | VoteRefusal::DailyQuotaUsed => StatusCode::CONFLICT,
        VoteRefusal::NotOpenYet | VoteRefusal::Closed => StatusCode::FORBIDDEN,
        VoteRefusal::UnknownNominee => StatusCode::NOT_FOUND,
        // Well formed, refused for what the key already holds: a conflict
        // with the server's state, as a vote already cast is.
        VoteRefusal::KeyReused => StatusCode::CONFLICT,
    };
    ApiError {
        status,
        code: r.into(),
        message: r.message(lang).to_string(),
        retry_after_s: None,
    }
}

fn cast_error(lang: Lang, e: CastError) -> ApiError {
    match e {
        CastError::Refused(r) => refusal_error(lang, r),
        CastError::Limited(retry) => rate_limited(lang, retry),
        CastError::Store(e) => ApiError::internal(lang, &e),
    }
}

fn idempotency_key(lang: Lang, headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    match headers
        .get("idempotency-key")
        .map(|v| v.to_str().map(str::trim))
    {
        None => Ok(None),
        Some(Ok(key)) if valid_request_key(key) => Ok(Some(key.to_string())),
        Some(_) => Err(ApiError::invalid_input(lang.pick(
            "Idempotency-Key 应为 1 到 64 个字母、数字或 -_.: 字符。",
            "Idempotency-Key must be 1 to 64 letters, digits or -_.: characters.",
        ))),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct VoteBody {
    #[schema(value_type = NomineeNumber)]
    #[serde(deserialize_with = "crate::web::number::whole")]
    nominee_number: u32,
}

/// The vote is committed: this answer comes after it is stored.
#[derive(Serialize, ToSchema)]
pub struct VoteAccepted {
    vote_id: String,
    /// Votes the resident has left today.
    #[schema(minimum = 0)]
    remaining_today: u32,
}

/// The headers of a vote request.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct VoteHeaders {
    /// A retry with the same key gets the first answer and counts nothing new.
    #[param(rename = "Idempotency-Key", pattern = r"^[A-Za-z0-9_.:-]{1,64}$")]
    idempotency_key: Option<String>,
    /// For apps without cookies: the device id browsers keep in the
    /// `av_device` cookie (32 hex digits), for the per-device rate limit.
    /// Any other value is ignored and a new id issued.
    #[param(rename = "X-Device-Id")]
    device_id: Option<String>,
}

/// Casts one vote for a nominee, within the day's quota.
#[utoipa::path(
    post,
    path = "/campaigns/{slug}/votes",
    tag = "voting",
    params(CampaignSlug, VoteHeaders),
    request_body = VoteBody,
    security(("bearer" = [])),
    responses(
        (status = 201, body = VoteAccepted),
        (status = 401, description = "No live session (unauthenticated).", body = ErrorBody),
        (status = 403, description = "Voting is not open (voting_closed).", body = ErrorBody),
        (status = 404, description = "No such campaign (not_found) or nominee (unknown_nominee).", body = ErrorBody),
        (status = 409, description = "already_voted or daily_quota_used, or an Idempotency-Key \
            used before for another vote (idempotency_mismatch).", body = ErrorBody),
        (status = 422, description = "Malformed request (invalid_input).", body = ErrorBody),
        (status = 429, description = "Too many requests (rate_limited); see Retry-After.", body = ErrorBody),
        (status = 503, description = "Briefly unavailable (unavailable).", body = ErrorBody),
    )
)]
#[allow(clippy::too_many_arguments)]
async fn cast_vote(
    State(casting): State<Arc<Casting>>,
    State(campaigns): State<Arc<Campaigns>>,
    State(limits): State<Arc<RateLimits>>,
    State(signin): State<Arc<Signin>>,
    ClientAddr(ip): ClientAddr,
    RequestLang(lang): RequestLang,
    Extension(device): Extension<DeviceId>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    json: Result<Json<VoteBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    // The address check comes first and stays in process: a flood without a
    // session never reaches the database.
    limit(lang, limits.check_ip(ip))?;
    // Everything that may wait on storage (the session, the campaign, the
    // vote itself) is answered within the one bound.
    let work = async {
        let voter = crate::signin::http::voter_of(&signin, &headers, lang).await?;
        let request_key = idempotency_key(lang, &headers)?;
        let req = json_body(lang, json)?;
        let number = NomineeNumber::new(req.nominee_number).map_err(|_| {
            ApiError::invalid_input(lang.pick(
                "编号应为 1 到 999 之间的数字。",
                "Numbers run from 1 to 999.",
            ))
        })?;
        // Looked up last, as before: a request refused for its address,
        // session or body never reaches the campaign.
        let campaign = match campaigns.get(&slug).await {
            Ok(Some(c)) => c,
            Ok(None) => return Err(ApiError::unknown_campaign(lang)),
            Err(e) => return Err(ApiError::internal(lang, &e)),
        };
        let who = Requester {
            ip,
            device: Some(device.0),
        };
        let vote = VoteRequest {
            voter,
            nominee: number,
            request_key,
        };
        let receipt = casting
            .cast(&campaign, &who, vote)
            .await
            .map_err(|e| cast_error(lang, e))?;
        Ok((
            StatusCode::CREATED,
            Json(VoteAccepted {
                vote_id: receipt.vote_id.to_string(),
                remaining_today: receipt.remaining_today,
            }),
        )
            .into_response())
    };
    casting
        .within_bound(work)
        .await
        .unwrap_or_else(|| Err(ApiError::internal(lang, &StoreError::Busy)))
}

/// Today's votes and what is left.
#[derive(Serialize, ToSchema)]
pub struct MyVotes {
    /// The Shanghai day, `YYYY-MM-DD`.
    #[schema(format = Date)]
    day: String,
    /// The numbers voted for today, in order.
    votes: Vec<NomineeNumber>,
    #[schema(minimum = 0)]
    remaining_today: u32,
    #[schema(minimum = 1)]
    votes_per_day: u16,
    #[schema(format = DateTime)]
    quota_renews_at: String,
}

/// Today's votes of the signed-in resident, and what is left.
#[utoipa::path(
    get,
    path = "/campaigns/{slug}/my-votes",
    tag = "voting",
    params(CampaignSlug),
    security(("bearer" = [])),
    responses(
        (status = 200, body = MyVotes),
        (status = 401, description = "No live session (unauthenticated).", body = ErrorBody),
        (status = 404, description = "No such campaign (not_found).", body = ErrorBody),
        (status = 503, description = "Briefly unavailable (unavailable).", body = ErrorBody),
    )
)]
async fn my_votes(
    State(casting): State<Arc<Casting>>,
    RequestLang(lang): RequestLang,
    Voter(voter): Voter,
    CampaignPath(campaign): CampaignPath,
) -> Result<Json<MyVotes>, ApiError> {
    let now = casting.now();
    let (votes, left) = casting
        .today(&campaign, voter, now)
        .await
        .map_err(|e| ApiError::internal(lang, &e))?;
    Ok(Json(MyVotes {
        day: now.shanghai().date_iso(),
        votes,
        remaining_today: left,
        votes_per_day: campaign.rules.votes_per_day(),
        quota_renews_at: now.shanghai_day().next_midnight().rfc3339(),
    }))
}
