//! Storage behind one domain-shaped trait, with a SQLite and a PostgreSQL
//! implementation. The database is the source of truth for every vote: quota
//! and dedup invariants are enforced here, by constraints and in one
//! transaction, never only in a cache.

pub mod batch;
pub mod postgres;
mod rows;
mod shared;
mod sql;
pub mod sqlite;

use std::sync::Arc;

use alleyvote_domain::signin::{CodeRefusal, SmsLimits, SmsRefusal};
use alleyvote_domain::{
    Campaign, CampaignId, CommunityId, Millis, Nominee, NomineeFilter, NomineeId, NomineeNumber,
    NomineeSummary, ShanghaiDay, Street, StreetId, TallyRow, VoteRefusal, VoteRules, VoterId,
};
use async_trait::async_trait;

use crate::config::DatabaseUrl;

/// What went wrong below the domain. Never shown to users as is: the HTTP layer
/// logs it and answers with a generic message.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("{0} is already taken")]
    Duplicate(&'static str),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error("the vote writer has stopped")]
    WriterStopped,
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A campaign as organizers set it up (or the demo loader does).
#[derive(Debug, Clone)]
pub struct NewCampaign {
    pub slug: String,
    pub title_zh: String,
    pub title_en: String,
    pub description_zh: String,
    pub description_en: String,
    pub phases: alleyvote_domain::Phases,
    pub rules: VoteRules,
    pub results_visibility: alleyvote_domain::ResultsVisibility,
}

#[derive(Debug, Clone)]
pub struct NewNominee {
    pub number: NomineeNumber,
    pub name: String,
    pub community: CommunityId,
    pub photo_url: Option<String>,
    pub story: String,
}

/// Who a voter is, as a keyed hash; never the number or code itself.
#[derive(Debug, Clone)]
pub struct VoterIdentity {
    pub hash: [u8; 32],
    pub kind: VoterKind,
    /// `138****1234`, or the code's first characters: the only readable form.
    pub masked: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoterKind {
    Phone,
    BallotCode,
    Demo,
}

impl VoterKind {
    fn as_str(self) -> &'static str {
        match self {
            VoterKind::Phone => "phone",
            VoterKind::BallotCode => "ballot_code",
            VoterKind::Demo => "demo",
        }
    }
}

/// An organizer account about to be created; the password is already hashed.
#[derive(Debug, Clone)]
pub struct NewOrganizer {
    pub username: alleyvote_domain::organizer::Username,
    pub display_name: String,
    pub role: alleyvote_domain::organizer::Role,
    pub password_hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Organizer {
    pub id: alleyvote_domain::organizer::OrganizerId,
    pub username: String,
    pub display_name: String,
    pub role: alleyvote_domain::organizer::Role,
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

/// An audit entry as stored, with the hashes that chain it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAudit {
    pub record: crate::audit::AuditRecord,
    pub prev_hash: [u8; 32],
    pub hash: [u8; 32],
}

/// Which audit entries to list, newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Entries whose action starts with this, e.g. `nominee.`.
    pub action_prefix: Option<String>,
    pub actor: Option<alleyvote_domain::organizer::OrganizerId>,
    /// Only entries numbered below this (paging back).
    pub before_seq: Option<i64>,
    pub limit: u32,
}

/// A nominee as the console lists it: withdrawn ones too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NomineeRecord {
    pub nominee: Nominee,
    pub community: CommunityId,
    pub active: bool,
}

/// A polling station and the organizers assigned to operate it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Station {
    pub id: i64,
    pub name: String,
    pub operators: Vec<alleyvote_domain::organizer::OrganizerId>,
}

/// A community and the street it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityOf {
    pub community: alleyvote_domain::Community,
    pub street_zh: String,
    pub street_en: String,
}

/// An SMS code about to be sent: only hashes, never the number or the code.
#[derive(Debug, Clone)]
pub struct NewSmsCode {
    pub phone_hash: [u8; 32],
    pub address_hash: [u8; 32],
    pub code_hash: [u8; 32],
    pub now: Millis,
}

/// One vote to record. The caller has checked that voting is open.
#[derive(Debug, Clone)]
pub struct Ballot {
    pub campaign: CampaignId,
    pub rules: VoteRules,
    pub voter: VoterId,
    pub nominee: NomineeNumber,
    pub at: Millis,
    pub channel: Channel,
    /// The client's `Idempotency-Key`: a retry with the same key gets the
    /// first answer and counts nothing new.
    pub request_key: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Online,
    Demo,
}

impl Channel {
    fn as_str(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Demo => "demo",
        }
    }
}

/// A vote that is committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoteReceipt {
    pub vote_id: i64,
    pub remaining_today: u32,
    /// The first answer to an earlier request with the same idempotency key:
    /// nothing new was counted.
    pub replayed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

impl BackendKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BackendKind::Sqlite => "sqlite",
            BackendKind::Postgres => "postgres",
        }
    }
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    fn kind(&self) -> BackendKind;

    /// A cheap round trip, for health checks.
    async fn ping(&self) -> StoreResult<()>;

    /// This database's installation key: `fresh` if none was chosen yet,
    /// else the one chosen first (by whichever instance started first).
    async fn installation_key(&self, fresh: &str) -> StoreResult<String>;

    async fn campaigns(&self) -> StoreResult<Vec<Campaign>>;
    async fn campaign(&self, slug: &str) -> StoreResult<Option<Campaign>>;
    /// Creates the campaign, or returns the one with this slug untouched.
    async fn ensure_campaign(&self, campaign: &NewCampaign, now: Millis)
        -> StoreResult<CampaignId>;

    /// Creates a campaign, with its audit entry; `Duplicate` if the slug is taken.
    async fn create_campaign(
        &self,
        campaign: &NewCampaign,
        audit: &crate::audit::NewAuditEntry,
        now: Millis,
    ) -> StoreResult<CampaignId>;
    /// Changes a campaign's titles, phases, rules and results visibility,
    /// with its audit entry.
    async fn update_campaign(
        &self,
        id: CampaignId,
        campaign: &NewCampaign,
        audit: &crate::audit::NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()>;

    async fn streets(&self) -> StoreResult<Vec<Street>>;
    async fn ensure_street(
        &self,
        name_zh: &str,
        name_en: &str,
        sort_order: i32,
    ) -> StoreResult<StreetId>;
    async fn community(&self, id: CommunityId) -> StoreResult<Option<CommunityOf>>;
    /// Adds the streets and communities of an import in one transaction,
    /// keeping those already there as they are, with its audit entry.
    async fn import_places(
        &self,
        rows: &[crate::places::PlaceRow],
        audit: &crate::audit::NewAuditEntry,
        now: Millis,
    ) -> StoreResult<crate::places::ImportCounts>;
    /// Renames a street, with its audit entry; `Duplicate` if another has the name.
    async fn rename_street(
        &self,
        id: StreetId,
        name_zh: &str,
        name_en: &str,
        audit: &crate::audit::NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()>;
    /// Renames a community, with its audit entry; `Duplicate` if another
    /// community of its street has the name.
    async fn rename_community(
        &self,
        id: CommunityId,
        name_zh: &str,
        name_en: &str,
        audit: &crate::audit::NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()>;
    /// Removes a community nothing names any more, with its audit entry;
    /// `false` (and nothing removed) while nominees or ballot cards name it.
    async fn remove_community(
        &self,
        id: CommunityId,
        audit: &crate::audit::NewAuditEntry,
        now: Millis,
    ) -> StoreResult<bool>;
    /// Every community with its street, in the streets' order.
    async fn communities(&self) -> StoreResult<Vec<CommunityOf>>;
    async fn ensure_community(
        &self,
        street: StreetId,
        name_zh: &str,
        name_en: &str,
    ) -> StoreResult<CommunityId>;

    /// Creates the nominee or, if the number is taken in this campaign, returns that one untouched.
    async fn ensure_nominee(
        &self,
        campaign: CampaignId,
        nominee: &NewNominee,
        now: Millis,
    ) -> StoreResult<NomineeId>;
    /// Every nominee of a campaign, withdrawn ones included, by number.
    async fn nominee_records(&self, campaign: CampaignId) -> StoreResult<Vec<NomineeRecord>>;
    /// Creates a nominee, with its audit entry; `Duplicate` if the number is taken.
    async fn create_nominee(
        &self,
        campaign: CampaignId,
        nominee: &NewNominee,
        audit: &crate::audit::NewAuditEntry,
        now: Millis,
    ) -> StoreResult<NomineeId>;
    /// Changes a nominee's number, name, community and story (not its photo),
    /// with its audit entry; `Duplicate` if the new number is taken.
    async fn update_nominee(
        &self,
        campaign: CampaignId,
        id: NomineeId,
        nominee: &NewNominee,
        audit: &crate::audit::NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()>;
    /// Withdraws a nominee (or brings one back), with its audit entry. Votes
    /// already cast stay in the records.
    async fn set_nominee_active(
        &self,
        id: NomineeId,
        active: bool,
        audit: &crate::audit::NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()>;
    /// Stores a nominee's re-encoded photos and points the profile at them.
    async fn save_photos(
        &self,
        id: NomineeId,
        full: &[u8],
        card: &[u8],
        photo_url: &str,
        audit: &crate::audit::NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()>;
    /// A stored photo: `size` is `full` or `card`.
    async fn photo(&self, id: NomineeId, size: &str) -> StoreResult<Option<Vec<u8>>>;
    /// Active nominees, by number.
    async fn nominees(
        &self,
        campaign: CampaignId,
        filter: &NomineeFilter,
    ) -> StoreResult<Vec<NomineeSummary>>;
    async fn nominee(
        &self,
        campaign: CampaignId,
        number: NomineeNumber,
    ) -> StoreResult<Option<Nominee>>;

    /// The voter with this identity, created on first sight.
    async fn voter(&self, identity: &VoterIdentity, now: Millis) -> StoreResult<VoterId>;
    /// Records the votes the rules allow, deciding each ballot in order, all in
    /// one transaction (group commit): one answer per ballot, or an error and
    /// nothing written. The table's unique slots make overruns impossible.
    async fn cast_votes(&self, ballots: &[Ballot]) -> StoreResult<Vec<batch::Outcome>>;

    /// One ballot in a transaction of its own.
    async fn cast_vote(&self, ballot: &Ballot) -> StoreResult<batch::Outcome> {
        self.cast_votes(std::slice::from_ref(ballot))
            .await?
            .pop()
            .ok_or_else(|| StoreError::Corrupt("a ballot without an answer".into()))
    }
    /// Nominee numbers the voter has voted for on a day, one entry per vote.
    async fn votes_on(
        &self,
        campaign: CampaignId,
        voter: VoterId,
        day: ShanghaiDay,
    ) -> StoreResult<Vec<NomineeNumber>>;

    /// Records a new SMS code if the limits allow it, deciding and inserting in
    /// one transaction serialised across instances.
    async fn issue_sms_code(
        &self,
        code: &NewSmsCode,
        limits: &SmsLimits,
    ) -> StoreResult<Result<(), SmsRefusal>>;
    /// Forgets a code that could not be sent, so it counts against no
    /// cooldown or cap.
    async fn withdraw_sms_code(&self, code_hash: &[u8; 32]) -> StoreResult<()>;
    /// Judges a typed code against the newest one sent to the number: a right
    /// one is used up, a wrong one counts as a try.
    async fn redeem_sms_code(
        &self,
        phone_hash: &[u8; 32],
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

    /// Records freshly printed ballot codes (their hashes) for a community.
    async fn add_ballot_codes(
        &self,
        community: CommunityId,
        hashes: &[[u8; 32]],
        now: Millis,
    ) -> StoreResult<()>;
    /// Spends a ballot code and returns the voter it makes; `None` if the code
    /// is unknown or already used. Only one of any number of racing redemptions wins.
    async fn redeem_ballot_code(
        &self,
        identity: &VoterIdentity,
        now: Millis,
    ) -> StoreResult<Option<VoterId>>;

    /// Creates an organizer, with its audit entry; `Duplicate` if the username is taken.
    async fn create_organizer(
        &self,
        organizer: &NewOrganizer,
        audit: &crate::audit::NewAuditEntry,
        now: Millis,
    ) -> StoreResult<alleyvote_domain::organizer::OrganizerId>;
    async fn organizer_login(&self, username: &str) -> StoreResult<Option<OrganizerLogin>>;
    async fn organizers(&self) -> StoreResult<Vec<Organizer>>;
    /// Changes a role or (de)activates an account, with its audit entry;
    /// deactivating ends the account's sessions.
    async fn update_organizer(
        &self,
        id: alleyvote_domain::organizer::OrganizerId,
        role: alleyvote_domain::organizer::Role,
        active: bool,
        audit: &crate::audit::NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()>;
    /// Adds a polling station, with its audit entry; `Duplicate` if the name is taken.
    async fn add_station(
        &self,
        name: &str,
        audit: &crate::audit::NewAuditEntry,
        now: Millis,
    ) -> StoreResult<i64>;
    /// Every station with its operators, by name.
    async fn stations(&self) -> StoreResult<Vec<Station>>;
    /// Makes `stations` the ones an organizer operates (replacing the
    /// previous set), with its audit entry.
    async fn assign_stations(
        &self,
        organizer: alleyvote_domain::organizer::OrganizerId,
        stations: &[i64],
        audit: &crate::audit::NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()>;
    /// Failed logins since an instant: for this username, and from this address.
    async fn login_failures(
        &self,
        username: &str,
        address_hash: &[u8; 32],
        since: Millis,
    ) -> StoreResult<(u32, u32)>;
    async fn record_login_failure(
        &self,
        username: &str,
        address_hash: &[u8; 32],
        now: Millis,
    ) -> StoreResult<()>;
    /// A successful login: a new session, the account's failures forgotten, the audit entry.
    async fn start_organizer_session(
        &self,
        token_hash: &[u8; 32],
        session: &OrganizerSession,
        expires: Millis,
        audit: &crate::audit::NewAuditEntry,
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
        organizer: alleyvote_domain::organizer::OrganizerId,
        audit: &crate::audit::NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()>;
    /// Appends an entry on its own; returns its number.
    async fn append_audit(
        &self,
        entry: &crate::audit::NewAuditEntry,
        now: Millis,
    ) -> StoreResult<i64>;
    /// Entries by a filter, newest first.
    async fn audit_entries(&self, filter: &AuditFilter) -> StoreResult<Vec<StoredAudit>>;
    /// The whole log in order, for the verifier.
    async fn audit_chain(&self) -> StoreResult<Vec<StoredAudit>>;

    /// Current valid-vote count of every active nominee.
    async fn tally(&self, campaign: CampaignId) -> StoreResult<Vec<TallyRow>>;
    /// Counts recomputed from the votes themselves, as of an instant: the
    /// frozen view, and the proof that the running counts match the records.
    async fn tally_as_of(&self, campaign: CampaignId, at: Millis) -> StoreResult<Vec<TallyRow>>;
}

/// How a vote's answer is kept for replay: `ok:<vote id>:<remaining>` or `refused:<code>`.
pub fn encode_outcome(outcome: &Result<VoteReceipt, VoteRefusal>) -> String {
    match outcome {
        Ok(r) => format!("ok:{}:{}", r.vote_id, r.remaining_today),
        Err(refusal) => format!("refused:{}", refusal.code()),
    }
}

pub fn decode_outcome(saved: &str) -> StoreResult<Result<VoteReceipt, VoteRefusal>> {
    let corrupt = || StoreError::Corrupt(format!("saved vote outcome {saved:?}"));
    let mut parts = saved.split(':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("ok"), Some(id), Some(left)) => Ok(Ok(VoteReceipt {
            vote_id: id.parse().map_err(|_| corrupt())?,
            remaining_today: left.parse().map_err(|_| corrupt())?,
            replayed: true,
        })),
        (Some("refused"), Some(code), None) => [
            VoteRefusal::AlreadyVoted,
            VoteRefusal::DailyQuotaUsed,
            VoteRefusal::UnknownNominee,
        ]
        .into_iter()
        .find(|r| r.code() == code)
        .map(Err)
        .ok_or_else(corrupt),
        _ => Err(corrupt()),
    }
}

/// Compares two hashes in time independent of where they differ.
pub fn same_hash(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Opens the database named by the URL and brings its schema up to date.
pub async fn connect(url: &DatabaseUrl) -> StoreResult<Arc<dyn Store>> {
    match url {
        DatabaseUrl::Sqlite(path) => Ok(Arc::new(sqlite::SqliteStore::open(path).await?)),
        DatabaseUrl::Postgres(url) => {
            Ok(Arc::new(postgres::PostgresStore::open(url.expose()).await?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_outcomes_round_trip() {
        for outcome in [
            Ok(VoteReceipt {
                vote_id: 42,
                remaining_today: 7,
                replayed: true,
            }),
            Err(VoteRefusal::AlreadyVoted),
            Err(VoteRefusal::DailyQuotaUsed),
            Err(VoteRefusal::UnknownNominee),
        ] {
            assert_eq!(decode_outcome(&encode_outcome(&outcome)).unwrap(), outcome);
        }
        assert!(decode_outcome("ok:x:1").is_err());
        assert!(decode_outcome("maybe").is_err());
    }
}
