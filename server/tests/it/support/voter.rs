//! A resident's client: the session it holds, through the API (a bearer
//! token) or as a browser (the session cookie), and the votes it casts.

use std::future::Future;

use reqwest::Method;
use serde_json::{json, Value};

use super::app::{answer, Answer};
use super::TestApp;

const VOTES: &str = "/api/v1/campaigns/yangpu-2026/votes";
const MY_VOTES: &str = "/api/v1/campaigns/yangpu-2026/my-votes";

/// A resident's phone: a session token (or none), a device cookie if it has
/// one, and the instance it talks to. Cheap to clone; a clone may talk to
/// another instance ([`Voter::at`]) with the same session.
#[derive(Clone)]
pub struct Voter {
    client: reqwest::Client,
    base: String,
    token: Option<String>,
    device: Option<String>,
}

impl Voter {
    pub(super) fn new(app: &TestApp, token: Option<String>) -> Voter {
        Voter {
            client: app.client.clone(),
            base: app.base.clone(),
            token,
            device: None,
        }
    }

    /// The session token.
    pub fn token(&self) -> &str {
        self.token.as_deref().expect("a voter with a session")
    }

    /// The same session, talking to another instance.
    pub fn at(&self, app: &TestApp) -> Voter {
        Voter {
            base: app.base.clone(),
            ..self.clone()
        }
    }

    /// The same session, sending this device cookie (`av_device`).
    pub fn on_device(&self, device: &str) -> Voter {
        Voter {
            device: Some(device.to_string()),
            ..self.clone()
        }
    }

    fn cookies(&self, session: bool) -> Option<String> {
        let session = self
            .token
            .as_ref()
            .filter(|_| session)
            .map(|t| format!("av_session={t}"));
        let device = self.device.as_ref().map(|d| format!("av_device={d}"));
        let all: Vec<String> = session.into_iter().chain(device).collect();
        (!all.is_empty()).then(|| all.join("; "))
    }

    /// A request as the app sends it: the session as a bearer token.
    pub fn api(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = &self.token {
            req = req.bearer_auth(token);
        }
        if let Some(cookies) = self.cookies(false) {
            req = req.header("cookie", cookies);
        }
        req
    }

    /// A request as a browser sends it: the session as a cookie.
    pub fn browser(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(cookies) = self.cookies(true) {
            req = req.header("cookie", cookies);
        }
        req
    }

    /// Casts a vote for the demo campaign through the API. The request is
    /// made now and sent when awaited, so votes can [`race`](super::race).
    pub fn vote(
        &self,
        nominee: impl serde::Serialize,
    ) -> impl Future<Output = Answer> + Send + 'static {
        self.vote_request(nominee, None)
    }

    /// [`Voter::vote`] with an `Idempotency-Key`.
    pub fn vote_with_key(
        &self,
        key: &str,
        nominee: impl serde::Serialize,
    ) -> impl Future<Output = Answer> + Send + 'static {
        self.vote_request(nominee, Some(key))
    }

    fn vote_request(
        &self,
        nominee: impl serde::Serialize,
        key: Option<&str>,
    ) -> impl Future<Output = Answer> + Send + 'static {
        let mut req = self
            .api(Method::POST, VOTES)
            .json(&json!({ "nominee_number": nominee }));
        if let Some(key) = key {
            req = req.header("idempotency-key", key);
        }
        async move { answer(req.send().await.expect("POST a vote")).await }
    }

    /// The votes this session cast today in the demo campaign.
    pub async fn my_votes(&self) -> (u16, Value) {
        let (status, _, body) = answer(self.api(Method::GET, MY_VOTES).send().await.unwrap()).await;
        (status, body)
    }

    /// A page as this browser sees it.
    pub async fn page(&self, path: &str) -> (u16, String) {
        let r = self.browser(Method::GET, path).send().await.unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// A form posted from a page (no JavaScript): the answer, usually a redirect.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.browser(Method::POST, path)
            .form(form)
            .send()
            .await
            .unwrap()
    }
}
