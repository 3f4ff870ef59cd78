//! What the screen pages show, as the server hands it over.

use alleyvote_domain::screen::{Channel, ScreenRefusal, ScreenView};
use alleyvote_domain::ResultsStage;
use serde::{Deserialize, Serialize};

use crate::organizers::model::ConsoleMe;

/// `/console/screen`: both screens as they are, each with its next place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreenPanelData {
    pub who: ConsoleMe,
    /// The screen the panel's keys and buttons act on.
    pub channel: Channel,
    pub public: ScreenView,
    pub rehearsal: ScreenView,
    /// What phones see on `/results` now.
    pub public_page: ResultsStage,
    /// Whether a reveal may start on the chosen screen now, or why not.
    pub reveal_ready: Result<(), ScreenRefusal>,
}
