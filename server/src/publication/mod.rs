//! Results as the campaign publishes them: the ranking rule chosen before
//! voting (locked once voting opens; a refused change is still audited),
//! the lot drawn with a witness, the stages after voting (closed → public
//! notice → final) and the residents' objections with reviewers' answers.
//! The rules are the domain's (`alleyvote_domain::{ranking, publication}`);
//! this module applies them to what is stored and audits every step.

pub mod correction;
pub mod http;
pub mod pages;
pub mod storage;

use std::sync::Arc;

use alleyvote_domain::publication::objection::{parse_answer, MAX_PER_RESIDENT};
use alleyvote_domain::publication::{CorrectionRefusal, ResultsStage};
use alleyvote_domain::publication::{
    Objection, ObjectionProblem, ObjectionText, Publication, PublicationRefusal, PublicationStep,
    StepFacts,
};
use alleyvote_domain::ranking::{draw, LotSeed, RankRule, RuleProblem};
use alleyvote_domain::texts;
use alleyvote_domain::{Campaign, Millis, ResultsSnapshot, StationsReported, Tally, VoterId};
use serde_json::json;

use crate::audit::{Actor, AuditAction, NewAuditEntry};
use crate::clock::Clock;
use crate::results::ResultsHub;
use crate::signin::reply::TextBack;
use crate::storage::StoreError;
use storage::{Applied, DrawnLot, Filed, PublicationStorage, Stepped};

/// The shortest and longest witness description ("公证员 王某某").
const WITNESS_CHARS: std::ops::RangeInclusive<usize> = 2..=60;

/// Why a publication step was refused.
#[derive(Debug, thiserror::Error)]
pub enum PublicationError {
    #[error("the ranking rule: {0:?}")]
    Rule(RuleProblem),
    /// Voting has opened: the published rule stands.
    #[error("the ranking rule is locked")]
    RuleLocked,
    #[error("the step: {0:?}")]
    Step(PublicationRefusal),
    #[error("the objection: {0:?}")]
    Objection(ObjectionProblem),
    #[error("the correction: {0:?}")]
    Correction(CorrectionRefusal),
    #[error("the witness must be named")]
    Witness,
    /// No tie at the winners' line, or the count is not closed.
    #[error("no lot to draw")]
    NoLot,
    /// Another organizer's change came first.
    #[error("moved on meanwhile")]
    Moved,
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub struct Publications {
    store: Arc<dyn PublicationStorage>,
    hub: ResultsHub,
    /// Texts a resident whose objection is answered, if they gave their number.
    replies: TextBack,
    /// The clock every rule about time reads (one per instance: the
    /// configuration's, which a test may set).
    clock: Clock,
}

/// What the console's results page shows an organizer.
#[derive(Debug, Clone)]
pub struct Preliminary {
    pub rule: RankRule,
    /// Whether voting has opened (the rule is locked).
    pub rule_locked: bool,
    pub publication: Option<Publication>,
    /// The ranking with counts, whatever the public sees.
    pub ranking: Arc<ResultsSnapshot>,
    pub objections: Vec<Objection>,
}

impl Publications {
    pub fn new(
        store: Arc<dyn PublicationStorage>,
        hub: ResultsHub,
        replies: TextBack,
        clock: Clock,
    ) -> Self {
        Publications {
            store,
            hub,
            replies,
            clock,
        }
    }

    /// The campaign's rule: the one chosen, or the plain sum with ten winners.
    pub async fn rule(&self, campaign: &Campaign) -> Result<RankRule, StoreError> {
        Ok(self.store.rank_rule(campaign.id).await?.unwrap_or_default())
    }

    /// Whether the rule is locked: voting has opened, or votes were cast
    /// (moving the opening date later does not unlock a rule votes were
    /// cast under).
    async fn rule_locked(&self, campaign: &Campaign, now: Millis) -> Result<bool, StoreError> {
        Ok(now >= campaign.phases.voting_start || self.store.votes_cast(campaign.id).await?)
    }

    /// Everything the console's results page shows. The ranking carries
    /// the organizers' counts only for a reader who `may_read_hidden`
    /// results; anyone else reads what the public sees.
    pub async fn preliminary(
        &self,
        campaign: &Campaign,
        may_read_hidden: bool,
    ) -> Result<Preliminary, StoreError> {
        let now = self.clock.now();
        let ranking = if may_read_hidden {
            self.hub.for_organizers(campaign).await?
        } else {
            self.hub.view(campaign, None).await?
        };
        Ok(Preliminary {
            rule: self.rule(campaign).await?,
            rule_locked: self.rule_locked(campaign, now).await?,
            publication: self.store.publication(campaign.id).await?,
            ranking,
            objections: self.store.objections(campaign.id).await?,
        })
    }

    /// Chooses the ranking rule. Once voting has opened the change is
    /// refused, and the attempt is recorded in the audit log.
    #[tracing::instrument(skip_all, fields(campaign = %campaign.slug))]
    pub async fn set_rule(
        &self,
        actor: Actor<'_>,
        campaign: &Campaign,
        rule: Result<RankRule, RuleProblem>,
    ) -> Result<(), PublicationError> {
        let rule = rule.map_err(PublicationError::Rule)?;
        let now = self.clock.now();
        let subject = format!("campaign:{}", campaign.slug);
        let before = self.rule(campaign).await?;
        if self.rule_locked(campaign, now).await? {
            let attempt = NewAuditEntry::new(actor, AuditAction::RankRuleRefused, subject)
                .before(json!(before))
                .after(json!(rule));
            self.store.record_refusal(&attempt, now).await?;
            return Err(PublicationError::RuleLocked);
        }
        let audit = NewAuditEntry::new(actor, AuditAction::RankRule, subject)
            .before(json!(before))
            .after(json!(rule));
        self.store
            .set_rank_rule(campaign.id, &rule, &audit, now)
            .await?;
        self.hub.poke();
        Ok(())
    }

    /// Draws the lot among the nominees tied across the winners' line, with
    /// a witness present: the seed, the order and the witness go to the
    /// audit log, so anyone can draw the same lot from the seed again.
    #[tracing::instrument(skip_all, fields(campaign = %campaign.slug))]
    pub async fn draw_lot(
        &self,
        actor: Actor<'_>,
        campaign: &Campaign,
        witness: &str,
    ) -> Result<Vec<alleyvote_domain::NomineeNumber>, PublicationError> {
        let witness = witness.trim();
        if !WITNESS_CHARS.contains(&witness.chars().count()) {
            return Err(PublicationError::Witness);
        }
        let Some(id) = actor.id else {
            return Err(PublicationError::Witness);
        };
        let closed = self
            .store
            .publication(campaign.id)
            .await?
            .is_some_and(|p| p.stage == alleyvote_domain::publication::Stage::Closed);
        // Counted before the tie is read (a fresh read), so a lot drawn
        // meanwhile makes the draw stale instead of settling the tie twice.
        let drawn_before = self.store.lots_drawn(campaign.id).await?;
        let tied = self.hub.for_organizers(campaign).await?.lot_pending.clone();
        if !closed || tied.is_empty() {
            return Err(PublicationError::NoLot);
        }
        let seed = LotSeed(rand::random::<u128>());
        let order = draw(seed, &tied);
        let lot = DrawnLot {
            seed: seed.hex(),
            order: order.clone(),
            by: id,
            witness: witness.to_string(),
        };
        let audit = NewAuditEntry::new(
            actor,
            AuditAction::LotDrawn,
            format!("campaign:{}", campaign.slug),
        )
        .before(json!({ "tied": tied }))
        .after(json!({
            "seed": lot.seed,
            "order": order,
            "witness": lot.witness,
            "method": "sort by number, Fisher-Yates with SplitMix64(seed_hi ^ seed_lo)",
        }));
        match self
            .store
            .add_lot(campaign.id, &lot, drawn_before, &audit, self.clock.now())
            .await?
        {
            Applied::Done => {
                self.hub.poke();
                Ok(order)
            }
            // Another draw (or a stage change) came first: its lot stands.
            Applied::Stale => Err(PublicationError::Moved),
        }
    }

    /// Takes a publication step, decided on the facts as they are now: the
    /// tally, lots and stations read in the step's own transaction.
    #[tracing::instrument(skip_all, fields(campaign = %campaign.slug, ?step))]
    pub async fn step(
        &self,
        actor: Actor<'_>,
        campaign: &Campaign,
        step: PublicationStep,
    ) -> Result<Publication, PublicationError> {
        let now = self.clock.now();
        let current = self.store.publication(campaign.id).await?;
        let unanswered = self
            .store
            .objections(campaign.id)
            .await?
            .iter()
            .filter(|o| o.answer.is_none())
            .count();
        let decide = |tally: &Tally, correction_underway: bool| {
            let ranking = ResultsSnapshot::build(campaign, ResultsStage::Live, tally.clone(), now);
            let facts = StepFacts {
                now,
                voting_end: campaign.phases.voting_end,
                stations: StationsReported {
                    reported: ranking.stations_reported,
                    total: ranking.stations_total,
                },
                lot_pending: ranking.lot_pending.len(),
                objections_unanswered: u32::try_from(unanswered).unwrap_or(u32::MAX),
                correction_underway,
            };
            let next = Publication::after(current.as_ref(), &step, facts)?;
            let audit = NewAuditEntry::new(
                actor,
                AuditAction::PublicationStep,
                format!("campaign:{}", campaign.slug),
            )
            .before(json!(current))
            .after(json!({
                "publication": next,
                "stations_reported": facts.stations,
                "total_votes": ranking.total_votes,
                "version": ranking.version,
            }));
            Ok((next, audit))
        };
        match self
            .store
            .set_publication(campaign.id, current.as_ref().map(|p| p.stage), &decide, now)
            .await?
        {
            Stepped::Done(next) => {
                self.hub.poke();
                Ok(next)
            }
            Stepped::Stale => Err(PublicationError::Moved),
            Stepped::Refused(refusal) => Err(PublicationError::Step(refusal)),
        }
    }

    /// A signed-in resident's objection, during the notice only. A mobile
    /// number given as contact must be the one they signed in with: it is
    /// kept sealed, to text them the answer.
    #[tracing::instrument(skip_all, fields(campaign = %campaign.slug))]
    pub async fn object(
        &self,
        campaign: &Campaign,
        voter: VoterId,
        text: Result<ObjectionText, ObjectionProblem>,
    ) -> Result<i64, PublicationError> {
        let text = text.map_err(PublicationError::Objection)?;
        let now = self.clock.now();
        if !self.takes_objections(campaign, now).await? {
            return Err(PublicationError::Objection(
                ObjectionProblem::NotDuringNotice,
            ));
        }
        if let Some(n) = text.nominee {
            let listed = self
                .hub
                .view(campaign, None)
                .await?
                .entries
                .iter()
                .any(|e| e.number == n);
            if !listed {
                return Err(PublicationError::Objection(
                    ObjectionProblem::UnknownNominee,
                ));
            }
        }
        let reply = match &text.reply_phone {
            None => None,
            Some(phone) => {
                let identity = self.store.voter_identity(voter).await?;
                Some(
                    self.replies
                        .own(identity, phone)
                        .ok_or(PublicationError::Objection(ObjectionProblem::NotOwnPhone))?,
                )
            }
        };
        match self
            .store
            .file_objection(
                campaign.id,
                voter,
                &text,
                reply.as_ref(),
                MAX_PER_RESIDENT,
                now,
            )
            .await?
        {
            Filed::Filed(id) => {
                self.hub.poke();
                Ok(id)
            }
            Filed::TooMany => Err(PublicationError::Objection(ObjectionProblem::TooMany)),
        }
    }

    /// A reviewer's answer to an objection not answered yet.
    #[tracing::instrument(skip_all, fields(campaign = %campaign.slug, id))]
    pub async fn answer(
        &self,
        actor: Actor<'_>,
        campaign: &Campaign,
        id: i64,
        answer: &str,
    ) -> Result<(), PublicationError> {
        let answer = parse_answer(answer).map_err(PublicationError::Objection)?;
        let Some(by) = actor.id else {
            return Err(PublicationError::Moved);
        };
        let audit = NewAuditEntry::new(
            actor,
            AuditAction::ObjectionAnswer,
            format!("objection:{id}"),
        )
        .after(json!({ "answer": answer }));
        match self
            .store
            .answer_objection(campaign.id, id, &answer, by, &audit, self.clock.now())
            .await?
        {
            Applied::Done => {
                self.hub.poke();
                self.text_the_answer(campaign, id).await;
                Ok(())
            }
            Applied::Stale => Err(PublicationError::Moved),
        }
    }

    /// Tells the author their objection is answered, if they gave their
    /// number: one text per objection (an objection is answered once, and a
    /// resident files at most five). The answer itself stays on the page.
    async fn text_the_answer(&self, campaign: &Campaign, id: i64) {
        let sealed = match self.store.reply_phone(campaign.id, id).await {
            Ok(Some(sealed)) => sealed,
            Ok(None) => return,
            Err(e) => {
                tracing::warn!(error = %e, "the answered objection's number could not be read");
                return;
            }
        };
        let link = self.replies.link("/results#objections");
        let text = texts::objection_answered(&link, campaign.hotline.as_ref());
        self.replies
            .send(&sealed, &text, &format!("objection-{id}"))
            .await;
    }

    /// A resident's own objections with their answers.
    pub async fn objections_of(
        &self,
        campaign: &Campaign,
        voter: VoterId,
    ) -> Result<Vec<Objection>, StoreError> {
        self.store.objections_of(campaign.id, voter).await
    }

    /// Whether residents may object now (the notice is on).
    pub async fn takes_objections(
        &self,
        campaign: &Campaign,
        now: Millis,
    ) -> Result<bool, StoreError> {
        Ok(self
            .store
            .publication(campaign.id)
            .await?
            .is_some_and(|p| p.takes_objections(now)))
    }
}
