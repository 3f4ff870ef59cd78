//! What the server sends the pages: plain data, the same on both sides.

use alleyvote_domain::nominee::SearchQueryError;
use alleyvote_domain::{Campaign, Millis, Nominee, NomineeSummary, Phase, Street};
use serde::{Deserialize, Serialize};

/// The campaign as of the moment the server answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignView {
    pub campaign: Campaign,
    pub phase: Phase,
    pub now: Millis,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomeData {
    /// `None` before any campaign is set up.
    pub campaign: Option<CampaignView>,
    pub nominee_count: usize,
    pub street_count: usize,
}

/// Why a nominee search could not run. The page says it in the reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SearchProblem {
    TooLong,
    BadNumber,
    UnknownStreet,
}

impl SearchProblem {
    pub fn message(self, lang: alleyvote_domain::Lang) -> &'static str {
        match self {
            SearchProblem::TooLong => SearchQueryError::TooLong.message(lang),
            SearchProblem::BadNumber => SearchQueryError::BadNumber.message(lang),
            SearchProblem::UnknownStreet => lang.pick(
                "没有这个街道，请从列表中选择。",
                "Unknown street: pick one from the list.",
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NomineesData {
    pub campaign: Option<CampaignView>,
    pub streets: Vec<Street>,
    pub nominees: Vec<NomineeSummary>,
    pub problem: Option<SearchProblem>,
    /// The signed-in voter's day, if a voter is signed in.
    pub me: Option<VoterToday>,
    /// Fresh for each page: with the nominee's number it keys each vote form,
    /// so a double tap replays the first answer instead of voting twice.
    pub form_key: String,
}

/// What a signed-in voter has done today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoterToday {
    pub remaining: u32,
    pub voted: Vec<alleyvote_domain::NomineeNumber>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileData {
    pub campaign: CampaignView,
    pub nominee: Nominee,
    /// As in `NomineesData`.
    pub form_key: String,
}
