//! Nominations in storage: what was put forward and by whom, the reviewers'
//! decisions (each a compare-and-set on the nomination's `revision`, with
//! its audit entry in the same transaction), merges that carry every
//! nominator along, consent links, and approval into a numbered nominee.

use alleyvote_domain::nomination::{
    Consent, IneligibleReason, NominationDraft, NominationId, NominationState, NomineeRole,
    Relation,
};
use alleyvote_domain::organizer::OrganizerId;
use alleyvote_domain::{
    CampaignId, CommunityId, Millis, NomineeId, NomineeNumber, StreetId, VoterId,
};
use async_trait::async_trait;

use crate::audit::storage::AuditedWrite;
use crate::audit::NewAuditEntry;
use crate::storage::rows::number;
use crate::storage::{Backend, Lock, PostgresStore, SqliteStore, StoreError, StoreResult, Tx};

/// Who put a name forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nominator {
    Resident(VoterId),
    /// A reviewer or administrator, for a community committee.
    Committee(OrganizerId),
}

/// A nomination to store.
pub struct NewNomination<'a> {
    pub campaign: CampaignId,
    pub draft: &'a NominationDraft,
    pub name_key: String,
    pub sound_key: String,
    pub nominator: Nominator,
    /// The nominee's number as a keyed hash, and masked.
    pub phone: Option<([u8; 32], String)>,
    /// The re-encoded photo: full size, then the card.
    pub photo: Option<(&'a [u8], &'a [u8])>,
    /// The consent link's token hash and when it expires.
    pub consent_link: Option<([u8; 32], Millis)>,
}

/// A resident's nomination or support, or why not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Put {
    Done(NominationId),
    /// The resident has put forward as many as a campaign allows.
    LimitReached,
    /// The resident already counts for this person.
    AlreadyCounted,
    /// The nomination supported is no longer standing.
    NotStanding,
}

/// A nomination, whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NominationRecord {
    pub id: NominationId,
    pub campaign: CampaignId,
    pub community: CommunityId,
    pub street: StreetId,
    pub community_zh: String,
    pub community_en: String,
    pub name: String,
    pub role: NomineeRole,
    pub years: u8,
    pub story: String,
    pub relation: Relation,
    pub phone_masked: Option<String>,
    pub nominator: Option<VoterId>,
    pub entered_by: Option<OrganizerId>,
    pub state: NominationState,
    pub consent: Consent,
    pub consent_at: Option<Millis>,
    pub consent_note: String,
    pub reason: Option<IneligibleReason>,
    pub reason_note: String,
    pub question: String,
    pub answer: String,
    pub merged_into: Option<NominationId>,
    pub nominee: Option<NomineeId>,
    pub created_at: Millis,
    pub revision: i64,
    pub has_photo: bool,
    /// Everyone counted for it (its own nominator, supporters, merged ones).
    pub supporters: u32,
}

/// One of a resident's nominations (or supports), as they are told of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MyNomination {
    /// The nomination they wrote or supported.
    pub origin: NominationId,
    pub name: String,
    pub community_zh: String,
    pub community_en: String,
    pub state: NominationState,
    pub reason: Option<IneligibleReason>,
    pub reason_note: String,
    pub question: String,
    /// Whether they supported someone else's rather than writing their own.
    pub supported: bool,
    /// The nomination that now stands for the person (its own id if not merged).
    pub lead: NominationId,
    pub lead_name: String,
    pub lead_state: NominationState,
    pub supporters: u32,
    pub nominee_number: Option<NomineeNumber>,
}

/// The queue's filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    pub street: Option<StreetId>,
    pub community: Option<CommunityId>,
    pub state: Option<NominationState>,
}

/// A reviewer's change to one nomination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub state: NominationState,
    pub reason: Option<IneligibleReason>,
    pub reason_note: String,
    pub question: String,
}

/// What approval creates.
#[derive(Debug, Clone)]
pub struct Approval {
    pub number: NomineeNumber,
    pub name: String,
    pub story: String,
}

/// The committee's paper answer, as a reviewer records it.
#[derive(Debug, Clone)]
pub struct PaperConsent {
    pub agreed: bool,
    pub by: OrganizerId,
    /// Who confirmed and when (for example "居委会 11 月 20 日书面确认").
    pub note: String,
}

/// A decision's outcome in storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    Done,
    /// Someone changed it first: decide again on what is there now.
    Stale,
    /// (Approval) the number is taken.
    NumberTaken,
}

/// What a consent link leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    Unknown,
    Expired,
    Used,
    Open(Box<NominationRecord>),
}

#[async_trait]
pub trait NominationStorage: Send + Sync {
    /// Stores a nomination (a resident's counts against `limit`).
    async fn nominate(&self, new: &NewNomination<'_>, limit: u32, now: Millis) -> StoreResult<Put>;
    /// A committee's nomination, entered by a reviewer, with its audit entry.
    async fn nominate_for_committee(
        &self,
        new: &NewNomination<'_>,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<NominationId>;
    /// Counts a resident for a standing nomination instead of a new one.
    async fn support(
        &self,
        campaign: CampaignId,
        lead: NominationId,
        voter: VoterId,
        limit: u32,
        now: Millis,
    ) -> StoreResult<Put>;
    /// The nominations standing in a community (not merged, ineligible or
    /// declined): id, name, state.
    async fn standing(
        &self,
        campaign: CampaignId,
        community: CommunityId,
    ) -> StoreResult<Vec<(NominationId, String, NominationState)>>;
    async fn mine(&self, campaign: CampaignId, voter: VoterId) -> StoreResult<Vec<MyNomination>>;
    /// Nominations received per street (counts only).
    async fn per_street(&self, campaign: CampaignId) -> StoreResult<Vec<(StreetId, u32)>>;
    async fn queue(
        &self,
        campaign: CampaignId,
        filter: &QueueFilter,
    ) -> StoreResult<Vec<NominationRecord>>;
    async fn record(
        &self,
        campaign: CampaignId,
        id: NominationId,
    ) -> StoreResult<Option<NominationRecord>>;
    async fn photo(&self, id: NominationId, size: &str) -> StoreResult<Option<Vec<u8>>>;
    async fn decide(
        &self,
        id: NominationId,
        revision: i64,
        change: &Change,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<Applied>;
    /// The nominator's answer to a reviewer's question: back to the queue.
    async fn answer(&self, id: NominationId, voter: VoterId, answer: &str) -> StoreResult<Applied>;
    /// Merges `from` into the standing `into`; every nominator of `from`
    /// now counts for `into`.
    async fn merge(
        &self,
        from: NominationId,
        revision: i64,
        into: NominationId,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<Applied>;
    /// Approves into a numbered nominee (with the nomination's photo).
    async fn approve(
        &self,
        id: NominationId,
        revision: i64,
        approval: &Approval,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<Result<NomineeId, Applied>>;
    async fn link(&self, token_hash: &[u8; 32], now: Millis) -> StoreResult<LinkState>;
    /// The nominee's answer through the link (used once).
    async fn consent_by_link(
        &self,
        token_hash: &[u8; 32],
        agreed: bool,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<LinkState>;
    /// A reviewer records the committee's paper.
    async fn consent_on_paper(
        &self,
        id: NominationId,
        revision: i64,
        paper: &PaperConsent,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<Applied>;
    /// How many residents put each approved nominee forward.
    async fn nominators_of(&self, campaign: CampaignId) -> StoreResult<Vec<(NomineeId, u32)>>;
}

/// A lead's supporters: each resident once, each committee entry once.
const SUPPORTERS_OF: &str = "(SELECT CAST(COUNT(DISTINCT sp.voter_id) + \
     SUM(CASE WHEN sp.voter_id IS NULL THEN 1 ELSE 0 END) AS BIGINT) \
     FROM nomination_supporters sp WHERE sp.lead_id = {lead})";

const RECORD_COLUMNS: &str = "SELECT n.id, n.campaign_id, n.community_id, c.street_id, \
     c.name_zh AS community_zh, c.name_en AS community_en, n.name, n.role, n.years, n.story, \
     n.relation, n.nominee_phone_masked, n.nominator_id, n.entered_by, n.state, n.consent, \
     n.consent_at_ms, n.consent_note, n.reason, n.reason_note, n.question, n.answer, \
     n.merged_into, n.nominee_id, n.created_at_ms, n.revision, \
     (SELECT CAST(COUNT(*) AS BIGINT) FROM nomination_photos p WHERE p.nomination_id = n.id) AS photos, \
     {supporters} AS supporters \
     FROM nominations n JOIN communities c ON c.id = n.community_id";

fn record_sql(tail: &str) -> String {
    let supporters = SUPPORTERS_OF.replace("{lead}", "COALESCE(n.merged_into, n.id)");
    format!(
        "{} {tail}",
        RECORD_COLUMNS.replace("{supporters}", &supporters)
    )
}

const INSERT: &str = "INSERT INTO nominations (campaign_id, community_id, name, name_key, sound_key, \
     role, years, story, relation, nominee_phone_hash, nominee_phone_masked, nominator_id, entered_by, \
     created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id";

const INSERT_PHOTO: &str =
    "INSERT INTO nomination_photos (nomination_id, size, content_type, bytes) \
     VALUES ($1, $2, 'image/jpeg', $3)";

const INSERT_SUPPORTER: &str =
    "INSERT INTO nomination_supporters (lead_id, origin_id, campaign_id, voter_id, at_ms) \
     VALUES ($1, $2, $3, $4, $5)";

const INSERT_LINK: &str =
    "INSERT INTO consent_links (token_hash, nomination_id, expires_at_ms) VALUES ($1, $2, $3)";

const PUT_BY: &str = "SELECT CAST(COUNT(*) AS BIGINT) FROM nomination_supporters \
     WHERE campaign_id = $1 AND voter_id = $2";

const COUNTED_FOR: &str = "SELECT CAST(COUNT(*) AS BIGINT) FROM nomination_supporters \
     WHERE lead_id = $1 AND voter_id = $2";

const LEAD_OF: &str = "SELECT COALESCE(merged_into, id), state FROM nominations \
     WHERE id = $1 AND campaign_id = $2";

const STATE_OF: &str = "SELECT state, merged_into FROM nominations WHERE id = $1";

const STANDING: &str = "SELECT id, name, state FROM nominations WHERE campaign_id = $1 \
     AND community_id = $2 AND merged_into IS NULL \
     AND state IN ('submitted', 'needs_info', 'eligible', 'approved') ORDER BY id";

const MINE: &str = "SELECT o.id, o.name, c.name_zh, c.name_en, o.state, o.reason, o.reason_note, \
     o.question, CASE WHEN o.nominator_id = sp.voter_id THEN 0 ELSE 1 END AS supported, \
     l.id AS lead_id, l.name AS lead_name, l.state AS lead_state, {supporters} AS supporters, \
     (SELECT CAST(m.number AS INTEGER) FROM nominees m WHERE m.id = l.nominee_id) AS nominee_number \
     FROM nomination_supporters sp \
     JOIN nominations o ON o.id = sp.origin_id \
     JOIN nominations l ON l.id = sp.lead_id \
     JOIN communities c ON c.id = o.community_id \
     WHERE sp.campaign_id = $1 AND sp.voter_id = $2 ORDER BY sp.id DESC";

const PER_STREET: &str = "SELECT c.street_id, CAST(COUNT(*) AS BIGINT) FROM nominations n \
     JOIN communities c ON c.id = n.community_id WHERE n.campaign_id = $1 \
     GROUP BY c.street_id ORDER BY c.street_id";

const QUEUE_TAIL: &str = "WHERE n.campaign_id = $1 \
     AND (CAST($2 AS BIGINT) IS NULL OR c.street_id = $2) \
     AND (CAST($3 AS BIGINT) IS NULL OR n.community_id = $3) \
     AND (CAST($4 AS TEXT) IS NULL OR n.state = $4) ORDER BY c.street_id, n.community_id, n.id";

const DECIDE: &str =
    "UPDATE nominations SET state = $3, reason = $4, reason_note = $5, question = $6, \
     decided_at_ms = $7, revision = revision + 1 WHERE id = $1 AND revision = $2";

const ANSWER: &str =
    "UPDATE nominations SET answer = $3, state = 'submitted', revision = revision + 1 \
     WHERE id = $1 AND nominator_id = $2 AND state = 'needs_info'";

const MERGE_FROM: &str =
    "UPDATE nominations SET state = 'merged', merged_into = $3, decided_at_ms = $4, \
     revision = revision + 1 WHERE id = $1 AND revision = $2 AND merged_into IS NULL \
     AND state IN ('submitted', 'needs_info', 'eligible')";

const MERGE_EARLIER: &str = "UPDATE nominations SET merged_into = $2 WHERE merged_into = $1";

const MOVE_SUPPORTERS: &str = "UPDATE nomination_supporters SET lead_id = $2 WHERE lead_id = $1";

const APPROVE: &str = "UPDATE nominations SET state = 'approved', decided_at_ms = $3, \
     revision = revision + 1 WHERE id = $1 AND revision = $2 AND state = 'eligible' \
     AND consent IN ('given_by_link', 'given_on_paper') RETURNING campaign_id, community_id";

const CREATE_NOMINEE: &str =
    "INSERT INTO nominees (campaign_id, number, name, community_id, story, \
     created_at_ms, nomination_id) VALUES ($1, $2, $3, $4, $5, $6, $7) \
     ON CONFLICT (campaign_id, number) DO NOTHING RETURNING id";

const COPY_PHOTOS: &str =
    "INSERT INTO nominee_photos (nominee_id, size, content_type, bytes, created_at_ms) \
     SELECT $1, size, content_type, bytes, $3 FROM nomination_photos WHERE nomination_id = $2";

const POINT_PHOTO: &str = "UPDATE nominees SET photo_url = $2 WHERE id = $1";

const LINK_NOMINEE: &str = "UPDATE nominations SET nominee_id = $2 WHERE id = $1";

const LINK: &str =
    "SELECT nomination_id, expires_at_ms, used_at_ms FROM consent_links WHERE token_hash = $1";

const USE_LINK: &str =
    "UPDATE consent_links SET used_at_ms = $2 WHERE token_hash = $1 AND used_at_ms IS NULL";

const CONSENT: &str = "UPDATE nominations SET consent = $2, consent_at_ms = $3, \
     consent_recorded_by = $4, consent_note = $5, \
     state = CASE WHEN $6 AND state IN ('submitted', 'needs_info', 'eligible') \
     THEN 'declined_by_nominee' ELSE state END, revision = revision + 1 WHERE id = $1";

const CONSENT_CAS: &str = " AND revision = $7";

const NOMINATORS_OF: &str = "SELECT m.id, {supporters} AS supporters FROM nominees m \
     JOIN nominations l ON l.id = m.nomination_id WHERE m.campaign_id = $1";

const PHOTO: &str = "SELECT bytes FROM nomination_photos WHERE nomination_id = $1 AND size = $2";

#[derive(sqlx::FromRow)]
struct RecordRow {
    id: i64,
    campaign_id: i64,
    community_id: i64,
    street_id: i64,
    community_zh: String,
    community_en: String,
    name: String,
    role: String,
    years: i64,
    story: String,
    relation: String,
    nominee_phone_masked: Option<String>,
    nominator_id: Option<i64>,
    entered_by: Option<i64>,
    state: String,
    consent: String,
    consent_at_ms: Option<i64>,
    consent_note: String,
    reason: Option<String>,
    reason_note: String,
    question: String,
    answer: String,
    merged_into: Option<i64>,
    nominee_id: Option<i64>,
    created_at_ms: i64,
    revision: i64,
    photos: i64,
    supporters: Option<i64>,
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("nomination {what} {value:?}"))
}

fn state(text: &str) -> Result<NominationState, StoreError> {
    NominationState::parse(text).ok_or_else(|| corrupt("state", text))
}

fn reason(text: Option<String>) -> Result<Option<IneligibleReason>, StoreError> {
    text.map(|r| IneligibleReason::parse(&r).ok_or_else(|| corrupt("reason", &r)))
        .transpose()
}

fn count(n: Option<i64>) -> u32 {
    n.and_then(|n| u32::try_from(n).ok()).unwrap_or(0)
}

impl TryFrom<RecordRow> for NominationRecord {
    type Error = StoreError;
    fn try_from(r: RecordRow) -> Result<Self, StoreError> {
        Ok(NominationRecord {
            id: NominationId(r.id),
            campaign: CampaignId(r.campaign_id),
            community: CommunityId(r.community_id),
            street: StreetId(r.street_id),
            community_zh: r.community_zh,
            community_en: r.community_en,
            name: r.name,
            role: NomineeRole::parse(&r.role).ok_or_else(|| corrupt("role", &r.role))?,
            years: u8::try_from(r.years).map_err(|_| corrupt("years", &r.years.to_string()))?,
            story: r.story,
            relation: Relation::parse(&r.relation)
                .ok_or_else(|| corrupt("relation", &r.relation))?,
            phone_masked: r.nominee_phone_masked,
            nominator: r.nominator_id.map(VoterId),
            entered_by: r.entered_by.map(OrganizerId),
            state: state(&r.state)?,
            consent: Consent::parse(&r.consent).ok_or_else(|| corrupt("consent", &r.consent))?,
            consent_at: r.consent_at_ms.map(Millis),
            consent_note: r.consent_note,
            reason: reason(r.reason)?,
            reason_note: r.reason_note,
            question: r.question,
            answer: r.answer,
            merged_into: r.merged_into.map(NominationId),
            nominee: r.nominee_id.map(NomineeId),
            created_at: Millis(r.created_at_ms),
            revision: r.revision,
            has_photo: r.photos > 0,
            supporters: count(r.supporters),
        })
    }
}

#[derive(sqlx::FromRow)]
struct MineRow {
    id: i64,
    name: String,
    name_zh: String,
    name_en: String,
    state: String,
    reason: Option<String>,
    reason_note: String,
    question: String,
    supported: i32,
    lead_id: i64,
    lead_name: String,
    lead_state: String,
    supporters: Option<i64>,
    nominee_number: Option<i32>,
}

impl TryFrom<MineRow> for MyNomination {
    type Error = StoreError;
    fn try_from(r: MineRow) -> Result<Self, StoreError> {
        Ok(MyNomination {
            origin: NominationId(r.id),
            name: r.name,
            community_zh: r.name_zh,
            community_en: r.name_en,
            state: state(&r.state)?,
            reason: reason(r.reason)?,
            reason_note: r.reason_note,
            question: r.question,
            supported: r.supported != 0,
            lead: NominationId(r.lead_id),
            lead_name: r.lead_name,
            lead_state: state(&r.lead_state)?,
            supporters: count(r.supporters),
            nominee_number: r.nominee_number.map(number).transpose()?,
        })
    }
}

macro_rules! nomination_storage {
    ($backend:ty) => {
        impl $backend {
            /// Inserts the nomination, its photo, its nominator's place and its link.
            async fn insert_nomination(
                tx: &mut Tx<Self>,
                new: &NewNomination<'_>,
                now: Millis,
            ) -> StoreResult<NominationId> {
                let d = new.draft;
                let (voter, organizer) = match new.nominator {
                    Nominator::Resident(v) => (Some(v.0), None),
                    Nominator::Committee(o) => (None, Some(o.0)),
                };
                let id: i64 = sqlx::query_scalar(INSERT)
                    .bind(new.campaign.0)
                    .bind(d.community.0)
                    .bind(&d.name)
                    .bind(&new.name_key)
                    .bind(&new.sound_key)
                    .bind(d.role.as_str())
                    .bind(i64::from(d.years))
                    .bind(&d.story)
                    .bind(d.relation.as_str())
                    .bind(new.phone.as_ref().map(|(h, _)| h.to_vec()))
                    .bind(new.phone.as_ref().map(|(_, m)| m.clone()))
                    .bind(voter)
                    .bind(organizer)
                    .bind(now.0)
                    .fetch_one(&mut **tx)
                    .await?;
                if let Some((full, card)) = new.photo {
                    for (size, bytes) in [("full", full), ("card", card)] {
                        sqlx::query(INSERT_PHOTO)
                            .bind(id)
                            .bind(size)
                            .bind(bytes)
                            .execute(&mut **tx)
                            .await?;
                    }
                }
                sqlx::query(INSERT_SUPPORTER)
                    .bind(id)
                    .bind(id)
                    .bind(new.campaign.0)
                    .bind(voter)
                    .bind(now.0)
                    .execute(&mut **tx)
                    .await?;
                if let Some((token, expires)) = &new.consent_link {
                    sqlx::query(INSERT_LINK)
                        .bind(token.to_vec())
                        .bind(id)
                        .bind(expires.0)
                        .execute(&mut **tx)
                        .await?;
                }
                Ok(NominationId(id))
            }

            /// How many nominations and supports a resident has in a campaign.
            async fn put_by(
                tx: &mut Tx<Self>,
                campaign: CampaignId,
                voter: VoterId,
            ) -> StoreResult<i64> {
                Ok(sqlx::query_scalar(PUT_BY)
                    .bind(campaign.0)
                    .bind(voter.0)
                    .fetch_one(&mut **tx)
                    .await?)
            }

            async fn record_in(
                tx: &mut Tx<Self>,
                id: i64,
            ) -> StoreResult<Option<NominationRecord>> {
                let row: Option<RecordRow> = sqlx::query_as(&record_sql("WHERE n.id = $1"))
                    .bind(id)
                    .fetch_optional(&mut **tx)
                    .await?;
                row.map(NominationRecord::try_from).transpose()
            }
        }

        #[async_trait]
        impl NominationStorage for $backend {
            async fn nominate(
                &self,
                new: &NewNomination<'_>,
                limit: u32,
                now: Millis,
            ) -> StoreResult<Put> {
                let mut tx = self.begin().await?;
                if let Nominator::Resident(voter) = new.nominator {
                    // One resident's nominations are counted and added in turn.
                    Self::lock(&mut tx, Lock::Voters(&[voter])).await?;
                    if Self::put_by(&mut tx, new.campaign, voter).await? >= i64::from(limit) {
                        return Ok(Put::LimitReached);
                    }
                }
                let id = Self::insert_nomination(&mut tx, new, now).await?;
                tx.commit().await?;
                Ok(Put::Done(id))
            }

            async fn nominate_for_committee(
                &self,
                new: &NewNomination<'_>,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<NominationId> {
                let mut tx = self.begin().await?;
                let id = Self::insert_nomination(&mut tx, new, now).await?;
                let mut audit = audit.clone();
                audit.subject = format!("nomination {id}");
                self.commit_audited(tx, &audit, now).await?;
                Ok(id)
            }

            async fn support(
                &self,
                campaign: CampaignId,
                lead: NominationId,
                voter: VoterId,
                limit: u32,
                now: Millis,
            ) -> StoreResult<Put> {
                let mut tx = self.begin().await?;
                Self::lock(&mut tx, Lock::Voters(&[voter])).await?;
                let found: Option<(i64, String)> = sqlx::query_as(LEAD_OF)
                    .bind(lead.0)
                    .bind(campaign.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some((lead, _)) = found else {
                    return Ok(Put::NotStanding);
                };
                // The lead itself must stand (a merged one leads to its lead).
                let (lead_state, _): (String, Option<i64>) = sqlx::query_as(STATE_OF)
                    .bind(lead)
                    .fetch_one(&mut *tx)
                    .await?;
                let lead_state = state(&lead_state)?;
                if !(lead_state.is_open() || lead_state == NominationState::Approved) {
                    return Ok(Put::NotStanding);
                }
                let counted: i64 = sqlx::query_scalar(COUNTED_FOR)
                    .bind(lead)
                    .bind(voter.0)
                    .fetch_one(&mut *tx)
                    .await?;
                if counted > 0 {
                    return Ok(Put::AlreadyCounted);
                }
                if Self::put_by(&mut tx, campaign, voter).await? >= i64::from(limit) {
                    return Ok(Put::LimitReached);
                }
                sqlx::query(INSERT_SUPPORTER)
                    .bind(lead)
                    .bind(lead)
                    .bind(campaign.0)
                    .bind(voter.0)
                    .bind(now.0)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(Put::Done(NominationId(lead)))
            }

            async fn standing(
                &self,
                campaign: CampaignId,
                community: CommunityId,
            ) -> StoreResult<Vec<(NominationId, String, NominationState)>> {
                let rows: Vec<(i64, String, String)> = sqlx::query_as(STANDING)
                    .bind(campaign.0)
                    .bind(community.0)
                    .fetch_all(self.read())
                    .await?;
                rows.into_iter()
                    .map(|(id, name, s)| Ok((NominationId(id), name, state(&s)?)))
                    .collect()
            }

            async fn mine(
                &self,
                campaign: CampaignId,
                voter: VoterId,
            ) -> StoreResult<Vec<MyNomination>> {
                let sql = MINE.replace("{supporters}", &SUPPORTERS_OF.replace("{lead}", "l.id"));
                let rows: Vec<MineRow> = sqlx::query_as(&sql)
                    .bind(campaign.0)
                    .bind(voter.0)
                    .fetch_all(self.read())
                    .await?;
                crate::storage::rows::collect(rows)
            }

            async fn per_street(&self, campaign: CampaignId) -> StoreResult<Vec<(StreetId, u32)>> {
                let rows: Vec<(i64, i64)> = sqlx::query_as(PER_STREET)
                    .bind(campaign.0)
                    .fetch_all(self.read())
                    .await?;
                Ok(rows
                    .into_iter()
                    .map(|(s, n)| (StreetId(s), count(Some(n))))
                    .collect())
            }

            async fn queue(
                &self,
                campaign: CampaignId,
                filter: &QueueFilter,
            ) -> StoreResult<Vec<NominationRecord>> {
                let rows: Vec<RecordRow> = sqlx::query_as(&record_sql(QUEUE_TAIL))
                    .bind(campaign.0)
                    .bind(filter.street.map(|s| s.0))
                    .bind(filter.community.map(|c| c.0))
                    .bind(filter.state.map(|s| s.as_str()))
                    .fetch_all(self.read())
                    .await?;
                crate::storage::rows::collect(rows)
            }

            async fn record(
                &self,
                campaign: CampaignId,
                id: NominationId,
            ) -> StoreResult<Option<NominationRecord>> {
                let row: Option<RecordRow> =
                    sqlx::query_as(&record_sql("WHERE n.id = $1 AND n.campaign_id = $2"))
                        .bind(id.0)
                        .bind(campaign.0)
                        .fetch_optional(self.read())
                        .await?;
                row.map(NominationRecord::try_from).transpose()
            }

            async fn photo(&self, id: NominationId, size: &str) -> StoreResult<Option<Vec<u8>>> {
                Ok(sqlx::query_scalar(PHOTO)
                    .bind(id.0)
                    .bind(size)
                    .fetch_optional(self.read())
                    .await?)
            }

            async fn decide(
                &self,
                id: NominationId,
                revision: i64,
                change: &Change,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<Applied> {
                let mut tx = self.begin().await?;
                let done = sqlx::query(DECIDE)
                    .bind(id.0)
                    .bind(revision)
                    .bind(change.state.as_str())
                    .bind(change.reason.map(|r| r.as_str()))
                    .bind(&change.reason_note)
                    .bind(&change.question)
                    .bind(now.0)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Ok(Applied::Stale);
                }
                self.commit_audited(tx, audit, now).await?;
                Ok(Applied::Done)
            }

            async fn answer(
                &self,
                id: NominationId,
                voter: VoterId,
                answer: &str,
            ) -> StoreResult<Applied> {
                let done = sqlx::query(ANSWER)
                    .bind(id.0)
                    .bind(voter.0)
                    .bind(answer)
                    .execute(self.write())
                    .await?;
                Ok(if done.rows_affected() == 0 {
                    Applied::Stale
                } else {
                    Applied::Done
                })
            }

            async fn merge(
                &self,
                from: NominationId,
                revision: i64,
                into: NominationId,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<Applied> {
                let mut tx = self.begin().await?;
                let target: Option<(String, Option<i64>)> = sqlx::query_as(STATE_OF)
                    .bind(into.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                let standing = match target {
                    Some((s, None)) => {
                        let s = state(&s)?;
                        s.is_open() || s == NominationState::Approved
                    }
                    _ => false,
                };
                if !standing || from == into {
                    return Ok(Applied::Stale);
                }
                let done = sqlx::query(MERGE_FROM)
                    .bind(from.0)
                    .bind(revision)
                    .bind(into.0)
                    .bind(now.0)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Ok(Applied::Stale);
                }
                for sql in [MERGE_EARLIER, MOVE_SUPPORTERS] {
                    sqlx::query(sql)
                        .bind(from.0)
                        .bind(into.0)
                        .execute(&mut *tx)
                        .await?;
                }
                self.commit_audited(tx, audit, now).await?;
                Ok(Applied::Done)
            }

            async fn approve(
                &self,
                id: NominationId,
                revision: i64,
                approval: &Approval,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<Result<NomineeId, Applied>> {
                let mut tx = self.begin().await?;
                let approved: Option<(i64, i64)> = sqlx::query_as(APPROVE)
                    .bind(id.0)
                    .bind(revision)
                    .bind(now.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some((campaign, community)) = approved else {
                    return Ok(Err(Applied::Stale));
                };
                let nominee: Option<i64> = sqlx::query_scalar(CREATE_NOMINEE)
                    .bind(campaign)
                    .bind(i32::from(approval.number.get()))
                    .bind(&approval.name)
                    .bind(community)
                    .bind(&approval.story)
                    .bind(now.0)
                    .bind(id.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(nominee) = nominee else {
                    return Ok(Err(Applied::NumberTaken));
                };
                let copied = sqlx::query(COPY_PHOTOS)
                    .bind(nominee)
                    .bind(id.0)
                    .bind(now.0)
                    .execute(&mut *tx)
                    .await?;
                if copied.rows_affected() > 0 {
                    sqlx::query(POINT_PHOTO)
                        .bind(nominee)
                        .bind(format!("/photos/{nominee}/full.jpg?v={}", now.0))
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query(LINK_NOMINEE)
                    .bind(id.0)
                    .bind(nominee)
                    .execute(&mut *tx)
                    .await?;
                self.commit_audited(tx, audit, now).await?;
                Ok(Ok(NomineeId(nominee)))
            }

            async fn link(&self, token_hash: &[u8; 32], now: Millis) -> StoreResult<LinkState> {
                let found: Option<(i64, i64, Option<i64>)> = sqlx::query_as(LINK)
                    .bind(token_hash.to_vec())
                    .fetch_optional(self.read())
                    .await?;
                let Some((id, expires, used)) = found else {
                    return Ok(LinkState::Unknown);
                };
                if used.is_some() {
                    return Ok(LinkState::Used);
                }
                if now.0 >= expires {
                    return Ok(LinkState::Expired);
                }
                let row: Option<RecordRow> = sqlx::query_as(&record_sql("WHERE n.id = $1"))
                    .bind(id)
                    .fetch_optional(self.read())
                    .await?;
                Ok(match row {
                    Some(r) => LinkState::Open(Box::new(r.try_into()?)),
                    None => LinkState::Unknown,
                })
            }

            async fn consent_by_link(
                &self,
                token_hash: &[u8; 32],
                agreed: bool,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<LinkState> {
                let mut tx = self.begin().await?;
                let found: Option<(i64, i64, Option<i64>)> = sqlx::query_as(LINK)
                    .bind(token_hash.to_vec())
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some((id, expires, used)) = found else {
                    return Ok(LinkState::Unknown);
                };
                if used.is_some() {
                    return Ok(LinkState::Used);
                }
                if now.0 >= expires {
                    return Ok(LinkState::Expired);
                }
                let used = sqlx::query(USE_LINK)
                    .bind(token_hash.to_vec())
                    .bind(now.0)
                    .execute(&mut *tx)
                    .await?;
                if used.rows_affected() == 0 {
                    return Ok(LinkState::Used);
                }
                let consent = if agreed {
                    Consent::GivenByLink
                } else {
                    Consent::Declined
                };
                sqlx::query(CONSENT)
                    .bind(id)
                    .bind(consent.as_str())
                    .bind(now.0)
                    .bind(None::<i64>)
                    .bind("")
                    .bind(!agreed)
                    .execute(&mut *tx)
                    .await?;
                let Some(record) = Self::record_in(&mut tx, id).await? else {
                    return Ok(LinkState::Unknown);
                };
                let mut audit = audit.clone();
                audit.subject = format!("nomination {id}");
                self.commit_audited(tx, &audit, now).await?;
                Ok(LinkState::Open(Box::new(record)))
            }

            async fn consent_on_paper(
                &self,
                id: NominationId,
                revision: i64,
                paper: &PaperConsent,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<Applied> {
                let mut tx = self.begin().await?;
                let consent = if paper.agreed {
                    Consent::GivenOnPaper
                } else {
                    Consent::Declined
                };
                let done = sqlx::query(&format!("{CONSENT}{CONSENT_CAS}"))
                    .bind(id.0)
                    .bind(consent.as_str())
                    .bind(now.0)
                    .bind(Some(paper.by.0))
                    .bind(&paper.note)
                    .bind(!paper.agreed)
                    .bind(revision)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Ok(Applied::Stale);
                }
                self.commit_audited(tx, audit, now).await?;
                Ok(Applied::Done)
            }

            async fn nominators_of(
                &self,
                campaign: CampaignId,
            ) -> StoreResult<Vec<(NomineeId, u32)>> {
                let sql =
                    NOMINATORS_OF.replace("{supporters}", &SUPPORTERS_OF.replace("{lead}", "l.id"));
                let rows: Vec<(i64, Option<i64>)> = sqlx::query_as(&sql)
                    .bind(campaign.0)
                    .fetch_all(self.read())
                    .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, n)| (NomineeId(id), count(n)))
                    .collect())
            }
        }
    };
}

nomination_storage!(SqliteStore);
nomination_storage!(PostgresStore);
