//! Organizer accounts in storage: the accounts, their sessions and failed
//! logins, each change with its audit entry.

use alleyvote_domain::organizer::{OrganizerId, Role, Username};
use alleyvote_domain::Millis;
use async_trait::async_trait;

use crate::audit::storage::AuditedWrite;
use crate::audit::NewAuditEntry;
use crate::storage::{Backend, Lock, PostgresStore, SqliteStore, StoreError, StoreResult};

/// An organizer account about to be created; the password is already hashed.
#[derive(Debug, Clone)]
pub struct NewOrganizer {
    pub username: Username,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Organizer {
    pub id: OrganizerId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
}

/// An organizer with what a login checks the password against.
#[derive(Debug, Clone)]
pub struct OrganizerLogin {
    pub organizer: Organizer,
    pub password_hash: String,
}

/// A live organizer session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizerSession {
    pub organizer: Organizer,
    /// Every state-changing request of this session must carry it.
    pub csrf_token: String,
}

impl Organizer {
    /// This organizer as the audit log names them.
    pub fn actor(&self) -> crate::audit::Actor<'_> {
        crate::audit::Actor {
            id: Some(self.id),
            name: &self.username,
        }
    }
}

impl OrganizerSession {
    pub fn actor(&self) -> crate::audit::Actor<'_> {
        self.organizer.actor()
    }
}

/// A recorded console login attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginAttemptId(pub i64);

/// Failures allowed within the window before attempts are refused unchecked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttemptLimits {
    pub per_account: u32,
    pub per_address: u32,
}

#[async_trait]
pub trait OrganizerStorage: Send + Sync {
    /// Creates an organizer, with its audit entry; `Duplicate` if the username is taken.
    async fn create_organizer(
        &self,
        organizer: &NewOrganizer,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<OrganizerId>;
    async fn organizer_login(&self, username: &str) -> StoreResult<Option<OrganizerLogin>>;
    async fn organizers(&self) -> StoreResult<Vec<Organizer>>;
    /// Changes a role or (de)activates an account, with its audit entry;
    /// deactivating ends the account's sessions.
    /// Changes an account's role and whether it is active, with its audit
    /// entry; `false`, and nothing changed, if that would take the last
    /// active administrator away (checked under a lock, so two admins
    /// demoting each other at once leave one).
    async fn update_organizer(
        &self,
        id: OrganizerId,
        role: Role,
        active: bool,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<bool>;
    /// Failed logins since an instant: for this username (after its last
    /// success), and from this address. An attempt still being checked counts.
    async fn login_failures(
        &self,
        username: &str,
        address_hash: &[u8; 32],
        since: Millis,
    ) -> StoreResult<(u32, u32)>;
    /// Records an attempt before its password is checked, unless the name or
    /// the address has used up its failures since `since`: then `None`. The
    /// count and the record are one transaction, so parallel attempts queue.
    async fn begin_login_attempt(
        &self,
        username: &str,
        address_hash: &[u8; 32],
        since: Millis,
        limits: AttemptLimits,
        now: Millis,
    ) -> StoreResult<Option<LoginAttemptId>>;
    /// The password did not match: the attempt stays a failure.
    async fn fail_login_attempt(&self, attempt: LoginAttemptId) -> StoreResult<()>;
    /// A successful login: a new session, the attempt marked a success (the
    /// account's count starts again), the audit entry.
    async fn start_organizer_session(
        &self,
        token_hash: &[u8; 32],
        session: &OrganizerSession,
        expires: Millis,
        attempt: LoginAttemptId,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()>;
    /// The live session a token names, seen now: `None` past its absolute
    /// end, idle since `idle_since`, or for an inactive account.
    async fn organizer_session(
        &self,
        token_hash: &[u8; 32],
        now: Millis,
        idle_since: Millis,
    ) -> StoreResult<Option<OrganizerSession>>;
    async fn end_organizer_session(&self, token_hash: &[u8; 32]) -> StoreResult<()>;
    /// Ends every session of an organizer (logout everywhere), with its audit entry.
    async fn end_organizer_sessions(
        &self,
        organizer: OrganizerId,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()>;
}

const INSERT_ORGANIZER: &str =
    "INSERT INTO organizers (username, display_name, role, password_hash, active, created_at_ms) \
     VALUES ($1, $2, $3, $4, TRUE, $5) ON CONFLICT (username) DO NOTHING RETURNING id";

const ORGANIZER_COLUMNS: &str =
    "SELECT id, username, display_name, role, active, password_hash FROM organizers";

const UPDATE_ORGANIZER: &str = "UPDATE organizers SET role = $2, active = $3 WHERE id = $1";

const ACTIVE_ADMINS: &str = "SELECT COUNT(*) FROM organizers WHERE role = 'admin' AND active";

/// Failures count for a name after its last success, and for an address.
const LOGIN_FAILURES: &str = "SELECT \
     (SELECT COUNT(*) FROM login_attempts WHERE username = $1 AND at_ms > $3 AND outcome <> 'succeeded' \
        AND id > COALESCE((SELECT MAX(id) FROM login_attempts WHERE username = $1 AND outcome = 'succeeded'), 0)), \
     (SELECT COUNT(*) FROM login_attempts WHERE address_hash = $2 AND at_ms > $3 AND outcome <> 'succeeded')";

const BEGIN_LOGIN_ATTEMPT: &str =
    "INSERT INTO login_attempts (username, address_hash, at_ms, outcome) \
     VALUES ($1, $2, $3, 'checking') RETURNING id";

const FINISH_LOGIN_ATTEMPT: &str = "UPDATE login_attempts SET outcome = $2 WHERE id = $1";

const INSERT_ORGANIZER_SESSION: &str = "INSERT INTO organizer_sessions \
     (token_hash, organizer_id, csrf_token, created_at_ms, last_seen_at_ms, expires_at_ms) \
     VALUES ($1, $2, $3, $4, $4, $5)";

/// A live session: before its absolute end, seen within the idle limit, of an active organizer.
const ORGANIZER_SESSION: &str = "SELECT o.id, o.username, o.display_name, o.role, o.active, o.password_hash, \
     s.csrf_token, s.last_seen_at_ms FROM organizer_sessions s JOIN organizers o ON o.id = s.organizer_id \
     WHERE s.token_hash = $1 AND s.expires_at_ms > $2 AND s.last_seen_at_ms > $3 AND o.active = TRUE";

const TOUCH_ORGANIZER_SESSION: &str =
    "UPDATE organizer_sessions SET last_seen_at_ms = $2 WHERE token_hash = $1";

const END_ORGANIZER_SESSION: &str = "DELETE FROM organizer_sessions WHERE token_hash = $1";

const END_ORGANIZER_SESSIONS: &str = "DELETE FROM organizer_sessions WHERE organizer_id = $1";

/// Sessions seen within this long are not touched again: the idle clock
/// keeps running without a write on every request.
const TOUCH_EVERY_MS: i64 = 30_000;

#[derive(sqlx::FromRow)]
struct OrganizerRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    active: bool,
    password_hash: String,
}

impl OrganizerRow {
    fn into_login(self) -> StoreResult<OrganizerLogin> {
        let role = Role::parse(&self.role)
            .ok_or_else(|| StoreError::Corrupt(format!("organizer role {:?}", self.role)))?;
        Ok(OrganizerLogin {
            organizer: Organizer {
                id: OrganizerId(self.id),
                username: self.username,
                display_name: self.display_name,
                role,
                active: self.active,
            },
            password_hash: self.password_hash,
        })
    }
}

#[derive(sqlx::FromRow)]
struct OrganizerSessionRow {
    #[sqlx(flatten)]
    organizer: OrganizerRow,
    csrf_token: String,
    last_seen_at_ms: i64,
}

impl OrganizerSessionRow {
    fn into_session(self) -> StoreResult<OrganizerSession> {
        Ok(OrganizerSession {
            organizer: self.organizer.into_login()?.organizer,
            csrf_token: self.csrf_token,
        })
    }
}

// A macro, not a generic impl: generic over sqlx's `Database` this slice would
// need the executor and arguments bounds plus one for each type bound into or
// decoded from its queries (at least 6 row types here); the macro is shorter.
// See `crate::storage`.
macro_rules! organizer_storage {
    ($backend:ty) => {
        #[async_trait]
        impl OrganizerStorage for $backend {
            async fn create_organizer(
                &self,
                o: &NewOrganizer,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<OrganizerId> {
                let mut tx = self.begin().await?;
                let id: Option<i64> = sqlx::query_scalar(INSERT_ORGANIZER)
                    .bind(o.username.as_str())
                    .bind(&o.display_name)
                    .bind(o.role.as_str())
                    .bind(&o.password_hash)
                    .bind(now.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                let id = id.ok_or(StoreError::Duplicate("username"))?;
                let mut audit = audit.clone();
                audit.subject = format!("organizer:{id}");
                self.commit_audited(tx, &audit, now).await?;
                Ok(OrganizerId(id))
            }

            async fn organizer_login(&self, username: &str) -> StoreResult<Option<OrganizerLogin>> {
                let sql = format!("{ORGANIZER_COLUMNS} WHERE username = $1");
                let row = sqlx::query_as::<_, OrganizerRow>(&sql)
                    .bind(username)
                    .fetch_optional(self.read())
                    .await?;
                row.map(OrganizerRow::into_login).transpose()
            }

            async fn organizers(&self) -> StoreResult<Vec<Organizer>> {
                let sql = format!("{ORGANIZER_COLUMNS} ORDER BY username");
                let rows = sqlx::query_as::<_, OrganizerRow>(&sql)
                    .fetch_all(self.read())
                    .await?;
                rows.into_iter()
                    .map(|r| r.into_login().map(|l| l.organizer))
                    .collect()
            }

            async fn update_organizer(
                &self,
                id: OrganizerId,
                role: Role,
                active: bool,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<bool> {
                let mut tx = self.begin().await?;
                Self::lock(&mut tx, Lock::Accounts).await?;
                let admins_before: i64 = sqlx::query_scalar(ACTIVE_ADMINS)
                    .fetch_one(&mut *tx)
                    .await?;
                sqlx::query(UPDATE_ORGANIZER)
                    .bind(id.0)
                    .bind(role.as_str())
                    .bind(active)
                    .execute(&mut *tx)
                    .await?;
                let admins: i64 = sqlx::query_scalar(ACTIVE_ADMINS)
                    .fetch_one(&mut *tx)
                    .await?;
                if admins_before > 0 && admins == 0 {
                    return Ok(false);
                }
                if !active {
                    sqlx::query(END_ORGANIZER_SESSIONS)
                        .bind(id.0)
                        .execute(&mut *tx)
                        .await?;
                }
                self.commit_audited(tx, audit, now).await?;
                Ok(true)
            }

            async fn login_failures(
                &self,
                username: &str,
                address_hash: &[u8; 32],
                since: Millis,
            ) -> StoreResult<(u32, u32)> {
                let (by_name, by_address): (i64, i64) = sqlx::query_as(LOGIN_FAILURES)
                    .bind(username)
                    .bind(&address_hash[..])
                    .bind(since.0)
                    .fetch_one(self.write())
                    .await?;
                Ok((by_name.max(0) as u32, by_address.max(0) as u32))
            }

            async fn begin_login_attempt(
                &self,
                username: &str,
                address_hash: &[u8; 32],
                since: Millis,
                limits: AttemptLimits,
                now: Millis,
            ) -> StoreResult<Option<LoginAttemptId>> {
                let mut tx = self.begin().await?;
                Self::lock(&mut tx, Lock::Logins).await?;
                let (by_name, by_address): (i64, i64) = sqlx::query_as(LOGIN_FAILURES)
                    .bind(username)
                    .bind(&address_hash[..])
                    .bind(since.0)
                    .fetch_one(&mut *tx)
                    .await?;
                if by_name >= i64::from(limits.per_account)
                    || by_address >= i64::from(limits.per_address)
                {
                    return Ok(None);
                }
                let id: i64 = sqlx::query_scalar(BEGIN_LOGIN_ATTEMPT)
                    .bind(username)
                    .bind(&address_hash[..])
                    .bind(now.0)
                    .fetch_one(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(Some(LoginAttemptId(id)))
            }

            async fn fail_login_attempt(&self, attempt: LoginAttemptId) -> StoreResult<()> {
                sqlx::query(FINISH_LOGIN_ATTEMPT)
                    .bind(attempt.0)
                    .bind("failed")
                    .execute(self.write())
                    .await?;
                Ok(())
            }

            async fn start_organizer_session(
                &self,
                token_hash: &[u8; 32],
                session: &OrganizerSession,
                expires: Millis,
                attempt: LoginAttemptId,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<()> {
                let mut tx = self.begin().await?;
                sqlx::query(INSERT_ORGANIZER_SESSION)
                    .bind(&token_hash[..])
                    .bind(session.organizer.id.0)
                    .bind(&session.csrf_token)
                    .bind(now.0)
                    .bind(expires.0)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(FINISH_LOGIN_ATTEMPT)
                    .bind(attempt.0)
                    .bind("succeeded")
                    .execute(&mut *tx)
                    .await?;
                self.commit_audited(tx, audit, now).await?;
                Ok(())
            }

            async fn organizer_session(
                &self,
                token_hash: &[u8; 32],
                now: Millis,
                idle_since: Millis,
            ) -> StoreResult<Option<OrganizerSession>> {
                let row = sqlx::query_as::<_, OrganizerSessionRow>(ORGANIZER_SESSION)
                    .bind(&token_hash[..])
                    .bind(now.0)
                    .bind(idle_since.0)
                    .fetch_optional(self.write())
                    .await?;
                let Some(row) = row else { return Ok(None) };
                if now.0 - row.last_seen_at_ms > TOUCH_EVERY_MS {
                    sqlx::query(TOUCH_ORGANIZER_SESSION)
                        .bind(&token_hash[..])
                        .bind(now.0)
                        .execute(self.write())
                        .await?;
                }
                row.into_session().map(Some)
            }

            async fn end_organizer_session(&self, token_hash: &[u8; 32]) -> StoreResult<()> {
                sqlx::query(END_ORGANIZER_SESSION)
                    .bind(&token_hash[..])
                    .execute(self.write())
                    .await?;
                Ok(())
            }

            async fn end_organizer_sessions(
                &self,
                organizer: OrganizerId,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<()> {
                let mut tx = self.begin().await?;
                sqlx::query(END_ORGANIZER_SESSIONS)
                    .bind(organizer.0)
                    .execute(&mut *tx)
                    .await?;
                self.commit_audited(tx, audit, now).await?;
                Ok(())
            }
        }
    };
}

organizer_storage!(SqliteStore);
organizer_storage!(PostgresStore);
