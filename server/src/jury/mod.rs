//! The jury channel: an administrator appoints a campaign's judges (any
//! console account); each judge scores the nominees from 0 to 100; a
//! nominee's jury score is the average of the judges who scored them, and
//! enters the ranking with the weight the published formula gives it.
//! Judges are appointed and scores saved only until voting closes (before
//! anyone has seen the preliminary ranking), decided inside the saving
//! transaction. Every appointment and every saved score sheet is in the
//! audit log, and so is every refused one.

pub mod http;
pub mod pages;
pub mod storage;

use std::sync::Arc;

use alleyvote_domain::organizer::OrganizerId;
use alleyvote_domain::ranking::jury::JuryScore;
use alleyvote_domain::{Campaign, NomineeNumber};
use serde_json::json;

use crate::audit::{Actor, AuditAction, NewAuditEntry};
use crate::clock::Clock;
use crate::organizers::storage::OrganizerStorage;
use crate::publication::storage::PublicationStorage;
use crate::results::ResultsHub;
use crate::storage::StoreError;
use storage::{JudgeProgress, JuryStorage};

#[derive(Debug, thiserror::Error)]
pub enum JuryError {
    /// The account is not one of this campaign's judges.
    #[error("not a judge of this campaign")]
    NotAJudge,
    /// Voting has closed: the jury's appointments and scores stand.
    #[error("the jury is closed")]
    Locked,
    #[error("not a score for nominee {0}")]
    NotAScore(NomineeNumber),
    #[error("no such active account")]
    UnknownAccount,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for JuryError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Published => JuryError::Locked,
            e => JuryError::Store(e),
        }
    }
}

pub struct Jury {
    store: Arc<dyn JuryStorage>,
    publications: Arc<dyn PublicationStorage>,
    organizers: Arc<dyn OrganizerStorage>,
    hub: ResultsHub,
    /// The clock every rule about time reads (one per instance: the
    /// configuration's, which a test may set).
    clock: Clock,
}

impl Jury {
    pub fn new(
        store: Arc<dyn JuryStorage>,
        publications: Arc<dyn PublicationStorage>,
        organizers: Arc<dyn OrganizerStorage>,
        hub: ResultsHub,
        clock: Clock,
    ) -> Self {
        Jury {
            store,
            publications,
            organizers,
            hub,
            clock,
        }
    }

    pub async fn judges(&self, campaign: &Campaign) -> Result<Vec<JudgeProgress>, StoreError> {
        self.store.judges(campaign.id).await
    }

    pub async fn is_judge(
        &self,
        campaign: &Campaign,
        who: OrganizerId,
    ) -> Result<bool, StoreError> {
        Ok(self.judges(campaign).await?.iter().any(|j| j.id == who))
    }

    pub async fn scores_of(
        &self,
        campaign: &Campaign,
        judge: OrganizerId,
    ) -> Result<Vec<(NomineeNumber, u8)>, StoreError> {
        self.store.scores_of(campaign.id, judge).await
    }

    /// Whether the jury is closed: voting is over (or the count closed),
    /// so appointments and scores stand. Storage decides it again inside
    /// each saving transaction; this is what the page shows.
    pub async fn locked(&self, campaign: &Campaign) -> Result<bool, StoreError> {
        Ok(self.clock.now() >= campaign.phases.voting_end
            || self.publications.publication(campaign.id).await?.is_some())
    }

    #[tracing::instrument(skip_all, fields(campaign = %campaign.slug))]
    pub async fn appoint(
        &self,
        actor: Actor<'_>,
        campaign: &Campaign,
        organizer: OrganizerId,
    ) -> Result<(), JuryError> {
        let accounts = self.organizers.organizers().await?;
        let Some(judge) = accounts.iter().find(|o| o.id == organizer && o.active) else {
            return Err(JuryError::UnknownAccount);
        };
        let audit = NewAuditEntry::new(
            actor,
            AuditAction::JuryAppoint,
            format!("campaign:{}", campaign.slug),
        )
        .after(json!({ "judge": judge.username, "name": judge.display_name }));
        self.store
            .appoint_judge(campaign.id, organizer, &audit, self.clock.now())
            .await?;
        Ok(())
    }

    /// A judge's score sheet: each nominee's score as typed (empty takes a
    /// score back). Nothing is saved unless every score reads.
    #[tracing::instrument(skip_all, fields(campaign = %campaign.slug))]
    pub async fn score(
        &self,
        actor: Actor<'_>,
        campaign: &Campaign,
        typed: &[(NomineeNumber, String)],
    ) -> Result<(), JuryError> {
        let Some(judge) = actor.id else {
            return Err(JuryError::NotAJudge);
        };
        if !self.is_judge(campaign, judge).await? {
            return Err(JuryError::NotAJudge);
        }
        let scores = typed
            .iter()
            .map(|(n, text)| {
                JuryScore::parse(text)
                    .map(|s| (*n, s))
                    .map_err(|_| JuryError::NotAScore(*n))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let shown: serde_json::Map<String, serde_json::Value> = scores
            .iter()
            .map(|(n, s)| (n.to_string(), json!(s.map(JuryScore::get))))
            .collect();
        let audit = NewAuditEntry::new(
            actor,
            AuditAction::JuryScore,
            format!("campaign:{}", campaign.slug),
        )
        .after(serde_json::Value::Object(shown));
        self.store
            .save_scores(campaign.id, judge, &scores, &audit, self.clock.now())
            .await?;
        self.hub.poke();
        Ok(())
    }
}
