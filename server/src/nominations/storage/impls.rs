//! The nominations' storage on both backends: one implementation, written
//! once for SQLite and PostgreSQL.

use alleyvote_domain::nomination::{Consent, NominationId, NominationState};
use alleyvote_domain::{CampaignId, CommunityId, Millis, NomineeId, StreetId, VoterId};
use async_trait::async_trait;

use super::rows::{corrupt, count, state, MineRow, RecordRow};
use super::sql::*;
use super::{
    Applied, Approval, Change, LinkRow, LinkState, MyNomination, NewNomination, NominationRecord,
    NominationStorage, Nominator, PaperConsent, Put, QueueFilter,
};
use crate::audit::storage::AuditedWrite;
use crate::audit::NewAuditEntry;
use crate::storage::{Backend, Lock, PostgresStore, SqliteStore, StoreResult, Tx};

// A macro, not a generic impl: generic over sqlx's `Database` this slice would
// need the executor and arguments bounds plus one for each type bound into or
// decoded from its queries (at least 14 row types here), and again on each of
// its 3 helper functions; the macro is shorter. See `crate::storage`.
macro_rules! nomination_storage {
    ($backend:ty) => {
        impl $backend {
            /// Inserts the nomination, its photo, its nominator's place and its link.
            async fn insert_nomination(
                tx: &mut Tx<Self>,
                new: &NewNomination<'_>,
                now: Millis,
            ) -> StoreResult<NominationId> {
                let d = new.draft;
                let (voter, organizer) = match new.nominator {
                    Nominator::Resident(v) => (Some(v.0), None),
                    Nominator::Committee(o) => (None, Some(o.0)),
                };
                let id: i64 = sqlx::query_scalar(INSERT)
                    .bind(new.campaign.0)
                    .bind(d.community.0)
                    .bind(&d.name)
                    .bind(&new.name_key)
                    .bind(&new.sound_key)
                    .bind(d.role.as_str())
                    .bind(i64::from(d.years))
                    .bind(&d.story)
                    .bind(d.relation.as_str())
                    .bind(new.phone.as_ref().map(|(h, _)| h.to_vec()))
                    .bind(new.phone.as_ref().map(|(_, m)| m.clone()))
                    .bind(voter)
                    .bind(organizer)
                    .bind(now.0)
                    .bind(new.nominator_reply.map(|r| r.sealed.clone()))
                    .bind(new.nominator_reply.map(|r| r.masked.as_str()))
                    .fetch_one(&mut **tx)
                    .await?;
                if let Some((full, card)) = new.photo {
                    for (size, bytes) in [("full", full), ("card", card)] {
                        sqlx::query(INSERT_PHOTO)
                            .bind(id)
                            .bind(size)
                            .bind(bytes)
                            .execute(&mut **tx)
                            .await?;
                    }
                }
                sqlx::query(INSERT_SUPPORTER)
                    .bind(id)
                    .bind(id)
                    .bind(new.campaign.0)
                    .bind(voter)
                    .bind(now.0)
                    .execute(&mut **tx)
                    .await?;
                if let Some((token, expires)) = &new.consent_link {
                    sqlx::query(INSERT_LINK)
                        .bind(token.to_vec())
                        .bind(id)
                        .bind(expires.0)
                        .execute(&mut **tx)
                        .await?;
                }
                Ok(NominationId(id))
            }

            /// How many nominations and supports a resident has in a campaign.
            async fn put_by(
                tx: &mut Tx<Self>,
                campaign: CampaignId,
                voter: VoterId,
            ) -> StoreResult<i64> {
                Ok(sqlx::query_scalar(PUT_BY)
                    .bind(campaign.0)
                    .bind(voter.0)
                    .fetch_one(&mut **tx)
                    .await?)
            }

            async fn record_in(
                tx: &mut Tx<Self>,
                id: i64,
            ) -> StoreResult<Option<NominationRecord>> {
                let row: Option<RecordRow> = sqlx::query_as(&record_sql("WHERE n.id = $1"))
                    .bind(id)
                    .fetch_optional(&mut **tx)
                    .await?;
                row.map(NominationRecord::try_from).transpose()
            }
        }

        #[async_trait]
        impl NominationStorage for $backend {
            async fn nominate(
                &self,
                new: &NewNomination<'_>,
                limit: u32,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<Put> {
                let mut tx = self.begin().await?;
                if let Nominator::Resident(voter) = new.nominator {
                    // One resident's nominations are counted and added in turn.
                    Self::lock(&mut tx, Lock::Voters(&[voter])).await?;
                    if Self::put_by(&mut tx, new.campaign, voter).await? >= i64::from(limit) {
                        return Ok(Put::LimitReached);
                    }
                }
                let id = Self::insert_nomination(&mut tx, new, now).await?;
                let mut audit = audit.clone();
                audit.subject = format!("nomination {id}");
                self.commit_audited(tx, &audit, now).await?;
                Ok(Put::Done(id))
            }

            async fn nominate_for_committee(
                &self,
                new: &NewNomination<'_>,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<NominationId> {
                let mut tx = self.begin().await?;
                let id = Self::insert_nomination(&mut tx, new, now).await?;
                let mut audit = audit.clone();
                audit.subject = format!("nomination {id}");
                self.commit_audited(tx, &audit, now).await?;
                Ok(id)
            }

            async fn support(
                &self,
                campaign: CampaignId,
                lead: NominationId,
                voter: VoterId,
                limit: u32,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<Put> {
                let mut tx = self.begin().await?;
                Self::lock(&mut tx, Lock::Voters(&[voter])).await?;
                // The limit first: past it, nothing about other nominations is told.
                if Self::put_by(&mut tx, campaign, voter).await? >= i64::from(limit) {
                    return Ok(Put::LimitReached);
                }
                let found: Option<(i64, String)> = sqlx::query_as(LEAD_OF)
                    .bind(lead.0)
                    .bind(campaign.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some((lead, _)) = found else {
                    return Ok(Put::NotStanding);
                };
                // The lead itself must stand (a merged one leads to its lead),
                // and not be merged away while this support is added.
                sqlx::query(LOCK_ROW).bind(lead).execute(&mut *tx).await?;
                let (lead_state, _): (String, Option<i64>) = sqlx::query_as(STATE_OF)
                    .bind(lead)
                    .fetch_one(&mut *tx)
                    .await?;
                let lead_state = state(&lead_state)?;
                if !(lead_state.is_open() || lead_state == NominationState::Approved) {
                    return Ok(Put::NotStanding);
                }
                let counted: i64 = sqlx::query_scalar(COUNTED_FOR)
                    .bind(lead)
                    .bind(voter.0)
                    .fetch_one(&mut *tx)
                    .await?;
                if counted > 0 {
                    return Ok(Put::AlreadyCounted);
                }
                sqlx::query(INSERT_SUPPORTER)
                    .bind(lead)
                    .bind(lead)
                    .bind(campaign.0)
                    .bind(voter.0)
                    .bind(now.0)
                    .execute(&mut *tx)
                    .await?;
                let mut audit = audit.clone();
                audit.subject = format!("nomination {lead}");
                self.commit_audited(tx, &audit, now).await?;
                Ok(Put::Done(NominationId(lead)))
            }

            async fn standing(
                &self,
                campaign: CampaignId,
                community: CommunityId,
            ) -> StoreResult<Vec<(NominationId, String, NominationState)>> {
                let rows: Vec<(i64, String, String)> = sqlx::query_as(STANDING)
                    .bind(campaign.0)
                    .bind(community.0)
                    .fetch_all(self.read())
                    .await?;
                rows.into_iter()
                    .map(|(id, name, s)| Ok((NominationId(id), name, state(&s)?)))
                    .collect()
            }

            async fn mine(
                &self,
                campaign: CampaignId,
                voter: VoterId,
            ) -> StoreResult<Vec<MyNomination>> {
                let sql = MINE.replace("{supporters}", &SUPPORTERS_OF.replace("{lead}", "l.id"));
                let rows: Vec<MineRow> = sqlx::query_as(&sql)
                    .bind(campaign.0)
                    .bind(voter.0)
                    .fetch_all(self.read())
                    .await?;
                crate::storage::rows::collect(rows)
            }

            async fn per_street(&self, campaign: CampaignId) -> StoreResult<Vec<(StreetId, u32)>> {
                let rows: Vec<(i64, i64)> = sqlx::query_as(PER_STREET)
                    .bind(campaign.0)
                    .fetch_all(self.read())
                    .await?;
                Ok(rows
                    .into_iter()
                    .map(|(s, n)| (StreetId(s), count(Some(n))))
                    .collect())
            }

            async fn queue(
                &self,
                campaign: CampaignId,
                filter: &QueueFilter,
            ) -> StoreResult<Vec<NominationRecord>> {
                let rows: Vec<RecordRow> = sqlx::query_as(&record_sql(QUEUE_TAIL))
                    .bind(campaign.0)
                    .bind(filter.street.map(|s| s.0))
                    .bind(filter.community.map(|c| c.0))
                    .bind(filter.state.map(|s| s.as_str()))
                    .fetch_all(self.read())
                    .await?;
                crate::storage::rows::collect(rows)
            }

            async fn record(
                &self,
                campaign: CampaignId,
                id: NominationId,
            ) -> StoreResult<Option<NominationRecord>> {
                let row: Option<RecordRow> =
                    sqlx::query_as(&record_sql("WHERE n.id = $1 AND n.campaign_id = $2"))
                        .bind(id.0)
                        .bind(campaign.0)
                        .fetch_optional(self.read())
                        .await?;
                row.map(NominationRecord::try_from).transpose()
            }

            async fn photo(&self, id: NominationId, size: &str) -> StoreResult<Option<Vec<u8>>> {
                Ok(sqlx::query_scalar(PHOTO)
                    .bind(id.0)
                    .bind(size)
                    .fetch_optional(self.read())
                    .await?)
            }

            async fn decide(
                &self,
                id: NominationId,
                revision: i64,
                change: &Change,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<Applied> {
                let mut tx = self.begin().await?;
                let done = sqlx::query(DECIDE)
                    .bind(id.0)
                    .bind(revision)
                    .bind(change.state.as_str())
                    .bind(change.reason.map(|r| r.as_str()))
                    .bind(&change.reason_note)
                    .bind(&change.question)
                    .bind(now.0)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Ok(Applied::Stale);
                }
                self.commit_audited(tx, audit, now).await?;
                Ok(Applied::Done)
            }

            async fn answer(
                &self,
                campaign: CampaignId,
                id: NominationId,
                voter: VoterId,
                answer: &str,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<Applied> {
                let mut tx = self.begin().await?;
                let done = sqlx::query(ANSWER)
                    .bind(id.0)
                    .bind(voter.0)
                    .bind(answer)
                    .bind(campaign.0)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Ok(Applied::Stale);
                }
                self.commit_audited(tx, audit, now).await?;
                Ok(Applied::Done)
            }

            async fn merge(
                &self,
                from: NominationId,
                revision: i64,
                into: NominationId,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<Applied> {
                let mut tx = self.begin().await?;
                // Both rows, in id order: two merges of the same pair wait
                // for each other instead of making a cycle.
                for id in [from.0.min(into.0), from.0.max(into.0)] {
                    sqlx::query(LOCK_ROW).bind(id).execute(&mut *tx).await?;
                }
                let target: Option<(String, Option<i64>)> = sqlx::query_as(STATE_OF)
                    .bind(into.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                let standing = match target {
                    Some((s, None)) => {
                        let s = state(&s)?;
                        s.is_open() || s == NominationState::Approved
                    }
                    _ => false,
                };
                if !standing || from == into {
                    return Ok(Applied::Stale);
                }
                let done = sqlx::query(MERGE_FROM)
                    .bind(from.0)
                    .bind(revision)
                    .bind(into.0)
                    .bind(now.0)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Ok(Applied::Stale);
                }
                for sql in [MERGE_EARLIER, MOVE_SUPPORTERS] {
                    sqlx::query(sql)
                        .bind(from.0)
                        .bind(into.0)
                        .execute(&mut *tx)
                        .await?;
                }
                // The merged nomination keeps its own consent: whoever its
                // link reached may not be the lead's nominee, so nothing is
                // carried (the reviewer is shown it beside the lead).
                self.commit_audited(tx, audit, now).await?;
                Ok(Applied::Done)
            }

            async fn approve(
                &self,
                id: NominationId,
                revision: i64,
                approval: &Approval,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<Result<NomineeId, Applied>> {
                let mut tx = self.begin().await?;
                let approved: Option<(i64, i64)> = sqlx::query_as(APPROVE)
                    .bind(id.0)
                    .bind(revision)
                    .bind(now.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some((campaign, community)) = approved else {
                    return Ok(Err(Applied::Stale));
                };
                let nominee: Option<i64> = sqlx::query_scalar(CREATE_NOMINEE)
                    .bind(campaign)
                    .bind(i32::from(approval.number.get()))
                    .bind(&approval.name)
                    .bind(community)
                    .bind(&approval.story)
                    .bind(now.0)
                    .bind(id.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(nominee) = nominee else {
                    return Ok(Err(Applied::NumberTaken));
                };
                let copied = sqlx::query(COPY_PHOTOS)
                    .bind(nominee)
                    .bind(id.0)
                    .bind(now.0)
                    .execute(&mut *tx)
                    .await?;
                if copied.rows_affected() > 0 {
                    sqlx::query(POINT_PHOTO)
                        .bind(nominee)
                        .bind(format!("/photos/{nominee}/full.jpg?v={}", now.0))
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query(LINK_NOMINEE)
                    .bind(id.0)
                    .bind(nominee)
                    .execute(&mut *tx)
                    .await?;
                self.commit_audited(tx, audit, now).await?;
                Ok(Ok(NomineeId(nominee)))
            }

            async fn link(&self, token_hash: &[u8; 32], now: Millis) -> StoreResult<LinkState> {
                let found: Option<LinkRow> = sqlx::query_as(LINK)
                    .bind(token_hash.to_vec())
                    .fetch_optional(self.read())
                    .await?;
                let Some(row) = found else {
                    return Ok(LinkState::Unknown);
                };
                if let Some(used) = LinkState::used(&row) {
                    return Ok(used);
                }
                let (id, expires, _, _) = row;
                if now.0 >= expires {
                    return Ok(LinkState::Expired);
                }
                let row: Option<RecordRow> = sqlx::query_as(&record_sql("WHERE n.id = $1"))
                    .bind(id)
                    .fetch_optional(self.read())
                    .await?;
                Ok(match row {
                    Some(r) => LinkState::Open(Box::new(r.try_into()?)),
                    None => LinkState::Unknown,
                })
            }

            async fn consent_by_link(
                &self,
                token_hash: &[u8; 32],
                agreed: bool,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<LinkState> {
                let mut tx = self.begin().await?;
                let found: Option<LinkRow> = sqlx::query_as(LINK)
                    .bind(token_hash.to_vec())
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(row) = found else {
                    return Ok(LinkState::Unknown);
                };
                if let Some(used) = LinkState::used(&row) {
                    return Ok(used);
                }
                let (id, expires, _, _) = row;
                if now.0 >= expires {
                    return Ok(LinkState::Expired);
                }
                let used = sqlx::query(USE_LINK)
                    .bind(token_hash.to_vec())
                    .bind(now.0)
                    .bind(agreed)
                    .execute(&mut *tx)
                    .await?;
                if used.rows_affected() == 0 {
                    // Answered meanwhile by another request: that answer stands.
                    return Ok(LinkState::Used {
                        agreed: None,
                        at: now,
                    });
                }
                let consent = if agreed {
                    Consent::GivenByLink
                } else {
                    Consent::Declined
                };
                // The answer stands for the nomination the link was sent
                // for: after a merge it is shown beside the lead, never
                // written onto it (the link may have reached someone else).
                sqlx::query(CONSENT)
                    .bind(id)
                    .bind(consent.as_str())
                    .bind(now.0)
                    .bind(None::<i64>)
                    .bind("")
                    .bind(!agreed)
                    .execute(&mut *tx)
                    .await?;
                let Some(record) = Self::record_in(&mut tx, id).await? else {
                    return Ok(LinkState::Unknown);
                };
                let mut audit = audit.clone();
                audit.subject = format!("nomination {id}");
                self.commit_audited(tx, &audit, now).await?;
                Ok(LinkState::Open(Box::new(record)))
            }

            async fn consent_on_paper(
                &self,
                id: NominationId,
                revision: i64,
                paper: &PaperConsent,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<Applied> {
                let mut tx = self.begin().await?;
                let consent = if paper.agreed {
                    Consent::GivenOnPaper
                } else {
                    Consent::Declined
                };
                let done = sqlx::query(&format!("{CONSENT}{CONSENT_CAS}"))
                    .bind(id.0)
                    .bind(consent.as_str())
                    .bind(now.0)
                    .bind(Some(paper.by.0))
                    .bind(&paper.note)
                    .bind(!paper.agreed)
                    .bind(revision)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Ok(Applied::Stale);
                }
                self.commit_audited(tx, audit, now).await?;
                Ok(Applied::Done)
            }

            async fn replace_photo(
                &self,
                id: NominationId,
                photo: (&[u8], &[u8]),
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<Applied> {
                let mut tx = self.begin().await?;
                let open = sqlx::query(STILL_OPEN).bind(id.0).execute(&mut *tx).await?;
                if open.rows_affected() == 0 {
                    return Ok(Applied::Stale);
                }
                sqlx::query(DROP_PHOTOS)
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await?;
                for (size, bytes) in [("full", photo.0), ("card", photo.1)] {
                    sqlx::query(INSERT_PHOTO)
                        .bind(id.0)
                        .bind(size)
                        .bind(bytes)
                        .execute(&mut *tx)
                        .await?;
                }
                self.commit_audited(tx, audit, now).await?;
                Ok(Applied::Done)
            }

            async fn merged_answers(
                &self,
                lead: NominationId,
            ) -> StoreResult<Vec<(NominationId, Consent)>> {
                let rows: Vec<(i64, String)> = sqlx::query_as(MERGED_ANSWERS)
                    .bind(lead.0)
                    .fetch_all(self.read())
                    .await?;
                rows.into_iter()
                    .map(|(id, c)| {
                        let consent = Consent::parse(&c).ok_or_else(|| corrupt("consent", &c))?;
                        Ok((NominationId(id), consent))
                    })
                    .collect()
            }

            async fn unmerge(
                &self,
                from: NominationId,
                revision: i64,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<Applied> {
                let mut tx = self.begin().await?;
                type Merged = (i64, String, Option<i64>, Option<i64>, Option<String>);
                let row: Option<Merged> = sqlx::query_as(MERGED_ROW)
                    .bind(from.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some((rev, st, Some(lead), Some(direct), Some(_before))) = row else {
                    return Ok(Applied::Stale);
                };
                if rev != revision || st != "merged" || lead != direct {
                    return Ok(Applied::Stale);
                }
                for id in [from.0.min(lead), from.0.max(lead)] {
                    sqlx::query(LOCK_ROW).bind(id).execute(&mut *tx).await?;
                }
                let kept: Option<(String, Option<i64>)> = sqlx::query_as(STATE_OF)
                    .bind(lead)
                    .fetch_optional(&mut *tx)
                    .await?;
                match kept {
                    Some((s, None)) if state(&s)?.is_open() => {}
                    _ => return Ok(Applied::Stale),
                }
                // Those merged into `from` before it was merged: their chain
                // of direct merges reaches it.
                let under: Vec<(i64, Option<i64>)> = sqlx::query_as(MERGED_INTO_LEAD)
                    .bind(lead)
                    .fetch_all(&mut *tx)
                    .await?;
                let direct_of: std::collections::HashMap<i64, Option<i64>> =
                    under.iter().copied().collect();
                let reaches_from = |mut id: i64| {
                    for _ in 0..under.len() {
                        match direct_of.get(&id).copied().flatten() {
                            Some(next) if next == from.0 => return true,
                            Some(next) => id = next,
                            None => return false,
                        }
                    }
                    false
                };
                let earlier: Vec<i64> = under
                    .iter()
                    .map(|(id, _)| *id)
                    .filter(|id| *id != from.0 && reaches_from(*id))
                    .collect();
                let undone = sqlx::query(UNMERGE)
                    .bind(from.0)
                    .bind(revision)
                    .execute(&mut *tx)
                    .await?;
                if undone.rows_affected() == 0 {
                    return Ok(Applied::Stale);
                }
                for id in &earlier {
                    sqlx::query(REPOINT)
                        .bind(id)
                        .bind(from.0)
                        .execute(&mut *tx)
                        .await?;
                }
                for origin in std::iter::once(from.0).chain(earlier.iter().copied()) {
                    sqlx::query(SUPPORTERS_BACK)
                        .bind(lead)
                        .bind(origin)
                        .bind(from.0)
                        .execute(&mut *tx)
                        .await?;
                }
                // The lead's count changed: a decision taken on it before is stale.
                sqlx::query(BUMP).bind(lead).execute(&mut *tx).await?;
                self.commit_audited(tx, audit, now).await?;
                Ok(Applied::Done)
            }

            async fn keep_separate(
                &self,
                id: NominationId,
                voter: VoterId,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<bool> {
                let mut tx = self.begin().await?;
                let kept = sqlx::query(KEEP_SEPARATE)
                    .bind(id.0)
                    .bind(voter.0)
                    .bind(now.0)
                    .execute(&mut *tx)
                    .await?;
                if kept.rows_affected() == 0 {
                    return Ok(false);
                }
                self.commit_audited(tx, audit, now).await?;
                Ok(true)
            }

            async fn merged_into(
                &self,
                campaign: CampaignId,
                lead: NominationId,
            ) -> StoreResult<Vec<NominationRecord>> {
                let rows: Vec<RecordRow> = sqlx::query_as(&record_sql(
                    "WHERE n.merged_into = $1 AND n.campaign_id = $2 ORDER BY n.id",
                ))
                .bind(lead.0)
                .bind(campaign.0)
                .fetch_all(self.read())
                .await?;
                crate::storage::rows::collect(rows)
            }

            async fn claim_nominator_text(
                &self,
                id: NominationId,
                now: Millis,
                not_since: Millis,
            ) -> StoreResult<Option<Vec<u8>>> {
                let sealed: Option<Option<Vec<u8>>> = sqlx::query_scalar(CLAIM_NOMINATOR_TEXT)
                    .bind(id.0)
                    .bind(now.0)
                    .bind(not_since.0)
                    .fetch_optional(self.write())
                    .await?;
                Ok(sealed.flatten())
            }

            async fn voter_identity(&self, voter: VoterId) -> StoreResult<Option<[u8; 32]>> {
                let hash: Option<Vec<u8>> = sqlx::query_scalar(VOTER_IDENTITY)
                    .bind(voter.0)
                    .fetch_optional(self.read())
                    .await?;
                Ok(hash.and_then(|h| <[u8; 32]>::try_from(h.as_slice()).ok()))
            }

            async fn nominators_of(
                &self,
                campaign: CampaignId,
            ) -> StoreResult<Vec<(NomineeId, u32)>> {
                let sql =
                    NOMINATORS_OF.replace("{supporters}", &SUPPORTERS_OF.replace("{lead}", "l.id"));
                let rows: Vec<(i64, Option<i64>)> = sqlx::query_as(&sql)
                    .bind(campaign.0)
                    .fetch_all(self.read())
                    .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, n)| (NomineeId(id), count(n)))
                    .collect())
            }
        }
    };
}

nomination_storage!(SqliteStore);
nomination_storage!(PostgresStore);
