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

use crate::signin::reply::ReplyPhone;

mod impls;
mod rows;
mod sql;

use crate::audit::NewAuditEntry;
use crate::storage::StoreResult;

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
    /// The nominator's own number, sealed, to text them a reviewer's question.
    pub nominator_reply: Option<&'a ReplyPhone>,
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
    /// Whether they said its likely duplicates are someone else.
    pub kept: bool,
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
    /// Answered already: what, and when (`agreed` is `None` for links
    /// answered before answers were kept on the link).
    Used {
        agreed: Option<bool>,
        at: Millis,
    },
    Open(Box<NominationRecord>),
}

/// A consent link as stored: its nomination, expiry, and answer if any.
pub(super) type LinkRow = (i64, i64, Option<i64>, Option<bool>);

impl LinkState {
    /// A used link's state, or `None` while it is unused.
    pub(super) fn used(row: &LinkRow) -> Option<LinkState> {
        let (_, _, used, agreed) = *row;
        used.map(|at| LinkState::Used {
            agreed,
            at: Millis(at),
        })
    }
}

#[async_trait]
pub trait NominationStorage: Send + Sync {
    /// Stores a resident's nomination (counted against `limit`), with its
    /// audit entry.
    async fn nominate(
        &self,
        new: &NewNomination<'_>,
        limit: u32,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<Put>;
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
        audit: &NewAuditEntry,
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
    async fn answer(
        &self,
        campaign: CampaignId,
        id: NominationId,
        voter: VoterId,
        answer: &str,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<Applied>;
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
    /// The nominee's answer through the link (used once): it stands for the
    /// nomination the link was sent for, and for no other.
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
    /// Replaces an open nomination's photo (a reviewer's, before approval),
    /// with its audit entry; `Stale` when it is decided already.
    async fn replace_photo(
        &self,
        id: NominationId,
        photo: (&[u8], &[u8]),
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<Applied>;
    /// The answers given through the links of nominations merged into
    /// `lead` (not pending), in id order: shown to the reviewer beside the
    /// lead's own consent, never copied onto it.
    async fn merged_answers(&self, lead: NominationId)
        -> StoreResult<Vec<(NominationId, Consent)>>;
    /// Undoes the merge of `from` (at `revision`) into the nomination it
    /// was merged into directly, while that one is still open and stands:
    /// `from` gets its state back, with the nominations merged into it
    /// before and the supporters who came through them. `Stale` otherwise.
    async fn unmerge(
        &self,
        from: NominationId,
        revision: i64,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<Applied>;
    /// Records that the nominator of `id` (`voter`) said its likely
    /// duplicates are someone else, with its audit entry; `false` if it is
    /// not theirs, no longer new, or was kept already.
    async fn keep_separate(
        &self,
        id: NominationId,
        voter: VoterId,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<bool>;
    /// The nominations merged into `lead` (a merge carries those merged
    /// before it along), oldest first: their stories stay readable on it.
    async fn merged_into(
        &self,
        campaign: CampaignId,
        lead: NominationId,
    ) -> StoreResult<Vec<NominationRecord>>;
    /// A resident's keyed identity (for a phone voter, the keyed hash of
    /// their number), to tell a nominee's number that is the nominator's own.
    async fn voter_identity(&self, voter: VoterId) -> StoreResult<Option<[u8; 32]>>;
    /// The nominator's sealed number, if they gave one and were not texted
    /// since `not_since`; marks them texted at `now` in the same statement,
    /// so two reviewers' questions at once send one text.
    async fn claim_nominator_text(
        &self,
        id: NominationId,
        now: Millis,
        not_since: Millis,
    ) -> StoreResult<Option<Vec<u8>>>;
    /// How many residents put each approved nominee forward.
    async fn nominators_of(&self, campaign: CampaignId) -> StoreResult<Vec<(NomineeId, u32)>>;
}
