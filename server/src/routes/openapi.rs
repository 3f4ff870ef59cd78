//! `GET /api/v1/openapi.json`: the contract of the JSON API. It is generated
//! from the handlers' `#[utoipa::path]` annotations and the types they read
//! and answer with, so it cannot drift from the code; this file holds only
//! what belongs to the whole document.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::web::error::ErrorBody;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Alley Vote API",
        version = "1",
        description = "Top Ten Alley Premier public vote. Errors carry a machine code and a \
            sentence in the request's language (Accept-Language or the lang cookie; Chinese by \
            default). Instants are RFC 3339 in +08:00; days turn at midnight Asia/Shanghai."
    ),
    servers((url = "/api/v1")),
    // Parameter schemas are not collected from the handlers: listed here.
    components(schemas(ErrorBody, crate::nominees::api::SearchText)),
    modifiers(&BearerToken)
)]
pub struct ApiDoc;

/// The session token of `POST /sessions`, for clients without cookies.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The token from POST /sessions (browsers may use the av_session cookie instead).",
                    ))
                    .build(),
            ),
        );
    }
}
