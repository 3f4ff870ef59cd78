//! A NUL (or another control character) typed into any free-text field of
//! any form gets the form's own sentence or a 4xx, never a 5xx: PostgreSQL
//! refuses to store a NUL, so a field that reached the database with one
//! would fail there. The forms are not listed by hand: every page a
//! resident, a reviewer and an administrator can open is read, every
//! `<form method="post">` in it found, and each of its text fields sent
//! with a NUL inside, the other fields as the page filled them.

use alleyvote_domain::organizer::Role;
use reqwest::Method;

use crate::support::{Organizer, TestApp, Voter};

/// An HTML tag's attributes, as `(name, value)`.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = tag;
    while let Some(eq) = rest.find("=\"") {
        let name = rest[..eq]
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap_or_default()
            .to_string();
        let after = &rest[eq + 2..];
        let Some(end) = after.find('"') else { break };
        out.push((name, unescape(&after[..end])));
        rest = &after[end + 1..];
    }
    out
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// One field of a form: its name, what the page filled in, and whether a
/// person types free text into it.
#[derive(Debug, Clone)]
struct Field {
    name: String,
    value: String,
    typed: bool,
}

#[derive(Debug, Clone)]
struct Form {
    page: String,
    action: String,
    multipart: bool,
    fields: Vec<Field>,
}

/// The opening tags named `tag` in `html`, each with where it ends.
fn tags<'a>(html: &'a str, tag: &str) -> Vec<(usize, &'a str)> {
    let open = format!("<{tag}");
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(i) = html[at..].find(&open) {
        let start = at + i;
        let Some(end) = html[start..].find('>') else {
            break;
        };
        let next = html[start + open.len()..].chars().next();
        if matches!(next, Some(' ' | '>' | '/' | '\n')) {
            found.push((start + end + 1, &html[start..start + end]));
        }
        at = start + end + 1;
    }
    found
}

/// Every post form of a page.
fn forms(page: &str, html: &str) -> Vec<Form> {
    let mut out = Vec::new();
    for (body_start, tag) in tags(html, "form") {
        let attrs = attributes(tag);
        if !attr(&attrs, "method").is_some_and(|m| m.eq_ignore_ascii_case("post")) {
            continue;
        }
        let Some(action) = attr(&attrs, "action") else {
            continue;
        };
        let body_end = html[body_start..]
            .find("</form>")
            .map_or(html.len(), |i| body_start + i);
        let body = &html[body_start..body_end];
        let mut fields = Vec::new();
        for (_, input) in tags(body, "input") {
            let a = attributes(input);
            let Some(name) = attr(&a, "name") else {
                continue;
            };
            let kind = attr(&a, "type").unwrap_or("text");
            if matches!(kind, "checkbox" | "radio") && !input.contains(" checked") {
                continue;
            }
            if kind == "file" {
                continue;
            }
            fields.push(Field {
                name: name.to_string(),
                value: attr(&a, "value").unwrap_or_default().to_string(),
                typed: matches!(
                    kind,
                    "text" | "search" | "tel" | "url" | "email" | "password"
                ),
            });
        }
        for (end, textarea) in tags(body, "textarea") {
            let a = attributes(textarea);
            let Some(name) = attr(&a, "name") else {
                continue;
            };
            let value = body[end..]
                .split("</textarea>")
                .next()
                .map(unescape)
                .unwrap_or_default();
            fields.push(Field {
                name: name.to_string(),
                value,
                typed: true,
            });
        }
        for (end, select) in tags(body, "select") {
            let a = attributes(select);
            let Some(name) = attr(&a, "name") else {
                continue;
            };
            let options = body[end..].split("</select>").next().unwrap_or_default();
            let chosen = tags(options, "option")
                .into_iter()
                .map(|(_, o)| attributes(o))
                .find(|o| o.iter().any(|(n, _)| n == "selected"))
                .or_else(|| {
                    tags(options, "option")
                        .into_iter()
                        .map(|(_, o)| attributes(o))
                        .find(|o| attr(o, "value").is_some_and(|v| !v.is_empty()))
                });
            let value = chosen
                .and_then(|o| attr(&o, "value").map(str::to_string))
                .unwrap_or_default();
            fields.push(Field {
                name: name.to_string(),
                value,
                typed: false,
            });
        }
        out.push(Form {
            page: page.to_string(),
            action: unescape(action),
            multipart: attr(&attrs, "enctype").is_some_and(|e| e.contains("multipart")),
            fields,
        });
    }
    out
}

/// A client that can open pages and post forms with its own cookies.
trait Browser {
    fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder;
}

impl Browser for Voter {
    fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.browser(method, path)
    }
}

impl Browser for Organizer {
    fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.browser(method, path)
    }
}

/// Sends `form` with `nul_in` holding a NUL; the status.
async fn send(who: &dyn Browser, form: &Form, nul_in: &str) -> u16 {
    let value = |f: &Field| {
        if f.name == nul_in {
            format!("甲\u{0}乙{}", f.value)
        } else if f.typed && f.value.is_empty() {
            // Something a person would type, so the NUL is what is wrong.
            "测试文字".to_string()
        } else {
            f.value.clone()
        }
    };
    let request = who.request(Method::POST, &form.action);
    let request = if form.multipart {
        let mut parts = reqwest::multipart::Form::new();
        for f in &form.fields {
            parts = parts.text(f.name.clone(), value(f));
        }
        request.multipart(parts)
    } else {
        let pairs: Vec<(String, String)> = form
            .fields
            .iter()
            .map(|f| (f.name.clone(), value(f)))
            .collect();
        request.form(&pairs)
    };
    request.send().await.unwrap().status().as_u16()
}

/// Every form on `pages` as `who` sees them, each text field with a NUL:
/// the forms tried, and the answers that were 5xx.
async fn try_every_field(who: &dyn Browser, pages: &[String]) -> (Vec<String>, Vec<String>) {
    let mut tried = Vec::new();
    let mut failures = Vec::new();
    for page in pages {
        let r = who.request(Method::GET, page).send().await.unwrap();
        let html = r.text().await.unwrap();
        for form in forms(page, &html) {
            for field in form.fields.iter().filter(|f| f.typed) {
                tried.push(form.action.clone());
                let status = send(who, &form, &field.name).await;
                if status >= 500 {
                    failures.push(format!(
                        "{} → POST {} with a NUL in `{}`: {status}",
                        form.page, form.action, field.name
                    ));
                }
            }
        }
    }
    (tried, failures)
}

/// The pages each kind of person opens, at the demo's `stage`, and every
/// text field of every form on them with a NUL inside.
async fn crawl(
    app: TestApp,
    stage: Option<alleyvote::demo::ceremony::DemoStage>,
    must_reach: &[&str],
) {
    if let Some(stage) = stage {
        // As a demo start makes it, before the stage is loaded.
        app.organizer("admin", Role::Admin).await;
        alleyvote::demo::ceremony::load(&app.services, stage)
            .await
            .unwrap();
    }
    let admin = app.organizer("nul-admin", Role::Admin).await;
    let reviewer = app.organizer("nul-reviewer", Role::Reviewer).await;
    let resident = app.voter("13800000501").await;
    let campaign = app.demo_campaign().await;
    let mut console: Vec<String> = [
        "/console",
        "/console/organizers",
        "/console/campaign",
        "/console/nominees",
        "/console/places",
        "/console/paper",
        "/console/results",
        "/console/screen",
        "/console/jury",
        "/console/audit",
        "/console/nominations",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    let store = &app.services.store;
    if let Some(n) = store.nominee_records(campaign.id).await.unwrap().first() {
        console.push(format!("/console/nominees/{}", n.nominee.id.0));
    }
    let queue = app
        .services
        .nominations
        .queue(&campaign, &Default::default())
        .await
        .unwrap();
    console.extend(
        queue
            .iter()
            .map(|q| format!("/console/nominations/{}", q.record.id.0)),
    );
    let public: Vec<String> = [
        "/",
        "/nominees",
        "/results",
        "/login",
        "/nominate",
        "/my/nominations",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    let mut all = Vec::new();
    let (tried_public, failures) = try_every_field(&resident, &public).await;
    all.extend(failures);
    let (tried_review, failures) = try_every_field(&reviewer, &console).await;
    all.extend(failures);
    let (tried_admin, failures) = try_every_field(&admin, &console).await;
    all.extend(failures);
    let tried: Vec<String> = [tried_public, tried_review, tried_admin].concat();
    for action in must_reach {
        assert!(
            tried.iter().any(|t| t.starts_with(action)),
            "the crawl reached no form posting to {action}: {tried:?}"
        );
    }
    assert!(all.is_empty(), "answered 5xx:\n{}", all.join("\n"));
}

/// Voting: the console's forms, the sign-in forms.
async fn a_nul_in_any_field_while_voting(app: TestApp) {
    crawl(
        app,
        None,
        &["/console/campaign", "/console/nominees", "/login"],
    )
    .await;
}

on_postgres!(a_nul_in_any_field_while_voting);

/// Nominations: the resident's nomination form, the reviewers' decisions.
async fn a_nul_in_any_field_while_nominating(app: TestApp) {
    crawl(
        app,
        Some(alleyvote::demo::ceremony::DemoStage::Nomination),
        &["/nominate", "/console/nominations/"],
    )
    .await;
}

on_postgres!(a_nul_in_any_field_while_nominating);

/// The notice: objections, their answers, the publication's steps.
async fn a_nul_in_any_field_in_the_notice(app: TestApp) {
    crawl(
        app,
        Some(alleyvote::demo::ceremony::DemoStage::Notice),
        &["/results/objections", "/console/results/objections/"],
    )
    .await;
}

on_postgres!(a_nul_in_any_field_in_the_notice);
