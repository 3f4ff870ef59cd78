//! What the recount page shows. The live results page shows the domain's
//! `ResultsSnapshot` as it is.

use serde::{Deserialize, Serialize};

use crate::organizers::model::ConsoleMe;

/// The recount (administrators): each campaign's running tally against a
/// count of the vote records themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyCheckData {
    pub who: ConsoleMe,
    pub campaigns: Vec<TallyCheckView>,
    /// When the recount ran, Shanghai time.
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyCheckView {
    pub slug: String,
    pub title_zh: String,
    pub title_en: String,
    pub rows: Vec<RecountRow>,
}

impl TallyCheckView {
    pub fn agrees(&self) -> bool {
        self.rows.iter().all(RecountRow::agrees)
    }

    /// Each column's total: online running and recounted, paper running
    /// and recounted.
    pub fn totals(&self) -> (u64, u64, u64, u64) {
        self.rows.iter().fold((0, 0, 0, 0), |(a, b, c, d), r| {
            (
                a + r.running,
                b + r.recounted,
                c + r.running_paper,
                d + r.recounted_paper,
            )
        })
    }
}

/// One nominee's two counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecountRow {
    pub number: u16,
    pub name: String,
    /// Online: the running tally and the vote records.
    pub running: u64,
    pub recounted: u64,
    /// Paper: the running tally and the definitive sheets.
    pub running_paper: u64,
    pub recounted_paper: u64,
}

impl RecountRow {
    pub fn agrees(&self) -> bool {
        self.running == self.recounted && self.running_paper == self.recounted_paper
    }
}
