//! What the results read of the publication's tables: the ranking rule and
//! the lots (the ranking's inputs), the stage row, and the published
//! corrections' notes. Publication writes these tables (`publication/`);
//! the results read them here, so the results depend on nothing above them.

use alleyvote_domain::publication::{CorrectionNote, Publication, Stage};
use alleyvote_domain::ranking::RankRule;
use alleyvote_domain::{Millis, NomineeNumber};

use crate::storage::{StoreError, StoreResult};

pub const RULE_OF: &str = "SELECT rule FROM rank_rules WHERE campaign_id = $1";

/// Every lot's order, oldest first (a later lot overrides an earlier one).
pub const LOTS_OF: &str = "SELECT drawn_order FROM lots WHERE campaign_id = $1 ORDER BY id";

/// The columns `PublicationRow` reads, of `publications p`.
// A macro because `concat!` takes literals, not consts.
#[macro_export]
macro_rules! publication_columns {
    () => {
        "p.stage, p.closed_at_ms, p.notice_start_ms, p.notice_end_ms, p.final_at_ms, p.revision, \
         p.unreported_reason"
    };
}

/// A publication row as the stage columns store it.
#[derive(sqlx::FromRow)]
pub struct PublicationRow {
    pub stage: Option<String>,
    pub closed_at_ms: Option<i64>,
    pub notice_start_ms: Option<i64>,
    pub notice_end_ms: Option<i64>,
    pub final_at_ms: Option<i64>,
    pub revision: Option<i64>,
    pub unreported_reason: Option<String>,
}

impl PublicationRow {
    /// The publication, or `None` while voting (no row, or a left join's nulls).
    pub fn publication(self) -> StoreResult<Option<Publication>> {
        let (Some(stage), Some(closed_at)) = (self.stage, self.closed_at_ms) else {
            return Ok(None);
        };
        let stage = Stage::parse(&stage)
            .ok_or_else(|| StoreError::Corrupt(format!("publication stage {stage}")))?;
        Ok(Some(Publication {
            stage,
            closed_at: Millis(closed_at),
            notice_start: self.notice_start_ms.map(Millis),
            notice_end: self.notice_end_ms.map(Millis),
            final_at: self.final_at_ms.map(Millis),
            revision: u32::try_from(self.revision.unwrap_or(1)).unwrap_or(1),
            unreported_reason: self.unreported_reason,
        }))
    }
}

/// A stored rule; `None` for none stored.
pub fn rule_of(json: Option<String>) -> StoreResult<Option<RankRule>> {
    json.map(|j| {
        serde_json::from_str(&j).map_err(|e| StoreError::Corrupt(format!("rank rule: {e}")))
    })
    .transpose()
}

/// Each nominee's place in the latest lot that drew it.
pub fn lot_places(orders: Vec<String>) -> StoreResult<Vec<(NomineeNumber, u32)>> {
    let mut places = Vec::new();
    for json in orders {
        let order: Vec<NomineeNumber> = serde_json::from_str(&json)
            .map_err(|e| StoreError::Corrupt(format!("lot order: {e}")))?;
        places.extend(order.into_iter().zip(1u32..));
    }
    Ok(places)
}

/// The notes of the published corrections, oldest first: what the public
/// results carry.
pub const CORRECTION_NOTES: &str = "SELECT note FROM result_corrections \
     WHERE campaign_id = $1 AND state = 'published' AND note IS NOT NULL ORDER BY id";

pub fn note_of(json: &str) -> StoreResult<CorrectionNote> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("correction note: {e}")))
}

/// The published notes as stored.
pub fn notes_of(rows: Vec<String>) -> StoreResult<Vec<CorrectionNote>> {
    rows.iter().map(|j| note_of(j)).collect()
}
