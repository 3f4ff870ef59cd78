//! What the paper-ballot pages show, as the server hands it over.

use alleyvote_domain::paper::{PaperRule, SheetField, SheetInput, SheetReference, SheetState};
use serde::{Deserialize, Serialize};

use crate::organizers::model::ConsoleMe;
use crate::places::model::CommunityChoice;

/// `/stations`: where to vote on paper, by street.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicStationsData {
    pub title_zh: String,
    pub title_en: String,
    pub streets: Vec<PublicStreet>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicStreet {
    pub street_zh: String,
    pub street_en: String,
    pub stations: Vec<PublicStation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicStation {
    pub id: i64,
    pub name: String,
    pub community_zh: String,
    pub community_en: String,
    pub address: String,
    pub opening_hours: String,
    /// Once the results are published: the station's definitive sheets,
    /// with their photos.
    pub sheets: Vec<PublicSheet>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicSheet {
    pub id: i64,
    pub label: String,
    pub has_photo: bool,
    /// Photos the latest one replaced, oldest first: their ids.
    #[serde(default)]
    pub replaced_photos: Vec<i64>,
    /// Why it counts without a photo, when an administrator waived it.
    #[serde(default)]
    pub photo_waiver: Option<String>,
}

/// `/console/paper`: every station by street with its sheets' states, and
/// for administrators the forms that set stations, stock and sheets up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperBoardData {
    pub who: ConsoleMe,
    pub campaign_slug: String,
    pub campaign_id: i64,
    pub title_zh: String,
    pub title_en: String,
    pub rule: PaperRule,
    pub reported: u32,
    pub total: u32,
    pub streets: Vec<BoardStreet>,
    /// Stations that serve no campaign yet (administrators place them).
    pub unplaced: Vec<BoardStation>,
    /// Whether this organizer sets stations up (administrators).
    pub may_manage: bool,
}

/// `/console/stations/{id}`: one station's set-up in one place (where and
/// when, the campaign it serves, its operators, its ballot stock and its
/// sheets), for administrators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationPageData {
    pub who: ConsoleMe,
    pub station: BoardStation,
    /// The campaign it serves (its id), if any; and the current campaign's.
    pub campaign_id: Option<i64>,
    pub current_campaign_id: Option<i64>,
    pub current_campaign_title: String,
    pub communities: Vec<CommunityChoice>,
    /// Every station operator, ticked when they key here.
    pub operators: Vec<OperatorChoice>,
    /// The blank ballots handed over, oldest first.
    pub stock: Vec<StockView>,
    /// Whether it can be removed: none of its sheets keyed or photographed.
    pub removable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorChoice {
    pub id: i64,
    pub name: String,
    pub username: String,
    pub assigned: bool,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockView {
    pub ballots: u32,
    pub serial_from: String,
    pub serial_to: String,
    pub by: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardStreet {
    pub street_zh: String,
    pub street_en: String,
    pub stations: Vec<BoardStation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardStation {
    pub id: i64,
    pub name: String,
    pub community_id: Option<i64>,
    pub community_zh: String,
    pub address: String,
    pub opening_hours: String,
    pub usual_turnout: Option<u32>,
    pub ballots_received: u64,
    /// Operators assigned to it, by display name.
    pub operators: Vec<String>,
    /// Whether the viewer keys its sheets.
    pub mine: bool,
    pub sheets: Vec<BoardSheet>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardSheet {
    pub id: i64,
    pub label: String,
    pub state: SheetState,
    pub has_photo: bool,
}

/// One keying of a sheet, as the sheet page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryView {
    pub id: i64,
    /// 1 or 2.
    pub round: u8,
    pub operator: String,
    pub input: SheetInput,
    pub checked_against_paper: bool,
    pub note: String,
    /// Shanghai time.
    pub saved_at: String,
    pub finished_at: Option<String>,
    /// Why it was set aside: `discarded`, `not_kept`, `reopened`.
    pub closed: Option<String>,
    /// The entry the tally counts.
    pub counted: bool,
}

/// A reopening of the sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReopenView {
    pub entry_id: i64,
    pub reason: String,
    pub by: String,
    pub at: String,
}

/// An administrator's leave to count the sheet without its photo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaiverView {
    pub reason: String,
    pub by: String,
    pub at: String,
}

/// What the viewer can do with the sheet now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SheetMode {
    /// Key (or resume) an entry. A second entry shows nothing of the first.
    Key {
        round: u8,
        input: Box<SheetInput>,
        checked_against_paper: bool,
        note: String,
        context: SheetReference,
    },
    /// Decide between differing entries, side by side.
    Resolve {
        first: Box<EntryView>,
        second: Box<EntryView>,
        differing: Vec<SheetField>,
    },
    /// Reopen a definitive sheet (administrators), with a reason.
    Reopen,
    /// Nothing to do here now, and why.
    Look { why_zh: String, why_en: String },
}

/// `/console/paper/sheets/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetPageData {
    pub who: ConsoleMe,
    pub id: i64,
    pub station: String,
    pub label: String,
    pub state: SheetState,
    /// The nominees on the ballot: number and name.
    pub ballot: Vec<(u16, String)>,
    pub mode: SheetMode,
    /// Entries the viewer may see: set-aside ones always; the current
    /// round's only once both are in (never while the other is keyed).
    pub entries: Vec<EntryView>,
    pub reopenings: Vec<ReopenView>,
    pub has_photo: bool,
    /// Whether the viewer may upload the sheet's photo.
    pub may_photograph: bool,
    pub photo_waiver: Option<WaiverView>,
    /// Whether the viewer may let the sheet count without a photo (an
    /// administrator, while it has neither photo nor waiver).
    pub may_waive: bool,
}
