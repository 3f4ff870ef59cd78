//! Casting a vote with the one-tap form post (`/nominees/{number}/vote`, no
//! JavaScript needed).

use std::sync::Arc;

use alleyvote_domain::notice::VoteRefused;
use alleyvote_domain::NomineeNumber;
use app::voting::forms::VoteForm;
use axum::extract::{FromRef, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use axum::{Extension, Form, Router};

use super::gate::Requester;
use super::{valid_request_key, CastError, Casting, VoteRequest};
use crate::campaigns::Campaigns;
use crate::limits::RateLimits;
use crate::signin::Signin;
use crate::web::client::ClientAddr;
use crate::web::device::DeviceId;
use crate::web::error::unexpected;
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

/// The nominee's page asking to confirm a vote, then to go `back`.
fn confirm_page(number: NomineeNumber, back: &str) -> String {
    format!(
        "/nominees/{}?confirm=1&back={}",
        number.get(),
        app::voting::vote::carry_back(back)
    )
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
            // The vote asked for is carried through signing in: the
            // resident comes back to it named, with one button to confirm.
            return Err(see_other(format!(
                "/login?next={}",
                enc(&confirm_page(number, &back))
            )));
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
