//! The tamper-evident audit log. Every organizer action is an append-only
//! entry (who, when, what, before and after); each entry's hash covers its
//! own fields and the previous entry's hash, and entries are numbered 1, 2, 3…
//! without gaps. Editing, deleting or reordering any entry breaks the chain
//! from there on, and `alleyvote audit verify` names the first broken one.
//! (Cutting entries off the end leaves a shorter valid chain: the verifier
//! prints the head's number and hash so they can be noted down elsewhere.)

pub mod http;
pub mod storage;

use sha2::{Digest, Sha256};

use alleyvote_domain::organizer::OrganizerId;
use alleyvote_domain::Millis;

/// `2026-11-27 21:05:13`, Shanghai time: how entries show their instant.
pub fn shanghai_time(at: Millis) -> String {
    let w = at.shanghai();
    let seconds = at.0.div_euclid(1000).rem_euclid(60);
    format!("{} {}:{seconds:02}", w.date_iso(), w.time())
}

/// The hash before the first entry.
pub const GENESIS: [u8; 32] = [0; 32];

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
}

impl AuditAction {
    pub const ALL: [AuditAction; 18] = [
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

/// Each field length-prefixed, so no two different entries hash the same text.
fn feed(h: &mut Sha256, field: &[u8]) {
    h.update((field.len() as u64).to_be_bytes());
    h.update(field);
}

fn feed_opt(h: &mut Sha256, field: Option<&str>) {
    match field {
        None => h.update([0u8]),
        Some(s) => {
            h.update([1u8]);
            feed(h, s.as_bytes());
        }
    }
}

/// The entry's hash: its fields and the hash before it.
pub fn chain_hash(prev: &[u8; 32], r: &AuditRecord) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"alleyvote-audit-v1");
    h.update(prev);
    h.update(r.seq.to_be_bytes());
    h.update(r.at.0.to_be_bytes());
    h.update(r.actor.map_or(-1, |a| a.0).to_be_bytes());
    feed(&mut h, r.actor_name.as_bytes());
    feed(&mut h, r.action.as_bytes());
    feed(&mut h, r.subject.as_bytes());
    feed_opt(&mut h, r.before.as_deref());
    feed_opt(&mut h, r.after.as_deref());
    h.finalize().into()
}

/// Where the chain first breaks, and how.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("audit entry {seq} is broken: {why}")]
pub struct Broken {
    pub seq: i64,
    pub why: &'static str,
}

/// The head of a valid chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub entries: i64,
    pub hash: [u8; 32],
}

/// Checks stored entries in order: numbering, links and hashes.
pub fn verify(
    stored: impl IntoIterator<Item = (AuditRecord, [u8; 32], [u8; 32])>,
) -> Result<Head, Broken> {
    let mut expected_seq = 1;
    let mut prev = GENESIS;
    for (record, prev_hash, hash) in stored {
        if record.seq != expected_seq {
            return Err(Broken {
                seq: expected_seq,
                why: "missing (the numbers jump)",
            });
        }
        if prev_hash != prev {
            return Err(Broken {
                seq: record.seq,
                why: "does not follow the entry before it",
            });
        }
        if chain_hash(&prev, &record) != hash {
            return Err(Broken {
                seq: record.seq,
                why: "its content was changed",
            });
        }
        prev = hash;
        expected_seq += 1;
    }
    Ok(Head {
        entries: expected_seq - 1,
        hash: prev,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<(AuditRecord, [u8; 32], [u8; 32])> {
        let mut prev = GENESIS;
        (1..=n)
            .map(|seq| {
                let r = AuditRecord {
                    seq,
                    at: Millis(1_000 * seq),
                    actor: Some(OrganizerId(1)),
                    actor_name: "admin".into(),
                    action: "nominee.update".into(),
                    subject: format!("nominee:{seq}"),
                    before: Some("{\"name\":\"a\"}".into()),
                    after: None,
                };
                let hash = chain_hash(&prev, &r);
                let entry = (r, prev, hash);
                prev = hash;
                entry
            })
            .collect()
    }

    #[test]
    fn an_untouched_chain_verifies() {
        let head = verify(chain(5)).unwrap();
        assert_eq!(head.entries, 5);
        assert_eq!(verify(Vec::new()).unwrap().hash, GENESIS);
    }

    #[test]
    fn an_edit_a_deletion_or_a_relink_is_found_where_it_happened() {
        let mut edited = chain(5);
        edited[2].0.after = Some("{\"name\":\"forged\"}".into());
        assert_eq!(verify(edited).unwrap_err().seq, 3);

        let mut deleted = chain(5);
        deleted.remove(1);
        assert_eq!(verify(deleted).unwrap_err().seq, 2);

        // Rehashing the edited entry does not help: the next one no longer follows it.
        let mut rehashed = chain(5);
        rehashed[2].0.actor_name = "someone".into();
        rehashed[2].2 = chain_hash(&rehashed[2].1, &rehashed[2].0);
        let broken = verify(rehashed).unwrap_err();
        assert_eq!(
            (broken.seq, broken.why),
            (4, "does not follow the entry before it")
        );
    }

    #[test]
    fn action_texts_are_unique_and_dotted() {
        let mut seen = std::collections::HashSet::new();
        for a in AuditAction::ALL {
            assert!(seen.insert(a.as_str()), "{} twice", a.as_str());
            assert!(a.as_str().contains('.'));
        }
    }

    #[test]
    fn fields_cannot_be_shifted_between_each_other() {
        let a = chain(1).remove(0).0;
        let mut b = a.clone();
        b.actor_name = "adminnominee.update".into();
        b.action = String::new();
        assert_ne!(chain_hash(&GENESIS, &a), chain_hash(&GENESIS, &b));
        let mut c = a.clone();
        c.before = None;
        c.after = a.before.clone();
        assert_ne!(chain_hash(&GENESIS, &a), chain_hash(&GENESIS, &c));
    }
}
