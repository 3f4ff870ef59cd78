//! The audit log's hash chain. Each entry's hash is an HMAC-SHA256, under a
//! key the database never holds (derived from `ALLEYVOTE_SECRET_KEY`, or
//! `ALLEYVOTE_AUDIT_KEY`), of its fields and the hash before it: whoever can
//! write the table can change an entry, but cannot make the chain verify
//! again. Entries written before the chain was keyed keep their plain
//! SHA-256 hashes; they must all come before a keyed entry (at start-up an
//! instance seals such a chain with one), so turning keyed entries back into
//! plain ones is itself a break.

use hmac::{Hmac, Mac};
use sha2::digest::Update;
use sha2::{Digest, Sha256};

use super::AuditRecord;

/// The hash before the first entry.
pub const GENESIS: [u8; 32] = [0; 32];

/// The chain's key, kept with the other keys (the storage floor holds it).
pub use crate::keys::AuditKey;

/// Each field length-prefixed, so no two different entries hash the same text.
fn feed(h: &mut impl Update, field: &[u8]) {
    h.update(&(field.len() as u64).to_be_bytes());
    h.update(field);
}

fn feed_opt(h: &mut impl Update, field: Option<&str>) {
    match field {
        None => h.update(&[0u8]),
        Some(s) => {
            h.update(&[1u8]);
            feed(h, s.as_bytes());
        }
    }
}

fn feed_entry(h: &mut impl Update, prev: &[u8; 32], r: &AuditRecord) {
    h.update(prev);
    h.update(&r.seq.to_be_bytes());
    h.update(&r.at.0.to_be_bytes());
    h.update(&r.actor.map_or(-1, |a| a.0).to_be_bytes());
    feed(h, r.actor_name.as_bytes());
    feed(h, r.action.as_bytes());
    feed(h, r.subject.as_bytes());
    feed_opt(h, r.before.as_deref());
    feed_opt(h, r.after.as_deref());
}

/// The entry's hash: its fields and the hash before it, keyed (or plain, as
/// entries were hashed before the chain was keyed).
pub fn chain_hash(key: Option<&AuditKey>, prev: &[u8; 32], r: &AuditRecord) -> [u8; 32] {
    match key {
        Some(AuditKey(key)) => {
            let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
                .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
            Update::update(&mut mac, b"alleyvote-audit-v2");
            feed_entry(&mut mac, prev, r);
            mac.finalize().into_bytes().into()
        }
        None => {
            let mut h = Sha256::new();
            Update::update(&mut h, b"alleyvote-audit-v1");
            feed_entry(&mut h, prev, r);
            h.finalize().into()
        }
    }
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

/// One stored entry: its record, the hash it follows, its hash, and whether
/// that hash is keyed.
pub type Link = (AuditRecord, [u8; 32], [u8; 32], bool);

/// Whether `record` is the operator's seal of the plain entries up to `seq`
/// (`alleyvote audit seal`).
fn seals(record: &AuditRecord, seq: i64) -> bool {
    record.action == "audit.keyed"
        && record
            .after
            .as_deref()
            .and_then(|a| serde_json::from_str::<serde_json::Value>(a).ok())
            .and_then(|a| a["sealed_through"].as_i64())
            == Some(seq)
}

/// Checks stored entries in order: numbering, links, hashes, that no plain
/// entry comes after a keyed one or ends the chain, and that the first keyed
/// entry after plain ones is the operator's seal of them (an ordinary entry
/// appended after a chain rewritten unkeyed must not make it verify).
pub fn verify(key: &AuditKey, stored: impl IntoIterator<Item = Link>) -> Result<Head, Broken> {
    let mut expected_seq = 1;
    let mut prev = GENESIS;
    let mut keyed_seen = false;
    let mut last_plain: Option<i64> = None;
    for (record, prev_hash, hash, keyed) in stored {
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
        if !keyed && keyed_seen {
            return Err(Broken {
                seq: record.seq,
                why: "not keyed, after keyed entries",
            });
        }
        if chain_hash(keyed.then_some(key), &prev, &record) != hash {
            return Err(Broken {
                seq: record.seq,
                why: "its content was changed",
            });
        }
        if let Some(plain) = last_plain.filter(|_| keyed) {
            if !seals(&record, plain) {
                return Err(Broken {
                    seq: record.seq,
                    why: "keyed after unkeyed entries that no seal covers",
                });
            }
        }
        keyed_seen |= keyed;
        last_plain = (!keyed).then_some(record.seq);
        prev = hash;
        expected_seq += 1;
    }
    if let Some(seq) = last_plain {
        return Err(Broken {
            seq,
            why: "not keyed, and no keyed entry follows",
        });
    }
    Ok(Head {
        entries: expected_seq - 1,
        hash: prev,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alleyvote_domain::organizer::OrganizerId;
    use alleyvote_domain::Millis;

    fn key() -> AuditKey {
        AuditKey::derive("a secret of more than thirty-two characters")
    }

    fn record(seq: i64) -> AuditRecord {
        AuditRecord {
            seq,
            at: Millis(1_000 * seq),
            actor: Some(OrganizerId(1)),
            actor_name: "admin".into(),
            action: "nominee.update".into(),
            subject: format!("nominee:{seq}"),
            before: Some("{\"name\":\"a\"}".into()),
            after: None,
        }
    }

    /// `plain` entries hashed without the key, then keyed ones up to `n`.
    fn chain_with(plain: i64, n: i64, key: &AuditKey) -> Vec<Link> {
        let mut prev = GENESIS;
        (1..=n)
            .map(|seq| {
                let mut r = record(seq);
                if plain > 0 && seq == plain + 1 {
                    r.action = "audit.keyed".into();
                    r.after = Some(format!("{{\"sealed_through\":{plain}}}"));
                }
                let keyed = seq > plain;
                let hash = chain_hash(keyed.then_some(key), &prev, &r);
                let entry = (r, prev, hash, keyed);
                prev = hash;
                entry
            })
            .collect()
    }

    fn chain(n: i64) -> Vec<Link> {
        chain_with(0, n, &key())
    }

    #[test]
    fn an_untouched_chain_verifies() {
        let head = verify(&key(), chain(5)).unwrap();
        assert_eq!(head.entries, 5);
        assert_eq!(verify(&key(), Vec::new()).unwrap().hash, GENESIS);
        // Entries from before the key, sealed by the operator, verify too.
        assert_eq!(verify(&key(), chain_with(3, 5, &key())).unwrap().entries, 5);
    }

    #[test]
    fn unkeyed_entries_need_the_operators_seal() {
        // A chain rewritten unkeyed, then any ordinary keyed entry after it.
        let mut unsealed = chain_with(3, 5, &key());
        unsealed[3].0 = record(4);
        let mut prev = unsealed[2].2;
        for e in unsealed.iter_mut().skip(3) {
            e.1 = prev;
            e.2 = chain_hash(Some(&key()), &prev, &e.0);
            prev = e.2;
        }
        assert_eq!(
            verify(&key(), unsealed).unwrap_err(),
            Broken {
                seq: 4,
                why: "keyed after unkeyed entries that no seal covers"
            }
        );
    }

    #[test]
    fn an_edit_a_deletion_or_a_relink_is_found_where_it_happened() {
        let mut edited = chain(5);
        edited[2].0.after = Some("{\"name\":\"forged\"}".into());
        assert_eq!(verify(&key(), edited).unwrap_err().seq, 3);

        let mut deleted = chain(5);
        deleted.remove(1);
        assert_eq!(verify(&key(), deleted).unwrap_err().seq, 2);

        // Rehashing the edited entry does not help: the next one no longer follows it.
        let mut rehashed = chain(5);
        rehashed[2].0.actor_name = "someone".into();
        rehashed[2].2 = chain_hash(Some(&key()), &rehashed[2].1, &rehashed[2].0);
        let broken = verify(&key(), rehashed).unwrap_err();
        assert_eq!(
            (broken.seq, broken.why),
            (4, "does not follow the entry before it")
        );
    }

    #[test]
    fn a_chain_rebuilt_without_the_key_does_not_verify() {
        // Whoever writes the table rebuilds the whole chain, with a key of
        // their own or with none: both are found.
        let forged = chain_with(0, 5, &AuditKey::derive("someone else's key, just as long"));
        assert_eq!(
            verify(&key(), forged).unwrap_err().why,
            "its content was changed"
        );
        let plain = chain_with(5, 5, &key());
        assert_eq!(
            verify(&key(), plain).unwrap_err(),
            Broken {
                seq: 5,
                why: "not keyed, and no keyed entry follows"
            }
        );
        // Turning the tail back into plain entries is found where it starts.
        let mut downgraded = chain(5);
        let mut prev = downgraded[2].1;
        for e in downgraded.iter_mut().skip(2) {
            e.1 = prev;
            e.2 = chain_hash(None, &prev, &e.0);
            e.3 = false;
            prev = e.2;
        }
        assert_eq!(
            verify(&key(), downgraded).unwrap_err().why,
            "not keyed, after keyed entries"
        );
    }

    #[test]
    fn fields_cannot_be_shifted_between_each_other() {
        let a = record(1);
        let mut b = a.clone();
        b.actor_name = "adminnominee.update".into();
        b.action = String::new();
        let key = key();
        let k = Some(&key);
        assert_ne!(chain_hash(k, &GENESIS, &a), chain_hash(k, &GENESIS, &b));
        let mut c = a.clone();
        c.before = None;
        c.after = a.before.clone();
        assert_ne!(chain_hash(k, &GENESIS, &a), chain_hash(k, &GENESIS, &c));
    }

    #[test]
    fn the_key_is_not_the_secret() {
        let k = AuditKey::derive("the secret");
        assert_ne!(&k.0[..], Sha256::digest(b"the secret").as_slice());
        assert_eq!(format!("{k:?}"), "AuditKey(***)");
    }
}
