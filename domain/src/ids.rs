//! Record ids travel as numbers in addresses and forms (`/console/nominees/12`,
//! `value="3"`); each kind is its own type so one is never taken for another.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A polling station's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StationId(pub i64);

/// A tally sheet's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SheetId(pub i64);

// A macro: `Display` cannot be one blanket impl over the ids (the orphan rule
// forbids `impl<T: Id> Display for T`), and written out each is five lines.
macro_rules! shown_as_number {
    ($($id:ty),* $(,)?) => {
        $(
            impl fmt::Display for $id {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    self.0.fmt(f)
                }
            }
        )*
    };
}

shown_as_number!(
    StationId,
    SheetId,
    crate::street::StreetId,
    crate::street::CommunityId,
    crate::nominee::NomineeId,
    crate::organizer::OrganizerId,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_show_as_their_number() {
        assert_eq!(StationId(7).to_string(), "7");
        assert_eq!(crate::organizer::OrganizerId(12).to_string(), "12");
        assert_eq!(
            format!("/console/nominees/{}", crate::nominee::NomineeId(3)),
            "/console/nominees/3"
        );
    }
}
