//! The console's nominee forms (multipart, so a photo travels with them) and
//! the public photo files. Each form is checked for the session, its CSRF
//! token and the role before anything is read into the database.

use std::collections::HashMap;

use axum::extract::{Multipart, Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde_json::json;

use alleyvote_domain::organizer::Action;
use alleyvote_domain::{Campaign, Millis, NomineeId, NomineeNumber};

use super::console::{authorize, Refusal};
use super::AppState;
use crate::nominees::photos::{self, PhotoProblem};
use crate::nominees::storage::NomineeDetails as NewNominee;
use crate::organizers::storage::Organizer;
use crate::storage::StoreError;
use crate::web::redirect::see_other;

/// A nominee form's text fields and its photo, if one was chosen.
struct Submitted {
    fields: HashMap<String, String>,
    photo: Option<Vec<u8>>,
}

/// Reads a multipart form. Text fields are capped; a photo past the upload
/// limit is reported as such rather than read on.
async fn read_form(multipart: Multipart) -> Result<Submitted, &'static str> {
    read_form_with_file(multipart, "photo").await
}

/// Reads a multipart form whose one file field is `file_field`.
async fn read_form_with_file(
    mut multipart: Multipart,
    file_field: &str,
) -> Result<Submitted, &'static str> {
    let mut fields = HashMap::new();
    let mut photo = None;
    while let Some(field) = multipart.next_field().await.map_err(|_| "invalid")? {
        let name = field.name().unwrap_or_default().to_string();
        if name == file_field {
            let chosen = field.file_name().is_some_and(|f| !f.is_empty());
            let bytes = field
                .bytes()
                .await
                .map_err(|_| PhotoProblem::TooLarge.code())?;
            if chosen && !bytes.is_empty() {
                photo = Some(bytes.to_vec());
            }
        } else {
            let text = field.text().await.map_err(|_| "invalid")?;
            // Pasted CSV may be long; a story may not.
            let cap = if name == "csv" { 2_000_000 } else { 20_000 };
            if text.chars().count() > cap {
                return Err("story");
            }
            fields.insert(name, text);
        }
    }
    Ok(Submitted { fields, photo })
}

/// Turns away a request without a session allowed to do `action` before its
/// (possibly large) body is read; the CSRF token is checked once it is.
async fn signed_in_for(
    state: &AppState,
    headers: &HeaderMap,
    action: Action,
) -> Result<(), Refusal> {
    let token = super::console::organizer_token(headers);
    match state
        .services
        .console_access(token.as_deref(), action)
        .await
    {
        Ok(app::model::Console::Open(_)) => Ok(()),
        Ok(app::model::Console::SignIn) => Err(Refusal::SignIn),
        Ok(app::model::Console::Forbidden) => Err(Refusal::Forbidden),
        Err(_) => Err(Refusal::Unavailable),
    }
}

/// The nominee the form describes, or the first problem's code.
fn parse_nominee(
    fields: &HashMap<String, String>,
    communities: &[crate::places::storage::CommunityOf],
) -> Result<NewNominee, &'static str> {
    let get = |k: &str| fields.get(k).map(|v| v.trim()).unwrap_or_default();
    let number = NomineeNumber::parse(get("number")).map_err(|_| "number")?;
    let name = get("name");
    if name.is_empty() || name.chars().count() > 40 {
        return Err("name");
    }
    let community = get("community")
        .parse::<i64>()
        .ok()
        .and_then(|id| communities.iter().find(|c| c.community.id.0 == id))
        .ok_or("community")?;
    // Line breaks are kept as typed (CRLF from browsers made plain).
    let story = fields
        .get("story")
        .map(|s| s.replace("\r\n", "\n").trim().to_string())
        .unwrap_or_default();
    if story.chars().count() > 5000 {
        return Err("story");
    }
    Ok(NewNominee {
        number,
        name: name.to_string(),
        community: community.community.id,
        photo_url: None,
        story,
    })
}

fn audit_json(n: &NewNominee) -> serde_json::Value {
    json!({
        "number": n.number.get(),
        "name": n.name,
        "community": n.community.0,
        "story": n.story,
    })
}

async fn current_campaign(state: &AppState) -> Result<Campaign, Refusal> {
    match state.services.current_campaign().await {
        Ok(Some(c)) => Ok(c),
        Ok(None) => Err(Refusal::Forbidden),
        Err(_) => Err(Refusal::Unavailable),
    }
}

/// Re-encodes and stores a photo; the problem's code if it is not one.
async fn save_photo(
    state: &AppState,
    who: &Organizer,
    id: NomineeId,
    upload: Vec<u8>,
) -> Result<Result<(), &'static str>, Refusal> {
    let processed = tokio::task::spawn_blocking(move || photos::process(&upload))
        .await
        .map_err(|_| Refusal::Unavailable)?;
    let processed = match processed {
        Ok(p) => p,
        Err(problem) => return Ok(Err(problem.code())),
    };
    let now = Millis::now();
    // The version in the address lets browsers cache each photo for good.
    let url = format!("/photos/{}/full.jpg?v={}", id.0, now.0);
    let audit = crate::organizers::entry(
        Some(who),
        crate::audit::AuditAction::NomineePhoto,
        format!("nominee:{}", id.0),
    );
    state
        .services
        .store
        .save_photos(id, &processed.full, &processed.card, &url, &audit, now)
        .await
        .map_err(|_| Refusal::Unavailable)?;
    Ok(Ok(()))
}

fn store_problem(e: StoreError) -> Result<&'static str, Refusal> {
    match e {
        StoreError::Duplicate(_) => Ok("number_taken"),
        other => {
            tracing::error!(error = %other, "a nominee change failed in storage");
            Err(Refusal::Unavailable)
        }
    }
}

/// `POST /console/nominees`: a new nominee, with an optional photo.
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, Refusal> {
    signed_in_for(&state, &headers, Action::EditNominees).await?;
    let form = match read_form(multipart).await {
        Ok(f) => f,
        Err(code) => return Ok(see_other(format!("/console/nominees?problem={code}"))),
    };
    let session = authorize(&state, &headers, &form.fields, Action::EditNominees).await?;
    let campaign = current_campaign(&state).await?;
    let communities = state
        .services
        .store
        .communities()
        .await
        .map_err(|_| Refusal::Unavailable)?;
    let nominee = match parse_nominee(&form.fields, &communities) {
        Ok(n) => n,
        Err(code) => return Ok(see_other(format!("/console/nominees?problem={code}"))),
    };
    // Check the photo before anything is stored, so a bad one adds nothing.
    if let Some(upload) = &form.photo {
        if let Err(problem) = photos::check_format(upload) {
            return Ok(see_other(format!(
                "/console/nominees?problem={}",
                problem.code()
            )));
        }
    }
    let mut audit = crate::organizers::entry(
        Some(&session.organizer),
        crate::audit::AuditAction::NomineeCreate,
        String::new(),
    );
    audit.after = Some(audit_json(&nominee));
    let id = match state
        .services
        .store
        .create_nominee(campaign.id, &nominee, &audit, Millis::now())
        .await
    {
        Ok(id) => id,
        Err(e) => {
            return Ok(see_other(format!(
                "/console/nominees?problem={}",
                store_problem(e)?
            )))
        }
    };
    if let Some(upload) = form.photo {
        if let Err(code) = save_photo(&state, &session.organizer, id, upload).await? {
            return Ok(see_other(format!(
                "/console/nominees/{}?problem={code}",
                id.0
            )));
        }
    }
    state.services.hub.poke();
    Ok(see_other("/console/nominees?done=nominee_created"))
}

/// `POST /console/nominees/{id}`: edits, and a new photo if one was chosen.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, Refusal> {
    let here = format!("/console/nominees/{id}");
    signed_in_for(&state, &headers, Action::EditNominees).await?;
    let form = match read_form(multipart).await {
        Ok(f) => f,
        Err(code) => return Ok(see_other(format!("{here}?problem={code}"))),
    };
    let session = authorize(&state, &headers, &form.fields, Action::EditNominees).await?;
    let campaign = current_campaign(&state).await?;
    let store = &state.services.store;
    let records = store
        .nominee_records(campaign.id)
        .await
        .map_err(|_| Refusal::Unavailable)?;
    let Some(before) = records.iter().find(|r| r.nominee.id.0 == id) else {
        return Ok((StatusCode::NOT_FOUND, "没有这位候选人。 / No such nominee.").into_response());
    };
    let communities = store
        .communities()
        .await
        .map_err(|_| Refusal::Unavailable)?;
    let nominee = match parse_nominee(&form.fields, &communities) {
        Ok(n) => n,
        Err(code) => return Ok(see_other(format!("{here}?problem={code}"))),
    };
    let mut audit = crate::organizers::entry(
        Some(&session.organizer),
        crate::audit::AuditAction::NomineeUpdate,
        format!("nominee:{id}"),
    );
    audit.before = Some(json!({
        "number": before.nominee.summary.number.get(),
        "name": before.nominee.summary.name,
        "community": before.community.0,
        "story": before.nominee.story,
    }));
    audit.after = Some(audit_json(&nominee));
    if let Err(e) = store
        .update_nominee(campaign.id, NomineeId(id), &nominee, &audit, Millis::now())
        .await
    {
        return Ok(see_other(format!("{here}?problem={}", store_problem(e)?)));
    }
    if let Some(upload) = form.photo {
        if let Err(code) = save_photo(&state, &session.organizer, NomineeId(id), upload).await? {
            return Ok(see_other(format!("{here}?problem={code}")));
        }
    }
    state.services.hub.poke();
    Ok(see_other(format!("{here}?done=updated")))
}

/// `POST /console/nominees/{id}/status`: withdraw (`active=off`) or restore.
pub async fn set_status(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Refusal> {
    let session = authorize(&state, &headers, &form, Action::EditNominees).await?;
    let active = form.get("active").is_some_and(|v| v == "on");
    let campaign = current_campaign(&state).await?;
    let known = state
        .services
        .store
        .nominee_records(campaign.id)
        .await
        .map_err(|_| Refusal::Unavailable)?
        .into_iter()
        .any(|r| r.nominee.id.0 == id);
    if !known {
        return Ok((StatusCode::NOT_FOUND, "没有这位候选人。 / No such nominee.").into_response());
    }
    let action = if active {
        crate::audit::AuditAction::NomineeRestore
    } else {
        crate::audit::AuditAction::NomineeWithdraw
    };
    let audit = crate::organizers::entry(Some(&session.organizer), action, format!("nominee:{id}"));
    state
        .services
        .store
        .set_nominee_active(NomineeId(id), active, &audit, Millis::now())
        .await
        .map_err(|_| Refusal::Unavailable)?;
    state.services.hub.poke();
    Ok(see_other(format!("/console/nominees/{id}?done=updated")))
}

/// `POST /console/places`: streets and communities from a CSV file (or
/// pasted text), all or nothing.
pub async fn import_places(
    State(state): State<AppState>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, Refusal> {
    signed_in_for(&state, &headers, Action::ManageStreets).await?;
    let mut form = match read_form_with_file(multipart, "file").await {
        Ok(f) => f,
        Err(_) => return Ok(see_other("/console/places?rejected=1:empty")),
    };
    let session = authorize(&state, &headers, &form.fields, Action::ManageStreets).await?;
    let text = match form.photo.take() {
        Some(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => return Ok(see_other("/console/places?rejected=1:encoding")),
        },
        None => form.fields.get("csv").cloned().unwrap_or_default(),
    };
    let rows = match crate::places::import::parse_csv(&text) {
        Ok(rows) => rows,
        Err(rejected) => {
            let report: Vec<String> = rejected
                .iter()
                .take(30)
                .map(|r| format!("{}:{}", r.line, r.reason))
                .collect();
            return Ok(see_other(format!(
                "/console/places?rejected={}&count={}",
                report.join(","),
                rejected.len()
            )));
        }
    };
    let audit = crate::organizers::entry(
        Some(&session.organizer),
        crate::audit::AuditAction::StreetImport,
        "places".into(),
    );
    let counts = state
        .services
        .store
        .import_places(&rows, &audit, Millis::now())
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "an import failed in storage");
            Refusal::Unavailable
        })?;
    Ok(see_other(format!(
        "/console/places?added={},{},{}",
        counts.streets_added, counts.communities_added, counts.already_present
    )))
}

/// `GET /photos/{id}/{size}.jpg`: a nominee's photo, `full` or `card`.
pub async fn photo(
    State(state): State<AppState>,
    Path((id, file)): Path<(i64, String)>,
) -> Response {
    let size = match file.as_str() {
        "full.jpg" => crate::nominees::storage::PhotoSize::Full,
        "card.jpg" => crate::nominees::storage::PhotoSize::Card,
        _ => return (StatusCode::NOT_FOUND, "没有这张照片。 / No such photo.").into_response(),
    };
    match state.services.store.photo(NomineeId(id), size).await {
        Ok(Some(bytes)) => (
            [
                (CONTENT_TYPE, "image/jpeg"),
                // Addresses carry a version, so a photo never changes under one.
                (CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, "没有这张照片。 / No such photo.").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "could not read a photo");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "服务暂时不可用。 / Briefly unavailable.",
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alleyvote_domain::{Community, CommunityId, StreetId};

    #[test]
    fn a_nominee_form_is_read_or_named_wrong() {
        let communities = vec![crate::places::storage::CommunityOf {
            community: Community {
                id: CommunityId(4),
                street_id: StreetId(1),
                name_zh: "和润苑".into(),
                name_en: "Herun".into(),
            },
            street_zh: "定海路街道".into(),
            street_en: "Dinghai Road".into(),
        }];
        let form = |pairs: &[(&str, &str)]| {
            let mut f: HashMap<String, String> = [
                ("number", "31"),
                ("name", "李四"),
                ("community", "4"),
                ("story", "一\r\n二"),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
            for (k, v) in pairs {
                f.insert(k.to_string(), v.to_string());
            }
            f
        };
        let n = parse_nominee(&form(&[]), &communities).unwrap();
        assert_eq!((n.number.get(), n.story.as_str()), (31, "一\n二"));
        assert_eq!(
            parse_nominee(&form(&[("number", "0")]), &communities).unwrap_err(),
            "number"
        );
        assert_eq!(
            parse_nominee(&form(&[("name", " ")]), &communities).unwrap_err(),
            "name"
        );
        assert_eq!(
            parse_nominee(&form(&[("community", "99")]), &communities).unwrap_err(),
            "community"
        );
        let long = "长".repeat(5001);
        assert_eq!(
            parse_nominee(&form(&[("story", &long)]), &communities).unwrap_err(),
            "story"
        );
    }
}
