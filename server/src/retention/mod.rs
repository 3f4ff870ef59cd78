//! Keeping personal and security records only as long as they serve: sign-in
//! codes, expired sessions, login attempts and the answers kept for retried
//! votes are removed after their periods (`ALLEYVOTE_KEEP_*_DAYS`), hourly
//! on each instance and on demand with `alleyvote purge`. Once a campaign's
//! public notice has ended (and its keeping period after it), what only the
//! nomination and the notice needed goes too: the nominees' phone numbers
//! (hash and masked form), the objections' contacts and the consent links.
//! Votes, voters and the audit log are the count's records and are never
//! purged here.

pub mod storage;

use std::sync::Arc;
use std::time::Duration;

use alleyvote_domain::Millis;
use tokio::sync::watch;

use self::storage::RetentionStorage;
use crate::storage::StoreResult;

const DAY_MS: i64 = 86_400_000;

/// How long each kind of record is kept, in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionPolicy {
    /// Sign-in codes, counted from their expiry, and wrong codes typed,
    /// from their typing. The daily caps read only today's, so two days
    /// keep every cap honest.
    pub sms_codes_days: i64,
    /// Voter and organizer sessions, counted from their expiry.
    pub expired_sessions_days: i64,
    /// Console login attempts (failures are evidence for the audit), and
    /// the sign-in texts the gateway failed to deliver (masked numbers).
    pub login_attempts_days: i64,
    /// Answers kept under vote request keys: a client retries within
    /// minutes, never days later.
    pub request_answers_days: i64,
    /// Nominees' numbers, objection contacts and consent links, counted
    /// from the end of their campaign's public notice.
    pub after_notice_days: i64,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        RetentionPolicy {
            sms_codes_days: 2,
            expired_sessions_days: 1,
            login_attempts_days: 90,
            request_answers_days: 2,
            after_notice_days: 30,
        }
    }
}

/// The instants before which each kind of record goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cutoffs {
    pub sms_codes_expired_before: Millis,
    pub sessions_expired_before: Millis,
    pub login_attempts_before: Millis,
    pub request_answers_before: Millis,
    /// Campaigns whose notice ended before this lose their contact details.
    pub notice_ended_before: Millis,
}

impl RetentionPolicy {
    pub fn cutoffs(&self, now: Millis) -> Cutoffs {
        let back = |days: i64| Millis(now.0 - days.max(0) * DAY_MS);
        Cutoffs {
            sms_codes_expired_before: back(self.sms_codes_days),
            sessions_expired_before: back(self.expired_sessions_days),
            login_attempts_before: back(self.login_attempts_days),
            request_answers_before: back(self.request_answers_days),
            notice_ended_before: back(self.after_notice_days),
        }
    }
}

/// How many records of each kind went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub sms_codes: u64,
    /// Wrong sign-in codes typed (kept as long as the codes).
    pub wrong_tries: u64,
    pub sessions: u64,
    pub organizer_sessions: u64,
    pub login_attempts: u64,
    /// Failed SMS sends (kept as long as login attempts).
    pub sms_failures: u64,
    pub request_answers: u64,
    /// Nominations whose nominee's number was forgotten.
    pub nominee_phones: u64,
    pub objection_contacts: u64,
    pub consent_links: u64,
}

impl Purged {
    pub fn total(&self) -> u64 {
        self.sms_codes
            + self.wrong_tries
            + self.sessions
            + self.organizer_sessions
            + self.login_attempts
            + self.sms_failures
            + self.request_answers
            + self.nominee_phones
            + self.objection_contacts
            + self.consent_links
    }
}

impl std::fmt::Display for Purged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "sign-in codes {}, wrong codes typed {}, sessions {}, organizer sessions {}, login attempts {}, failed SMS sends {}, vote request answers {}, \
             nominee phone numbers {}, objection contacts {}, consent links {}",
            self.sms_codes,
            self.wrong_tries,
            self.sessions,
            self.organizer_sessions,
            self.login_attempts,
            self.sms_failures,
            self.request_answers,
            self.nominee_phones,
            self.objection_contacts,
            self.consent_links
        )
    }
}

/// Removes what the policy no longer keeps.
pub async fn purge(
    store: &dyn RetentionStorage,
    policy: &RetentionPolicy,
    now: Millis,
) -> StoreResult<Purged> {
    store.purge(&policy.cutoffs(now)).await
}

/// How often each instance purges; a purge that finds nothing costs a few
/// indexed statements.
const EVERY: Duration = Duration::from_secs(3_600);

/// Purges now and then every hour, until `stop`.
pub fn spawn(
    store: Arc<dyn RetentionStorage>,
    policy: RetentionPolicy,
    mut stop: watch::Receiver<bool>,
) {
    tokio::spawn(async move {
        loop {
            match purge(&*store, &policy, Millis::now()).await {
                Ok(p) if p.total() == 0 => {}
                Ok(p) => tracing::info!(purged = %p, "records past their keeping period removed"),
                Err(e) => tracing::warn!(error = %e, "could not remove old records"),
            }
            tokio::select! {
                _ = tokio::time::sleep(EVERY) => {}
                _ = stop.changed() => break,
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_own_cutoff() {
        let now = Millis(100 * DAY_MS);
        let c = RetentionPolicy::default().cutoffs(now);
        assert_eq!(c.sms_codes_expired_before, Millis(98 * DAY_MS));
        assert_eq!(c.sessions_expired_before, Millis(99 * DAY_MS));
        assert_eq!(c.login_attempts_before, Millis(10 * DAY_MS));
        assert_eq!(c.request_answers_before, Millis(98 * DAY_MS));
        let none = RetentionPolicy {
            sms_codes_days: -3,
            ..RetentionPolicy::default()
        };
        assert_eq!(none.cutoffs(now).sms_codes_expired_before, now);
    }
}
