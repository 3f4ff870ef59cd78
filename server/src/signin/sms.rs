//! Sending SMS codes. The embedded default, `log`, writes each message to the
//! log and appends it to an outbox file (one JSON object per line) that demos
//! and tests read codes from. A real gateway plugs in behind the same trait.

use std::io::Write;
use std::path::PathBuf;

use alleyvote_domain::{Millis, PhoneNumber};

#[derive(Debug, thiserror::Error)]
#[error("the SMS could not be sent: {0}")]
pub struct SendError(pub String);

#[async_trait::async_trait]
pub trait SmsSender: Send + Sync + 'static {
    async fn send(&self, to: &PhoneNumber, text: &str, code: &str) -> Result<(), SendError>;
}

pub struct LogSender {
    outbox: PathBuf,
    lock: tokio::sync::Mutex<()>,
}

impl LogSender {
    pub fn new(outbox: PathBuf) -> Self {
        LogSender {
            outbox,
            lock: tokio::sync::Mutex::new(()),
        }
    }
}

#[async_trait::async_trait]
impl SmsSender for LogSender {
    async fn send(&self, to: &PhoneNumber, text: &str, code: &str) -> Result<(), SendError> {
        // The text holds a credential (a code, a consent link): it goes to
        // the outbox only, never to a log line.
        tracing::info!(to = %to.masked(), outbox = %self.outbox.display(), "SMS (log sender) written to the outbox");
        // The outbox stands in for the phone: it holds what the phone would show.
        let line = serde_json::json!({
            "at": Millis::now().rfc3339(),
            "to": to.masked(),
            "text": text,
            "code": code,
        });
        let _guard = self.lock.lock().await;
        let path = self.outbox.clone();
        tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)?;
            writeln!(f, "{line}")
        })
        .await
        .map_err(|e| SendError(e.to_string()))?
        .map_err(|e| SendError(e.to_string()))
    }
}

/// Posts each message as JSON to an SMS gateway:
/// `{"id": "<uuid>", "to": "+8613812345678", "text": "…"}`. The id stays the
/// same across retries, so a gateway can drop a repeat it already sent.
/// Where and how the `http` sender reaches the SMS gateway.
#[derive(Debug, Clone)]
pub struct HttpGateway {
    pub url: String,
    /// Sent as `Authorization: Bearer …` when set.
    pub token: Option<crate::keys::Secret>,
    /// For each attempt.
    pub timeout: std::time::Duration,
    /// Further attempts after a timeout, a lost connection, a 429 or a 5xx.
    pub retries: u32,
}

pub struct HttpSender {
    client: reqwest::Client,
    gateway: HttpGateway,
}

impl HttpSender {
    pub fn new(gateway: HttpGateway) -> Result<Self, SendError> {
        let client = reqwest::Client::builder()
            .timeout(gateway.timeout)
            .build()
            .map_err(|e| SendError(e.to_string()))?;
        Ok(HttpSender { client, gateway })
    }

    async fn attempt(&self, body: &serde_json::Value) -> Result<(), (bool, String)> {
        let mut request = self.client.post(&self.gateway.url).json(body);
        if let Some(token) = &self.gateway.token {
            request = request.bearer_auth(token.expose());
        }
        match request.send().await {
            Ok(r) if r.status().is_success() => Ok(()),
            Ok(r) => {
                let status = r.status();
                let again = status.is_server_error() || status.as_u16() == 429;
                Err((again, format!("gateway answered {status}")))
            }
            // Timeouts and lost connections may be passing: try again.
            Err(e) => Err((true, e.without_url().to_string())),
        }
    }
}

#[async_trait::async_trait]
impl SmsSender for HttpSender {
    async fn send(&self, to: &PhoneNumber, text: &str, _code: &str) -> Result<(), SendError> {
        let body = serde_json::json!({
            "id": uuid::Uuid::new_v4().to_string(),
            "to": format!("+86{}", to.digits()),
            "text": text,
        });
        let mut wait = std::time::Duration::from_millis(200);
        let mut attempt = 0;
        loop {
            match self.attempt(&body).await {
                Ok(()) => return Ok(()),
                Err((again, why)) if again && attempt < self.gateway.retries => {
                    tracing::warn!(to = %to.masked(), attempt, %why, "SMS gateway failed; retrying");
                    tokio::time::sleep(wait).await;
                    wait *= 2;
                    attempt += 1;
                }
                Err((_, why)) => return Err(SendError(why)),
            }
        }
    }
}
