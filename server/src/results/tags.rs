//! Naming a results snapshot to a reader, and reading back what the reader
//! was shown: the `ETag` of the JSON answer and the `id` of each stream event
//! carry the snapshot's version, so a reader that comes back with
//! `If-None-Match` or `Last-Event-ID` — to whichever instance the load
//! balancer picks — is never shown older counts than it already saw.

use std::hash::{DefaultHasher, Hash, Hasher};

use alleyvote_domain::{ResultsSnapshot, ResultsVisibility};

/// The snapshot's tag, without quotes: `l1234-<hash>` for live counts at
/// version 1234, `f…` frozen, `h…` hidden. The hash tells two snapshots of
/// the same version apart (a renamed campaign).
pub fn tag(snapshot: &ResultsSnapshot) -> String {
    let kind = match snapshot.visibility {
        ResultsVisibility::Live => 'l',
        ResultsVisibility::Frozen => 'f',
        ResultsVisibility::Hidden => 'h',
    };
    let mut hasher = DefaultHasher::new();
    snapshot.hash(&mut hasher);
    format!("{kind}{}-{:016x}", snapshot.version, hasher.finish())
}

/// The highest live version among tags a reader sent back (an `ETag` list
/// from `If-None-Match`, or one `Last-Event-ID`). Anything unreadable is
/// ignored: it only costs the reader a fresh read.
pub fn seen_version(sent: &str) -> Option<u64> {
    sent.split(',')
        .filter_map(|t| {
            let t = t.trim();
            let t = t.strip_prefix("W/").unwrap_or(t).trim_matches('"');
            let digits = t.strip_prefix('l')?.split('-').next()?;
            digits.parse::<u64>().ok()
        })
        .max()
}

/// Whether the reader already holds exactly this snapshot.
pub fn holds(sent: &str, snapshot: &ResultsSnapshot) -> bool {
    let ours = tag(snapshot);
    sent.split(',').any(|t| {
        let t = t.trim();
        let t = t.strip_prefix("W/").unwrap_or(t).trim_matches('"');
        t == ours || t == "*"
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alleyvote_domain::Millis;

    fn snapshot(visibility: ResultsVisibility, version: u64) -> ResultsSnapshot {
        ResultsSnapshot {
            campaign_slug: "c".into(),
            title_zh: "测".into(),
            title_en: "T".into(),
            visibility,
            as_of: Millis(1),
            version,
            total_votes: Some(3),
            stations_reported: 0,
            stations_total: 0,
            state: match visibility {
                ResultsVisibility::Live => alleyvote_domain::ResultsStage::Live,
                ResultsVisibility::Frozen => alleyvote_domain::ResultsStage::Frozen,
                ResultsVisibility::Hidden => alleyvote_domain::ResultsStage::Hidden,
            },
            formula: alleyvote_domain::PublishedFormula::of(&Default::default()),
            winners: 10,
            lot_pending: vec![],
            notice: None,
            corrections: vec![],
            entries: vec![],
        }
    }

    #[test]
    fn the_version_travels_in_the_tag() {
        let s = snapshot(ResultsVisibility::Live, 1234);
        let t = tag(&s);
        assert!(t.starts_with("l1234-"), "{t}");
        assert_eq!(seen_version(&t), Some(1234));
        assert_eq!(seen_version(&format!("\"{t}\"")), Some(1234));
        assert_eq!(seen_version(&format!("W/\"{t}\", \"l99-0\"")), Some(1234));
        assert!(holds(&format!("\"{t}\""), &s));
        assert!(!holds("\"l1234-0\"", &s));
    }

    #[test]
    fn frozen_hidden_and_foreign_tags_name_no_live_version() {
        let f = tag(&snapshot(ResultsVisibility::Frozen, 50));
        assert!(f.starts_with("f50-"));
        assert_eq!(seen_version(&f), None);
        for junk in ["", "*", "\"x\"", "l", "l-3", "lnine-1", "W/"] {
            assert_eq!(seen_version(junk), None, "{junk}");
        }
    }

    #[test]
    fn a_renamed_campaign_gets_a_new_tag_at_the_same_version() {
        let a = snapshot(ResultsVisibility::Live, 7);
        let mut b = a.clone();
        b.title_zh = "新".into();
        assert_ne!(tag(&a), tag(&b));
    }
}
