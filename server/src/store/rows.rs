//! Row shapes shared by both backends, and their conversion to domain types.

use alleyvote_domain::{
    Campaign, CampaignId, Millis, Nominee, NomineeId, NomineeNumber, NomineeSummary, Phases,
    ResultsVisibility, Street, StreetId, TallyRow, VoteRules,
};

use super::StoreError;

#[derive(sqlx::FromRow)]
pub(super) struct CampaignRow {
    id: i64,
    slug: String,
    title_zh: String,
    title_en: String,
    description_zh: String,
    description_en: String,
    nomination_start_ms: i64,
    review_start_ms: i64,
    voting_start_ms: i64,
    voting_end_ms: i64,
    notice_end_ms: i64,
    ceremony_at_ms: i64,
    votes_per_day: i32,
    per_nominee_per_day: i32,
    results_visibility: String,
    results_frozen_at_ms: Option<i64>,
}

impl TryFrom<CampaignRow> for Campaign {
    type Error = StoreError;
    fn try_from(r: CampaignRow) -> Result<Self, StoreError> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("campaign {}: {what}", r.id));
        let phases = Phases::new(
            Millis(r.nomination_start_ms),
            Millis(r.review_start_ms),
            Millis(r.voting_start_ms),
            Millis(r.voting_end_ms),
            Millis(r.notice_end_ms),
            Millis(r.ceremony_at_ms),
        )
        .map_err(|e| corrupt(&e.to_string()))?;
        let rules = VoteRules::new(
            u16::try_from(r.votes_per_day).map_err(|_| corrupt("votes_per_day"))?,
            u16::try_from(r.per_nominee_per_day).map_err(|_| corrupt("per_nominee_per_day"))?,
        )
        .map_err(|e| corrupt(&e.to_string()))?;
        let results_visibility = ResultsVisibility::parse(&r.results_visibility)
            .ok_or_else(|| corrupt("results_visibility"))?;
        Ok(Campaign {
            id: CampaignId(r.id),
            slug: r.slug,
            title_zh: r.title_zh,
            title_en: r.title_en,
            description_zh: r.description_zh,
            description_en: r.description_en,
            phases,
            rules,
            results_visibility,
            results_frozen_at: r.results_frozen_at_ms.map(Millis),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct StreetRow {
    id: i64,
    name_zh: String,
    name_en: String,
}

impl From<StreetRow> for Street {
    fn from(r: StreetRow) -> Self {
        Street {
            id: StreetId(r.id),
            name_zh: r.name_zh,
            name_en: r.name_en,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct CommunityRow {
    id: i64,
    street_id: i64,
    name_zh: String,
    name_en: String,
    street_zh: String,
    street_en: String,
}

impl From<CommunityRow> for super::CommunityOf {
    fn from(r: CommunityRow) -> Self {
        super::CommunityOf {
            community: alleyvote_domain::Community {
                id: alleyvote_domain::CommunityId(r.id),
                street_id: StreetId(r.street_id),
                name_zh: r.name_zh,
                name_en: r.name_en,
            },
            street_zh: r.street_zh,
            street_en: r.street_en,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct NomineeRow {
    id: i64,
    number: i32,
    name: String,
    street_id: i64,
    street_zh: String,
    street_en: String,
    community_zh: String,
    community_en: String,
    photo_url: Option<String>,
    story: String,
}

/// A stored vote's place in its voter's day.
pub(super) fn held_vote(
    (campaign, voter, day): (i64, i64, i32),
    nominee: i64,
    day_slot: i32,
    nominee_slot: i32,
) -> Result<super::batch::HeldVote, StoreError> {
    let slot = |s: i32| u16::try_from(s).map_err(|_| StoreError::Corrupt(format!("vote slot {s}")));
    Ok(super::batch::HeldVote {
        campaign: alleyvote_domain::CampaignId(campaign),
        voter: alleyvote_domain::VoterId(voter),
        day,
        nominee: alleyvote_domain::NomineeId(nominee),
        slots: alleyvote_domain::voting::Slots {
            day_slot: slot(day_slot)?,
            nominee_slot: slot(nominee_slot)?,
        },
    })
}

pub(super) fn number(n: i32) -> Result<NomineeNumber, StoreError> {
    u32::try_from(n)
        .ok()
        .and_then(|n| NomineeNumber::new(n).ok())
        .ok_or_else(|| StoreError::Corrupt(format!("nominee number {n}")))
}

impl NomineeRow {
    pub(super) fn into_nominee(self) -> Result<Nominee, StoreError> {
        Ok(Nominee {
            id: NomineeId(self.id),
            story: self.story,
            summary: NomineeSummary {
                number: number(self.number)?,
                name: self.name,
                street_id: StreetId(self.street_id),
                street_zh: self.street_zh,
                street_en: self.street_en,
                community_zh: self.community_zh,
                community_en: self.community_en,
                photo_url: self.photo_url,
            },
        })
    }

    pub(super) fn into_summary(self) -> Result<NomineeSummary, StoreError> {
        self.into_nominee().map(|n| n.summary)
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct TallyRowRaw {
    number: i32,
    name: String,
    street_zh: String,
    street_en: String,
    community_zh: String,
    community_en: String,
    votes: i64,
}

impl TryFrom<TallyRowRaw> for TallyRow {
    type Error = StoreError;
    fn try_from(r: TallyRowRaw) -> Result<Self, StoreError> {
        Ok(TallyRow {
            number: number(r.number)?,
            name: r.name,
            street_zh: r.street_zh,
            street_en: r.street_en,
            community_zh: r.community_zh,
            community_en: r.community_en,
            votes: u64::try_from(r.votes)
                .map_err(|_| StoreError::Corrupt("negative tally".into()))?,
        })
    }
}

pub(super) fn collect<R, T>(rows: Vec<R>) -> Result<Vec<T>, StoreError>
where
    T: TryFrom<R, Error = StoreError>,
{
    rows.into_iter().map(T::try_from).collect()
}

pub(super) fn hash32(bytes: &[u8]) -> Result<[u8; 32], StoreError> {
    bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt(format!("a hash of {} bytes", bytes.len())))
}

#[derive(sqlx::FromRow)]
pub(super) struct OrganizerRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    active: bool,
    password_hash: String,
}

impl OrganizerRow {
    pub(super) fn into_login(self) -> Result<super::OrganizerLogin, StoreError> {
        let role = alleyvote_domain::organizer::Role::parse(&self.role)
            .ok_or_else(|| StoreError::Corrupt(format!("organizer role {:?}", self.role)))?;
        Ok(super::OrganizerLogin {
            organizer: super::Organizer {
                id: alleyvote_domain::organizer::OrganizerId(self.id),
                username: self.username,
                display_name: self.display_name,
                role,
                active: self.active,
            },
            password_hash: self.password_hash,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct OrganizerSessionRow {
    #[sqlx(flatten)]
    organizer: OrganizerRow,
    csrf_token: String,
    pub(super) last_seen_at_ms: i64,
}

impl OrganizerSessionRow {
    pub(super) fn into_session(self) -> Result<super::OrganizerSession, StoreError> {
        Ok(super::OrganizerSession {
            organizer: self.organizer.into_login()?.organizer,
            csrf_token: self.csrf_token,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct AuditRow {
    seq: i64,
    at_ms: i64,
    actor_id: Option<i64>,
    actor_name: String,
    action: String,
    subject: String,
    before_json: Option<String>,
    after_json: Option<String>,
    prev_hash: Vec<u8>,
    hash: Vec<u8>,
}

impl AuditRow {
    pub(super) fn into_stored(self) -> Result<super::StoredAudit, StoreError> {
        Ok(super::StoredAudit {
            prev_hash: hash32(&self.prev_hash)?,
            hash: hash32(&self.hash)?,
            record: crate::audit::AuditRecord {
                seq: self.seq,
                at: alleyvote_domain::Millis(self.at_ms),
                actor: self.actor_id.map(alleyvote_domain::organizer::OrganizerId),
                actor_name: self.actor_name,
                action: self.action,
                subject: self.subject,
                before: self.before_json,
                after: self.after_json,
            },
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct NomineeRecordRow {
    #[sqlx(flatten)]
    nominee: NomineeRow,
    community_id: i64,
    status: String,
}

impl NomineeRecordRow {
    pub(super) fn into_record(self) -> Result<super::NomineeRecord, StoreError> {
        Ok(super::NomineeRecord {
            nominee: self.nominee.into_nominee()?,
            community: alleyvote_domain::CommunityId(self.community_id),
            active: self.status == "active",
        })
    }
}
