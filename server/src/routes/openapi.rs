//! `GET /api/v1/openapi.json`: the contract of the JSON API, for the load
//! generator, tests and other clients (a WeChat mini-program uses the bearer token).

use axum::Json;
use serde_json::{json, Value};

fn error_response(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

fn slug_param() -> Value {
    json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" }, "example": "yangpu-2026" })
}

pub fn document() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Alley Vote API",
            "version": "1",
            "description": "Top Ten Alley Premier public vote. Errors carry a machine code and a sentence in the request's language (Accept-Language or the lang cookie; Chinese by default). Instants are RFC 3339 in +08:00; days turn at midnight Asia/Shanghai."
        },
        "servers": [{ "url": "/api/v1" }],
        "components": {
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer", "description": "The token from POST /sessions (browsers may use the av_session cookie instead)." }
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error", "message"],
                    "properties": {
                        "error": { "type": "string", "enum": ["already_voted", "daily_quota_used", "voting_closed", "unknown_nominee", "rate_limited", "invalid_code", "unauthenticated", "invalid_input", "not_found", "sms_failed", "unavailable"] },
                        "message": { "type": "string" },
                        "retry_after_s": { "type": "integer", "description": "On 429 only; also sent as Retry-After." }
                    }
                }
            },
            "responses": {
                "RateLimited": error_response("Too many requests (see Retry-After)."),
                "Invalid": error_response("Malformed request (invalid_input)."),
                "Unauthenticated": error_response("No live session (unauthenticated)."),
                "NotFound": error_response("No such campaign (not_found).")
            }
        },
        "paths": {
            "/campaigns": { "get": {
                "summary": "Campaigns with slug, titles, phase, phase dates and vote rules",
                "responses": { "200": { "description": "{\"campaigns\": [...]}" } }
            }},
            "/campaigns/{slug}/nominees": { "get": {
                "summary": "Active nominees, by number",
                "parameters": [slug_param(),
                    { "name": "street", "in": "query", "schema": { "type": "integer" } },
                    { "name": "q", "in": "query", "schema": { "type": "string", "maxLength": 20 }, "description": "A name fragment or a nominee number" }],
                "responses": { "200": { "description": "{\"nominees\": [...]}" }, "404": { "$ref": "#/components/responses/NotFound" }, "422": { "$ref": "#/components/responses/Invalid" } }
            }},
            "/sms-codes": { "post": {
                "summary": "Send a 6-digit sign-in code by SMS",
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["phone"], "properties": { "phone": { "type": "string", "example": "+86 138 0000 0000" } } } } } },
                "responses": { "202": { "description": "{\"retry_after_s\": n}: when another code may be asked for" }, "422": { "$ref": "#/components/responses/Invalid" }, "429": { "$ref": "#/components/responses/RateLimited" }, "502": error_response("The SMS gateway failed (sms_failed).") }
            }},
            "/sessions": { "post": {
                "summary": "Exchange a code for a session (token and cookie)",
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "properties": { "phone": { "type": "string" }, "code": { "type": "string", "pattern": "^[0-9]{6}$" }, "ballot_code": { "type": "string", "description": "A printed one-time ballot card code (ABCDE-FGHJK), instead of phone and code." } } } } } },
                "responses": { "201": { "description": "{\"token\": \"...\", \"expires_at\": \"...\"} and Set-Cookie av_session" }, "400": error_response("Wrong or expired code (invalid_code)."), "422": { "$ref": "#/components/responses/Invalid" }, "429": error_response("Too many wrong tries (invalid_code) or requests (rate_limited).") }
            }},
            "/sessions/current": { "delete": {
                "summary": "Sign out: end the session the bearer token or cookie names",
                "responses": { "204": { "description": "Signed out; Set-Cookie clears av_session" } }
            }},
            "/campaigns/{slug}/votes": { "post": {
                "summary": "Cast one vote",
                "security": [{ "bearer": [] }],
                "parameters": [slug_param(), { "name": "Idempotency-Key", "in": "header", "required": false, "schema": { "type": "string", "pattern": "^[A-Za-z0-9_.:-]{1,64}$" }, "description": "A retry with the same key gets the first answer and counts nothing new." }, { "name": "X-Device-Id", "in": "header", "required": false, "schema": { "type": "string", "pattern": "^[0-9a-f]{32}$" }, "description": "For apps without cookies: the device id browsers keep in the av_device cookie (per-device rate limit)." }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["nominee_number"], "properties": { "nominee_number": { "type": "integer", "minimum": 1, "maximum": 999 } } } } } },
                "responses": {
                    "201": { "description": "{\"vote_id\": \"...\", \"remaining_today\": n}: committed before this answer" },
                    "401": { "$ref": "#/components/responses/Unauthenticated" },
                    "403": error_response("Voting is not open (voting_closed)."),
                    "404": error_response("No such campaign or nominee."),
                    "409": error_response("already_voted or daily_quota_used."),
                    "422": { "$ref": "#/components/responses/Invalid" },
                    "429": { "$ref": "#/components/responses/RateLimited" }
                }
            }},
            "/campaigns/{slug}/my-votes": { "get": {
                "summary": "Today's votes and what is left",
                "security": [{ "bearer": [] }],
                "parameters": [slug_param()],
                "responses": { "200": { "description": "{\"day\", \"votes\": [numbers], \"remaining_today\", \"votes_per_day\", \"quota_renews_at\"}" }, "401": { "$ref": "#/components/responses/Unauthenticated" } }
            }},
            "/campaigns/{slug}/results": { "get": {
                "summary": "Tally snapshot with its time (counts absent while hidden)",
                "parameters": [slug_param()],
                "responses": { "200": { "description": "ResultsSnapshot" }, "404": { "$ref": "#/components/responses/NotFound" } }
            }},
            "/campaigns/{slug}/results/stream": { "get": {
                "summary": "Server-sent events: one whole snapshot per change, the current one first",
                "parameters": [slug_param()],
                "responses": { "200": { "description": "text/event-stream" }, "404": { "$ref": "#/components/responses/NotFound" } }
            }}
        }
    })
}

pub async fn openapi() -> Json<Value> {
    Json(document())
}
