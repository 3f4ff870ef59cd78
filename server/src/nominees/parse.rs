//! Reading the console's nominee form (multipart: a photo travels with it).

use alleyvote_domain::notice::NomineeProblem;
use alleyvote_domain::{FreeText, NomineeNumber, TextRule};
use serde_json::json;

use super::storage::NomineeDetails;
use crate::photos::PhotoProblem;
use crate::places::storage::CommunityOf;
use crate::web::multipart::{Upload, UploadProblem};

/// The longest name and story, in characters.
pub const MAX_NAME: usize = 40;
pub const MAX_STORY: usize = 5000;

/// The nominee the form describes, or its first problem.
pub fn parse(form: &Upload, communities: &[CommunityOf]) -> Result<NomineeDetails, NomineeProblem> {
    let number = NomineeNumber::parse(form.field("number")).map_err(|_| NomineeProblem::Number)?;
    let name = FreeText::parse(form.field("name"), TextRule::line(MAX_NAME))
        .map_err(|_| NomineeProblem::Name)?
        .into_string();
    let community = form
        .field("community")
        .parse::<i64>()
        .ok()
        .and_then(|id| communities.iter().find(|c| c.community.id.0 == id))
        .ok_or(NomineeProblem::Community)?;
    // Line breaks are kept as typed (CRLF from browsers made plain).
    let story = form.fields.get("story").map_or("", String::as_str);
    let story = FreeText::parse(story, TextRule::lines(MAX_STORY).optional())
        .map_err(|_| NomineeProblem::Story)?
        .into_string();
    Ok(NomineeDetails {
        number,
        name,
        community: community.community.id,
        photo_url: None,
        story,
    })
}

/// How a nominee looks in the audit log.
pub fn audit_json(n: &NomineeDetails) -> serde_json::Value {
    json!({
        "number": n.number.get(),
        "name": n.name,
        "community": n.community.0,
        "story": n.story,
    })
}

pub fn photo_problem(p: PhotoProblem) -> NomineeProblem {
    match p {
        PhotoProblem::TooLarge | PhotoProblem::TooManyPixels => NomineeProblem::PhotoTooLarge,
        PhotoProblem::Unsupported => NomineeProblem::PhotoFormat,
        PhotoProblem::Unreadable => NomineeProblem::PhotoUnreadable,
    }
}

/// A form that could not be read, as the page names it.
pub fn upload_problem(p: UploadProblem) -> NomineeProblem {
    match p {
        UploadProblem::Unreadable => NomineeProblem::Invalid,
        UploadProblem::FileTooLarge => NomineeProblem::PhotoTooLarge,
        UploadProblem::FieldTooLong => NomineeProblem::Story,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alleyvote_domain::{Community, CommunityId, StreetId};

    #[test]
    fn a_nominee_form_is_read_or_named_wrong() {
        let communities = vec![CommunityOf {
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
            let mut f = Upload::default();
            for (k, v) in [
                ("number", "31"),
                ("name", "李四"),
                ("community", "4"),
                ("story", "一\r\n二"),
            ]
            .iter()
            .chain(pairs)
            {
                f.fields.insert(k.to_string(), v.to_string());
            }
            f
        };
        let n = parse(&form(&[]), &communities).unwrap();
        assert_eq!((n.number.get(), n.story.as_str()), (31, "一\n二"));
        assert_eq!(
            parse(&form(&[("number", "0")]), &communities).unwrap_err(),
            NomineeProblem::Number
        );
        assert_eq!(
            parse(&form(&[("name", " ")]), &communities).unwrap_err(),
            NomineeProblem::Name
        );
        assert_eq!(
            parse(&form(&[("community", "99")]), &communities).unwrap_err(),
            NomineeProblem::Community
        );
        let long = "长".repeat(MAX_STORY + 1);
        assert_eq!(
            parse(&form(&[("story", &long)]), &communities).unwrap_err(),
            NomineeProblem::Story
        );
    }
}
