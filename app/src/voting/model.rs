//! What the voting pages show: the home page, the nominee list and a
//! nominee's profile, with what the signed-in voter has done today.

use alleyvote_domain::nominee::SearchProblem;
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
    /// Residents (and committees) who put the nominee forward, when the
    /// nominee came from a nomination.
    pub nominators: Option<u32>,
    /// As in `NomineesData`.
    pub form_key: String,
}
