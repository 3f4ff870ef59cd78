//! Removing records past their keeping period, on both backends.

use async_trait::async_trait;
use sqlx::{Database, Encode, Executor, IntoArguments, Type};

use super::{Cutoffs, Purged};
use crate::storage::{Backend, StoreResult};

#[async_trait]
pub trait RetentionStorage: Send + Sync {
    /// Deletes every record older than its cutoff; says how many of each.
    async fn purge(&self, cutoffs: &Cutoffs) -> StoreResult<Purged>;
}

const SMS_CODES: &str = "DELETE FROM sms_codes WHERE expires_at_ms < $1";
const WRONG_TRIES: &str = "DELETE FROM sms_wrong_tries WHERE at_ms < $1";
const SESSIONS: &str = "DELETE FROM sessions WHERE expires_at_ms < $1";
const ORGANIZER_SESSIONS: &str = "DELETE FROM organizer_sessions WHERE expires_at_ms < $1";
const LOGIN_ATTEMPTS: &str = "DELETE FROM login_attempts WHERE at_ms < $1";
const SMS_FAILURES: &str = "DELETE FROM sms_failures WHERE failed_at_ms < $1";
const REQUEST_ANSWERS: &str = "DELETE FROM vote_requests WHERE created_at_ms < $1";
const NOMINEE_PHONES: &str = "UPDATE nominations SET nominee_phone_hash = NULL, \
     nominee_phone_masked = NULL, nominator_phone_sealed = NULL, nominator_phone_masked = NULL \
     WHERE (nominee_phone_hash IS NOT NULL OR nominee_phone_masked IS NOT NULL \
     OR nominator_phone_sealed IS NOT NULL OR nominator_phone_masked IS NOT NULL) AND campaign_id IN \
     (SELECT id FROM campaigns WHERE notice_end_ms < $1)";
const OBJECTION_CONTACTS: &str = "UPDATE objections SET contact = '', \
     reply_phone_sealed = NULL, reply_phone_masked = NULL \
     WHERE (contact <> '' OR reply_phone_sealed IS NOT NULL OR reply_phone_masked IS NOT NULL) \
     AND campaign_id IN (SELECT id FROM campaigns WHERE notice_end_ms < $1)";
const CONSENT_LINKS: &str = "DELETE FROM consent_links WHERE nomination_id IN \
     (SELECT n.id FROM nominations n JOIN campaigns c ON c.id = n.campaign_id \
      WHERE c.notice_end_ms < $1)";

#[async_trait]
impl<B> RetentionStorage for B
where
    B: Backend,
    for<'c> &'c mut <B::Db as Database>::Connection: Executor<'c, Database = B::Db>,
    for<'q> <B::Db as Database>::Arguments<'q>: IntoArguments<'q, B::Db>,
    for<'q> i64: Encode<'q, B::Db> + Type<B::Db>,
{
    async fn purge(&self, c: &Cutoffs) -> StoreResult<Purged> {
        // One statement each, outside any transaction: a purge
        // interrupted halfway has still removed only expired rows.
        let run = |sql: &'static str, before: alleyvote_domain::Millis| async move {
            let done = sqlx::query(sql)
                .bind(before.0)
                .execute(self.write())
                .await?;
            StoreResult::Ok(B::rows_affected(&done))
        };
        Ok(Purged {
            sms_codes: run(SMS_CODES, c.sms_codes_expired_before).await?,
            wrong_tries: run(WRONG_TRIES, c.sms_codes_expired_before).await?,
            sessions: run(SESSIONS, c.sessions_expired_before).await?,
            organizer_sessions: run(ORGANIZER_SESSIONS, c.sessions_expired_before).await?,
            login_attempts: run(LOGIN_ATTEMPTS, c.login_attempts_before).await?,
            sms_failures: run(SMS_FAILURES, c.login_attempts_before).await?,
            request_answers: run(REQUEST_ANSWERS, c.request_answers_before).await?,
            nominee_phones: run(NOMINEE_PHONES, c.notice_ended_before).await?,
            objection_contacts: run(OBJECTION_CONTACTS, c.notice_ended_before).await?,
            consent_links: run(CONSENT_LINKS, c.notice_ended_before).await?,
        })
    }
}
