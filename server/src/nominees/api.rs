//! The nominees over the JSON API: `GET /api/v1/campaigns/{slug}/nominees`.

use std::sync::Arc;

use alleyvote_domain::{Lang, NomineeSummary, SearchProblem, SearchQuery};
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRef, Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{IntoParams, PartialSchema, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Nominees;
use crate::campaigns::api::{CampaignPath, CampaignSlug};
use crate::campaigns::Campaigns;
use crate::web::client::RequestLang;
use crate::web::error::{ApiError, ErrorBody};

/// The public JSON API, under `/api/v1`.
pub fn api_routes<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Nominees>: FromRef<S>,
    Arc<Campaigns>: FromRef<S>,
{
    OpenApiRouter::new().routes(routes!(list))
}

/// The API's nominee filter. Unlike the page's form, whose empty fields mean
/// "any", the API takes a street as a number.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NomineeQuery {
    /// Only this street's nominees (a street id).
    street: Option<i64>,
    #[param(value_type = Option<SearchText>)]
    q: Option<String>,
}

/// A name fragment, or a nominee number from 1 to 999 ([`SearchQuery::parse`]
/// as a pattern): blank, a number from 1 to 999 (leading zeros allowed), or
/// anything that is not only digits once the spaces around it are trimmed,
/// with no NUL anywhere.
pub struct SearchText;

impl PartialSchema for SearchText {
    fn schema() -> RefOr<Schema> {
        let w = alleyvote_domain::text::WHITE_SPACE_CLASS;
        let pattern = format!(
            "^[{w}]*(0*[1-9][0-9]{{0,2}}|[^0-9{w}\\u0000]([^\\u0000]*[^{w}\\u0000])?|[0-9]+[^0-9{w}\\u0000]|[0-9]+[^0-9\\u0000][^\\u0000]*[^{w}\\u0000])?[{w}]*$"
        );
        ObjectBuilder::new()
            .schema_type(Type::String)
            .max_length(Some(SearchQuery::MAX_CHARS))
            .pattern(Some(pattern))
            .examples(["张秀英", "12"])
            .into()
    }
}

impl ToSchema for SearchText {}

/// `GET /campaigns/{slug}/nominees`
#[derive(Serialize, ToSchema)]
pub struct NomineeList {
    nominees: Vec<NomineeSummary>,
}

/// Active nominees, by number, optionally of one street or matching a name or number.
#[utoipa::path(
    get,
    path = "/campaigns/{slug}/nominees",
    tag = "nominees",
    params(CampaignSlug, NomineeQuery),
    responses(
        (status = 200, body = NomineeList),
        (status = 404, description = "No such campaign or street (not_found).", body = ErrorBody),
        (status = 422, description = "A malformed filter (invalid_input).", body = ErrorBody),
        (status = 503, description = "Briefly unavailable (unavailable).", body = ErrorBody),
    )
)]
async fn list(
    State(nominees): State<Arc<Nominees>>,
    RequestLang(lang): RequestLang,
    CampaignPath(campaign): CampaignPath,
    query: Result<Query<NomineeQuery>, QueryRejection>,
) -> Result<Json<NomineeList>, ApiError> {
    let Query(query) = query.map_err(|_| {
        ApiError::invalid_input(lang.pick("街道应为数字编号。", "A street is given by its number."))
    })?;
    let street = query.street.map(|s| s.to_string());
    let found = nominees
        .search(&campaign, street.as_deref(), query.q.as_deref())
        .await
        .map_err(|e| ApiError::internal(lang, &e))?;
    match found {
        Ok(nominees) => Ok(Json(NomineeList { nominees })),
        Err(SearchProblem::UnknownStreet) => Err(ApiError::not_found(
            lang,
            SearchProblem::UnknownStreet.message(Lang::Zh),
            SearchProblem::UnknownStreet.message(Lang::En),
        )),
        Err(problem) => Err(ApiError::invalid_input(problem.message(lang))),
    }
}
