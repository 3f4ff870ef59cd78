//! The nomination pages' port: what `/nominate`, `/my/nominations`,
//! `/consent/{token}` and the reviewers' console pages show.

use alleyvote_domain::nomination::NominationId;
use alleyvote_domain::organizer::Action;
use alleyvote_domain::organizer::Console;
use alleyvote_domain::{Campaign, Millis, Phase, VoterId};
use app::nomination::model::{
    CompareData, ConsentLink, ConsentPageData, MyNominationRow, MyNominationsData,
    NominatePageData, NominationDetailData, QueueQuery, ReviewQueueData, ReviewRow, SimilarAbout,
    SimilarRow, StreetChoice,
};
use app::nomination::port::NominationBackend;
use app::port::Unavailable;

use super::storage::{LinkState, NominationRecord, QueueFilter};
use super::QueueView;
use super::{Nominations, Suggestion};
use crate::organizers::pages::{me_of, unavailable, PageAccess};
use crate::storage::StoreError;
use alleyvote_domain::nomination::queue::{Order, Show};

/// The nominations pages' port, as the server answers it: each method checks
/// the session and the role, then reads what the page shows.
pub struct NominationPages<S: ?Sized> {
    pub access: PageAccess,
    pub campaigns: std::sync::Arc<crate::campaigns::Campaigns>,
    pub nominations: std::sync::Arc<crate::nominations::Nominations>,
    pub signin: std::sync::Arc<crate::signin::Signin>,
    /// The storage slices the pages read beside the use cases.
    pub store: std::sync::Arc<S>,
}

/// A story's first line, cut at 40 characters.
fn opening(story: &str) -> String {
    let line = story.lines().next().unwrap_or_default().trim();
    let mut cut: String = line.chars().take(40).collect();
    if line.chars().count() > 40 {
        cut.push('…');
    }
    cut
}

fn similar_rows(found: Vec<Suggestion>) -> Vec<SimilarRow> {
    found
        .into_iter()
        .map(|s| SimilarRow {
            id: s.id.0,
            name: s.name,
            likeness: s.likeness,
            about: None,
        })
        .collect()
}

fn review_row(
    r: NominationRecord,
    similar: Vec<Suggestion>,
    streets: &[StreetChoice],
    number: Option<u16>,
) -> ReviewRow {
    let street = streets.iter().find(|s| s.id == r.street.0);
    ReviewRow {
        id: r.id.0,
        name: r.name,
        community_zh: r.community_zh,
        community_en: r.community_en,
        street_zh: street.map(|s| s.name_zh.clone()).unwrap_or_default(),
        street_en: street.map(|s| s.name_en.clone()).unwrap_or_default(),
        role: r.role,
        years: r.years,
        story: r.story,
        relation: r.relation,
        phone_masked: r.phone_masked,
        committee: r.entered_by.is_some(),
        state: r.state,
        consent: r.consent,
        consent_note: r.consent_note,
        reason: r.reason,
        reason_note: r.reason_note,
        question: r.question,
        answer: r.answer,
        merged_into: r.merged_into.map(|m| m.0),
        nominee_number: number,
        created_at: r.created_at,
        revision: r.revision,
        has_photo: r.has_photo,
        nominators: r.supporters,
        similar: similar_rows(similar),
        merged_answers: Vec::new(),
    }
}

impl<S> NominationPages<S>
where
    S: crate::places::storage::PlaceStorage
        + crate::nominees::storage::NomineeStorage
        + ?Sized
        + 'static,
{
    /// Every street with its communities, in order.
    async fn street_choices(&self) -> Result<Vec<StreetChoice>, StoreError> {
        let communities = self.store.communities().await?;
        Ok(self
            .store
            .streets()
            .await?
            .into_iter()
            .map(|s| StreetChoice {
                id: s.id.0,
                communities: communities
                    .iter()
                    .filter(|c| c.community.street_id == s.id)
                    .map(|c| {
                        (
                            c.community.id.0,
                            c.community.name_zh.clone(),
                            c.community.name_en.clone(),
                        )
                    })
                    .collect(),
                name_zh: s.name_zh,
                name_en: s.name_en,
            })
            .collect())
    }

    async fn signed_voter(&self, token: Option<&str>) -> Result<Option<VoterId>, StoreError> {
        match token {
            Some(t) => self.signin.voter_of(t, Millis::now()).await,
            None => Ok(None),
        }
    }

    /// The number of an approved nomination's nominee.
    async fn number_of(
        &self,
        campaign: &Campaign,
        r: &NominationRecord,
    ) -> Result<Option<u16>, StoreError> {
        let Some(nominee) = r.nominee else {
            return Ok(None);
        };
        Ok(self
            .store
            .nominee_records(campaign.id)
            .await?
            .into_iter()
            .find(|n| n.nominee.id == nominee)
            .map(|n| n.nominee.summary.number.get()))
    }
}

#[async_trait::async_trait]
impl<S> NominationBackend for NominationPages<S>
where
    S: crate::places::storage::PlaceStorage
        + crate::nominees::storage::NomineeStorage
        + ?Sized
        + 'static,
{
    async fn nominate_page(
        &self,
        voter_token: Option<String>,
    ) -> Result<Option<NominatePageData>, Unavailable> {
        let Some(campaign) = self.campaigns.current().await.map_err(unavailable)? else {
            return Ok(None);
        };
        let voter = self
            .signed_voter(voter_token.as_deref())
            .await
            .map_err(unavailable)?;
        let used = match voter {
            Some(v) => self
                .nominations
                .mine(&campaign, v)
                .await
                .map_err(unavailable)?
                .len(),
            None => 0,
        };
        let per_street = self
            .nominations
            .per_street(&campaign)
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(|(s, n)| (s.name_zh, s.name_en, n))
            .collect();
        Ok(Some(NominatePageData {
            slug: campaign.slug.clone(),
            title_zh: campaign.title_zh.clone(),
            title_en: campaign.title_en.clone(),
            phase: campaign.phase(Millis::now()),
            opens_at: campaign.phases.nomination_start,
            closes_at: campaign.phases.review_start,
            signed_in: voter.is_some(),
            used: u32::try_from(used).unwrap_or(u32::MAX),
            limit: self.nominations.per_resident(),
            per_street,
            streets: self.street_choices().await.map_err(unavailable)?,
        }))
    }

    async fn my_nominations(
        &self,
        voter_token: Option<String>,
    ) -> Result<Option<MyNominationsData>, Unavailable> {
        let Some(campaign) = self.campaigns.current().await.map_err(unavailable)? else {
            return Ok(None);
        };
        let open = campaign.phase(Millis::now()) == Phase::Nomination;
        let Some(voter) = self
            .signed_voter(voter_token.as_deref())
            .await
            .map_err(unavailable)?
        else {
            return Ok(Some(MyNominationsData {
                signed_in: false,
                open,
                rows: Vec::new(),
            }));
        };
        let mut rows = Vec::new();
        for m in self
            .nominations
            .mine(&campaign, voter)
            .await
            .map_err(unavailable)?
        {
            // Its likely duplicates, to support instead: offered until the
            // nominator supports one or says they are someone else.
            let offer = open
                && !m.supported
                && !m.kept
                && m.state == alleyvote_domain::nomination::NominationState::Submitted;
            let mut similar = Vec::new();
            if offer {
                let record = self
                    .nominations
                    .record(&campaign, m.origin)
                    .await
                    .map_err(unavailable)?;
                let found = match record {
                    Some(r) => self
                        .nominations
                        .suggest(&campaign, r.community, &r.name)
                        .await
                        .map_err(unavailable)?
                        .into_iter()
                        .filter(|s| s.id != m.origin)
                        .collect(),
                    None => Vec::new(),
                };
                for mut row in similar_rows(found) {
                    row.about = self
                        .nominations
                        .record(&campaign, NominationId(row.id))
                        .await
                        .map_err(unavailable)?
                        .map(|r| SimilarAbout {
                            role: r.role,
                            years: r.years,
                            opening: opening(&r.story),
                        });
                    similar.push(row);
                }
            }
            rows.push(MyNominationRow {
                id: m.origin.0,
                name: m.name,
                community_zh: m.community_zh,
                community_en: m.community_en,
                state: m.state,
                reason: m.reason,
                reason_note: m.reason_note,
                question: m.question,
                supported: m.supported,
                lead_name: m.lead_name,
                nominators: m.supporters,
                nominee_number: m.nominee_number.map(|n| n.get()),
                similar,
            });
        }
        Ok(Some(MyNominationsData {
            signed_in: true,
            open,
            rows,
        }))
    }

    async fn consent_page(&self, token: String) -> Result<ConsentPageData, Unavailable> {
        let hotline = self
            .campaigns
            .current()
            .await
            .map_err(unavailable)?
            .and_then(|c| c.hotline)
            .map(|h| h.as_str().to_string());
        let link = match self.nominations.link(&token).await.map_err(unavailable)? {
            LinkState::Unknown => ConsentLink::Unknown,
            LinkState::Expired => ConsentLink::Expired,
            LinkState::Used { agreed, at } => ConsentLink::Used { agreed, at },
            LinkState::Open(r) => ConsentLink::Open {
                name: r.name,
                community_zh: r.community_zh,
                community_en: r.community_en,
                role: r.role,
                story: r.story,
                consent: r.consent,
            },
        };
        Ok(ConsentPageData { hotline, link })
    }

    async fn review_queue(
        &self,
        token: Option<String>,
        query: QueueQuery,
    ) -> Result<Console<Option<ReviewQueueData>>, Unavailable> {
        let session = match self
            .access
            .page_session(token.as_deref(), Action::ReviewNominations)
            .await?
        {
            Ok(s) => s,
            Err(answer) => return Ok(answer),
        };
        let Some(campaign) = self.campaigns.current().await.map_err(unavailable)? else {
            return Ok(Console::Open(None));
        };
        let filter = QueueFilter {
            street: query.street.map(alleyvote_domain::StreetId),
            community: query.community.map(alleyvote_domain::CommunityId),
            state: None,
        };
        let view = QueueView {
            show: Show::parse(query.state.as_deref()),
            search: query.q.unwrap_or_default(),
            order: Order::parse(query.sort.as_deref()),
            page: query.page.unwrap_or(1),
        };
        let streets = self.street_choices().await.map_err(unavailable)?;
        let queue = self
            .nominations
            .review_queue(&campaign, &filter, &view)
            .await
            .map_err(unavailable)?;
        let rows = queue
            .rows
            .into_iter()
            .map(|q| review_row(q.record, q.duplicates, &streets, None))
            .collect();
        Ok(Console::Open(Some(ReviewQueueData {
            who: me_of(&session),
            rows,
            total: queue.total,
            waiting: queue.waiting,
            page: queue.page.page,
            pages: queue.page.pages,
            open: Nominations::open_for_review_at(&campaign, Millis::now()),
            streets,
        })))
    }

    async fn review_detail(
        &self,
        token: Option<String>,
        id: i64,
    ) -> Result<Console<Option<NominationDetailData>>, Unavailable> {
        let session = match self
            .access
            .page_session(token.as_deref(), Action::ReviewNominations)
            .await?
        {
            Ok(s) => s,
            Err(answer) => return Ok(answer),
        };
        let Some(campaign) = self.campaigns.current().await.map_err(unavailable)? else {
            return Ok(Console::Open(None));
        };
        let Some(record) = self
            .nominations
            .record(&campaign, NominationId(id))
            .await
            .map_err(unavailable)?
        else {
            return Ok(Console::Open(None));
        };
        let similar = if record.state.is_open() {
            self.nominations
                .suggest(&campaign, record.community, &record.name)
                .await
                .map_err(unavailable)?
                .into_iter()
                .filter(|s| s.id != record.id)
                .collect()
        } else {
            Vec::new()
        };
        let streets = self.street_choices().await.map_err(unavailable)?;
        let taken: Vec<_> = self
            .store
            .nominee_records(campaign.id)
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(|n| {
                let rank = streets
                    .iter()
                    .position(|s| s.id == n.nominee.summary.street_id.0)
                    .unwrap_or(usize::MAX);
                (n.nominee.summary.number, rank)
            })
            .collect();
        let rank = streets
            .iter()
            .position(|s| s.id == record.street.0)
            .unwrap_or(usize::MAX);
        let suggested_number = Nominations::suggested_number(&taken, rank).map(|n| n.get());
        let number = self
            .number_of(&campaign, &record)
            .await
            .map_err(unavailable)?;
        let merged_answers = self
            .nominations
            .merged_answers(record.id)
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(|(id, consent)| (id.0, consent))
            .collect();
        let merged = self
            .nominations
            .merged_into(&campaign, record.id)
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(|m| review_row(m, Vec::new(), &streets, None))
            .collect();
        let next_waiting = self
            .nominations
            .next_waiting(&campaign, record.id)
            .await
            .map_err(unavailable)?
            .map(|n| n.0);
        let mut row = review_row(record, similar, &streets, number);
        row.merged_answers = merged_answers;
        Ok(Console::Open(Some(NominationDetailData {
            who: me_of(&session),
            row,
            open: Nominations::open_for_review_at(&campaign, Millis::now()),
            suggested_number,
            merged,
            next_waiting,
        })))
    }

    async fn review_compare(
        &self,
        token: Option<String>,
        id: i64,
        other: i64,
    ) -> Result<Console<Option<CompareData>>, Unavailable> {
        let session = match self
            .access
            .page_session(token.as_deref(), Action::ReviewNominations)
            .await?
        {
            Ok(s) => s,
            Err(answer) => return Ok(answer),
        };
        let Some(campaign) = self.campaigns.current().await.map_err(unavailable)? else {
            return Ok(Console::Open(None));
        };
        let read = |id: i64| self.nominations.record(&campaign, NominationId(id));
        let (Some(left), Some(right)) = (
            read(id).await.map_err(unavailable)?,
            read(other).await.map_err(unavailable)?,
        ) else {
            return Ok(Console::Open(None));
        };
        if left.id == right.id {
            return Ok(Console::Open(None));
        }
        let streets = self.street_choices().await.map_err(unavailable)?;
        Ok(Console::Open(Some(CompareData {
            who: me_of(&session),
            left: review_row(left, Vec::new(), &streets, None),
            right: review_row(right, Vec::new(), &streets, None),
            open: Nominations::open_for_review_at(&campaign, Millis::now()),
        })))
    }
}
