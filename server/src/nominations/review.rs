//! The reviewers' side of nominations: the queue, each decision (a
//! compare-and-set on the nomination's revision, audited), approval into a
//! numbered nominee, the committee's paper consent, and the nominee's
//! answer through the text message link.

use alleyvote_domain::nomination::queue::{
    awaits_reviewer, name_matches, page_of, Order, PageOf, Show, PER_PAGE,
};
use alleyvote_domain::nomination::{
    self, Decision, DecisionRefusal, IneligibleReason, NominationId, NominationState,
};
use alleyvote_domain::texts;
use alleyvote_domain::{Campaign, Millis, NomineeId, NomineeNumber, Phase};
use serde_json::json;

use super::storage::{
    Applied, Approval, Change, LinkState, NominationRecord, PaperConsent, QueueFilter,
};
use super::{note, Nominations, Queued, Review, ReviewError};
use crate::audit::{Actor, AuditAction, NewAuditEntry};
use crate::keyed_hashes::Hasher;
use crate::storage::StoreError;

/// The least time between two texts to a nominator about questions.
const QUESTION_TEXT_GAP_MS: i64 = 24 * 60 * 60 * 1000;

/// How a reviewer looks at the queue: which rows, a name searched for, the
/// order, the page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueView {
    pub show: Show,
    pub search: String,
    pub order: Order,
    /// From 1.
    pub page: usize,
}

/// One page of the queue, with what it was cut from.
#[derive(Debug, Clone)]
pub struct QueuePage {
    pub rows: Vec<Queued>,
    /// Rows the view matches, on every page.
    pub total: usize,
    /// Nominations waiting for a reviewer under the same filter.
    pub waiting: usize,
    pub page: PageOf,
}

/// What a bulk decision did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Bulk {
    pub decided: usize,
    /// Changed meanwhile, no longer new, or with a likely duplicate now.
    pub skipped: usize,
}

impl Nominations {
    /// The queue as a reviewer looks at it (`filter`'s state aside: the
    /// view's `show` says which rows).
    pub async fn review_queue(
        &self,
        campaign: &Campaign,
        filter: &QueueFilter,
        view: &QueueView,
    ) -> Result<QueuePage, StoreError> {
        let everything = QueueFilter {
            state: None,
            ..filter.clone()
        };
        let records = self.store.queue(campaign.id, &everything).await?;
        let waiting = records
            .iter()
            .filter(|r| Show::Waiting.shows(r.state, r.consent, !r.answer.is_empty()))
            .count();
        let mut matching: Vec<NominationRecord> = records
            .into_iter()
            .filter(|r| view.show.shows(r.state, r.consent, !r.answer.is_empty()))
            .filter(|r| name_matches(&r.name, &view.search))
            .collect();
        match view.order {
            Order::Oldest => matching.sort_by_key(|r| (r.created_at, r.id)),
            Order::Newest => matching.sort_by_key(|r| std::cmp::Reverse((r.created_at, r.id))),
            // The store's order: street, community, then the oldest.
            Order::Place => {}
        }
        let total = matching.len();
        let page = page_of(total, view.page, PER_PAGE);
        let shown: Vec<NominationRecord> = matching
            .into_iter()
            .skip(page.rows.start)
            .take(page.rows.len())
            .collect();
        Ok(QueuePage {
            rows: self.with_duplicates(campaign, shown).await?,
            total,
            waiting,
            page,
        })
    }

    /// The nomination waiting for a reviewer after `after` (the oldest
    /// first, coming round to the start), for "decide and go to the next".
    pub async fn next_waiting(
        &self,
        campaign: &Campaign,
        after: NominationId,
    ) -> Result<Option<NominationId>, StoreError> {
        let mut waiting: Vec<(Millis, NominationId)> = self
            .store
            .queue(campaign.id, &QueueFilter::default())
            .await?
            .into_iter()
            .filter(|r| r.id != after)
            .filter(|r| awaits_reviewer(r.state, r.consent, !r.answer.is_empty()))
            .map(|r| (r.created_at, r.id))
            .collect();
        waiting.sort();
        let current = self.store.record(campaign.id, after).await?;
        let from = current.map(|r| (r.created_at, r.id));
        Ok(waiting
            .iter()
            .find(|w| from.is_some_and(|f| **w > f))
            .or(waiting.first())
            .map(|(_, id)| *id))
    }

    /// Undoes a merge (of `from`, at `revision`, into the nomination it was
    /// merged into directly) while that one is still open.
    pub async fn unmerge(
        &self,
        campaign: &Campaign,
        actor: Actor<'_>,
        from: NominationId,
        revision: i64,
    ) -> Result<(), ReviewError> {
        let now = self.clock.now();
        self.open_for_review(campaign, now)?;
        let current = self
            .store
            .record(campaign.id, from)
            .await?
            .ok_or(ReviewError::NotFound)?;
        let audit = NewAuditEntry::new(
            actor,
            AuditAction::NominationUnmerge,
            format!("nomination {from}"),
        )
        .before(json!({ "state": "merged", "merged_into": current.merged_into.map(|m| m.0) }))
        .after(json!({ "name": current.name }));
        match self.store.unmerge(from, revision, &audit, now).await? {
            Applied::Done => Ok(()),
            _ => Err(ReviewError::Stale),
        }
    }

    /// Finds eligible, at once, new nominations that have no likely
    /// duplicate (each checked again here, on the revision the reviewer
    /// saw, and audited one by one like any decision).
    pub async fn bulk_eligible(
        &self,
        campaign: &Campaign,
        actor: Actor<'_>,
        chosen: &[(NominationId, i64)],
    ) -> Result<Bulk, ReviewError> {
        let mut bulk = Bulk::default();
        for (id, revision) in chosen {
            let Some(record) = self.store.record(campaign.id, *id).await? else {
                bulk.skipped += 1;
                continue;
            };
            let alike = self
                .suggest(campaign, record.community, &record.name)
                .await?
                .into_iter()
                .any(|s| s.id != record.id);
            if record.state != NominationState::Submitted || alike || record.revision != *revision {
                bulk.skipped += 1;
                continue;
            }
            match self
                .review(campaign, actor, *id, *revision, &Review::Eligible)
                .await
            {
                Ok(_) => bulk.decided += 1,
                Err(ReviewError::Stale | ReviewError::Refused(_)) => bulk.skipped += 1,
                Err(e) => return Err(e),
            }
        }
        Ok(bulk)
    }

    pub async fn queue(
        &self,
        campaign: &Campaign,
        filter: &QueueFilter,
    ) -> Result<Vec<Queued>, StoreError> {
        let records = self.store.queue(campaign.id, filter).await?;
        self.with_duplicates(campaign, records).await
    }

    /// Each open record with its likely duplicates among its community's
    /// standing nominations.
    async fn with_duplicates(
        &self,
        campaign: &Campaign,
        records: Vec<NominationRecord>,
    ) -> Result<Vec<Queued>, StoreError> {
        // Each community's standing nominations read once, however many
        // of its nominations the queue shows.
        let mut standing = std::collections::HashMap::new();
        let mut queued = Vec::with_capacity(records.len());
        for record in records {
            let duplicates = if record.state.is_open() {
                if let std::collections::hash_map::Entry::Vacant(e) =
                    standing.entry(record.community)
                {
                    e.insert(self.store.standing(campaign.id, record.community).await?);
                }
                let others = standing
                    .get(&record.community)
                    .map_or(&[][..], |v| v.as_slice());
                super::among(&record.name, record.community, others)
                    .into_iter()
                    .filter(|s| s.id != record.id)
                    .collect()
            } else {
                Vec::new()
            };
            queued.push(Queued { record, duplicates });
        }
        Ok(queued)
    }

    pub async fn record(
        &self,
        campaign: &Campaign,
        id: NominationId,
    ) -> Result<Option<NominationRecord>, StoreError> {
        self.store.record(campaign.id, id).await
    }

    pub async fn photo(&self, id: NominationId, full: bool) -> Result<Option<Vec<u8>>, StoreError> {
        self.store
            .photo(id, if full { "full" } else { "card" })
            .await
    }

    /// A reviewer's decision (not approval), decided on `revision`.
    pub async fn review(
        &self,
        campaign: &Campaign,
        actor: Actor<'_>,
        id: NominationId,
        revision: i64,
        review: &Review,
    ) -> Result<NominationState, ReviewError> {
        let now = self.clock.now();
        self.open_for_review(campaign, now)?;
        let current = self
            .store
            .record(campaign.id, id)
            .await?
            .ok_or(ReviewError::NotFound)?;
        let decision = match review {
            Review::Eligible => Decision::Eligible,
            Review::Ineligible { .. } => Decision::Ineligible,
            Review::AskForInfo { .. } => Decision::AskForInfo,
            Review::MergeInto(into) => {
                let target = self
                    .store
                    .record(campaign.id, *into)
                    .await?
                    .filter(|t| t.merged_into.is_none() && t.id != id)
                    .ok_or(ReviewError::Refused(DecisionRefusal::BadTarget))?;
                Decision::MergeInto(target.state)
            }
        };
        let next = nomination::state::decide(current.state, current.consent, decision)
            .map_err(ReviewError::Refused)?;
        let before = json!({ "state": current.state.as_str(), "revision": revision });
        let applied = match review {
            Review::MergeInto(into) => {
                let audit = NewAuditEntry::new(
                    actor,
                    AuditAction::NominationMerge,
                    format!("nomination {id}"),
                )
                .before(before)
                .after(
                    json!({ "state": next.as_str(), "merged_into": into.0, "name": current.name }),
                );
                self.store.merge(id, revision, *into, &audit, now).await?
            }
            _ => {
                let change = match review {
                    Review::Ineligible { reason, note: n } => Change {
                        state: next,
                        reason: Some(*reason),
                        reason_note: note(n, *reason == IneligibleReason::Other)?,
                        question: String::new(),
                    },
                    Review::AskForInfo { question } => Change {
                        state: next,
                        reason: None,
                        reason_note: String::new(),
                        question: note(question, true)?,
                    },
                    _ => Change {
                        state: next,
                        reason: None,
                        reason_note: String::new(),
                        question: String::new(),
                    },
                };
                let audit = NewAuditEntry::new(
                    actor,
                    AuditAction::NominationDecide,
                    format!("nomination {id}"),
                )
                .before(before)
                .after(json!({
                    "state": next.as_str(),
                    "reason": change.reason.map(|r| r.as_str()),
                    "note": change.reason_note,
                    "question": change.question,
                }));
                self.store
                    .decide(id, revision, &change, &audit, now)
                    .await?
            }
        };
        match applied {
            Applied::Done => {
                if matches!(review, Review::AskForInfo { .. }) {
                    self.text_the_question(campaign, id, now).await;
                }
                Ok(next)
            }
            _ => Err(ReviewError::Stale),
        }
    }

    /// Tells the nominator a reviewer asked a question, if they gave their
    /// number: at most one text a day per nomination (a reviewer asking
    /// twice in an afternoon sends one), claimed before it is sent.
    async fn text_the_question(&self, campaign: &Campaign, id: NominationId, now: Millis) {
        let sealed = match self
            .store
            .claim_nominator_text(id, now, now.plus_ms(-QUESTION_TEXT_GAP_MS))
            .await
        {
            Ok(Some(sealed)) => sealed,
            Ok(None) => return,
            Err(e) => {
                tracing::warn!(error = %e, "the nominator's number could not be read");
                return;
            }
        };
        let link = self.texts.link("/my/nominations");
        let text = texts::nomination_question(&link, campaign.hotline.as_ref());
        self.texts
            .send(&sealed, &text, &format!("question-{}", id.0))
            .await;
    }

    /// Approves an eligible, consented nomination into a numbered nominee,
    /// with the name and story as the reviewer edited them.
    pub async fn approve(
        &self,
        campaign: &Campaign,
        actor: Actor<'_>,
        id: NominationId,
        revision: i64,
        approval: &Approval,
    ) -> Result<NomineeId, ReviewError> {
        let now = self.clock.now();
        self.open_for_review(campaign, now)?;
        let current = self
            .store
            .record(campaign.id, id)
            .await?
            .ok_or(ReviewError::NotFound)?;
        nomination::state::decide(current.state, current.consent, Decision::Approve)
            .map_err(ReviewError::Refused)?;
        let name = approval.name.trim();
        let story = approval.story.trim();
        if !nomination::draft::NAME_CHARS.contains(&name.chars().count()) || story.is_empty() {
            return Err(ReviewError::Note);
        }
        let approval = Approval {
            number: approval.number,
            name: name.to_string(),
            story: story.to_string(),
        };
        let audit = NewAuditEntry::new(
            actor,
            AuditAction::NominationApprove,
            format!("nomination {id}"),
        )
        .before(json!({ "state": current.state.as_str(), "name": current.name }))
        .after(json!({
            "number": approval.number.get(),
            "name": approval.name,
            "supporters": current.supporters,
        }));
        match self
            .store
            .approve(id, revision, &approval, &audit, now)
            .await?
        {
            Ok(nominee) => {
                self.hub.poke();
                Ok(nominee)
            }
            Err(Applied::NumberTaken) => Err(ReviewError::NumberTaken),
            Err(_) => Err(ReviewError::Stale),
        }
    }

    /// A reviewer records the committee's paper: the nominee agreed or declined.
    #[allow(clippy::too_many_arguments)]
    pub async fn consent_on_paper(
        &self,
        campaign: &Campaign,
        actor: Actor<'_>,
        id: NominationId,
        revision: i64,
        agreed: bool,
        text: &str,
    ) -> Result<(), ReviewError> {
        let now = self.clock.now();
        let note = note(text, true)?;
        let by = actor.id.ok_or(ReviewError::NotFound)?;
        self.store
            .record(campaign.id, id)
            .await?
            .ok_or(ReviewError::NotFound)?;
        let audit = NewAuditEntry::new(
            actor,
            AuditAction::NominationConsent,
            format!("nomination {id}"),
        )
        .after(json!({ "agreed": agreed, "on_paper": true, "note": note }));
        match self
            .store
            .consent_on_paper(
                id,
                revision,
                &PaperConsent { agreed, by, note },
                &audit,
                now,
            )
            .await?
        {
            Applied::Done => Ok(()),
            _ => Err(ReviewError::Stale),
        }
    }

    /// A reviewer replaces the photo before approval (the published photo
    /// is the nomination's, re-encoded like any other).
    pub async fn replace_photo(
        &self,
        campaign: &Campaign,
        actor: Actor<'_>,
        id: NominationId,
        upload: Vec<u8>,
    ) -> Result<(), ReviewError> {
        let now = self.clock.now();
        self.open_for_review(campaign, now)?;
        self.store
            .record(campaign.id, id)
            .await?
            .filter(|r| r.state.is_open())
            .ok_or(ReviewError::Refused(DecisionRefusal::Decided))?;
        let processed = match crate::photos::process_in_turn(upload).await? {
            Ok(p) => p,
            Err(problem) => return Err(ReviewError::Photo(problem)),
        };
        let audit = NewAuditEntry::new(
            actor,
            AuditAction::NominationPhoto,
            format!("nomination {id}"),
        );
        match self
            .store
            .replace_photo(id, (&processed.full, &processed.card), &audit, now)
            .await?
        {
            Applied::Done => Ok(()),
            _ => Err(ReviewError::Stale),
        }
    }

    /// What a consent link shows.
    pub async fn link(&self, token: &str) -> Result<LinkState, StoreError> {
        let now = self.clock.now();
        self.store.link(&Hasher::token(token), now).await
    }

    /// The nominee's answer through the link.
    pub async fn answer_link(&self, token: &str, agreed: bool) -> Result<LinkState, StoreError> {
        let now = self.clock.now();
        let audit = NewAuditEntry::new(
            Actor {
                id: None,
                name: "被推荐人（短信链接）",
            },
            AuditAction::NominationConsent,
            "nomination",
        )
        .after(json!({ "agreed": agreed, "on_paper": false }));
        self.store
            .consent_by_link(&Hasher::token(token), agreed, &audit, now)
            .await
    }

    /// The number a new nominee gets by default: after the nominees of its
    /// street and the streets before it, or else the first free one.
    pub fn suggested_number(
        taken: &[(NomineeNumber, usize)],
        street_rank: usize,
    ) -> Option<NomineeNumber> {
        let used: std::collections::BTreeSet<u16> = taken.iter().map(|(n, _)| n.get()).collect();
        let after = taken
            .iter()
            .filter(|(_, rank)| *rank <= street_rank)
            .map(|(n, _)| n.get())
            .max()
            .unwrap_or(0);
        (after + 1..=999)
            .chain(1..=after)
            .find(|n| !used.contains(n))
            .and_then(|n| NomineeNumber::new(u32::from(n)).ok())
    }

    /// Decisions are taken until voting opens: then the list is fixed.
    pub fn open_for_review_at(campaign: &Campaign, now: Millis) -> bool {
        matches!(
            campaign.phase(now),
            Phase::Upcoming | Phase::Nomination | Phase::Review
        )
    }

    fn open_for_review(&self, campaign: &Campaign, now: Millis) -> Result<(), ReviewError> {
        if Self::open_for_review_at(campaign, now) {
            Ok(())
        } else {
            Err(ReviewError::Closed)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(v: u32) -> NomineeNumber {
        NomineeNumber::new(v).unwrap()
    }

    #[test]
    fn a_new_nominee_is_numbered_after_its_street() {
        // Street 0 holds 1–3, street 1 holds 10–12.
        let taken = [
            (n(1), 0),
            (n(2), 0),
            (n(3), 0),
            (n(10), 1),
            (n(11), 1),
            (n(12), 1),
        ];
        assert_eq!(Nominations::suggested_number(&taken, 0), Some(n(4)));
        assert_eq!(Nominations::suggested_number(&taken, 1), Some(n(13)));
        assert_eq!(Nominations::suggested_number(&[], 3), Some(n(1)));
        // Street 0 ran into street 1's numbers: the next free one after.
        let full = [(n(1), 0), (n(2), 1), (n(3), 1)];
        assert_eq!(Nominations::suggested_number(&full, 0), Some(n(4)));
    }
}
