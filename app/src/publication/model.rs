//! What the publication pages show, as the server hands it over.

use alleyvote_domain::publication::{Correction, Objection, Publication};
use alleyvote_domain::ranking::RankRule;
use alleyvote_domain::{Millis, ResultsSnapshot};
use serde::{Deserialize, Serialize};

use crate::organizers::model::ConsoleMe;

/// `/console/results`: the rule, the preliminary ranking, the stage and
/// its next step, the lot and the objections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultsConsoleData {
    pub who: ConsoleMe,
    pub slug: String,
    pub rule: RankRule,
    /// Voting has opened: the rule can no longer change.
    pub rule_locked: bool,
    pub voting_end: Millis,
    pub publication: Option<Publication>,
    /// The ranking with counts, whatever the public sees.
    pub ranking: ResultsSnapshot,
    pub objections: Vec<Objection>,
    /// The corrections of the published ranking, oldest first.
    pub corrections: Vec<Correction>,
    /// Five working days from now: the notice's end the form suggests.
    pub suggested_notice_end: Millis,
}

/// The objections box on `/results` for the resident reading it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyObjections {
    pub signed_in: bool,
    /// The notice is on: objections are taken now.
    pub open: bool,
    pub mine: Vec<Objection>,
}
