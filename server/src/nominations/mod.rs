//! Nominations (推荐): during the nomination phase a signed-in resident puts
//! a community leader forward (or supports a nomination of the same person
//! already there); a reviewer enters a community committee's nominations.
//! Likely duplicates in the same community are shown while typing and on
//! submit. The nominee is asked for consent by a one-use text message link
//! (or a reviewer records the committee's paper). Reviewers decide: eligible,
//! not eligible with a reason, a question for the nominator, a merge that
//! carries every nominator along, or approval into a numbered nominee.
//! Nothing a nominator typed is public before approval; the public sees only
//! the number of nominations per street.

pub mod api;
pub mod http;
pub mod pages;
mod review;

pub use review::{Bulk, QueuePage, QueueView};
pub mod storage;

use std::sync::Arc;

use alleyvote_domain::nomination::{
    self, name, DecisionRefusal, DraftProblem, IneligibleReason, Likeness, NominationFields,
    NominationId, NominationState,
};
use alleyvote_domain::texts;
use alleyvote_domain::{Campaign, CommunityId, Millis, Phase, VoterId};
use rand::Rng;
use serde_json::json;

use crate::audit::{Actor, AuditAction, NewAuditEntry};
use crate::clock::Clock;
use crate::keyed_hashes::Hasher;
use crate::photos::{self, PhotoProblem};
use crate::places::storage::PlaceStorage;
use crate::results::ResultsHub;
use crate::signin::reply::{ReplyPhone, TextBack};
use crate::storage::StoreError;
use storage::{
    Applied, MyNomination, NewNomination, NominationRecord, NominationStorage, Nominator, Put,
};

/// How long a consent link works.
pub const LINK_TTL_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// The most characters of a reviewer's note, question or a nominator's answer.
pub const MAX_NOTE_CHARS: usize = 500;

#[derive(Debug, Clone)]
pub struct NominationSettings {
    /// Nominations (and supports) per resident per campaign.
    pub per_resident: u32,
}

/// Why a nomination was not taken.
#[derive(Debug, thiserror::Error)]
pub enum NominateError {
    /// Not the nomination phase (for a committee's: nor the review phase).
    #[error("nominations are closed")]
    Closed,
    /// A committee's nomination is entered by a signed-in organizer only.
    #[error("no organizer entered it")]
    NotAnOrganizer,
    #[error("{0}")]
    Problem(DraftProblem),
    /// The nominator's number for questions is a mobile number, but not
    /// the one they signed in with (worded as [`DraftProblem::MyPhone`]).
    #[error("not the nominator's own number")]
    NotOwnNumber,
    /// A community id that is no community's (read, but not found).
    #[error("no such community")]
    UnknownCommunity,
    #[error("photo: {0}")]
    Photo(PhotoProblem),
    /// Likely duplicates, and the nominator has not said it is someone else.
    #[error("likely duplicates")]
    Duplicates(Vec<Suggestion>),
    #[error("the limit is reached")]
    LimitReached,
    #[error("already counted for this person")]
    AlreadyCounted,
    #[error("that nomination no longer stands")]
    NotStanding,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why a reviewer's decision was not taken.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("no such nomination")]
    NotFound,
    #[error("{0}")]
    Refused(DecisionRefusal),
    /// Someone decided first; look again.
    #[error("changed meanwhile")]
    Stale,
    #[error("the number is taken")]
    NumberTaken,
    /// A required reason, question or note is missing or too long.
    #[error("a note is missing or too long")]
    Note,
    /// Voting has opened: the list of nominees is fixed.
    #[error("voting has opened")]
    Closed,
    #[error("photo: {0}")]
    Photo(PhotoProblem),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A likely duplicate, as the nominator is shown it: the name and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Suggestion {
    pub id: NominationId,
    pub name: String,
    pub likeness: Likeness,
}

/// What a reviewer decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Review {
    Eligible,
    Ineligible {
        reason: IneligibleReason,
        note: String,
    },
    AskForInfo {
        question: String,
    },
    MergeInto(NominationId),
}

/// A queue row: the nomination and its likely duplicates.
#[derive(Debug, Clone)]
pub struct Queued {
    pub record: NominationRecord,
    pub duplicates: Vec<Suggestion>,
}

pub struct Nominations {
    store: Arc<dyn NominationStorage>,
    places: Arc<dyn PlaceStorage>,
    hasher: Hasher,
    /// Sends the nominee's consent link, and a reviewer's question to a
    /// nominator who gave their number.
    texts: TextBack,
    hub: ResultsHub,
    settings: NominationSettings,
    /// The clock every rule about time reads (one per instance: the
    /// configuration's, which a test may set).
    clock: Clock,
}

/// A note, question or answer as typed: invisible control characters
/// dropped, the ends trimmed, at most [`MAX_NOTE_CHARS`].
fn note(text: &str, required: bool) -> Result<String, ReviewError> {
    let kept: String = text
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect();
    let t = kept.trim();
    let ok = t.chars().count() <= MAX_NOTE_CHARS && (!required || !t.is_empty());
    ok.then(|| t.to_string()).ok_or(ReviewError::Note)
}

/// The likely duplicates of `typed` among a community's standing nominations.
fn among(
    typed: &str,
    community: CommunityId,
    standing: &[(NominationId, String, NominationState)],
) -> Vec<Suggestion> {
    let found = nomination::duplicates(
        typed,
        community,
        standing
            .iter()
            .map(|(id, n, _)| (*id, community, n.as_str())),
    );
    found
        .into_iter()
        .filter_map(|(id, likeness)| {
            standing
                .iter()
                .find(|(s, _, _)| *s == id)
                .map(|(_, n, _)| Suggestion {
                    id,
                    name: n.clone(),
                    likeness,
                })
        })
        .collect()
}

impl Nominations {
    pub fn new(
        store: Arc<dyn NominationStorage>,
        places: Arc<dyn PlaceStorage>,
        hasher: Hasher,
        texts: TextBack,
        hub: ResultsHub,
        settings: NominationSettings,
        clock: Clock,
    ) -> Self {
        Nominations {
            store,
            places,
            hasher,
            texts,
            hub,
            settings,
            clock,
        }
    }

    pub fn per_resident(&self) -> u32 {
        self.settings.per_resident
    }

    /// Likely duplicates of `name` among the nominations standing in `community`.
    pub async fn suggest(
        &self,
        campaign: &Campaign,
        community: CommunityId,
        typed: &str,
    ) -> Result<Vec<Suggestion>, StoreError> {
        if name::normalise(typed).chars().count() < 2 {
            return Ok(Vec::new());
        }
        let standing = self.store.standing(campaign.id, community).await?;
        Ok(among(typed, community, &standing))
    }

    /// A resident's nomination. Unless `different_person`, likely duplicates
    /// stop it, so the resident can support one of them instead.
    pub async fn nominate(
        &self,
        campaign: &Campaign,
        voter: VoterId,
        fields: &NominationFields,
        different_person: bool,
        photo: Option<Vec<u8>>,
    ) -> Result<NominationId, NominateError> {
        let now = self.clock.now();
        if campaign.phase(now) != Phase::Nomination {
            return Err(NominateError::Closed);
        }
        let draft = self.read(fields, false).await?;
        let own = self.store.voter_identity(voter).await?;
        if let Some(phone) = &draft.nominee_phone {
            // The consent link must reach the nominee, not the nominator.
            if own == Some(self.hasher.phone(phone)) {
                return Err(NominateError::Problem(DraftProblem::OwnPhone));
            }
        }
        // A number for questions is the nominator's own, or refused.
        let reply = match &draft.my_phone {
            None => None,
            Some(phone) => Some(
                self.texts
                    .own(own, phone)
                    .ok_or(NominateError::NotOwnNumber)?,
            ),
        };
        if !different_person {
            let duplicates = self.suggest(campaign, draft.community, &draft.name).await?;
            if !duplicates.is_empty() {
                return Err(NominateError::Duplicates(duplicates));
            }
        }
        self.store_new(campaign, &draft, voter, reply.as_ref(), photo, now)
            .await
    }

    /// A community committee's nomination, entered by a reviewer or an
    /// administrator (during nomination and review).
    pub async fn enter_for_committee(
        &self,
        campaign: &Campaign,
        actor: Actor<'_>,
        fields: &NominationFields,
        photo: Option<Vec<u8>>,
    ) -> Result<NominationId, NominateError> {
        let now = self.clock.now();
        if !matches!(campaign.phase(now), Phase::Nomination | Phase::Review) {
            return Err(NominateError::Closed);
        }
        let Some(by) = actor.id else {
            return Err(NominateError::NotAnOrganizer);
        };
        let draft = self.read(fields, true).await?;
        let photo = self.processed(photo).await?;
        let (new, token) =
            self.new_nomination(campaign, &draft, Nominator::Committee(by), &photo, now);
        let audit = NewAuditEntry::new(actor, AuditAction::NominationEnter, "nomination")
            .after(json!({ "name": draft.name, "community": draft.community.0, "role": draft.role.as_str() }));
        let id = self.store.nominate_for_committee(&new, &audit, now).await?;
        self.ask_consent(campaign, &draft, token).await;
        Ok(id)
    }

    /// Counts a resident for a standing nomination of the same person.
    /// `typed` and `community` are what the resident typed: only a likely
    /// duplicate of that can be supported, so no id reveals a name the
    /// resident did not already have in mind.
    pub async fn support(
        &self,
        campaign: &Campaign,
        voter: VoterId,
        lead: NominationId,
        (typed, community): (&str, CommunityId),
    ) -> Result<NominationId, NominateError> {
        let now = self.clock.now();
        if campaign.phase(now) != Phase::Nomination {
            return Err(NominateError::Closed);
        }
        let alike = self
            .store
            .record(campaign.id, lead)
            .await?
            .is_some_and(|r| r.community == community && name::likeness(typed, &r.name).is_some());
        if !alike {
            return Err(NominateError::NotStanding);
        }
        let audit = NewAuditEntry::by_resident(
            voter,
            AuditAction::NominationSupport,
            format!("nomination {lead}"),
        );
        match self
            .store
            .support(
                campaign.id,
                lead,
                voter,
                self.settings.per_resident,
                &audit,
                now,
            )
            .await?
        {
            Put::Done(id) => Ok(id),
            Put::LimitReached => Err(NominateError::LimitReached),
            Put::AlreadyCounted => Err(NominateError::AlreadyCounted),
            Put::NotStanding => Err(NominateError::NotStanding),
        }
    }

    /// The nominator supports a likely duplicate instead of their own
    /// nomination: theirs is merged into it, and they count there. Only a
    /// likely duplicate of the name they typed, as for a support: a merge
    /// into anyone else's would put a stranger's nomination in their hands.
    pub async fn join(
        &self,
        campaign: &Campaign,
        voter: VoterId,
        own: NominationId,
        lead: NominationId,
    ) -> Result<(), NominateError> {
        let now = self.clock.now();
        if campaign.phase(now) != Phase::Nomination {
            return Err(NominateError::Closed);
        }
        let mine = self
            .store
            .record(campaign.id, own)
            .await?
            .filter(|r| r.nominator == Some(voter) && r.state == NominationState::Submitted)
            .ok_or(NominateError::NotStanding)?;
        self.store
            .record(campaign.id, lead)
            .await?
            .filter(|t| {
                t.merged_into.is_none()
                    && t.id != own
                    && t.community == mine.community
                    && name::likeness(&mine.name, &t.name).is_some()
                    && (t.state.is_open() || t.state == NominationState::Approved)
            })
            .ok_or(NominateError::NotStanding)?;
        let audit = NewAuditEntry::by_resident(
            voter,
            AuditAction::NominationMerge,
            format!("nomination {own}"),
        )
        .after(json!({ "merged_into": lead.0, "by_nominator": true }));
        match self
            .store
            .merge(own, mine.revision, lead, &audit, now)
            .await?
        {
            Applied::Done => Ok(()),
            _ => Err(NominateError::NotStanding),
        }
    }

    /// The answers through the links of nominations merged into `lead`.
    pub async fn merged_answers(
        &self,
        lead: NominationId,
    ) -> Result<Vec<(NominationId, nomination::Consent)>, StoreError> {
        self.store.merged_answers(lead).await
    }

    /// The nominator says the likely duplicates shown are someone else:
    /// theirs stays, and they are not offered again.
    pub async fn keep_separate(
        &self,
        campaign: &Campaign,
        voter: VoterId,
        own: NominationId,
    ) -> Result<(), NominateError> {
        let now = self.clock.now();
        if campaign.phase(now) != Phase::Nomination {
            return Err(NominateError::Closed);
        }
        let audit = NewAuditEntry::by_resident(
            voter,
            AuditAction::NominationKeep,
            format!("nomination {own}"),
        );
        if self.store.keep_separate(own, voter, &audit, now).await? {
            Ok(())
        } else {
            Err(NominateError::NotStanding)
        }
    }

    /// The nominations merged into `lead`, whose stories it carries.
    pub async fn merged_into(
        &self,
        campaign: &Campaign,
        lead: NominationId,
    ) -> Result<Vec<NominationRecord>, StoreError> {
        self.store.merged_into(campaign.id, lead).await
    }

    pub async fn mine(
        &self,
        campaign: &Campaign,
        voter: VoterId,
    ) -> Result<Vec<MyNomination>, StoreError> {
        self.store.mine(campaign.id, voter).await
    }

    /// Nominations received per street, every street in its order: counts
    /// only, never names.
    pub async fn per_street(
        &self,
        campaign: &Campaign,
    ) -> Result<Vec<(alleyvote_domain::Street, u32)>, StoreError> {
        let counts = self.store.per_street(campaign.id).await?;
        Ok(self
            .places
            .streets()
            .await?
            .into_iter()
            .map(|s| {
                let n = counts
                    .iter()
                    .find(|(id, _)| *id == s.id)
                    .map_or(0, |(_, n)| *n);
                (s, n)
            })
            .collect())
    }

    /// The nominator's answer to a reviewer's question.
    pub async fn answer(
        &self,
        campaign: &Campaign,
        voter: VoterId,
        id: NominationId,
        text: &str,
    ) -> Result<(), ReviewError> {
        let now = self.clock.now();
        if !matches!(campaign.phase(now), Phase::Nomination | Phase::Review) {
            return Err(ReviewError::Closed);
        }
        let text = note(text, true)?;
        let audit = NewAuditEntry::by_resident(
            voter,
            AuditAction::NominationAnswer,
            format!("nomination {id}"),
        )
        .after(json!({ "answer": text }));
        match self
            .store
            .answer(campaign.id, id, voter, &text, &audit, now)
            .await?
        {
            Applied::Done => Ok(()),
            _ => Err(ReviewError::Stale),
        }
    }

    async fn read(
        &self,
        fields: &NominationFields,
        committee: bool,
    ) -> Result<nomination::NominationDraft, NominateError> {
        let draft = fields.read(committee).map_err(NominateError::Problem)?;
        if self.places.community(draft.community).await?.is_none() {
            return Err(NominateError::UnknownCommunity);
        }
        Ok(draft)
    }

    async fn processed(
        &self,
        upload: Option<Vec<u8>>,
    ) -> Result<Option<photos::Processed>, NominateError> {
        match upload.filter(|u| !u.is_empty()) {
            None => Ok(None),
            Some(u) => Ok(Some(
                photos::process_in_turn(u)
                    .await?
                    .map_err(NominateError::Photo)?,
            )),
        }
    }

    fn new_nomination<'a>(
        &self,
        campaign: &Campaign,
        draft: &'a nomination::NominationDraft,
        nominator: Nominator,
        photo: &'a Option<photos::Processed>,
        now: Millis,
    ) -> (NewNomination<'a>, Option<String>) {
        let token = draft.nominee_phone.as_ref().map(|_| short_token());
        let new = NewNomination {
            campaign: campaign.id,
            draft,
            name_key: name::normalise(&draft.name),
            sound_key: name::sound(&draft.name),
            nominator,
            phone: draft
                .nominee_phone
                .as_ref()
                .map(|p| (self.hasher.phone(p), p.masked())),
            photo: photo
                .as_ref()
                .map(|p| (p.full.as_slice(), p.card.as_slice())),
            consent_link: token
                .as_ref()
                .map(|t| (Hasher::token(t), Millis(now.0 + LINK_TTL_MS))),
            nominator_reply: None,
        };
        (new, token)
    }

    /// Stores a resident's nomination, audited under their pseudonym.
    async fn store_new(
        &self,
        campaign: &Campaign,
        draft: &nomination::NominationDraft,
        voter: VoterId,
        reply: Option<&ReplyPhone>,
        photo: Option<Vec<u8>>,
        now: Millis,
    ) -> Result<NominationId, NominateError> {
        let photo = self.processed(photo).await?;
        let (mut new, token) =
            self.new_nomination(campaign, draft, Nominator::Resident(voter), &photo, now);
        new.nominator_reply = reply;
        let audit = NewAuditEntry::by_resident(voter, AuditAction::NominationSubmit, "nomination")
            .after(json!({ "name": draft.name, "community": draft.community.0 }));
        match self
            .store
            .nominate(&new, self.settings.per_resident, &audit, now)
            .await?
        {
            Put::Done(id) => {
                self.ask_consent(campaign, draft, token).await;
                Ok(id)
            }
            Put::LimitReached => Err(NominateError::LimitReached),
            Put::AlreadyCounted => Err(NominateError::AlreadyCounted),
            Put::NotStanding => Err(NominateError::NotStanding),
        }
    }

    /// Sends the consent link, signed like every text, with the organisers'
    /// telephone. A failed send is logged: the reviewer can still record
    /// consent on paper.
    async fn ask_consent(
        &self,
        campaign: &Campaign,
        draft: &nomination::NominationDraft,
        token: Option<String>,
    ) {
        let (Some(phone), Some(token)) = (draft.nominee_phone.as_ref(), token) else {
            return;
        };
        let link = self.texts.link(&format!("/consent/{token}"));
        let days = u32::try_from(LINK_TTL_MS / 86_400_000).unwrap_or(7);
        let text = texts::consent_request(&link, days, campaign.hotline.as_ref());
        // A failed send is logged by the sender; a reviewer can still
        // record consent on paper.
        self.texts.send_to(phone, &text, &token).await;
    }
}

/// The letters a consent link's token is made of: no 0/O, 1/I, so it can be
/// read aloud or typed from a text on an old phone.
const TOKEN_LETTERS: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// A consent link's token: 10 letters, 50 random bits. Enough for a link
/// that works once, for seven days, and is kept only as a keyed hash;
/// short enough that the text does not look like a scam's.
fn short_token() -> String {
    let mut rng = rand::rng();
    (0..10)
        .map(|_| char::from(TOKEN_LETTERS[rng.random_range(0..TOKEN_LETTERS.len())]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consent_tokens_are_short_and_unambiguous() {
        let a = short_token();
        assert_eq!(a.len(), 10);
        assert!(a.bytes().all(|b| TOKEN_LETTERS.contains(&b)), "{a}");
        assert!(!a.contains(['0', 'O', '1', 'I']));
        let many: std::collections::HashSet<String> = (0..1_000).map(|_| short_token()).collect();
        assert_eq!(many.len(), 1_000, "no repeats in a thousand");
    }

    #[test]
    fn notes_are_bounded_and_plain() {
        assert!(note("", true).is_err());
        assert_eq!(note(" 补充材料 ", true).unwrap(), "补充材料");
        assert!(note(&"字".repeat(MAX_NOTE_CHARS + 1), false).is_err());
        assert_eq!(note("a\u{7}b\r\nc", false).unwrap(), "ab\nc");
        assert_eq!(note("", false).unwrap(), "");
    }
}
