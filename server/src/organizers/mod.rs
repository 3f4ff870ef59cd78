//! Organizer accounts and their sessions: argon2id password hashes (hashed
//! on the blocking pool, never on the async threads), logins throttled per
//! account and per address, a fresh session id and CSRF token at every login,
//! idle and absolute timeouts, logout here or everywhere. Every change is
//! written to the audit log in the same transaction.

use std::net::IpAddr;
use std::sync::Arc;

use argon2::password_hash::{PasswordHasher, SaltString};
use argon2::Argon2;
use serde_json::json;

use alleyvote_domain::organizer::{OrganizerId, Role, Username};
use alleyvote_domain::Millis;

pub mod access;
pub mod guard;
pub mod http;
pub mod pages;
pub mod storage;

use crate::audit::NewAuditEntry;
use crate::keyed_hashes::Hasher;

use crate::storage::StoreError;
use guard::{GuardPolicy, LoginGuard};
use storage::{AttemptLimits, NewOrganizer, Organizer, OrganizerSession};

/// How long sessions live and how hard logins may be tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrganizerPolicy {
    pub idle_timeout_ms: i64,
    pub absolute_timeout_ms: i64,
    /// Failed logins within the window before an account is held back.
    pub failures_per_account: u32,
    /// Failed logins within the window before an address is held back.
    pub failures_per_address: u32,
    pub failure_window_ms: i64,
}

impl Default for OrganizerPolicy {
    fn default() -> Self {
        OrganizerPolicy {
            idle_timeout_ms: 30 * 60_000,
            absolute_timeout_ms: 12 * 3_600_000,
            failures_per_account: 5,
            failures_per_address: 20,
            failure_window_ms: 15 * 60_000,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("too many failed logins; retry in {retry_after_s} s")]
    Throttled { retry_after_s: i64 },
    #[error("wrong username or password")]
    Wrong,
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("the username is taken")]
    Taken,
    /// An administrator may not demote or deactivate themselves.
    #[error("an administrator changing their own account")]
    SelfChange,
    /// The change would leave no active administrator.
    #[error("the last administrator")]
    LastAdmin,
    #[error("no such account")]
    Unknown,
    #[error("{0}")]
    Invalid(&'static str),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for AccountError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Duplicate(_) => AccountError::Taken,
            other => AccountError::Store(other),
        }
    }
}

/// A login that worked: the cookie's token, and the session it opens.
pub struct NewOrganizerSession {
    pub token: String,
    pub session: OrganizerSession,
    pub expires_at: Millis,
}

pub struct Organizers {
    pub store: Arc<dyn storage::OrganizerStorage>,
    /// For the entries that stand alone (a logout).
    pub audit: Arc<dyn crate::audit::storage::AuditStorage>,
    pub hasher: Hasher,
    pub policy: OrganizerPolicy,
    /// The fences before a password check.
    pub guard: LoginGuard,
}

/// The characters of a typed username kept for the failure count and the log.
const MAX_USERNAME_KEPT: usize = 64;

/// Hashes a password with argon2id (OWASP's parameters, argon2's defaults).
pub async fn hash_password(password: String) -> Result<String, StoreError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| StoreError::Corrupt(e.to_string()))
    })
    .await
    .map_err(|e| StoreError::Corrupt(e.to_string()))?
}

/// Checks a password against a stored hash, on the blocking pool.
/// A hash no password matches, verified when the account does not exist so
/// that a wrong username takes as long as a wrong password.
const DECOY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0vDTQ4CQjz1ZyT6QXzW9tA4cE7o0Xr4Ttpr8mS8pPn8";

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::fill(&mut buf[..]);
    hex::encode(buf)
}

pub fn entry(
    actor: Option<&Organizer>,
    action: crate::audit::AuditAction,
    subject: String,
) -> NewAuditEntry {
    NewAuditEntry {
        actor: actor.map(|a| a.id),
        actor_name: actor.map_or_else(|| "system".to_string(), |a| a.username.clone()),
        action,
        subject,
        before: None,
        after: None,
    }
}

impl Organizers {
    pub fn new(
        store: Arc<dyn storage::OrganizerStorage>,
        audit: Arc<dyn crate::audit::storage::AuditStorage>,
        hasher: Hasher,
    ) -> Self {
        Organizers {
            store,
            audit,
            hasher,
            policy: OrganizerPolicy::default(),
            guard: LoginGuard::new(GuardPolicy::default()),
        }
    }

    /// The same, with the login rates shared by every instance through Redis.
    pub fn sharing(self, shared: crate::cache::shared::SharedState) -> Self {
        Organizers {
            guard: LoginGuard::shared_through(self.guard.policy(), shared),
            ..self
        }
    }

    /// Creates an account. `actor` is the admin doing it, or `None` for the
    /// command line on the server.
    #[tracing::instrument(skip_all, fields(role = ?role))]
    pub async fn create(
        &self,
        actor: Option<&Organizer>,
        username: &str,
        display_name: &str,
        role: Role,
        password: &str,
        now: Millis,
    ) -> Result<OrganizerId, AccountError> {
        let username = Username::parse(username).ok_or(AccountError::Invalid(
            "用户名应为 3 到 32 个小写字母、数字或 . _ - 字符。",
        ))?;
        if let Some(problem) =
            alleyvote_domain::organizer::password_problem(password, alleyvote_domain::Lang::Zh)
        {
            return Err(AccountError::Invalid(problem));
        }
        let display_name = display_name.trim();
        let display_name = if display_name.is_empty() {
            username.as_str().to_string()
        } else {
            display_name.chars().take(64).collect()
        };
        let password_hash = hash_password(password.to_string()).await?;
        let mut audit = entry(
            actor,
            crate::audit::AuditAction::OrganizerCreate,
            String::new(),
        );
        audit.after = Some(json!({
            "username": username.as_str(),
            "display_name": display_name,
            "role": role.as_str(),
        }));
        let new = NewOrganizer {
            username,
            display_name,
            role,
            password_hash,
        };
        Ok(self.store.create_organizer(&new, &audit, now).await?)
    }

    /// Changes an account's role or whether it is active.
    #[tracing::instrument(skip_all, fields(organizer = id.0))]
    pub async fn update(
        &self,
        actor: &Organizer,
        id: OrganizerId,
        role: Role,
        active: bool,
        now: Millis,
    ) -> Result<(), AccountError> {
        let accounts = self.store.organizers().await?;
        let Some(before) = accounts.iter().find(|o| o.id == id) else {
            return Err(AccountError::Unknown);
        };
        if id == actor.id && (role != Role::Admin || !active) {
            return Err(AccountError::SelfChange);
        }
        let mut audit = entry(
            Some(actor),
            crate::audit::AuditAction::OrganizerUpdate,
            format!("organizer:{}", id.0),
        );
        audit.before = Some(json!({ "role": before.role.as_str(), "active": before.active }));
        audit.after = Some(json!({ "role": role.as_str(), "active": active }));
        if self
            .store
            .update_organizer(id, role, active, &audit, now)
            .await?
        {
            Ok(())
        } else {
            Err(AccountError::LastAdmin)
        }
    }

    /// Checks a username and password; throttled per account and per address.
    #[tracing::instrument(skip_all)]
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        from: IpAddr,
        now: Millis,
    ) -> Result<NewOrganizerSession, LoginError> {
        // Before any work: the address's and the instance's rates.
        self.guard
            .admit(from)
            .await
            .map_err(|r| LoginError::Throttled {
                retry_after_s: r.seconds(),
            })?;
        // What anyone may type is kept short before it is stored or logged.
        let name: String = username
            .trim()
            .to_ascii_lowercase()
            .chars()
            .take(MAX_USERNAME_KEPT)
            .collect();
        let address = self.hasher.address(from);
        let since = Millis(now.0 - self.policy.failure_window_ms);
        let limits = AttemptLimits {
            per_account: self.policy.failures_per_account,
            per_address: self.policy.failures_per_address,
        };
        let Some(attempt) = self
            .store
            .begin_login_attempt(&name, &address, since, limits, now)
            .await?
        else {
            tracing::warn!(username = %crate::web::loggable(&name), "console login held back: too many failures");
            return Err(LoginError::Throttled {
                retry_after_s: self.policy.failure_window_ms / 1000,
            });
        };
        let account = match Username::parse(&name) {
            Some(u) => self.store.organizer_login(u.as_str()).await?,
            None => None,
        };
        let (hash, organizer) = match account {
            Some(a) if a.organizer.active => (a.password_hash, Some(a.organizer)),
            _ => (DECOY_HASH.to_string(), None),
        };
        let Some(matches) = self
            .guard
            .password_matches(hash, password.to_string())
            .await
        else {
            // Every check is busy: the attempt counts, and is told to wait.
            self.store.fail_login_attempt(attempt).await?;
            return Err(LoginError::Throttled { retry_after_s: 5 });
        };
        let Some(organizer) = organizer.filter(|_| matches) else {
            self.store.fail_login_attempt(attempt).await?;
            tracing::warn!(username = %crate::web::loggable(&name), "failed organizer login");
            return Err(LoginError::Wrong);
        };
        let token = random_hex(32);
        let session = OrganizerSession {
            organizer: organizer.clone(),
            csrf_token: random_hex(16),
        };
        let expires_at = Millis(now.0 + self.policy.absolute_timeout_ms);
        let audit = entry(
            Some(&organizer),
            crate::audit::AuditAction::OrganizerLogin,
            format!("organizer:{}", organizer.id.0),
        );
        self.store
            .start_organizer_session(
                &Hasher::token(&token),
                &session,
                expires_at,
                attempt,
                &audit,
                now,
            )
            .await?;
        Ok(NewOrganizerSession {
            token,
            session,
            expires_at,
        })
    }

    /// The live session a token names.
    pub async fn session(
        &self,
        token: &str,
        now: Millis,
    ) -> Result<Option<OrganizerSession>, StoreError> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let idle_since = Millis(now.0 - self.policy.idle_timeout_ms);
        self.store
            .organizer_session(&Hasher::token(token), now, idle_since)
            .await
    }

    /// The session a token names, if it may do `action`: the console's access decision.
    #[tracing::instrument(skip_all, fields(action = ?action))]
    pub async fn access(
        &self,
        token: Option<&str>,
        action: alleyvote_domain::organizer::Action,
    ) -> Result<alleyvote_domain::organizer::Console<OrganizerSession>, StoreError> {
        use alleyvote_domain::organizer::{allowed, Console};
        let Some(token) = token else {
            return Ok(Console::SignIn);
        };
        match self.session(token, Millis::now()).await? {
            None => Ok(Console::SignIn),
            Some(s) if allowed(s.organizer.role, action) => Ok(Console::Open(s)),
            Some(_) => Ok(Console::Forbidden),
        }
    }

    #[tracing::instrument(skip_all)]
    pub async fn logout(
        &self,
        token: &str,
        who: &Organizer,
        now: Millis,
    ) -> Result<(), StoreError> {
        self.store
            .end_organizer_session(&Hasher::token(token))
            .await?;
        self.audit
            .append_audit(
                &entry(
                    Some(who),
                    crate::audit::AuditAction::OrganizerLogout,
                    format!("organizer:{}", who.id.0),
                ),
                now,
            )
            .await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    pub async fn logout_everywhere(&self, who: &Organizer, now: Millis) -> Result<(), StoreError> {
        let audit = entry(
            Some(who),
            crate::audit::AuditAction::OrganizerLogoutEverywhere,
            format!("organizer:{}", who.id.0),
        );
        self.store.end_organizer_sessions(who.id, &audit, now).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::PasswordHash;

    #[tokio::test]
    async fn passwords_hash_with_argon2id_and_verify() {
        let guard = LoginGuard::new(GuardPolicy::default());
        let matches = |hash: &str, password: &str| {
            guard.password_matches(hash.to_string(), password.to_string())
        };
        let hash = hash_password("correct horse battery".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert_eq!(matches(&hash, "correct horse battery").await, Some(true));
        assert_eq!(matches(&hash, "wrong horse battery").await, Some(false));
        assert_eq!(matches(DECOY_HASH, "anything at all").await, Some(false));
        assert!(
            PasswordHash::new(DECOY_HASH).is_ok(),
            "the decoy is a well-formed hash"
        );
    }
}
