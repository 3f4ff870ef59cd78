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
        tracing::info!(to = %to.masked(), "SMS (log sender): {text}");
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
