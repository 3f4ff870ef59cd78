//! Nominations (推荐): residents and community committees put a community
//! leader forward, reviewers check and merge them, the nominee consents, and
//! the approved become numbered nominees.

pub mod draft;
pub mod name;
pub mod notice;
pub mod queue;
pub mod state;

use serde::{Deserialize, Serialize};

pub use draft::{DraftProblem, NominationDraft, NominationFields, NomineeRole, Relation};
pub use name::Likeness;
pub use notice::{problem_message, NominationDone, NominationProblem};
pub use state::{Consent, Decision, DecisionRefusal, IneligibleReason, NominationState};

use crate::street::CommunityId;

/// A nomination's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NominationId(pub i64);

impl std::fmt::Display for NominationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The likely duplicates of `name` in `community` among `others` (id,
/// community, name): the same name first, then those that sound alike.
/// A name in another community is another person.
pub fn duplicates<'a>(
    name: &str,
    community: CommunityId,
    others: impl IntoIterator<Item = (NominationId, CommunityId, &'a str)>,
) -> Vec<(NominationId, Likeness)> {
    let mut found: Vec<(NominationId, Likeness)> = others
        .into_iter()
        .filter(|(_, c, _)| *c == community)
        .filter_map(|(id, _, other)| name::likeness(name, other).map(|l| (id, l)))
        .collect();
    found.sort_by_key(|(id, l)| (*l, *id));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_are_looked_for_in_the_same_community_only() {
        let here = CommunityId(1);
        let there = CommunityId(2);
        let others = [
            (NominationId(10), there, "张伟"),
            (NominationId(11), here, "张玮"),
            (NominationId(12), here, "张伟"),
            (NominationId(13), here, "李红"),
        ];
        assert_eq!(
            duplicates("张伟", here, others),
            vec![
                (NominationId(12), Likeness::Same),
                (NominationId(11), Likeness::SoundsAlike)
            ]
        );
        assert!(duplicates("王芳", here, others).is_empty());
    }
}
