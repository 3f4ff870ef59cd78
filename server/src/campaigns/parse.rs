//! Reading the console's campaign form: every field parsed into the domain's
//! types, or the first problem as a code the page words for the organizer
//! (`title`, `dates`, `order`, `rules`, `visibility`, `too_long`).

use alleyvote_domain::notice::CampaignProblem;
use alleyvote_domain::texts::Hotline;
use alleyvote_domain::{
    Campaign, FreeText, Millis, Phases, ResultsVisibility, TextProblem, TextRule, VoteRules,
};
use app::campaigns::forms::CampaignForm;

use super::storage::CampaignSettings;

/// The form's field names for the phase dates, in order.
pub const PHASE_FIELDS: [&str; 6] = CampaignForm::PHASE_FIELDS;

/// A field of the form by its name.
fn field<'a>(f: &'a CampaignForm, key: &str) -> Option<&'a str> {
    Some(match key {
        "slug" => &f.slug,
        "title_zh" => &f.title_zh,
        "title_en" => &f.title_en,
        "description_zh" => &f.description_zh,
        "description_en" => &f.description_en,
        "hosts_zh" => &f.hosts_zh,
        "hosts_en" => &f.hosts_en,
        "hotline" => &f.hotline,
        "nomination_start" => &f.nomination_start,
        "review_start" => &f.review_start,
        "voting_start" => &f.voting_start,
        "voting_end" => &f.voting_end,
        "notice_end" => &f.notice_end,
        "ceremony_at" => &f.ceremony_at,
        "votes_per_day" => &f.votes_per_day,
        "per_nominee_per_day" => &f.per_nominee_per_day,
        "results_visibility" => &f.results_visibility,
        _ => return None,
    })
}

/// A field's text, trimmed, at most `max` characters.
fn text(form: &CampaignForm, key: &str, rule: TextRule) -> Result<String, CampaignProblem> {
    let value = field(form, key).unwrap_or_default();
    match FreeText::parse(value, rule.optional()) {
        Ok(text) => Ok(text.into_string()),
        Err(TextProblem::TooLong) => Err(CampaignProblem::TooLong),
        Err(_) => Err(CampaignProblem::Unreadable),
    }
}

/// A campaign's address: 3 to 40 lower-case letters, digits and dashes.
pub fn valid_slug(slug: &str) -> bool {
    (3..=40).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

/// A new campaign's schedule until its organizers set one: days on Shanghai
/// midnights, nominations from two months ago, review from a month ago,
/// voting from a week ago for four weeks, the ceremony two days after.
pub fn usual_phases(now: Millis) -> Phases {
    let today = now.shanghai_day().next_midnight().plus_days(-1);
    Phases::new(
        today.plus_days(-60),
        today.plus_days(-30),
        today.plus_days(-7),
        today.plus_days(21),
        today.plus_days(28),
        today.plus_days(30),
    )
    .unwrap_or_else(|_| unreachable!("the usual phases are in order"))
}

/// A new campaign from the form, its slug included (`slug` names a bad one).
pub fn parse_new(form: &CampaignForm, now: Millis) -> Result<CampaignSettings, CampaignProblem> {
    let slug = form.slug.trim();
    if !valid_slug(slug) {
        return Err(CampaignProblem::Slug);
    }
    let blank = CampaignSettings {
        slug: slug.to_string(),
        title_zh: String::new(),
        title_en: String::new(),
        description_zh: String::new(),
        description_en: String::new(),
        hosts_zh: String::new(),
        hosts_en: String::new(),
        hotline: None,
        phases: usual_phases(now),
        rules: VoteRules::new(10, 1).map_err(|_| CampaignProblem::Rules)?,
        results_visibility: ResultsVisibility::Live,
    };
    read_into(form, &blank)
}

/// The campaign an organizer's form describes, keeping the slug of `current`.
pub fn parse(form: &CampaignForm, current: &Campaign) -> Result<CampaignSettings, CampaignProblem> {
    read_into(form, &as_new(current))
}

/// Reads the form over `current`: every field must be there and valid; an
/// empty English title keeps the current one.
fn read_into(
    form: &CampaignForm,
    current: &CampaignSettings,
) -> Result<CampaignSettings, CampaignProblem> {
    let title_zh = text(form, "title_zh", TextRule::line(100))?;
    let title_en = text(form, "title_en", TextRule::line(150))?;
    if title_zh.is_empty() {
        return Err(CampaignProblem::Title);
    }
    let mut dates = [Millis(0); 6];
    for (slot, field) in dates.iter_mut().zip(PHASE_FIELDS) {
        *slot = self::field(form, field)
            .and_then(Millis::parse_local_input)
            .ok_or(CampaignProblem::Dates)?;
    }
    let phases = Phases::new(dates[0], dates[1], dates[2], dates[3], dates[4], dates[5])
        .map_err(|_| CampaignProblem::Order)?;
    let number = |key: &str| field(form, key).and_then(|v| v.trim().parse::<u16>().ok());
    let rules = match (number("votes_per_day"), number("per_nominee_per_day")) {
        (Some(per_day), Some(per_nominee)) => {
            VoteRules::new(per_day, per_nominee).map_err(|_| CampaignProblem::Rules)?
        }
        _ => return Err(CampaignProblem::Rules),
    };
    let results_visibility =
        ResultsVisibility::parse(&form.results_visibility).ok_or(CampaignProblem::Visibility)?;
    Ok(CampaignSettings {
        slug: current.slug.clone(),
        title_zh,
        title_en: if title_en.is_empty() {
            current.title_en.clone()
        } else {
            title_en
        },
        description_zh: text(form, "description_zh", TextRule::lines(2000))?,
        description_en: text(form, "description_en", TextRule::lines(3000))?,
        hosts_zh: text(form, "hosts_zh", TextRule::line(120))?,
        hosts_en: text(form, "hosts_en", TextRule::line(200))?,
        hotline: Hotline::parse(&form.hotline)?,
        phases,
        rules,
        results_visibility,
    })
}

/// How a campaign looks in the audit log.
pub fn audit_json(c: &CampaignSettings) -> serde_json::Value {
    serde_json::json!({
        "title_zh": c.title_zh,
        "title_en": c.title_en,
        "description_zh": c.description_zh,
        "description_en": c.description_en,
        "hosts_zh": c.hosts_zh,
        "hosts_en": c.hosts_en,
        "hotline": c.hotline,
        "phases": PHASE_FIELDS.iter().zip([
            c.phases.nomination_start, c.phases.review_start, c.phases.voting_start,
            c.phases.voting_end, c.phases.notice_end, c.phases.ceremony_at,
        ]).map(|(k, v)| (k.to_string(), serde_json::Value::from(v.rfc3339()))).collect::<serde_json::Map<_, _>>(),
        "votes_per_day": c.rules.votes_per_day(),
        "per_nominee_per_day": c.rules.per_nominee_per_day(),
        "results_visibility": c.results_visibility.as_str(),
    })
}

/// The campaign as it stands, in the same shape as a form would give it.
pub fn as_new(c: &Campaign) -> CampaignSettings {
    CampaignSettings {
        slug: c.slug.clone(),
        title_zh: c.title_zh.clone(),
        title_en: c.title_en.clone(),
        description_zh: c.description_zh.clone(),
        description_en: c.description_en.clone(),
        hosts_zh: c.hosts_zh.clone(),
        hosts_en: c.hosts_en.clone(),
        hotline: c.hotline.clone(),
        phases: c.phases,
        rules: c.rules,
        results_visibility: c.results_visibility,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn current() -> Campaign {
        Campaign {
            id: alleyvote_domain::CampaignId(1),
            slug: "yangpu-2026".into(),
            title_zh: "2026年杨浦区“十佳小巷总理”评选".into(),
            title_en: "Yangpu 2026: Top Ten Alley Premiers".into(),
            description_zh: "推选身边的居民区书记。".into(),
            description_en: "Choose the community leaders.".into(),
            hosts_zh: String::new(),
            hosts_en: String::new(),
            hotline: None,
            phases: usual_phases(Millis::from_shanghai(2026, 11, 27, 12, 0)),
            rules: VoteRules::new(10, 1).unwrap(),
            results_visibility: ResultsVisibility::Live,
            results_frozen_at: None,
        }
    }

    fn form(pairs: &[(&str, &str)]) -> CampaignForm {
        let mut f: serde_json::Map<String, serde_json::Value> = [
            ("title_zh", "2027年评选"),
            ("title_en", ""),
            ("nomination_start", "2027-01-01T00:00"),
            ("review_start", "2027-02-01T00:00"),
            ("voting_start", "2027-03-01T09:00"),
            ("voting_end", "2027-03-21T18:00"),
            ("notice_end", "2027-03-28T18:00"),
            ("ceremony_at", "2027-04-01T14:00"),
            ("votes_per_day", "5"),
            ("per_nominee_per_day", "1"),
            ("results_visibility", "hidden"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
        .collect();
        for (k, v) in pairs {
            f.insert(k.to_string(), serde_json::Value::from(*v));
        }
        serde_json::from_value(serde_json::Value::Object(f)).unwrap()
    }

    #[test]
    fn a_good_form_becomes_the_campaign() {
        let c = parse(&form(&[]), &current()).unwrap();
        assert_eq!(c.slug, "yangpu-2026", "the address stays");
        assert_eq!(
            c.title_en,
            current().title_en,
            "an empty English title keeps the old one"
        );
        assert_eq!(c.rules.votes_per_day(), 5);
        assert_eq!(
            c.phases.voting_start,
            Millis::from_shanghai(2027, 3, 1, 9, 0)
        );
        assert_eq!(c.results_visibility, ResultsVisibility::Hidden);
        assert_eq!(audit_json(&c)["votes_per_day"], 5);
    }

    #[test]
    fn the_audit_entry_records_the_texts_too() {
        let c = parse(&form(&[("description_zh", "新的说明")]), &current()).unwrap();
        let entry = audit_json(&c);
        assert_eq!(entry["description_zh"], "新的说明");
        assert!(entry.get("description_en").is_some());
    }

    #[test]
    fn a_new_campaign_needs_a_good_slug() {
        let mut f = form(&[("slug", "yangpu-2027")]);
        assert_eq!(parse_new(&f, Millis::now()).unwrap().slug, "yangpu-2027");
        for bad in ["", "ab", "Yangpu", "杨浦", "-x-", "a b c"] {
            f.slug = bad.into();
            assert_eq!(
                parse_new(&f, Millis::now()).unwrap_err(),
                CampaignProblem::Slug,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn each_problem_is_named() {
        let long = "长".repeat(101);
        let bad = [
            (form(&[("title_zh", " ")]), "title"),
            (form(&[("voting_end", "2027-02-28T00:00")]), "order"),
            (form(&[("ceremony_at", "not a date")]), "dates"),
            (form(&[("votes_per_day", "0")]), "rules"),
            (form(&[("per_nominee_per_day", "9")]), "rules"),
            (form(&[("votes_per_day", "many")]), "rules"),
            (form(&[("results_visibility", "secret")]), "visibility"),
            (form(&[("title_zh", &long)]), "too_long"),
        ];
        for (f, expected) in bad {
            assert_eq!(parse(&f, &current()).unwrap_err().code(), expected);
        }
    }
}
