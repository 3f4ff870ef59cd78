//! What the jury page shows, as the server hands it over.

use serde::{Deserialize, Serialize};

use crate::organizers::model::ConsoleMe;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JuryPageData {
    pub who: ConsoleMe,
    /// The reader is one of the campaign's judges: their score sheet.
    pub sheet: Option<Vec<ScoreRow>>,
    /// The results are published: scores no longer change.
    pub locked: bool,
    /// For administrators: the judges and the accounts that could be appointed.
    pub judges: Vec<JudgeRow>,
    pub candidates: Vec<(i64, String)>,
    /// Nominees on the ballot.
    pub nominees: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreRow {
    pub number: u16,
    pub name: String,
    pub community: String,
    pub score: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JudgeRow {
    pub name: String,
    pub scored: u32,
}
