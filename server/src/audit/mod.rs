//! The tamper-evident audit log. Every organizer action is an append-only
//! entry (who, when, what, before and after); each entry's hash covers its
//! own fields and the previous entry's hash, and entries are numbered 1, 2, 3…
//! without gaps. Editing, deleting or reordering any entry breaks the chain
//! from there on, and `alleyvote audit verify` names the first broken one.
//! (Cutting entries off the end leaves a shorter valid chain: the verifier
//! prints the head's number and hash so they can be noted down elsewhere,
//! and checks a noted head later.) The hashes are keyed (`chain.rs`), so
//! whoever can write the table cannot rebuild a chain that verifies.

pub mod chain;
pub mod storage;

pub use chain::{chain_hash, verify, AuditKey, Broken, Head, GENESIS};

use std::sync::Arc;

use alleyvote_domain::organizer::OrganizerId;
use alleyvote_domain::{Millis, VoterId};

use crate::storage::StoreResult;
use storage::{AuditStorage, StoredAudit};

/// The audit log: reading it, and checking its chain with the key.
pub struct AuditLog {
    pub store: Arc<dyn AuditStorage>,
    pub key: AuditKey,
}

impl AuditLog {
    /// The whole chain checked: its head, or where it first breaks.
    pub async fn verify(&self) -> StoreResult<Result<Head, Broken>> {
        let chain = self.store.audit_chain().await?;
        Ok(verify(&self.key, chain.into_iter().map(StoredAudit::link)))
    }

    /// Whether the newest entry is plain (hashed before the chain was keyed):
    /// the log then waits for an operator's `alleyvote audit seal`.
    pub async fn awaits_seal(&self) -> StoreResult<bool> {
        Ok(self.newest().await?.is_some_and(|e| !e.keyed))
    }

    async fn newest(&self) -> StoreResult<Option<StoredAudit>> {
        let head = self
            .store
            .audit_entries(&storage::AuditFilter {
                limit: 1,
                ..storage::AuditFilter::default()
            })
            .await?;
        Ok(head.into_iter().next())
    }

    /// Seals entries from before the chain was keyed with a keyed one after
    /// them: from then on none may be rewritten. Only an operator's command
    /// does this, never the server by itself: whoever could write the table
    /// could otherwise rewrite the whole chain unkeyed and wait for the next
    /// start to have it sealed. Check the old entries first (against a head
    /// noted down earlier).
    pub async fn seal_plain_entries(&self, now: Millis) -> StoreResult<Option<i64>> {
        match self.newest().await? {
            Some(newest) if !newest.keyed => {
                let seal = NewAuditEntry::new(Actor::SYSTEM, AuditAction::AuditKeyed, "audit_log")
                    .after(serde_json::json!({ "sealed_through": newest.record.seq }));
                self.store.append_audit(&seal, now).await?;
                Ok(Some(newest.record.seq))
            }
            _ => Ok(None),
        }
    }
}

/// `2026-11-27 21:05:13`, Shanghai time: how entries show their instant.
pub fn shanghai_time(at: Millis) -> String {
    let w = at.shanghai();
    let seconds = at.0.div_euclid(1000).rem_euclid(60);
    format!("{} {}:{seconds:02}", w.date_iso(), w.time())
}

/// One entry as stored, without its hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub seq: i64,
    pub at: Millis,
    /// `None` for the system itself (a command run on the server).
    pub actor: Option<OrganizerId>,
    pub actor_name: String,
    /// What was done, e.g. `organizer.login`, `nominee.update`.
    pub action: String,
    /// What it was done to, e.g. `nominee:12`.
    pub subject: String,
    /// JSON of the thing before and after; `None` where there is none.
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Every kind of thing the audit log records. The text form is what is
/// stored and hashed, so a variant's text never changes once released.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    CampaignCreate,
    CampaignUpdate,
    NomineeCreate,
    NomineeUpdate,
    NomineePhoto,
    NomineeWithdraw,
    NomineeRestore,
    OrganizerCreate,
    OrganizerUpdate,
    OrganizerLogin,
    OrganizerLogout,
    OrganizerLogoutEverywhere,
    OrganizerStations,
    StationCreate,
    StreetImport,
    StreetRename,
    StreetRenameCommunity,
    StreetRemoveCommunity,
    BallotCodesMint,
    StationUpdate,
    /// The operators who key a station's sheets, set from its page.
    StationOperators,
    /// A station never keyed, removed with its empty sheets and stock.
    StationRemove,
    BallotStock,
    PaperRule,
    SheetCreate,
    SheetDraft,
    SheetFinish,
    SheetResolve,
    SheetReopen,
    SheetPhoto,
    /// A sheet let count without its photo, with a reason.
    SheetPhotoWaive,
    RankRule,
    /// A change of the ranking rule refused because voting had opened.
    RankRuleRefused,
    LotDrawn,
    PublicationStep,
    /// A change the results' stage forbids (published results, a jury after
    /// voting closed), refused: the attempt alone.
    LockedRefused,
    ObjectionAnswer,
    /// The correction procedure's steps (proposed, confirmed by a second
    /// administrator, cancelled, published as a new revision).
    CorrectionProposed,
    CorrectionConfirmed,
    CorrectionCancelled,
    CorrectionPublished,
    ScreenControl,
    ResultsExport,
    JuryAppoint,
    JuryScore,
    NominationEnter,
    NominationDecide,
    NominationMerge,
    NominationApprove,
    NominationConsent,
    NominationPhoto,
    /// A resident's own nomination (the actor is their pseudonym).
    NominationSubmit,
    /// A resident counted for a standing nomination instead of a new one.
    NominationSupport,
    /// A nominator's answer to a reviewer's question.
    NominationAnswer,
    /// A nominator said a likely duplicate is someone else: keep theirs.
    NominationKeep,
    /// A reviewer undid a merge: the merged nomination stands again.
    NominationUnmerge,
    /// Seals the entries hashed before the chain was keyed.
    AuditKeyed,
}

impl AuditAction {
    pub const ALL: [AuditAction; 57] = [
        AuditAction::CampaignCreate,
        AuditAction::CampaignUpdate,
        AuditAction::NomineeCreate,
        AuditAction::NomineeUpdate,
        AuditAction::NomineePhoto,
        AuditAction::NomineeWithdraw,
        AuditAction::NomineeRestore,
        AuditAction::OrganizerCreate,
        AuditAction::OrganizerUpdate,
        AuditAction::OrganizerLogin,
        AuditAction::OrganizerLogout,
        AuditAction::OrganizerLogoutEverywhere,
        AuditAction::OrganizerStations,
        AuditAction::StationCreate,
        AuditAction::StreetImport,
        AuditAction::StreetRename,
        AuditAction::StreetRenameCommunity,
        AuditAction::StreetRemoveCommunity,
        AuditAction::BallotCodesMint,
        AuditAction::StationUpdate,
        AuditAction::StationOperators,
        AuditAction::StationRemove,
        AuditAction::BallotStock,
        AuditAction::PaperRule,
        AuditAction::SheetCreate,
        AuditAction::SheetDraft,
        AuditAction::SheetFinish,
        AuditAction::SheetResolve,
        AuditAction::SheetReopen,
        AuditAction::SheetPhoto,
        AuditAction::SheetPhotoWaive,
        AuditAction::RankRule,
        AuditAction::RankRuleRefused,
        AuditAction::LotDrawn,
        AuditAction::PublicationStep,
        AuditAction::LockedRefused,
        AuditAction::ObjectionAnswer,
        AuditAction::CorrectionProposed,
        AuditAction::CorrectionConfirmed,
        AuditAction::CorrectionCancelled,
        AuditAction::CorrectionPublished,
        AuditAction::ScreenControl,
        AuditAction::ResultsExport,
        AuditAction::JuryAppoint,
        AuditAction::JuryScore,
        AuditAction::NominationEnter,
        AuditAction::NominationDecide,
        AuditAction::NominationMerge,
        AuditAction::NominationApprove,
        AuditAction::NominationConsent,
        AuditAction::NominationPhoto,
        AuditAction::NominationSubmit,
        AuditAction::NominationSupport,
        AuditAction::NominationAnswer,
        AuditAction::NominationKeep,
        AuditAction::NominationUnmerge,
        AuditAction::AuditKeyed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::CampaignCreate => "campaign.create",
            AuditAction::CampaignUpdate => "campaign.update",
            AuditAction::NomineeCreate => "nominee.create",
            AuditAction::NomineeUpdate => "nominee.update",
            AuditAction::NomineePhoto => "nominee.photo",
            AuditAction::NomineeWithdraw => "nominee.withdraw",
            AuditAction::NomineeRestore => "nominee.restore",
            AuditAction::OrganizerCreate => "organizer.create",
            AuditAction::OrganizerUpdate => "organizer.update",
            AuditAction::OrganizerLogin => "organizer.login",
            AuditAction::OrganizerLogout => "organizer.logout",
            AuditAction::OrganizerLogoutEverywhere => "organizer.logout_everywhere",
            AuditAction::OrganizerStations => "organizer.stations",
            AuditAction::StationCreate => "station.create",
            AuditAction::StreetImport => "street.import",
            AuditAction::StreetRename => "street.rename",
            AuditAction::StreetRenameCommunity => "street.rename_community",
            AuditAction::StreetRemoveCommunity => "street.remove_community",
            AuditAction::BallotCodesMint => "ballot_codes.mint",
            AuditAction::StationUpdate => "station.update",
            AuditAction::StationOperators => "station.operators",
            AuditAction::StationRemove => "station.remove",
            AuditAction::BallotStock => "station.ballot_stock",
            AuditAction::PaperRule => "paper.rule",
            AuditAction::SheetCreate => "sheet.create",
            AuditAction::SheetDraft => "sheet.draft",
            AuditAction::SheetFinish => "sheet.finish",
            AuditAction::SheetResolve => "sheet.resolve",
            AuditAction::SheetReopen => "sheet.reopen",
            AuditAction::SheetPhoto => "sheet.photo",
            AuditAction::SheetPhotoWaive => "sheet.photo_waive",
            AuditAction::RankRule => "results.rule",
            AuditAction::RankRuleRefused => "results.rule_refused",
            AuditAction::LotDrawn => "results.lot",
            AuditAction::PublicationStep => "results.publication",
            AuditAction::LockedRefused => "results.locked_refused",
            AuditAction::ObjectionAnswer => "results.objection_answer",
            AuditAction::CorrectionProposed => "results.correction_proposed",
            AuditAction::CorrectionConfirmed => "results.correction_confirmed",
            AuditAction::CorrectionCancelled => "results.correction_cancelled",
            AuditAction::CorrectionPublished => "results.correction_published",
            AuditAction::ScreenControl => "screen.control",
            AuditAction::ResultsExport => "results.export",
            AuditAction::JuryAppoint => "jury.appoint",
            AuditAction::JuryScore => "jury.score",
            AuditAction::NominationEnter => "nomination.enter",
            AuditAction::NominationDecide => "nomination.decide",
            AuditAction::NominationMerge => "nomination.merge",
            AuditAction::NominationApprove => "nomination.approve",
            AuditAction::NominationConsent => "nomination.consent",
            AuditAction::NominationPhoto => "nomination.photo",
            AuditAction::NominationSubmit => "nomination.submit",
            AuditAction::NominationSupport => "nomination.support",
            AuditAction::NominationAnswer => "nomination.answer",
            AuditAction::NominationKeep => "nomination.keep",
            AuditAction::NominationUnmerge => "nomination.unmerge",
            AuditAction::AuditKeyed => "audit.keyed",
        }
    }
}

/// Who does an action: an organizer, or the system itself (a command run on
/// the server).
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub id: Option<OrganizerId>,
    pub name: &'a str,
}

impl Actor<'static> {
    pub const SYSTEM: Actor<'static> = Actor {
        id: None,
        name: "system",
    };
}

/// How the log names a resident: `居民 #12`.
pub fn resident_pseudonym(voter: VoterId) -> String {
    format!("居民 #{}", voter.0)
}

/// An entry to append; the log gives it its number and time.
#[derive(Debug, Clone)]
pub struct NewAuditEntry {
    pub actor: Option<OrganizerId>,
    pub actor_name: String,
    pub action: AuditAction,
    pub subject: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl NewAuditEntry {
    pub fn new(actor: Actor<'_>, action: AuditAction, subject: impl Into<String>) -> Self {
        NewAuditEntry {
            actor: actor.id,
            actor_name: actor.name.to_string(),
            action,
            subject: subject.into(),
            before: None,
            after: None,
        }
    }

    /// An action of a resident, named by their pseudonym: the voter's
    /// number in the database, which says nothing of their phone.
    pub fn by_resident(voter: VoterId, action: AuditAction, subject: impl Into<String>) -> Self {
        NewAuditEntry {
            actor: None,
            actor_name: resident_pseudonym(voter),
            action,
            subject: subject.into(),
            before: None,
            after: None,
        }
    }

    pub fn before(mut self, value: serde_json::Value) -> Self {
        self.before = Some(value);
        self
    }

    pub fn after(mut self, value: serde_json::Value) -> Self {
        self.after = Some(value);
        self
    }

    pub fn record(&self, seq: i64, at: Millis) -> AuditRecord {
        AuditRecord {
            seq,
            at,
            actor: self.actor,
            actor_name: self.actor_name.clone(),
            action: self.action.as_str().to_string(),
            subject: self.subject.clone(),
            before: self.before.as_ref().map(|v| v.to_string()),
            after: self.after.as_ref().map(|v| v.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_reads_in_words_on_the_log_page() {
        for action in AuditAction::ALL {
            for lang in [alleyvote_domain::Lang::Zh, alleyvote_domain::Lang::En] {
                assert!(
                    alleyvote_domain::audit_words::action_words(action.as_str(), lang).is_some(),
                    "{} has no words",
                    action.as_str()
                );
            }
        }
    }

    #[test]
    fn action_texts_are_unique_and_dotted() {
        let mut seen = std::collections::HashSet::new();
        for a in AuditAction::ALL {
            assert!(seen.insert(a.as_str()), "{} twice", a.as_str());
            assert!(a.as_str().contains('.'));
        }
    }
}
