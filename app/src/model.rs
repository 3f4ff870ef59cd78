//! What the server sends the pages: plain data, the same on both sides.

use alleyvote_domain::organizer::OrganizerId;
use alleyvote_domain::{
    Campaign, CommunityId, Millis, Nominee, NomineeId, NomineeSummary, Phase, StationId, Street,
    StreetId,
};
use serde::{Deserialize, Serialize};

/// The console's access decision and the search problem are the domain's;
/// they stay reachable here, where the server and the pages have always found them.
pub use alleyvote_domain::nominee::SearchProblem;
pub use alleyvote_domain::organizer::Console;

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

/// An organizer account as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizerView {
    pub id: OrganizerId,
    pub username: String,
    pub display_name: String,
    pub role: alleyvote_domain::organizer::Role,
    pub active: bool,
}

/// The signed-in organizer, the CSRF token their forms carry, and what they may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleMe {
    pub me: OrganizerView,
    pub csrf: String,
    pub may: Vec<alleyvote_domain::organizer::Action>,
}

impl ConsoleMe {
    pub fn may(&self, action: alleyvote_domain::organizer::Action) -> bool {
        self.may.contains(&action)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleHome {
    pub who: ConsoleMe,
    /// Entries in the audit log so far.
    pub audit_entries: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizersData {
    pub who: ConsoleMe,
    pub accounts: Vec<OrganizerView>,
    pub stations: Vec<StationView>,
}

/// A polling station and the ids of the organizers who operate it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationView {
    pub id: StationId,
    pub name: String,
    pub operators: Vec<OrganizerId>,
}

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

/// One audit entry as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditView {
    pub seq: i64,
    /// Shanghai time, `2026-11-27 21:05:13`.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditData {
    pub who: ConsoleMe,
    pub entries: Vec<AuditView>,
    /// The action filter as given (`nominee.` and the like), empty for all.
    pub action: String,
    /// Only this organizer's entries, if chosen.
    pub actor: Option<i64>,
    /// The organizers to choose from, as (id, username).
    pub actors: Vec<(i64, String)>,
    /// Where the next (older) page starts, if there is one.
    pub older: Option<i64>,
}

/// The campaign form: the campaign as it stands (`None` before any is set up).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignEditData {
    pub who: ConsoleMe,
    pub campaign: Option<Campaign>,
    /// Every campaign, as (slug, Chinese title), newest first.
    pub campaigns: Vec<(String, String)>,
}

/// A nominee in the console's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NomineeAdminRow {
    pub id: NomineeId,
    pub number: u16,
    pub name: String,
    /// `定海路街道 · 和润苑`
    pub place: String,
    pub active: bool,
    pub photo_url: Option<String>,
}

/// A community to choose in a nominee form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityChoice {
    pub id: CommunityId,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NomineesAdminData {
    pub who: ConsoleMe,
    /// `None` before any campaign is set up.
    pub campaign: Option<String>,
    pub nominees: Vec<NomineeAdminRow>,
    pub communities: Vec<CommunityChoice>,
    /// The first free number, offered for a new nominee.
    pub next_number: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NomineeEditData {
    pub who: ConsoleMe,
    pub id: NomineeId,
    pub number: u16,
    pub name: String,
    pub community: CommunityId,
    pub story: String,
    pub active: bool,
    pub photo_url: Option<String>,
    pub communities: Vec<CommunityChoice>,
}

/// A street and its communities, as the console lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreetPlaces {
    pub id: StreetId,
    pub street: String,
    pub street_en: String,
    /// (id, Chinese name, English name)
    pub communities: Vec<(CommunityId, String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacesData {
    pub who: ConsoleMe,
    pub streets: Vec<StreetPlaces>,
}
