//! The picture challenge a code request needs past the thresholds (see
//! `SmsLimits`): a person reads the characters, a script asking for a
//! stranger's codes has to pay for each. It works without JavaScript: the
//! picture's answer travels as an HMAC in an HttpOnly cookie (or, for apps,
//! an `X-Challenge-Token` header) with its expiry and a nonce; the server
//! keeps nothing but the nonces already used (in Redis when there is one, so
//! a solved picture is spent on every instance). A speed bump over the caps,
//! not a wall.

use std::path::PathBuf;
use std::time::Duration;

use alleyvote_domain::Millis;

use crate::cache::shared::SharedState;
use crate::ttl_cache::Memo;

/// How long a picture may be answered.
pub const CHALLENGE_TTL: Duration = Duration::from_secs(5 * 60);

/// A picture and the token that stands for its answer.
pub struct Challenge {
    pub png: Vec<u8>,
    pub token: String,
}

pub struct Challenges {
    key: [u8; 32],
    used: Memo<String, ()>,
    shared: SharedState,
    /// Development only: each answer is also written here, as the SMS
    /// outbox holds the codes, so the stories can read it.
    outbox: Option<PathBuf>,
}

impl Challenges {
    pub fn new(secret: &str, outbox: Option<PathBuf>, shared: SharedState) -> Self {
        Challenges {
            key: crate::keys::derive(secret, "alleyvote picture challenge key v1"),
            used: Memo::new(CHALLENGE_TTL, 100_000),
            shared,
            outbox,
        }
    }

    fn seal(&self, nonce: &str, expires: i64, answer: &str) -> String {
        let sealed = format!("{nonce}.{expires}.{}", answer.to_ascii_lowercase());
        hex::encode(crate::keys::hmac(&self.key, &[sealed.as_bytes()]))
    }

    /// A new picture of five characters, drawn off the async threads;
    /// `None` if it could not be drawn.
    pub async fn issue(&self, now: Millis) -> Option<Challenge> {
        let (png, answer) = tokio::task::spawn_blocking(draw).await.ok()?;
        if png.is_empty() || answer.is_empty() {
            return None;
        }
        let nonce = hex::encode(rand::random::<[u8; 12]>());
        let expires = now.0 + CHALLENGE_TTL.as_millis() as i64;
        let token = format!("{nonce}.{expires}.{}", self.seal(&nonce, expires, &answer));
        if let Some(path) = &self.outbox {
            let line = serde_json::json!({ "token": token, "answer": answer }).to_string();
            let written = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .and_then(|mut f| {
                    std::io::Write::write_all(&mut f, format!("{line}\n").as_bytes())
                });
            if let Err(e) = written {
                tracing::warn!(error = %e, "could not write the challenge outbox");
            }
        }
        Some(Challenge { png, token })
    }

    /// Whether `typed` answers the picture `token` stands for, in time and
    /// for the first time (letters in either case).
    pub async fn solved(&self, token: &str, typed: &str, now: Millis) -> bool {
        let mut parts = token.splitn(3, '.');
        let (Some(nonce), Some(expires), Some(seal)) = (parts.next(), parts.next(), parts.next())
        else {
            return false;
        };
        let Ok(expires) = expires.parse::<i64>() else {
            return false;
        };
        let typed: String = typed
            .trim()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if now.0 >= expires || typed.is_empty() || typed.len() > 16 {
            return false;
        }
        let same = crate::keys::same(
            self.seal(nonce, expires, &typed).as_bytes(),
            seal.as_bytes(),
        );
        if !same || self.used.get(&nonce.to_string()).is_some() {
            return false;
        }
        // Once only: here (kept as long as the picture lives), and on every
        // instance when Redis answers.
        self.used.put(nonce.to_string(), ());
        self.shared
            .first_use(&format!("picture:{nonce}"), CHALLENGE_TTL)
            .await
            .unwrap_or(true)
    }
}

/// The picture and its characters.
fn draw() -> (Vec<u8>, String) {
    let mut picture = captcha::Captcha::new();
    picture
        .add_chars(5)
        .apply_filter(captcha::filters::Noise::new(0.2))
        .apply_filter(captcha::filters::Wave::new(2.0, 12.0))
        .view(220, 90)
        .apply_filter(captcha::filters::Dots::new(8));
    (
        picture.as_png().unwrap_or_default(),
        picture.chars_as_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer_of(dir: &std::path::Path, token: &str) -> String {
        let text = std::fs::read_to_string(dir.join("challenges.jsonl")).unwrap();
        text.lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .find(|v| v["token"] == token)
            .and_then(|v| v["answer"].as_str().map(str::to_string))
            .unwrap()
    }

    #[tokio::test]
    async fn a_picture_is_answered_once_in_time_by_its_characters() {
        let dir = std::env::temp_dir().join(format!("av-challenge-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let challenges = Challenges::new(
            "a secret of thirty-two characters..",
            Some(dir.join("challenges.jsonl")),
            SharedState::none(),
        );
        let now = Millis(1_000_000);
        let c = challenges.issue(now).await.expect("a picture");
        assert!(c.png.starts_with(b"\x89PNG"), "a PNG picture");
        let answer = answer_of(&dir, &c.token);
        assert_eq!(answer.chars().count(), 5);
        assert!(!challenges.solved(&c.token, "wrong", now).await);
        assert!(
            !challenges
                .solved(&c.token, &answer, Millis(now.0 + 301_000))
                .await,
            "too late"
        );
        assert!(
            challenges
                .solved(&c.token, &answer.to_uppercase(), now)
                .await,
            "either case"
        );
        assert!(
            !challenges.solved(&c.token, &answer, now).await,
            "once only"
        );
        // Another server's token, or a made-up one, solves nothing.
        let other = Challenges::new(
            "another secret of thirty-two chars.",
            None,
            SharedState::none(),
        );
        let theirs = other.issue(now).await.expect("a picture");
        assert!(!challenges.solved(&theirs.token, "abcde", now).await);
        assert!(!challenges.solved("nonsense", "abcde", now).await);
    }
}
