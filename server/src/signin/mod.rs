//! Becoming a voter: a code by SMS, then a session.

use std::net::IpAddr;
use std::sync::Arc;

use alleyvote_domain::signin::{ballot_code, parse_code, CodeRefusal, SmsLimits, SmsRefusal};
use alleyvote_domain::{CommunityId, Lang, Millis, PhoneNumber, VoterId};
use rand::Rng;

pub mod api;
pub mod ballot_cards;
pub mod card_guard;
pub mod challenge;
pub mod http;
pub mod reply;
pub mod sms;
pub mod storage;

use crate::audit::{Actor, AuditAction, NewAuditEntry};
use crate::keyed_hashes::Hasher;
use crate::storage::StoreError;
use sms::SmsSender;
use storage::NewSmsCode;

#[derive(Debug, thiserror::Error)]
pub enum SigninError {
    #[error("refused: {0:?}")]
    Sms(SmsRefusal),
    #[error("refused: {0:?}")]
    Code(CodeRefusal),
    #[error("unknown or already used ballot code")]
    BallotCode,
    /// The picture challenge was answered wrongly (or too late, or twice).
    #[error("the picture challenge was not solved")]
    ChallengeWrong,
    /// Too many wrong card codes from this address lately.
    #[error("held back for {retry_after_s} s after too many wrong card codes")]
    CardsHeld { retry_after_s: i64 },
    #[error("the SMS gateway failed: {0}")]
    Gateway(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A new session: the token goes to the browser (cookie) or app (bearer) and
/// only its hash is kept.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub voter: VoterId,
    pub expires_at: Millis,
}

pub struct Signin {
    pub store: Arc<dyn storage::SigninStorage>,
    pub hasher: Hasher,
    pub sender: Arc<dyn SmsSender>,
    pub limits: SmsLimits,
    pub session_ttl_ms: i64,
    /// Sessions' voters for a few seconds: every vote carries a token.
    pub sessions: crate::ttl_cache::Memo<[u8; 32], VoterId>,
    /// Wrong card codes per address.
    pub cards: card_guard::CardGuard,
    /// The picture challenges past the thresholds.
    pub challenges: challenge::Challenges,
}

/// A picture challenge's token and what the person typed for it.
#[derive(Debug, Clone, Copy)]
pub struct ChallengeAnswer<'a> {
    pub token: &'a str,
    pub typed: &'a str,
}

/// How long this instance trusts a session it has looked up. Signing out
/// here takes effect at once; through another instance, within this time.
pub const SESSION_MEMO: std::time::Duration = std::time::Duration::from_secs(10);

fn new_code() -> String {
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

/// 256 random bits, hex-encoded.
fn new_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

impl Signin {
    /// Sends a code if the limits allow it; answers how long before another may be asked for.
    #[tracing::instrument(skip_all)]
    pub async fn request_code(
        &self,
        phone: &PhoneNumber,
        from: IpAddr,
        lang: Lang,
        now: Millis,
        challenge: Option<ChallengeAnswer<'_>>,
    ) -> Result<i64, SigninError> {
        let solved = match challenge {
            Some(a) if self.challenges.solved(a.token, a.typed, now).await => true,
            Some(_) => return Err(SigninError::ChallengeWrong),
            None => false,
        };
        let code = new_code();
        let phone_hash = self.hasher.phone(phone);
        let record = NewSmsCode {
            phone_hash,
            address_hash: self.hasher.address(from),
            code_hash: self.hasher.sms_code(&phone_hash, &code),
            now,
        };
        let issued = self
            .store
            .issue_sms_code(&record, &self.limits, solved)
            .await?;
        if let Err(refusal) = issued {
            // Someone may be spending another person's codes: say so where
            // the operators look.
            match refusal {
                SmsRefusal::NumberDailyCap { .. } => tracing::warn!(
                    number = %phone.masked(),
                    "sign-in codes refused: this number has had its codes for today"
                ),
                SmsRefusal::AddressHourlyCap { .. } => tracing::warn!(
                    address = %from,
                    "sign-in codes refused: this address has asked for too many this hour"
                ),
                SmsRefusal::TooSoon { .. } | SmsRefusal::ChallengeRequired => {}
            }
            return Err(SigninError::Sms(refusal));
        }
        let minutes = self.limits.code_ttl_ms / 60_000;
        let text = alleyvote_domain::texts::signin_code(lang, &code, minutes);
        if let Err(e) = self.sender.send(phone, &text, &code).await {
            // The resident never got it: it must not hold back a new one.
            self.store.withdraw_sms_code(&record.code_hash).await?;
            // The dashboard counts it; a failure to record it loses no code.
            let failure = storage::SmsFailure {
                at: now,
                number_masked: phone.masked(),
                reason: e.to_string(),
            };
            if let Err(why) = self.store.record_sms_failure(&failure).await {
                tracing::warn!(error = %why, "could not record a failed SMS send");
            }
            return Err(SigninError::Gateway(e.to_string()));
        }
        Ok(self.limits.resend_cooldown_ms / 1000)
    }

    /// Exchanges a right code for a session. Wrong tries are counted for
    /// the address they come from (`from`).
    #[tracing::instrument(skip_all)]
    pub async fn sign_in(
        &self,
        phone: &PhoneNumber,
        typed: &str,
        from: IpAddr,
        now: Millis,
    ) -> Result<NewSession, SigninError> {
        let phone_hash = self.hasher.phone(phone);
        let code = parse_code(typed).ok_or(SigninError::Code(CodeRefusal::Invalid))?;
        let typed_hash = self.hasher.sms_code(&phone_hash, &code);
        let address_hash = self.hasher.address(from);
        self.store
            .redeem_sms_code(&phone_hash, &address_hash, &typed_hash, &self.limits, now)
            .await?
            .map_err(SigninError::Code)?;
        let voter = self
            .store
            .voter(&self.hasher.phone_voter(phone), now)
            .await?;
        self.open_session(voter, now).await
    }

    /// Exchanges an unused printed ballot code for a session.
    #[tracing::instrument(skip_all)]
    pub async fn sign_in_with_ballot_code(
        &self,
        typed: &str,
        from: IpAddr,
        now: Millis,
    ) -> Result<NewSession, SigninError> {
        if let Some(retry_after_s) = self.cards.held(from) {
            return Err(SigninError::CardsHeld { retry_after_s });
        }
        let redeemed = match ballot_code::normalize(typed) {
            Some(code) => {
                self.store
                    .redeem_ballot_code(&self.hasher.ballot_voter(&code), now)
                    .await?
            }
            None => None,
        };
        let Some(voter) = redeemed else {
            self.cards.failed(from);
            return Err(SigninError::BallotCode);
        };
        self.open_session(voter, now).await
    }

    /// Prints `count` new one-time codes for a community: only their hashes are stored.
    pub async fn new_ballot_codes(
        &self,
        actor: Actor<'_>,
        community: CommunityId,
        count: usize,
        now: Millis,
    ) -> Result<Vec<String>, StoreError> {
        let mut rng = rand::rng();
        let codes: Vec<String> = (0..count)
            .map(|_| {
                (0..ballot_code::LENGTH)
                    .map(|_| {
                        ballot_code::ALPHABET[rng.random_range(0..ballot_code::ALPHABET.len())]
                            as char
                    })
                    .collect()
            })
            .collect();
        let hashes: Vec<[u8; 32]> = codes
            .iter()
            .map(|c| self.hasher.ballot_voter(c).hash)
            .collect();
        let audit = NewAuditEntry::new(
            actor,
            AuditAction::BallotCodesMint,
            format!("community:{}", community.0),
        )
        .after(serde_json::json!({ "count": codes.len() }));
        self.store
            .add_ballot_codes(community, &hashes, &audit, now)
            .await?;
        Ok(codes)
    }

    async fn open_session(&self, voter: VoterId, now: Millis) -> Result<NewSession, SigninError> {
        let token = new_token();
        let expires_at = now.plus_ms(self.session_ttl_ms);
        self.store
            .create_session(&Hasher::token(&token), voter, now, expires_at)
            .await?;
        Ok(NewSession {
            token,
            voter,
            expires_at,
        })
    }

    /// The voter behind a token, if the session is live.
    /// Ends the session a token names; an unknown token is already signed out.
    #[tracing::instrument(skip_all)]
    pub async fn sign_out(&self, token: &str) -> Result<(), StoreError> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(());
        }
        let hash = Hasher::token(token);
        self.sessions.forget(&hash);
        self.store.end_session(&hash).await
    }

    pub async fn voter_of(&self, token: &str, now: Millis) -> Result<Option<VoterId>, StoreError> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let hash = Hasher::token(token);
        if let Some(voter) = self.sessions.get(&hash) {
            return Ok(Some(voter));
        }
        let voter = self.store.session_voter(&hash, now).await?;
        if let Some(voter) = voter {
            self.sessions.put(hash, voter);
        }
        Ok(voter)
    }
}
