//! An organizer's browser in the console: the session cookie, and forms
//! posted with the session's CSRF token.

use super::TestApp;

/// The password test accounts are made with.
pub const PASSWORD: &str = "a long enough password";

/// An organizer signed in to the console ([`TestApp::organizer`],
/// [`TestApp::console_login`]), or a browser without a session
/// ([`TestApp::console_visitor`]).
#[derive(Clone)]
pub struct Organizer {
    client: reqwest::Client,
    base: String,
    /// The session cookie's value (`av_org`).
    pub token: Option<String>,
    /// The session's CSRF token, which every form carries.
    pub csrf: String,
}

impl Organizer {
    pub(super) fn new(app: &TestApp, token: Option<String>, csrf: String) -> Organizer {
        Organizer {
            client: app.client.clone(),
            base: app.base.clone(),
            token,
            csrf,
        }
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let req = self.client.request(method, format!("{}{path}", self.base));
        match &self.token {
            Some(token) => req.header("cookie", format!("av_org={token}")),
            None => req,
        }
    }

    /// A request with the session cookie, as a browser sends it.
    pub fn browser(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.request(method, path)
    }

    /// A page as a browser asks for it: its status and its text.
    pub async fn page(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// A page's status alone.
    pub async fn status(&self, path: &str) -> u16 {
        self.get(path).await.status().as_u16()
    }

    /// A page's response, as a browser asks for it.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.request(reqwest::Method::GET, path)
            .header("accept", "text/html")
            .send()
            .await
            .unwrap()
    }

    /// A form with the session's CSRF token and these fields: its status and
    /// where it sends the browser.
    pub async fn post<V: AsRef<str>>(&self, path: &str, fields: &[(&str, V)]) -> (u16, String) {
        let mut form = vec![("csrf", self.csrf.as_str())];
        form.extend(fields.iter().map(|(k, v)| (*k, v.as_ref())));
        self.post_raw(path, &form).await
    }

    /// A button: a form with nothing but the CSRF token.
    pub async fn press(&self, path: &str) -> (u16, String) {
        self.post::<&str>(path, &[]).await
    }

    /// A form exactly as given, CSRF token or not.
    pub async fn post_raw(&self, path: &str, form: &[(&str, &str)]) -> (u16, String) {
        let r = self
            .request(reqwest::Method::POST, path)
            .form(form)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_string())
            .unwrap_or_default();
        (status, location)
    }

    /// A multipart form (files travel in these) with the session's CSRF token.
    pub async fn post_multipart(
        &self,
        path: &str,
        form: reqwest::multipart::Form,
    ) -> reqwest::Response {
        self.request(reqwest::Method::POST, path)
            .multipart(form.text("csrf", self.csrf.clone()))
            .send()
            .await
            .unwrap()
    }
}

/// The console's campaign form filled in with a campaign as it is: change
/// a field and post it to `/console/campaign`.
pub fn campaign_form(c: &alleyvote_domain::Campaign) -> Vec<(&'static str, String)> {
    vec![
        ("slug", c.slug.clone()),
        ("title_zh", c.title_zh.clone()),
        ("title_en", c.title_en.clone()),
        ("description_zh", c.description_zh.clone()),
        ("description_en", c.description_en.clone()),
        ("hosts_zh", c.hosts_zh.clone()),
        ("hosts_en", c.hosts_en.clone()),
        (
            "hotline",
            c.hotline
                .as_ref()
                .map_or(String::new(), |h| h.as_str().to_string()),
        ),
        (
            "nomination_start",
            c.phases.nomination_start.to_local_input(),
        ),
        ("review_start", c.phases.review_start.to_local_input()),
        ("voting_start", c.phases.voting_start.to_local_input()),
        ("voting_end", c.phases.voting_end.to_local_input()),
        ("notice_end", c.phases.notice_end.to_local_input()),
        ("ceremony_at", c.phases.ceremony_at.to_local_input()),
        ("votes_per_day", c.rules.votes_per_day().to_string()),
        (
            "per_nominee_per_day",
            c.rules.per_nominee_per_day().to_string(),
        ),
        (
            "results_visibility",
            c.results_visibility.as_str().to_string(),
        ),
    ]
}
