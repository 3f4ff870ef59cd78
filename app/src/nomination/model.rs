//! What the nomination pages show, as the server hands it over.

use alleyvote_domain::nomination::{
    Consent, IneligibleReason, Likeness, NominationState, NomineeRole, Relation,
};
use alleyvote_domain::{Millis, Phase};
use serde::{Deserialize, Serialize};

use crate::organizers::model::ConsoleMe;

/// A street with its communities, for the form's choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreetChoice {
    pub id: i64,
    pub name_zh: String,
    pub name_en: String,
    pub communities: Vec<(i64, String, String)>,
}

/// `/nominate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NominatePageData {
    pub slug: String,
    pub title_zh: String,
    pub title_en: String,
    pub phase: Phase,
    /// When nominations open.
    pub opens_at: Millis,
    /// When nominations close (the review starts).
    pub closes_at: Millis,
    pub signed_in: bool,
    /// Nominations (and supports) the reader has used, and may.
    pub used: u32,
    pub limit: u32,
    /// Nominations received per street: (Chinese name, English name, count).
    pub per_street: Vec<(String, String, u32)>,
    pub streets: Vec<StreetChoice>,
}

/// A likely duplicate as shown to the nominator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimilarRow {
    pub id: i64,
    pub name: String,
    pub likeness: Likeness,
    /// (On `/my/nominations`) what tells the two apart: the role, the
    /// years, the first line of the story.
    #[serde(default)]
    pub about: Option<SimilarAbout>,
}

/// What a resident sees of a likely duplicate, to tell whether it is the
/// person they meant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimilarAbout {
    pub role: NomineeRole,
    pub years: u8,
    /// The story's first line, at most 40 characters.
    pub opening: String,
}

/// One of the reader's nominations or supports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyNominationRow {
    pub id: i64,
    pub name: String,
    pub community_zh: String,
    pub community_en: String,
    pub state: NominationState,
    pub reason: Option<IneligibleReason>,
    pub reason_note: String,
    pub question: String,
    pub supported: bool,
    pub lead_name: String,
    pub nominators: u32,
    pub nominee_number: Option<u16>,
    /// Likely duplicates the nominator may support instead (right after sending).
    pub similar: Vec<SimilarRow>,
}

/// `/my/nominations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyNominationsData {
    pub signed_in: bool,
    pub open: bool,
    pub rows: Vec<MyNominationRow>,
}

/// `/consent/{token}`: what the link leads to, and whom to call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentPageData {
    /// The organisers' telephone, if they gave one.
    pub hotline: Option<String>,
    pub link: ConsentLink,
}

/// A consent link's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConsentLink {
    Unknown,
    Expired,
    /// Answered already: what (`None`: not kept, for links answered before
    /// answers were kept) and when.
    Used {
        agreed: Option<bool>,
        at: Millis,
    },
    Open {
        name: String,
        community_zh: String,
        community_en: String,
        role: NomineeRole,
        story: String,
        consent: Consent,
    },
}

/// A nomination in the reviewers' queue or on its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewRow {
    pub id: i64,
    pub name: String,
    pub community_zh: String,
    pub community_en: String,
    pub street_zh: String,
    pub street_en: String,
    pub role: NomineeRole,
    pub years: u8,
    pub story: String,
    pub relation: Relation,
    pub phone_masked: Option<String>,
    pub committee: bool,
    pub state: NominationState,
    pub consent: Consent,
    pub consent_note: String,
    pub reason: Option<IneligibleReason>,
    pub reason_note: String,
    pub question: String,
    pub answer: String,
    pub merged_into: Option<i64>,
    pub nominee_number: Option<u16>,
    pub created_at: Millis,
    pub revision: i64,
    pub has_photo: bool,
    pub nominators: u32,
    pub similar: Vec<SimilarRow>,
    /// (The detail page) what the links of nominations merged into this one
    /// were answered: the person each reached, not necessarily this nominee.
    pub merged_answers: Vec<(i64, Consent)>,
}

/// The queue's filter, as the page's query string gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueQuery {
    pub street: Option<i64>,
    pub community: Option<i64>,
    /// `waiting` (the default), `all`, or a state's code.
    pub state: Option<String>,
    /// A name, or part of one.
    pub q: Option<String>,
    /// `oldest` (the default), `newest` or `place`.
    pub sort: Option<String>,
    /// From 1.
    pub page: Option<usize>,
}

/// `/console/nominations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewQueueData {
    pub who: ConsoleMe,
    pub streets: Vec<StreetChoice>,
    /// This page's rows.
    pub rows: Vec<ReviewRow>,
    /// Rows the filter matches, on every page.
    pub total: usize,
    /// Nominations waiting for a reviewer (street and community filters applied).
    pub waiting: usize,
    pub page: usize,
    pub pages: usize,
    /// Decisions are taken until voting opens.
    pub open: bool,
}

/// `/console/nominations/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NominationDetailData {
    pub who: ConsoleMe,
    pub row: ReviewRow,
    pub open: bool,
    /// The number approval suggests (after the nominees of its street).
    pub suggested_number: Option<u16>,
    /// The nominations merged into this one, with their stories.
    pub merged: Vec<ReviewRow>,
    /// The next nomination waiting for a reviewer, for "skip to the next".
    pub next_waiting: Option<i64>,
}

/// `/console/nominations/{id}/compare/{other}`: two likely duplicates side
/// by side, and the merge either way, confirmed here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompareData {
    pub who: ConsoleMe,
    pub left: ReviewRow,
    pub right: ReviewRow,
    pub open: bool,
}
