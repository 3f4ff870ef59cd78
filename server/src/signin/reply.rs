//! Texting people outside a sign-in: a nominee asked for consent, and a
//! resident texted back later — when their objection is answered, when a
//! reviewer asks about their nomination — at the number they signed in
//! with, and only if they gave it for that. The number is checked against
//! the resident's keyed identity, kept sealed (`sealed_phones`) and shown
//! only masked; the text is signed like every other (`texts`).

use std::sync::Arc;

use alleyvote_domain::PhoneNumber;

use super::sms::SmsSender;
use crate::keyed_hashes::Hasher;
use crate::sealed_phones::PhoneSeal;

/// A number given to be texted back, sealed for storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyPhone {
    pub sealed: Vec<u8>,
    /// `138****5678`: what reviewers and the resident see.
    pub masked: String,
}

#[derive(Clone)]
pub struct TextBack {
    hasher: Hasher,
    seal: PhoneSeal,
    sender: Arc<dyn SmsSender>,
    /// The site's address for links in texts (`https://…`, no trailing slash).
    public_url: String,
}

impl TextBack {
    pub fn new(
        hasher: Hasher,
        seal: PhoneSeal,
        sender: Arc<dyn SmsSender>,
        public_url: String,
    ) -> Self {
        TextBack {
            hasher,
            seal,
            sender,
            public_url,
        }
    }

    /// The number sealed, if it is the resident's own: `identity` is their
    /// stored keyed identity (`None` for a ballot card's holder, who has no
    /// number to compare).
    pub fn own(&self, identity: Option<[u8; 32]>, phone: &PhoneNumber) -> Option<ReplyPhone> {
        let theirs = identity?;
        crate::keys::same(&theirs, &self.hasher.phone(phone)).then(|| ReplyPhone {
            sealed: self.seal.seal(phone),
            masked: phone.masked(),
        })
    }

    /// A link into the site for a text.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }

    /// Sends `text` to a number given now (a nominee's, for consent);
    /// `key` names the message in the gateway's log. A failed send is
    /// logged and reported as not sent.
    pub async fn send_to(&self, phone: &PhoneNumber, text: &str, key: &str) -> bool {
        match self.sender.send(phone, text, key).await {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!(to = %phone.masked(), error = %e, "a text could not be sent");
                false
            }
        }
    }

    /// Sends `text` to a sealed number; `key` names the message in the
    /// gateway's log. A number that no longer opens (another deployment's
    /// key) or a failed send is logged and reported as not sent: the answer
    /// is on the page either way.
    pub async fn send(&self, sealed: &[u8], text: &str, key: &str) -> bool {
        let Some(phone) = self.seal.open(sealed) else {
            tracing::warn!(
                key,
                "a sealed number does not open with this deployment's key"
            );
            return false;
        };
        self.send_to(&phone, text, key).await
    }
}
