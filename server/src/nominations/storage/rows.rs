//! Stored nominations read back into their domain types: a value that does
//! not fit is corruption, never a panic.

use alleyvote_domain::nomination::{
    Consent, IneligibleReason, NominationId, NominationState, NomineeRole, Relation,
};
use alleyvote_domain::organizer::OrganizerId;
use alleyvote_domain::{CampaignId, CommunityId, Millis, NomineeId, StreetId, VoterId};

use super::{MyNomination, NominationRecord};
use crate::storage::rows::number;
use crate::storage::StoreError;

#[derive(sqlx::FromRow)]
pub(super) struct RecordRow {
    id: i64,
    campaign_id: i64,
    community_id: i64,
    street_id: i64,
    community_zh: String,
    community_en: String,
    name: String,
    role: String,
    years: i64,
    story: String,
    relation: String,
    nominee_phone_masked: Option<String>,
    nominator_id: Option<i64>,
    entered_by: Option<i64>,
    state: String,
    consent: String,
    consent_at_ms: Option<i64>,
    consent_note: String,
    reason: Option<String>,
    reason_note: String,
    question: String,
    answer: String,
    merged_into: Option<i64>,
    nominee_id: Option<i64>,
    created_at_ms: i64,
    revision: i64,
    photos: i64,
    supporters: Option<i64>,
}

pub(super) fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("nomination {what} {value:?}"))
}

pub(super) fn state(text: &str) -> Result<NominationState, StoreError> {
    NominationState::parse(text).ok_or_else(|| corrupt("state", text))
}

fn reason(text: Option<String>) -> Result<Option<IneligibleReason>, StoreError> {
    text.map(|r| IneligibleReason::parse(&r).ok_or_else(|| corrupt("reason", &r)))
        .transpose()
}

pub(super) fn count(n: Option<i64>) -> u32 {
    n.and_then(|n| u32::try_from(n).ok()).unwrap_or(0)
}

impl TryFrom<RecordRow> for NominationRecord {
    type Error = StoreError;
    fn try_from(r: RecordRow) -> Result<Self, StoreError> {
        Ok(NominationRecord {
            id: NominationId(r.id),
            campaign: CampaignId(r.campaign_id),
            community: CommunityId(r.community_id),
            street: StreetId(r.street_id),
            community_zh: r.community_zh,
            community_en: r.community_en,
            name: r.name,
            role: NomineeRole::parse(&r.role).ok_or_else(|| corrupt("role", &r.role))?,
            years: u8::try_from(r.years).map_err(|_| corrupt("years", &r.years.to_string()))?,
            story: r.story,
            relation: Relation::parse(&r.relation)
                .ok_or_else(|| corrupt("relation", &r.relation))?,
            phone_masked: r.nominee_phone_masked,
            nominator: r.nominator_id.map(VoterId),
            entered_by: r.entered_by.map(OrganizerId),
            state: state(&r.state)?,
            consent: Consent::parse(&r.consent).ok_or_else(|| corrupt("consent", &r.consent))?,
            consent_at: r.consent_at_ms.map(Millis),
            consent_note: r.consent_note,
            reason: reason(r.reason)?,
            reason_note: r.reason_note,
            question: r.question,
            answer: r.answer,
            merged_into: r.merged_into.map(NominationId),
            nominee: r.nominee_id.map(NomineeId),
            created_at: Millis(r.created_at_ms),
            revision: r.revision,
            has_photo: r.photos > 0,
            supporters: count(r.supporters),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct MineRow {
    id: i64,
    name: String,
    name_zh: String,
    name_en: String,
    state: String,
    reason: Option<String>,
    reason_note: String,
    question: String,
    supported: i32,
    kept: i32,
    lead_id: i64,
    lead_name: String,
    lead_state: String,
    supporters: Option<i64>,
    nominee_number: Option<i32>,
}

impl TryFrom<MineRow> for MyNomination {
    type Error = StoreError;
    fn try_from(r: MineRow) -> Result<Self, StoreError> {
        // A reviewer's note and question are for the nomination's own
        // nominator, not for those who supported it.
        let own = r.supported == 0;
        Ok(MyNomination {
            origin: NominationId(r.id),
            name: r.name,
            community_zh: r.name_zh,
            community_en: r.name_en,
            state: state(&r.state)?,
            reason: reason(r.reason)?,
            reason_note: if own { r.reason_note } else { String::new() },
            question: if own { r.question } else { String::new() },
            supported: !own,
            kept: r.kept != 0,
            lead: NominationId(r.lead_id),
            lead_name: r.lead_name,
            lead_state: state(&r.lead_state)?,
            supporters: count(r.supporters),
            nominee_number: r.nominee_number.map(number).transpose()?,
        })
    }
}
