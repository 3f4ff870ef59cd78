//! Signing in, in storage: voters (by keyed hash), SMS codes decided under a
//! lock, sessions, and printed ballot codes spent once.

use alleyvote_domain::signin::{
    may_send, redeem, CodeRefusal, Redemption, SmsHistory, SmsLimits, SmsRefusal, StoredCode,
    WrongTries,
};
use alleyvote_domain::{CommunityId, Millis, VoterId};
use async_trait::async_trait;

use crate::audit::storage::AuditedWrite;
use crate::audit::NewAuditEntry;
use crate::keyed_hashes::VoterIdentity;
use crate::storage::{
    same_hash, Backend, Lock, PostgresStore, SqliteStore, StoreError, StoreResult,
};

/// An SMS code about to be sent: only hashes, never the number or the code.
#[derive(Debug, Clone)]
pub struct NewSmsCode {
    pub phone_hash: [u8; 32],
    pub address_hash: [u8; 32],
    pub code_hash: [u8; 32],
    pub now: Millis,
}

/// A code the SMS gateway could not deliver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsFailure {
    pub at: Millis,
    /// The number as the console may show it (`138****8000`).
    pub number_masked: String,
    /// The gateway's reason, at most [`FAILURE_REASON_CHARS`] characters.
    pub reason: String,
}

/// The longest gateway reason kept.
pub const FAILURE_REASON_CHARS: usize = 200;

#[async_trait]
pub trait SigninStorage: Send + Sync {
    /// The voter with this identity, created on first sight.
    async fn voter(&self, identity: &VoterIdentity, now: Millis) -> StoreResult<VoterId>;
    /// Records a new SMS code if the limits allow it, deciding and inserting in
    /// one transaction serialised across instances.
    /// Records a code about to be sent, if the rules allow one now
    /// (`solved`: the request came with a solved picture challenge).
    async fn issue_sms_code(
        &self,
        code: &NewSmsCode,
        limits: &SmsLimits,
        solved: bool,
    ) -> StoreResult<Result<(), SmsRefusal>>;
    /// Forgets a code that could not be sent, so it counts against no
    /// cooldown or cap.
    async fn withdraw_sms_code(&self, code_hash: &[u8; 32]) -> StoreResult<()>;
    /// Records a code the gateway could not deliver, for the dashboard.
    async fn record_sms_failure(&self, failure: &SmsFailure) -> StoreResult<()>;
    /// How many codes the gateway could not deliver since `from`, and the
    /// latest `listed` of them, newest first.
    async fn sms_failures_since(
        &self,
        from: Millis,
        listed: i64,
    ) -> StoreResult<(u64, Vec<SmsFailure>)>;
    /// Judges a typed code against the number's unused codes (see
    /// `signin::redeem`): a right one spends them all, a wrong one counts a
    /// try from `address_hash` against each live one, and against the
    /// number's day.
    async fn redeem_sms_code(
        &self,
        phone_hash: &[u8; 32],
        address_hash: &[u8; 32],
        typed_hash: &[u8; 32],
        limits: &SmsLimits,
        now: Millis,
    ) -> StoreResult<Result<(), CodeRefusal>>;
    async fn create_session(
        &self,
        token_hash: &[u8; 32],
        voter: VoterId,
        now: Millis,
        expires: Millis,
    ) -> StoreResult<()>;
    /// Ends a session (signing out, or a new sign-in replacing it).
    async fn end_session(&self, token_hash: &[u8; 32]) -> StoreResult<()>;
    /// The voter of a live session.
    async fn session_voter(
        &self,
        token_hash: &[u8; 32],
        now: Millis,
    ) -> StoreResult<Option<VoterId>>;
    /// Stores new ballot codes (their hashes) with the audit entry that
    /// says who minted how many, for which community.
    async fn add_ballot_codes(
        &self,
        community: CommunityId,
        hashes: &[[u8; 32]],
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()>;
    /// Spends a ballot code and returns the voter it makes; `None` if the code
    /// is unknown or already used. Only one of any number of racing redemptions wins.
    async fn redeem_ballot_code(
        &self,
        identity: &VoterIdentity,
        now: Millis,
    ) -> StoreResult<Option<VoterId>>;
}

/// A phone voter's keyed identity; a ballot card's holder has none to
/// compare. (Nominations and objections check a number given as the
/// resident's own against it.)
pub const VOTER_IDENTITY: &str =
    "SELECT identity_hash FROM voters WHERE id = $1 AND kind = 'phone'";

const ENSURE_VOTER: &str =
    "INSERT INTO voters (identity_hash, kind, masked, created_at_ms) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (identity_hash) DO UPDATE SET identity_hash = excluded.identity_hash RETURNING id";

/// A number's codes: the last one asked for from this address, today's from
/// everywhere and from here, and whether it signed in from here before.
const SMS_NUMBER_HISTORY: &str = "SELECT MAX(CASE WHEN address_hash = $3 THEN sent_at_ms END) AS last_sent, \
     CAST(COALESCE(SUM(CASE WHEN sent_day = $2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS today, \
     CAST(COALESCE(SUM(CASE WHEN sent_day = $2 AND address_hash = $3 THEN 1 ELSE 0 END), 0) AS BIGINT) AS today_here, \
     CAST(COALESCE(MAX(CASE WHEN address_hash = $3 AND redeemed_at_ms IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS known_here \
     FROM sms_codes WHERE phone_hash = $1";

const SMS_ADDRESS_HISTORY: &str = "SELECT COUNT(*) AS sent, MIN(sent_at_ms) AS oldest \
     FROM sms_codes WHERE address_hash = $1 AND sent_at_ms > $2";

const INSERT_SMS_CODE: &str = "INSERT INTO sms_codes \
     (phone_hash, address_hash, code_hash, sent_at_ms, sent_day, expires_at_ms) \
     VALUES ($1, $2, $3, $4, $5, $6)";

/// The number's codes not yet used, newest first (a day's cap bounds them).
const UNUSED_SMS_CODES: &str = "SELECT id, code_hash, expires_at_ms, sent_at_ms FROM sms_codes \
     WHERE phone_hash = $1 AND used_at_ms IS NULL ORDER BY sent_at_ms DESC, id DESC LIMIT 50";

/// This address's wrong tries for the number since `$3` (the oldest unused
/// code's sending): each counts against the codes sent before it.
const WRONG_TRIES_HERE: &str = "SELECT at_ms FROM sms_wrong_tries \
     WHERE phone_hash = $1 AND address_hash = $2 AND at_ms >= $3";

/// The number's wrong tries today from every address, and whether this
/// address is one the number signed in from.
const WRONG_TRIES_TODAY: &str = "SELECT \
     (SELECT CAST(COUNT(*) AS BIGINT) FROM sms_wrong_tries WHERE phone_hash = $1 AND day = $3), \
     (SELECT CAST(COUNT(*) AS BIGINT) FROM sms_codes WHERE phone_hash = $1 AND address_hash = $2 \
      AND redeemed_at_ms IS NOT NULL)";

const WITHDRAW_SMS_CODE: &str = "DELETE FROM sms_codes WHERE code_hash = $1 AND used_at_ms IS NULL";

const RECORD_SMS_FAILURE: &str =
    "INSERT INTO sms_failures (failed_at_ms, number_masked, reason) VALUES ($1, $2, $3)";

const SMS_FAILURES_SINCE: &str = "SELECT failed_at_ms, number_masked, reason FROM sms_failures \
     WHERE failed_at_ms >= $1 ORDER BY failed_at_ms DESC, id DESC LIMIT $2";

const COUNT_SMS_FAILURES: &str =
    "SELECT CAST(COUNT(*) AS BIGINT) FROM sms_failures WHERE failed_at_ms >= $1";

/// A wrong try, from an address, on a Shanghai day.
const COUNT_WRONG_TRY: &str = "INSERT INTO sms_wrong_tries (phone_hash, address_hash, day, at_ms) \
     VALUES ($1, $2, $3, $4)";

const USE_SMS_CODES: &str =
    "UPDATE sms_codes SET used_at_ms = $2 WHERE phone_hash = $1 AND used_at_ms IS NULL";

/// The one code that signed the number in.
const MARK_REDEEMED: &str = "UPDATE sms_codes SET redeemed_at_ms = $2 WHERE id = $1";

const INSERT_SESSION: &str =
    "INSERT INTO sessions (token_hash, voter_id, created_at_ms, expires_at_ms) \
     VALUES ($1, $2, $3, $4)";

const END_SESSION: &str = "DELETE FROM sessions WHERE token_hash = $1";

const SESSION_VOTER: &str =
    "SELECT voter_id FROM sessions WHERE token_hash = $1 AND expires_at_ms > $2";

const ADD_BALLOT_CODE: &str =
    "INSERT INTO ballot_codes (code_hash, community_id, created_at_ms) VALUES ($1, $2, $3)";

/// Spends a code only if nobody has: atomic on both backends, whatever races.
const SPEND_BALLOT_CODE: &str =
    "UPDATE ballot_codes SET redeemed_at_ms = $2 WHERE code_hash = $1 AND redeemed_at_ms IS NULL";

const LINK_BALLOT_CODE: &str = "UPDATE ballot_codes SET voter_id = $2 WHERE code_hash = $1";

// A macro, not a generic impl: generic over sqlx's `Database` this slice would
// need the executor and arguments bounds plus one for each type bound into or
// decoded from its queries (at least 4 row types here); the macro is shorter.
// See `crate::storage`.
macro_rules! signin_storage {
    ($backend:ty) => {
        #[async_trait]
        impl SigninStorage for $backend {
            async fn voter(&self, identity: &VoterIdentity, now: Millis) -> StoreResult<VoterId> {
                let id: i64 = sqlx::query_scalar(ENSURE_VOTER)
                    .bind(&identity.hash[..])
                    .bind(identity.kind.as_str())
                    .bind(&identity.masked)
                    .bind(now.0)
                    .fetch_one(self.write())
                    .await?;
                Ok(VoterId(id))
            }

            async fn issue_sms_code(
                &self,
                code: &NewSmsCode,
                limits: &SmsLimits,
                solved: bool,
            ) -> StoreResult<Result<(), SmsRefusal>> {
                let mut tx = self.begin().await?;
                // This number's and this address's decisions queue; others
                // go on (always in this order, so no two wait on each other).
                Self::lock(&mut tx, Lock::Number(&code.phone_hash)).await?;
                Self::lock(&mut tx, Lock::Address(&code.address_hash)).await?;
                let (last_sent, today, today_here, known_here): (Option<i64>, i64, i64, i64) =
                    sqlx::query_as(SMS_NUMBER_HISTORY)
                        .bind(&code.phone_hash[..])
                        .bind(code.now.shanghai_day().0)
                        .bind(&code.address_hash[..])
                        .fetch_one(&mut *tx)
                        .await?;
                let (from_address, oldest): (i64, Option<i64>) =
                    sqlx::query_as(SMS_ADDRESS_HISTORY)
                        .bind(&code.address_hash[..])
                        .bind(code.now.0 - 3_600_000)
                        .fetch_one(&mut *tx)
                        .await?;
                let history = SmsHistory {
                    last_sent_here: last_sent.map(Millis),
                    sent_to_number_today: today as u32,
                    sent_to_number_today_here: today_here as u32,
                    number_known_here: known_here > 0,
                    sent_from_ip_last_hour: from_address as u32,
                    oldest_from_ip_last_hour: oldest.map(Millis),
                };
                if let Err(refusal) = may_send(&history, limits, code.now, solved) {
                    return Ok(Err(refusal));
                }
                sqlx::query(INSERT_SMS_CODE)
                    .bind(&code.phone_hash[..])
                    .bind(&code.address_hash[..])
                    .bind(&code.code_hash[..])
                    .bind(code.now.0)
                    .bind(code.now.shanghai_day().0)
                    .bind(code.now.0 + limits.code_ttl_ms)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(Ok(()))
            }

            async fn withdraw_sms_code(&self, code_hash: &[u8; 32]) -> StoreResult<()> {
                sqlx::query(WITHDRAW_SMS_CODE)
                    .bind(&code_hash[..])
                    .execute(self.write())
                    .await?;
                Ok(())
            }

            async fn record_sms_failure(&self, failure: &SmsFailure) -> StoreResult<()> {
                let reason: String = failure.reason.chars().take(FAILURE_REASON_CHARS).collect();
                sqlx::query(RECORD_SMS_FAILURE)
                    .bind(failure.at.0)
                    .bind(&failure.number_masked)
                    .bind(reason)
                    .execute(self.write())
                    .await?;
                Ok(())
            }

            async fn sms_failures_since(
                &self,
                from: Millis,
                listed: i64,
            ) -> StoreResult<(u64, Vec<SmsFailure>)> {
                let count: i64 = sqlx::query_scalar(COUNT_SMS_FAILURES)
                    .bind(from.0)
                    .fetch_one(self.read())
                    .await?;
                let rows: Vec<(i64, String, String)> = sqlx::query_as(SMS_FAILURES_SINCE)
                    .bind(from.0)
                    .bind(listed)
                    .fetch_all(self.read())
                    .await?;
                let latest = rows
                    .into_iter()
                    .map(|(at, number_masked, reason)| SmsFailure {
                        at: Millis(at),
                        number_masked,
                        reason,
                    })
                    .collect();
                Ok((u64::try_from(count).unwrap_or(0), latest))
            }

            async fn redeem_sms_code(
                &self,
                phone_hash: &[u8; 32],
                address_hash: &[u8; 32],
                typed_hash: &[u8; 32],
                limits: &SmsLimits,
                now: Millis,
            ) -> StoreResult<Result<(), CodeRefusal>> {
                let mut tx = self.begin().await?;
                Self::lock(&mut tx, Lock::Number(phone_hash)).await?;
                let rows: Vec<(i64, Vec<u8>, i64, i64)> = sqlx::query_as(UNUSED_SMS_CODES)
                    .bind(&phone_hash[..])
                    .fetch_all(&mut *tx)
                    .await?;
                let oldest = rows.iter().map(|r| r.3).min().unwrap_or(now.0);
                let tried_here: Vec<i64> = sqlx::query_scalar(WRONG_TRIES_HERE)
                    .bind(&phone_hash[..])
                    .bind(&address_hash[..])
                    .bind(oldest)
                    .fetch_all(&mut *tx)
                    .await?;
                let today = now.shanghai_day().0;
                let (wrong_today, known): (i64, i64) = sqlx::query_as(WRONG_TRIES_TODAY)
                    .bind(&phone_hash[..])
                    .bind(&address_hash[..])
                    .bind(today)
                    .fetch_one(&mut *tx)
                    .await?;
                let wrong = WrongTries {
                    today: u32::try_from(wrong_today).unwrap_or(u32::MAX),
                    known_here: known > 0,
                };
                let mut codes = Vec::with_capacity(rows.len());
                for (_, hash, expires, sent) in &rows {
                    // This address's tries since the code was sent.
                    let attempts = tried_here.iter().filter(|&&at| at >= *sent).count();
                    codes.push(StoredCode {
                        code_hash: hash
                            .as_slice()
                            .try_into()
                            .map_err(|_| StoreError::Corrupt("sms code hash length".into()))?,
                        expires_at: Millis(*expires),
                        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
                        used: false,
                    });
                }
                let matches: Vec<bool> = codes
                    .iter()
                    .map(|c| same_hash(&c.code_hash, typed_hash))
                    .collect();
                let outcome = match redeem(&codes, &matches, wrong, limits, now) {
                    Redemption::Accept(index) => {
                        let (id, ..) = rows.get(index).ok_or_else(|| {
                            StoreError::Corrupt("a redeemed code out of range".into())
                        })?;
                        sqlx::query(MARK_REDEEMED)
                            .bind(id)
                            .bind(now.0)
                            .execute(&mut *tx)
                            .await?;
                        // Every code the number had is spent with the one used.
                        sqlx::query(USE_SMS_CODES)
                            .bind(&phone_hash[..])
                            .bind(now.0)
                            .execute(&mut *tx)
                            .await?;
                        Ok(())
                    }
                    Redemption::WrongTry => {
                        sqlx::query(COUNT_WRONG_TRY)
                            .bind(&phone_hash[..])
                            .bind(&address_hash[..])
                            .bind(today)
                            .bind(now.0)
                            .execute(&mut *tx)
                            .await?;
                        Err(CodeRefusal::Invalid)
                    }
                    Redemption::Refuse(r) => Err(r),
                };
                tx.commit().await?;
                Ok(outcome)
            }

            async fn create_session(
                &self,
                token_hash: &[u8; 32],
                voter: VoterId,
                now: Millis,
                expires: Millis,
            ) -> StoreResult<()> {
                sqlx::query(INSERT_SESSION)
                    .bind(&token_hash[..])
                    .bind(voter.0)
                    .bind(now.0)
                    .bind(expires.0)
                    .execute(self.write())
                    .await?;
                Ok(())
            }

            async fn end_session(&self, token_hash: &[u8; 32]) -> StoreResult<()> {
                sqlx::query(END_SESSION)
                    .bind(&token_hash[..])
                    .execute(self.write())
                    .await?;
                Ok(())
            }

            async fn session_voter(
                &self,
                token_hash: &[u8; 32],
                now: Millis,
            ) -> StoreResult<Option<VoterId>> {
                let id: Option<i64> = sqlx::query_scalar(SESSION_VOTER)
                    .bind(&token_hash[..])
                    .bind(now.0)
                    .fetch_optional(self.read())
                    .await?;
                Ok(id.map(VoterId))
            }

            async fn add_ballot_codes(
                &self,
                community: CommunityId,
                hashes: &[[u8; 32]],
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<()> {
                let mut tx = self.begin().await?;
                for hash in hashes {
                    sqlx::query(ADD_BALLOT_CODE)
                        .bind(&hash[..])
                        .bind(community.0)
                        .bind(now.0)
                        .execute(&mut *tx)
                        .await?;
                }
                self.commit_audited(tx, audit, now).await?;
                Ok(())
            }

            async fn redeem_ballot_code(
                &self,
                identity: &VoterIdentity,
                now: Millis,
            ) -> StoreResult<Option<VoterId>> {
                let mut tx = self.begin().await?;
                let spent = sqlx::query(SPEND_BALLOT_CODE)
                    .bind(&identity.hash[..])
                    .bind(now.0)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if spent != 1 {
                    return Ok(None);
                }
                let voter: i64 = sqlx::query_scalar(ENSURE_VOTER)
                    .bind(&identity.hash[..])
                    .bind(identity.kind.as_str())
                    .bind(&identity.masked)
                    .bind(now.0)
                    .fetch_one(&mut *tx)
                    .await?;
                sqlx::query(LINK_BALLOT_CODE)
                    .bind(&identity.hash[..])
                    .bind(voter)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(Some(VoterId(voter)))
            }
        }
    };
}

signin_storage!(SqliteStore);
signin_storage!(PostgresStore);
