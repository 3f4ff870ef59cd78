//! The `Store` implementation both backends share. The SQL is the same text
//! and sqlx's API is the same shape for both pools, so one macro writes the
//! trait impl for each; what truly differs (connection handling, locking, a
//! string function) stays in the backend's own module as inherent items:
//! `read`, `write` pools, `NOMINEE_FILTER`, `begin_vote`, `lock_sms`, and the
//! batch statements `lock_voters`, `saved_outcomes`, `held_votes`,
//! `insert_votes` and `save_outcomes` (set-based on PostgreSQL, a loop of
//! prepared statements on SQLite, where a statement costs no round trip).

/// Binds a campaign's fields after a first parameter (its slug, or its id)
/// and before the current time: the order the campaign statements share.
macro_rules! bind_campaign {
    ($query:expr, $first:expr, $c:expr, $now:expr) => {
        $query
            .bind($first)
            .bind(&$c.title_zh)
            .bind(&$c.title_en)
            .bind(&$c.description_zh)
            .bind(&$c.description_en)
            .bind($c.phases.nomination_start.0)
            .bind($c.phases.review_start.0)
            .bind($c.phases.voting_start.0)
            .bind($c.phases.voting_end.0)
            .bind($c.phases.notice_end.0)
            .bind($c.phases.ceremony_at.0)
            .bind(i32::from($c.rules.votes_per_day()))
            .bind(i32::from($c.rules.per_nominee_per_day()))
            .bind($c.results_visibility.as_str())
            .bind($now.0)
    };
}

pub(crate) use bind_campaign;

/// The statements that rename one kind of place (a street or a community).
pub(crate) struct Place {
    /// Another of the kind with the name: `$1` name, `$2` the renamed one's id.
    pub taken: &'static str,
    /// `$1` id, `$2` Chinese name, `$3` English name.
    pub rename: &'static str,
    pub what: &'static str,
}

macro_rules! impl_store {
    ($store:ty, $kind:expr) => {
        impl $store {
            /// Renames a street or a community: refused as `Duplicate` when
            /// another of its kind has the name, else renamed with its audit entry.
            async fn rename_place(
                &self,
                place: Place,
                id: i64,
                name_zh: &str,
                name_en: &str,
                audit: &$crate::audit::NewAuditEntry,
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<()> {
                let mut tx = self.begin_vote().await?;
                let taken: Option<i64> = sqlx::query_scalar(place.taken)
                    .bind(name_zh)
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if taken.is_some() {
                    return Err($crate::store::StoreError::Duplicate(place.what));
                }
                sqlx::query(place.rename)
                    .bind(id)
                    .bind(name_zh)
                    .bind(name_en)
                    .execute(&mut *tx)
                    .await?;
                Self::append_audit_in(&mut tx, audit, now).await?;
                tx.commit().await?;
                Ok(())
            }

            /// Appends an audit entry inside the caller's transaction, so an
            /// action and its entry commit together or not at all.
            async fn append_audit_in(
                tx: &mut Tx,
                entry: &$crate::audit::NewAuditEntry,
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<i64> {
                Self::lock_audit(tx).await?;
                let head: Option<(i64, Vec<u8>)> = sqlx::query_as($crate::store::sql::AUDIT_HEAD)
                    .fetch_optional(&mut **tx)
                    .await?;
                let (seq, prev) = match head {
                    None => (1, $crate::audit::GENESIS),
                    Some((seq, hash)) => (seq + 1, $crate::store::rows::hash32(&hash)?),
                };
                let record = entry.record(seq, now);
                let hash = $crate::audit::chain_hash(&prev, &record);
                sqlx::query($crate::store::sql::INSERT_AUDIT)
                    .bind(seq)
                    .bind(now.0)
                    .bind(record.actor.map(|a| a.0))
                    .bind(&record.actor_name)
                    .bind(&record.action)
                    .bind(&record.subject)
                    .bind(record.before.as_deref())
                    .bind(record.after.as_deref())
                    .bind(&prev[..])
                    .bind(&hash[..])
                    .execute(&mut **tx)
                    .await?;
                Ok(seq)
            }
        }

        #[async_trait::async_trait]
        impl $crate::store::Store for $store {
            fn kind(&self) -> $crate::store::BackendKind {
                $kind
            }

            async fn ping(&self) -> $crate::store::StoreResult<()> {
                sqlx::query($crate::store::sql::PING)
                    .execute(&self.read)
                    .await?;
                Ok(())
            }

            async fn installation_key(&self, fresh: &str) -> $crate::store::StoreResult<String> {
                sqlx::query($crate::store::sql::CLAIM_INSTALLATION_KEY)
                    .bind(fresh)
                    .execute(&self.write)
                    .await?;
                Ok(sqlx::query_scalar($crate::store::sql::INSTALLATION_KEY)
                    .fetch_one(&self.write)
                    .await?)
            }

            async fn campaigns(
                &self,
            ) -> $crate::store::StoreResult<Vec<alleyvote_domain::Campaign>> {
                let sql = format!(
                    "{} ORDER BY voting_start_ms DESC, id DESC",
                    $crate::store::sql::CAMPAIGN_COLUMNS
                );
                let rows = sqlx::query_as::<_, $crate::store::rows::CampaignRow>(&sql)
                    .fetch_all(&self.read)
                    .await?;
                $crate::store::rows::collect(rows)
            }

            async fn campaign(
                &self,
                slug: &str,
            ) -> $crate::store::StoreResult<Option<alleyvote_domain::Campaign>> {
                let sql = format!("{} WHERE slug = $1", $crate::store::sql::CAMPAIGN_COLUMNS);
                let row = sqlx::query_as::<_, $crate::store::rows::CampaignRow>(&sql)
                    .bind(slug)
                    .fetch_optional(&self.read)
                    .await?;
                row.map(alleyvote_domain::Campaign::try_from).transpose()
            }

            async fn ensure_campaign(
                &self,
                c: &$crate::store::NewCampaign,
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<alleyvote_domain::CampaignId> {
                let id: i64 = $crate::store::shared::bind_campaign!(
                    sqlx::query_scalar($crate::store::sql::ENSURE_CAMPAIGN),
                    c.slug.as_str(),
                    c,
                    now
                )
                    .fetch_one(&self.write)
                    .await?;
                Ok(alleyvote_domain::CampaignId(id))
            }

            async fn create_campaign(
                &self,
                c: &$crate::store::NewCampaign,
                audit: &$crate::audit::NewAuditEntry,
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<alleyvote_domain::CampaignId> {
                let mut tx = self.begin_vote().await?;
                let id: Option<i64> = $crate::store::shared::bind_campaign!(
                    sqlx::query_scalar($crate::store::sql::CREATE_CAMPAIGN),
                    c.slug.as_str(),
                    c,
                    now
                )
                    .fetch_optional(&mut *tx)
                    .await?;
                let id = id.ok_or($crate::store::StoreError::Duplicate("campaign slug"))?;
                Self::append_audit_in(&mut tx, audit, now).await?;
                tx.commit().await?;
                Ok(alleyvote_domain::CampaignId(id))
            }

            async fn update_campaign(
                &self,
                id: alleyvote_domain::CampaignId,
                c: &$crate::store::NewCampaign,
                audit: &$crate::audit::NewAuditEntry,
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<()> {
                let mut tx = self.begin_vote().await?;
                $crate::store::shared::bind_campaign!(
                    sqlx::query($crate::store::sql::UPDATE_CAMPAIGN),
                    id.0,
                    c,
                    now
                )
                    .execute(&mut *tx)
                    .await?;
                Self::append_audit_in(&mut tx, audit, now).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn streets(&self) -> $crate::store::StoreResult<Vec<alleyvote_domain::Street>> {
                let rows = sqlx::query_as::<_, $crate::store::rows::StreetRow>(
                    $crate::store::sql::STREETS,
                )
                .fetch_all(&self.read)
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn ensure_street(
                &self,
                name_zh: &str,
                name_en: &str,
                sort_order: i32,
            ) -> $crate::store::StoreResult<alleyvote_domain::StreetId> {
                let id: i64 = sqlx::query_scalar($crate::store::sql::ENSURE_STREET)
                    .bind(name_zh)
                    .bind(name_en)
                    .bind(sort_order)
                    .fetch_one(&self.write)
                    .await?;
                Ok(alleyvote_domain::StreetId(id))
            }

            async fn community(
                &self,
                id: alleyvote_domain::CommunityId,
            ) -> $crate::store::StoreResult<Option<$crate::store::CommunityOf>> {
                let row = sqlx::query_as::<_, $crate::store::rows::CommunityRow>(
                    $crate::store::sql::COMMUNITY,
                )
                .bind(id.0)
                .fetch_optional(&self.read)
                .await?;
                Ok(row.map(Into::into))
            }

            async fn import_places(
                &self,
                rows: &[$crate::places::PlaceRow],
                audit: &$crate::audit::NewAuditEntry,
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<$crate::places::ImportCounts> {
                let mut counts = $crate::places::ImportCounts::default();
                let mut tx = self.begin_vote().await?;
                for row in rows {
                    let added: Option<i64> = sqlx::query_scalar($crate::store::sql::ADD_STREET)
                        .bind(&row.street_zh)
                        .bind(&row.street_en)
                        .fetch_optional(&mut *tx)
                        .await?;
                    let street = match added {
                        Some(id) => {
                            counts.streets_added += 1;
                            id
                        }
                        None => sqlx::query_scalar($crate::store::sql::STREET_BY_NAME)
                            .bind(&row.street_zh)
                            .fetch_one(&mut *tx)
                            .await?,
                    };
                    let community: Option<i64> =
                        sqlx::query_scalar($crate::store::sql::ADD_COMMUNITY)
                            .bind(street)
                            .bind(&row.community_zh)
                            .bind(&row.community_en)
                            .fetch_optional(&mut *tx)
                            .await?;
                    match community {
                        Some(_) => counts.communities_added += 1,
                        None => counts.already_present += 1,
                    }
                }
                let mut audit = audit.clone();
                audit.after = Some(serde_json::json!({
                    "rows": rows.len(),
                    "streets_added": counts.streets_added,
                    "communities_added": counts.communities_added,
                    "already_present": counts.already_present,
                }));
                Self::append_audit_in(&mut tx, &audit, now).await?;
                tx.commit().await?;
                Ok(counts)
            }

            async fn rename_street(
                &self,
                id: alleyvote_domain::StreetId,
                name_zh: &str,
                name_en: &str,
                audit: &$crate::audit::NewAuditEntry,
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<()> {
                let place = Place {
                    taken: $crate::store::sql::STREET_NAME_TAKEN,
                    rename: $crate::store::sql::RENAME_STREET,
                    what: "street name",
                };
                self.rename_place(place, id.0, name_zh, name_en, audit, now)
                    .await
            }

            async fn rename_community(
                &self,
                id: alleyvote_domain::CommunityId,
                name_zh: &str,
                name_en: &str,
                audit: &$crate::audit::NewAuditEntry,
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<()> {
                let place = Place {
                    taken: $crate::store::sql::COMMUNITY_NAME_TAKEN,
                    rename: $crate::store::sql::RENAME_COMMUNITY,
                    what: "community name",
                };
                self.rename_place(place, id.0, name_zh, name_en, audit, now)
                    .await
            }

            async fn remove_community(
                &self,
                id: alleyvote_domain::CommunityId,
                audit: &$crate::audit::NewAuditEntry,
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<bool> {
                let mut tx = self.begin_vote().await?;
                let in_use: i64 = sqlx::query_scalar($crate::store::sql::COMMUNITY_IN_USE)
                    .bind(id.0)
                    .fetch_one(&mut *tx)
                    .await?;
                if in_use > 0 {
                    return Ok(false);
                }
                sqlx::query($crate::store::sql::REMOVE_COMMUNITY)
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await?;
                Self::append_audit_in(&mut tx, audit, now).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn communities(
                &self,
            ) -> $crate::store::StoreResult<Vec<$crate::store::CommunityOf>> {
                let rows = sqlx::query_as::<_, $crate::store::rows::CommunityRow>(
                    $crate::store::sql::COMMUNITIES,
                )
                .fetch_all(&self.read)
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn nominee_records(
                &self,
                campaign: alleyvote_domain::CampaignId,
            ) -> $crate::store::StoreResult<Vec<$crate::store::NomineeRecord>> {
                let rows = sqlx::query_as::<_, $crate::store::rows::NomineeRecordRow>(
                    $crate::store::sql::NOMINEE_RECORDS,
                )
                .bind(campaign.0)
                .fetch_all(&self.read)
                .await?;
                rows.into_iter().map(|r| r.into_record()).collect()
            }

            async fn create_nominee(
                &self,
                campaign: alleyvote_domain::CampaignId,
                n: &$crate::store::NewNominee,
                audit: &$crate::audit::NewAuditEntry,
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<alleyvote_domain::NomineeId> {
                let mut tx = self.begin_vote().await?;
                let id: Option<i64> = sqlx::query_scalar($crate::store::sql::CREATE_NOMINEE)
                    .bind(campaign.0)
                    .bind(i32::from(n.number.get()))
                    .bind(&n.name)
                    .bind(n.community.0)
                    .bind(n.photo_url.as_deref())
                    .bind(&n.story)
                    .bind(now.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                let id = id.ok_or($crate::store::StoreError::Duplicate("nominee number"))?;
                let mut audit = audit.clone();
                audit.subject = format!("nominee:{id}");
                Self::append_audit_in(&mut tx, &audit, now).await?;
                tx.commit().await?;
                Ok(alleyvote_domain::NomineeId(id))
            }

            async fn update_nominee(
                &self,
                campaign: alleyvote_domain::CampaignId,
                id: alleyvote_domain::NomineeId,
                n: &$crate::store::NewNominee,
                audit: &$crate::audit::NewAuditEntry,
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<()> {
                let mut tx = self.begin_vote().await?;
                let taken: Option<i64> = sqlx::query_scalar($crate::store::sql::NUMBER_TAKEN)
                    .bind(campaign.0)
                    .bind(i32::from(n.number.get()))
                    .bind(id.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                if taken.is_some() {
                    return Err($crate::store::StoreError::Duplicate("nominee number"));
                }
                sqlx::query($crate::store::sql::UPDATE_NOMINEE)
                    .bind(id.0)
                    .bind(i32::from(n.number.get()))
                    .bind(&n.name)
                    .bind(n.community.0)
                    .bind(&n.story)
                    .execute(&mut *tx)
                    .await?;
                Self::append_audit_in(&mut tx, audit, now).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn set_nominee_active(
                &self,
                id: alleyvote_domain::NomineeId,
                active: bool,
                audit: &$crate::audit::NewAuditEntry,
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<()> {
                let mut tx = self.begin_vote().await?;
                sqlx::query($crate::store::sql::SET_NOMINEE_STATUS)
                    .bind(id.0)
                    .bind(if active { "active" } else { "withdrawn" })
                    .execute(&mut *tx)
                    .await?;
                Self::append_audit_in(&mut tx, audit, now).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn save_photos(
                &self,
                id: alleyvote_domain::NomineeId,
                full: &[u8],
                card: &[u8],
                photo_url: &str,
                audit: &$crate::audit::NewAuditEntry,
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<()> {
                let mut tx = self.begin_vote().await?;
                for (size, bytes) in [("full", full), ("card", card)] {
                    sqlx::query($crate::store::sql::SAVE_PHOTO)
                        .bind(id.0)
                        .bind(size)
                        .bind(bytes)
                        .bind(now.0)
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query($crate::store::sql::SET_PHOTO_URL)
                    .bind(id.0)
                    .bind(photo_url)
                    .execute(&mut *tx)
                    .await?;
                Self::append_audit_in(&mut tx, audit, now).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn photo(
                &self,
                id: alleyvote_domain::NomineeId,
                size: &str,
            ) -> $crate::store::StoreResult<Option<Vec<u8>>> {
                Ok(sqlx::query_scalar($crate::store::sql::PHOTO)
                    .bind(id.0)
                    .bind(size)
                    .fetch_optional(&self.read)
                    .await?)
            }

            async fn ensure_community(
                &self,
                street: alleyvote_domain::StreetId,
                name_zh: &str,
                name_en: &str,
            ) -> $crate::store::StoreResult<alleyvote_domain::CommunityId> {
                let id: i64 = sqlx::query_scalar($crate::store::sql::ENSURE_COMMUNITY)
                    .bind(street.0)
                    .bind(name_zh)
                    .bind(name_en)
                    .fetch_one(&self.write)
                    .await?;
                Ok(alleyvote_domain::CommunityId(id))
            }

            async fn ensure_nominee(
                &self,
                campaign: alleyvote_domain::CampaignId,
                n: &$crate::store::NewNominee,
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<alleyvote_domain::NomineeId> {
                let id: i64 = sqlx::query_scalar($crate::store::sql::ENSURE_NOMINEE)
                    .bind(campaign.0)
                    .bind(i32::from(n.number.get()))
                    .bind(&n.name)
                    .bind(n.community.0)
                    .bind(n.photo_url.as_deref())
                    .bind(&n.story)
                    .bind(now.0)
                    .fetch_one(&self.write)
                    .await?;
                Ok(alleyvote_domain::NomineeId(id))
            }

            async fn nominees(
                &self,
                campaign: alleyvote_domain::CampaignId,
                filter: &alleyvote_domain::NomineeFilter,
            ) -> $crate::store::StoreResult<Vec<alleyvote_domain::NomineeSummary>> {
                use alleyvote_domain::SearchQuery;
                let (number, name) = match &filter.query {
                    Some(SearchQuery::Number(n)) => (Some(i32::from(n.get())), None),
                    Some(SearchQuery::Name(s)) => (None, Some(s.as_str())),
                    None => (None, None),
                };
                let sql = format!(
                    "{}{} ORDER BY n.number",
                    $crate::store::sql::NOMINEE_SELECT,
                    Self::NOMINEE_FILTER
                );
                let rows = sqlx::query_as::<_, $crate::store::rows::NomineeRow>(&sql)
                    .bind(campaign.0)
                    .bind(filter.street.map(|s| s.0))
                    .bind(number)
                    .bind(name)
                    .fetch_all(&self.read)
                    .await?;
                rows.into_iter().map(|r| r.into_summary()).collect()
            }

            async fn nominee(
                &self,
                campaign: alleyvote_domain::CampaignId,
                number: alleyvote_domain::NomineeNumber,
            ) -> $crate::store::StoreResult<Option<alleyvote_domain::Nominee>> {
                let sql = format!(
                    "{}{}",
                    $crate::store::sql::NOMINEE_SELECT,
                    $crate::store::sql::NOMINEE_BY_NUMBER_CONDITION
                );
                let row = sqlx::query_as::<_, $crate::store::rows::NomineeRow>(&sql)
                    .bind(campaign.0)
                    .bind(i32::from(number.get()))
                    .fetch_optional(&self.read)
                    .await?;
                row.map(|r| r.into_nominee()).transpose()
            }

            async fn voter(
                &self,
                identity: &$crate::store::VoterIdentity,
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<alleyvote_domain::VoterId> {
                let id: i64 = sqlx::query_scalar($crate::store::sql::ENSURE_VOTER)
                    .bind(&identity.hash[..])
                    .bind(identity.kind.as_str())
                    .bind(&identity.masked)
                    .bind(now.0)
                    .fetch_one(&self.write)
                    .await?;
                Ok(alleyvote_domain::VoterId(id))
            }

            async fn cast_votes(
                &self,
                ballots: &[$crate::store::Ballot],
            ) -> $crate::store::StoreResult<Vec<$crate::store::batch::Outcome>> {
                use $crate::store::batch;
                if ballots.is_empty() {
                    return Ok(Vec::new());
                }
                let mut tx = self.begin_vote().await?;
                Self::lock_voters(&mut tx, &batch::voters_of(ballots)).await?;
                let keys = batch::keys_of(ballots);
                let saved = if keys.is_empty() {
                    std::collections::HashMap::new()
                } else {
                    Self::saved_outcomes(&mut tx, &keys).await?
                };
                let mut nominees = std::collections::HashMap::new();
                for campaign in batch::campaigns_of(ballots) {
                    let rows: Vec<(i64, i32)> =
                        sqlx::query_as($crate::store::sql::ACTIVE_NOMINEE_IDS)
                            .bind(campaign.0)
                            .fetch_all(&mut *tx)
                            .await?;
                    for (id, number) in rows {
                        nominees.insert(
                            (campaign, $crate::store::rows::number(number)?),
                            alleyvote_domain::NomineeId(id),
                        );
                    }
                }
                let held = Self::held_votes(&mut tx, &batch::days_of(ballots)).await?;
                let plan = batch::plan(ballots, &saved, &nominees, &held)?;
                let ids = if plan.rows.is_empty() {
                    Vec::new()
                } else {
                    Self::insert_votes(&mut tx, &plan.rows).await?
                };
                // The voter locks keep every other writer off these slots, so
                // a taken one means a writer outside them: refuse rather than
                // guess; nothing is committed.
                let settled = batch::settle(ballots, plan, &saved, &ids)
                    .ok_or($crate::store::StoreError::Duplicate("vote slot"))?;
                for (nominee, added) in &settled.tally {
                    sqlx::query($crate::store::sql::ADD_TO_TALLY)
                        .bind(nominee.0)
                        .bind(added)
                        .execute(&mut *tx)
                        .await?;
                }
                if !settled.to_save.is_empty() {
                    Self::save_outcomes(&mut tx, &settled.to_save).await?;
                }
                tx.commit().await?;
                Ok(settled.outcomes)
            }

            async fn votes_on(
                &self,
                campaign: alleyvote_domain::CampaignId,
                voter: alleyvote_domain::VoterId,
                day: alleyvote_domain::ShanghaiDay,
            ) -> $crate::store::StoreResult<Vec<alleyvote_domain::NomineeNumber>> {
                let rows: Vec<i32> = sqlx::query_scalar($crate::store::sql::VOTES_ON_DAY)
                    .bind(campaign.0)
                    .bind(voter.0)
                    .bind(day.0)
                    .fetch_all(&self.read)
                    .await?;
                rows.into_iter().map($crate::store::rows::number).collect()
            }

            async fn issue_sms_code(
                &self,
                code: &$crate::store::NewSmsCode,
                limits: &alleyvote_domain::signin::SmsLimits,
            ) -> $crate::store::StoreResult<Result<(), alleyvote_domain::signin::SmsRefusal>> {
                use alleyvote_domain::signin::{may_send, SmsHistory};
                use alleyvote_domain::Millis;
                let mut tx = self.begin_vote().await?;
                Self::lock_sms(&mut tx).await?;
                let (last_sent, today): (Option<i64>, i64) =
                    sqlx::query_as($crate::store::sql::SMS_NUMBER_HISTORY)
                        .bind(&code.phone_hash[..])
                        .bind(code.now.shanghai_day().0)
                        .fetch_one(&mut *tx)
                        .await?;
                let (from_address, oldest): (i64, Option<i64>) =
                    sqlx::query_as($crate::store::sql::SMS_ADDRESS_HISTORY)
                        .bind(&code.address_hash[..])
                        .bind(code.now.0 - 3_600_000)
                        .fetch_one(&mut *tx)
                        .await?;
                let history = SmsHistory {
                    last_sent_to_number: last_sent.map(Millis),
                    sent_to_number_today: today as u32,
                    sent_from_ip_last_hour: from_address as u32,
                    oldest_from_ip_last_hour: oldest.map(Millis),
                };
                if let Err(refusal) = may_send(&history, limits, code.now) {
                    return Ok(Err(refusal));
                }
                sqlx::query($crate::store::sql::INSERT_SMS_CODE)
                    .bind(&code.phone_hash[..])
                    .bind(&code.address_hash[..])
                    .bind(&code.code_hash[..])
                    .bind(code.now.0)
                    .bind(code.now.shanghai_day().0)
                    .bind(code.now.0 + limits.code_ttl_ms)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(Ok(()))
            }

            async fn withdraw_sms_code(
                &self,
                code_hash: &[u8; 32],
            ) -> $crate::store::StoreResult<()> {
                sqlx::query($crate::store::sql::WITHDRAW_SMS_CODE)
                    .bind(&code_hash[..])
                    .execute(&self.write)
                    .await?;
                Ok(())
            }

            async fn redeem_sms_code(
                &self,
                phone_hash: &[u8; 32],
                typed_hash: &[u8; 32],
                limits: &alleyvote_domain::signin::SmsLimits,
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<Result<(), alleyvote_domain::signin::CodeRefusal>> {
                use alleyvote_domain::signin::{redeem, CodeRefusal, Redemption, StoredCode};
                use alleyvote_domain::Millis;
                let mut tx = self.begin_vote().await?;
                Self::lock_sms(&mut tx).await?;
                let row: Option<(i64, Vec<u8>, i64, i32, Option<i64>)> =
                    sqlx::query_as($crate::store::sql::LATEST_SMS_CODE)
                        .bind(&phone_hash[..])
                        .fetch_optional(&mut *tx)
                        .await?;
                let stored = match &row {
                    Some((_, hash, expires, attempts, used)) => Some(StoredCode {
                        code_hash: hash.as_slice().try_into().map_err(|_| {
                            $crate::store::StoreError::Corrupt("sms code hash length".into())
                        })?,
                        expires_at: Millis(*expires),
                        attempts: (*attempts).max(0) as u32,
                        used: used.is_some(),
                    }),
                    None => None,
                };
                let matches = stored
                    .as_ref()
                    .is_some_and(|s| $crate::store::same_hash(&s.code_hash, typed_hash));
                let outcome = match (redeem(stored.as_ref(), matches, limits, now), &row) {
                    (Redemption::Accept, Some((id, ..))) => {
                        sqlx::query($crate::store::sql::USE_SMS_CODE)
                            .bind(id)
                            .bind(now.0)
                            .execute(&mut *tx)
                            .await?;
                        Ok(())
                    }
                    (Redemption::WrongTry, Some((id, ..))) => {
                        sqlx::query($crate::store::sql::COUNT_WRONG_TRY)
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                        Err(CodeRefusal::Invalid)
                    }
                    (Redemption::Refuse(r), _) => Err(r),
                    (_, None) => Err(CodeRefusal::Invalid),
                };
                tx.commit().await?;
                Ok(outcome)
            }

            async fn add_ballot_codes(
                &self,
                community: alleyvote_domain::CommunityId,
                hashes: &[[u8; 32]],
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<()> {
                let mut tx = self.write.begin().await?;
                for hash in hashes {
                    sqlx::query($crate::store::sql::ADD_BALLOT_CODE)
                        .bind(&hash[..])
                        .bind(community.0)
                        .bind(now.0)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn redeem_ballot_code(
                &self,
                identity: &$crate::store::VoterIdentity,
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<Option<alleyvote_domain::VoterId>> {
                let mut tx = self.write.begin().await?;
                let spent = sqlx::query($crate::store::sql::SPEND_BALLOT_CODE)
                    .bind(&identity.hash[..])
                    .bind(now.0)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if spent != 1 {
                    return Ok(None);
                }
                let voter: i64 = sqlx::query_scalar($crate::store::sql::ENSURE_VOTER)
                    .bind(&identity.hash[..])
                    .bind(identity.kind.as_str())
                    .bind(&identity.masked)
                    .bind(now.0)
                    .fetch_one(&mut *tx)
                    .await?;
                sqlx::query($crate::store::sql::LINK_BALLOT_CODE)
                    .bind(&identity.hash[..])
                    .bind(voter)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(Some(alleyvote_domain::VoterId(voter)))
            }

            async fn create_session(
                &self,
                token_hash: &[u8; 32],
                voter: alleyvote_domain::VoterId,
                now: alleyvote_domain::Millis,
                expires: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<()> {
                sqlx::query($crate::store::sql::INSERT_SESSION)
                    .bind(&token_hash[..])
                    .bind(voter.0)
                    .bind(now.0)
                    .bind(expires.0)
                    .execute(&self.write)
                    .await?;
                Ok(())
            }

            async fn end_session(&self, token_hash: &[u8; 32]) -> $crate::store::StoreResult<()> {
                sqlx::query($crate::store::sql::END_SESSION)
                    .bind(&token_hash[..])
                    .execute(&self.write)
                    .await?;
                Ok(())
            }

            async fn session_voter(
                &self,
                token_hash: &[u8; 32],
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<Option<alleyvote_domain::VoterId>> {
                let id: Option<i64> = sqlx::query_scalar($crate::store::sql::SESSION_VOTER)
                    .bind(&token_hash[..])
                    .bind(now.0)
                    .fetch_optional(&self.read)
                    .await?;
                Ok(id.map(alleyvote_domain::VoterId))
            }

            async fn create_organizer(
                &self,
                o: &$crate::store::NewOrganizer,
                audit: &$crate::audit::NewAuditEntry,
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<alleyvote_domain::organizer::OrganizerId> {
                let mut tx = self.begin_vote().await?;
                let id: Option<i64> = sqlx::query_scalar($crate::store::sql::INSERT_ORGANIZER)
                    .bind(o.username.as_str())
                    .bind(&o.display_name)
                    .bind(o.role.as_str())
                    .bind(&o.password_hash)
                    .bind(now.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                let id = id.ok_or($crate::store::StoreError::Duplicate("username"))?;
                let mut audit = audit.clone();
                audit.subject = format!("organizer:{id}");
                Self::append_audit_in(&mut tx, &audit, now).await?;
                tx.commit().await?;
                Ok(alleyvote_domain::organizer::OrganizerId(id))
            }

            async fn organizer_login(
                &self,
                username: &str,
            ) -> $crate::store::StoreResult<Option<$crate::store::OrganizerLogin>> {
                let sql = format!(
                    "{} WHERE username = $1",
                    $crate::store::sql::ORGANIZER_COLUMNS
                );
                let row = sqlx::query_as::<_, $crate::store::rows::OrganizerRow>(&sql)
                    .bind(username)
                    .fetch_optional(&self.read)
                    .await?;
                row.map(|r| r.into_login()).transpose()
            }

            async fn organizers(
                &self,
            ) -> $crate::store::StoreResult<Vec<$crate::store::Organizer>> {
                let sql = format!(
                    "{} ORDER BY username",
                    $crate::store::sql::ORGANIZER_COLUMNS
                );
                let rows = sqlx::query_as::<_, $crate::store::rows::OrganizerRow>(&sql)
                    .fetch_all(&self.read)
                    .await?;
                rows.into_iter()
                    .map(|r| r.into_login().map(|l| l.organizer))
                    .collect()
            }

            async fn update_organizer(
                &self,
                id: alleyvote_domain::organizer::OrganizerId,
                role: alleyvote_domain::organizer::Role,
                active: bool,
                audit: &$crate::audit::NewAuditEntry,
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<()> {
                let mut tx = self.begin_vote().await?;
                sqlx::query($crate::store::sql::UPDATE_ORGANIZER)
                    .bind(id.0)
                    .bind(role.as_str())
                    .bind(active)
                    .execute(&mut *tx)
                    .await?;
                if !active {
                    sqlx::query($crate::store::sql::END_ORGANIZER_SESSIONS)
                        .bind(id.0)
                        .execute(&mut *tx)
                        .await?;
                }
                Self::append_audit_in(&mut tx, audit, now).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn add_station(
                &self,
                name: &str,
                audit: &$crate::audit::NewAuditEntry,
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<i64> {
                let mut tx = self.begin_vote().await?;
                let id: Option<i64> = sqlx::query_scalar($crate::store::sql::ADD_STATION)
                    .bind(name)
                    .bind(now.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                let id = id.ok_or($crate::store::StoreError::Duplicate("station name"))?;
                let mut audit = audit.clone();
                audit.subject = format!("station:{id}");
                Self::append_audit_in(&mut tx, &audit, now).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn stations(&self) -> $crate::store::StoreResult<Vec<$crate::store::Station>> {
                let stations: Vec<(i64, String)> = sqlx::query_as($crate::store::sql::STATIONS)
                    .fetch_all(&self.read)
                    .await?;
                let operators: Vec<(i64, i64)> =
                    sqlx::query_as($crate::store::sql::STATION_OPERATORS)
                        .fetch_all(&self.read)
                        .await?;
                Ok(stations
                    .into_iter()
                    .map(|(id, name)| $crate::store::Station {
                        id,
                        name,
                        operators: operators
                            .iter()
                            .filter(|(_, s)| *s == id)
                            .map(|(o, _)| alleyvote_domain::organizer::OrganizerId(*o))
                            .collect(),
                    })
                    .collect())
            }

            async fn assign_stations(
                &self,
                organizer: alleyvote_domain::organizer::OrganizerId,
                stations: &[i64],
                audit: &$crate::audit::NewAuditEntry,
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<()> {
                let mut tx = self.begin_vote().await?;
                sqlx::query($crate::store::sql::CLEAR_STATIONS_OF)
                    .bind(organizer.0)
                    .execute(&mut *tx)
                    .await?;
                for station in stations {
                    sqlx::query($crate::store::sql::ASSIGN_STATION)
                        .bind(organizer.0)
                        .bind(station)
                        .execute(&mut *tx)
                        .await?;
                }
                Self::append_audit_in(&mut tx, audit, now).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn login_failures(
                &self,
                username: &str,
                address_hash: &[u8; 32],
                since: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<(u32, u32)> {
                let (by_name, by_address): (i64, i64) =
                    sqlx::query_as($crate::store::sql::LOGIN_FAILURES)
                        .bind(username)
                        .bind(&address_hash[..])
                        .bind(since.0)
                        .fetch_one(&self.write)
                        .await?;
                Ok((by_name.max(0) as u32, by_address.max(0) as u32))
            }

            async fn record_login_failure(
                &self,
                username: &str,
                address_hash: &[u8; 32],
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<()> {
                sqlx::query($crate::store::sql::RECORD_LOGIN_FAILURE)
                    .bind(username)
                    .bind(&address_hash[..])
                    .bind(now.0)
                    .execute(&self.write)
                    .await?;
                Ok(())
            }

            async fn start_organizer_session(
                &self,
                token_hash: &[u8; 32],
                session: &$crate::store::OrganizerSession,
                expires: alleyvote_domain::Millis,
                audit: &$crate::audit::NewAuditEntry,
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<()> {
                let mut tx = self.begin_vote().await?;
                sqlx::query($crate::store::sql::INSERT_ORGANIZER_SESSION)
                    .bind(&token_hash[..])
                    .bind(session.organizer.id.0)
                    .bind(&session.csrf_token)
                    .bind(now.0)
                    .bind(expires.0)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query($crate::store::sql::CLEAR_LOGIN_FAILURES)
                    .bind(&session.organizer.username)
                    .execute(&mut *tx)
                    .await?;
                Self::append_audit_in(&mut tx, audit, now).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn organizer_session(
                &self,
                token_hash: &[u8; 32],
                now: alleyvote_domain::Millis,
                idle_since: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<Option<$crate::store::OrganizerSession>> {
                let row = sqlx::query_as::<_, $crate::store::rows::OrganizerSessionRow>(
                    $crate::store::sql::ORGANIZER_SESSION,
                )
                .bind(&token_hash[..])
                .bind(now.0)
                .bind(idle_since.0)
                .fetch_optional(&self.write)
                .await?;
                let Some(row) = row else { return Ok(None) };
                // Keep the idle clock running without a write on every request.
                if now.0 - row.last_seen_at_ms > 30_000 {
                    sqlx::query($crate::store::sql::TOUCH_ORGANIZER_SESSION)
                        .bind(&token_hash[..])
                        .bind(now.0)
                        .execute(&self.write)
                        .await?;
                }
                row.into_session().map(Some)
            }

            async fn end_organizer_session(
                &self,
                token_hash: &[u8; 32],
            ) -> $crate::store::StoreResult<()> {
                sqlx::query($crate::store::sql::END_ORGANIZER_SESSION)
                    .bind(&token_hash[..])
                    .execute(&self.write)
                    .await?;
                Ok(())
            }

            async fn end_organizer_sessions(
                &self,
                organizer: alleyvote_domain::organizer::OrganizerId,
                audit: &$crate::audit::NewAuditEntry,
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<()> {
                let mut tx = self.begin_vote().await?;
                sqlx::query($crate::store::sql::END_ORGANIZER_SESSIONS)
                    .bind(organizer.0)
                    .execute(&mut *tx)
                    .await?;
                Self::append_audit_in(&mut tx, audit, now).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn append_audit(
                &self,
                entry: &$crate::audit::NewAuditEntry,
                now: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<i64> {
                let mut tx = self.begin_vote().await?;
                let seq = Self::append_audit_in(&mut tx, entry, now).await?;
                tx.commit().await?;
                Ok(seq)
            }

            async fn audit_entries(
                &self,
                f: &$crate::store::AuditFilter,
            ) -> $crate::store::StoreResult<Vec<$crate::store::StoredAudit>> {
                let sql = format!(
                    "{}{} ORDER BY seq DESC LIMIT $4",
                    $crate::store::sql::AUDIT_COLUMNS,
                    Self::AUDIT_FILTER
                );
                let rows = sqlx::query_as::<_, $crate::store::rows::AuditRow>(&sql)
                    .bind(f.action_prefix.as_deref())
                    .bind(f.actor.map(|a| a.0))
                    .bind(f.before_seq)
                    .bind(i64::from(f.limit.clamp(1, 10_000)))
                    .fetch_all(&self.read)
                    .await?;
                rows.into_iter().map(|r| r.into_stored()).collect()
            }

            async fn audit_chain(
                &self,
            ) -> $crate::store::StoreResult<Vec<$crate::store::StoredAudit>> {
                let sql = format!("{} ORDER BY seq", $crate::store::sql::AUDIT_COLUMNS);
                let rows = sqlx::query_as::<_, $crate::store::rows::AuditRow>(&sql)
                    .fetch_all(&self.read)
                    .await?;
                rows.into_iter().map(|r| r.into_stored()).collect()
            }

            async fn tally(
                &self,
                campaign: alleyvote_domain::CampaignId,
            ) -> $crate::store::StoreResult<Vec<alleyvote_domain::TallyRow>> {
                let rows = sqlx::query_as::<_, $crate::store::rows::TallyRowRaw>(
                    $crate::store::sql::TALLY,
                )
                .bind(campaign.0)
                .fetch_all(&self.read)
                .await?;
                $crate::store::rows::collect(rows)
            }

            async fn tally_as_of(
                &self,
                campaign: alleyvote_domain::CampaignId,
                at: alleyvote_domain::Millis,
            ) -> $crate::store::StoreResult<Vec<alleyvote_domain::TallyRow>> {
                let rows = sqlx::query_as::<_, $crate::store::rows::TallyRowRaw>(
                    $crate::store::sql::TALLY_AS_OF,
                )
                .bind(campaign.0)
                .bind(at.0)
                .fetch_all(&self.read)
                .await?;
                $crate::store::rows::collect(rows)
            }
        }
    };
}

pub(crate) use impl_store;
