//! The console's use cases behind the app's `ConsoleBackend` port: each one
//! checks the organizer session and the role, then reads what the page shows.

use alleyvote_domain::organizer::Action;
use alleyvote_domain::Millis;
use app::backend::{ConsoleBackend, Unavailable};
use app::model::{
    AuditData, AuditView, CampaignEditData, Console, ConsoleHome, NomineeAdminRow, NomineeEditData,
    NomineesAdminData, OrganizersData, PlacesData, RecountRow, StationView, StreetPlaces,
    TallyCheckData, TallyCheckView,
};

use crate::audit::storage::{AuditFilter, StoredAudit};
use crate::organizers::pages::PageAccess;
use crate::organizers::storage::OrganizerSession;
use crate::services::Services;
use crate::storage::StoreError;

/// Entries a page of the audit log lists.
pub const AUDIT_PAGE: u32 = 100;

pub use crate::organizers::pages::{me_of, unavailable, view_of};

pub use crate::audit::shanghai_time;

pub fn audit_view(a: &StoredAudit) -> AuditView {
    AuditView {
        seq: a.record.seq,
        at: shanghai_time(a.record.at),
        actor: a.record.actor_name.clone(),
        action: a.record.action.clone(),
        subject: a.record.subject.clone(),
        before: a.record.before.clone(),
        after: a.record.after.clone(),
    }
}

pub use crate::places::choices;

impl Services {
    /// Checks console pages' sessions and roles.
    pub fn page_access(&self) -> PageAccess {
        PageAccess {
            organizers: self.organizers.clone(),
        }
    }

    /// The session a token names, if it may do `action`.
    pub async fn console_access(
        &self,
        token: Option<&str>,
        action: Action,
    ) -> Result<Console<OrganizerSession>, StoreError> {
        self.page_access().console_access(token, action).await
    }

    /// A page's organizer, or the page's answer when there is none.
    pub async fn page_session<T>(
        &self,
        token: Option<&str>,
        action: Action,
    ) -> Result<Result<OrganizerSession, Console<T>>, Unavailable> {
        self.page_access().page_session(token, action).await
    }
}

/// Runs `then` for an organizer who may do `action`.
// A macro because the bodies `.await` and use `?` of the calling method; a
// function would take an async closure and hand the errors back out.
macro_rules! with_access {
    ($services:expr, $token:expr, $action:expr, |$session:ident| $body:expr) => {
        match $services
            .console_access($token.as_deref(), $action)
            .await
            .map_err(unavailable)?
        {
            Console::Open($session) => Ok(Console::Open($body)),
            Console::SignIn => Ok(Console::SignIn),
            Console::Forbidden => Ok(Console::Forbidden),
        }
    };
}

#[async_trait::async_trait]
impl ConsoleBackend for Services {
    async fn console_home(
        &self,
        token: Option<String>,
    ) -> Result<Console<ConsoleHome>, Unavailable> {
        let head = self
            .store
            .audit_entries(&AuditFilter {
                limit: 1,
                ..AuditFilter::default()
            })
            .await
            .map_err(unavailable)?;
        with_access!(self, token, Action::ViewConsole, |session| ConsoleHome {
            who: me_of(&session),
            audit_entries: head.first().map_or(0, |a| a.record.seq),
        })
    }

    async fn console_tally(
        &self,
        token: Option<String>,
    ) -> Result<Console<TallyCheckData>, Unavailable> {
        // The recount reads every vote: only for an organizer allowed to see it.
        with_access!(self, token, Action::ViewAuditLog, |session| {
            let mut campaigns = Vec::new();
            for c in self.campaigns.all().await.map_err(unavailable)? {
                let check = crate::results::verify::verify(&*self.store, &c)
                    .await
                    .map_err(unavailable)?;
                campaigns.push(TallyCheckView {
                    slug: c.slug.clone(),
                    title_zh: c.title_zh.clone(),
                    title_en: c.title_en.clone(),
                    rows: check
                        .rows
                        .iter()
                        .map(|r| RecountRow {
                            number: r.number.map_or(0, |n| n.get()),
                            name: if r.active {
                                r.name.clone()
                            } else {
                                format!("{}（已退出）", r.name)
                            },
                            running: r.running,
                            recounted: r.recounted,
                            running_paper: r.running_paper,
                            recounted_paper: r.recounted_paper,
                        })
                        .collect(),
                });
            }
            TallyCheckData {
                who: me_of(&session),
                campaigns,
                at: shanghai_time(Millis::now()),
            }
        })
    }

    async fn console_organizers(
        &self,
        token: Option<String>,
    ) -> Result<Console<OrganizersData>, Unavailable> {
        let accounts = self.store.organizers().await.map_err(unavailable)?;
        let stations = self.store.stations().await.map_err(unavailable)?;
        with_access!(self, token, Action::ManageOrganizers, |session| {
            OrganizersData {
                who: me_of(&session),
                accounts: accounts.iter().map(view_of).collect(),
                stations: stations
                    .iter()
                    .map(|s| StationView {
                        id: s.id,
                        name: s.name.clone(),
                        operators: s.operators.clone(),
                    })
                    .collect(),
            }
        })
    }

    async fn console_campaign(
        &self,
        token: Option<String>,
        slug: Option<String>,
    ) -> Result<Console<CampaignEditData>, Unavailable> {
        let all = self.store.campaigns().await.map_err(unavailable)?;
        let campaign = match slug {
            Some(slug) => all.iter().find(|c| c.slug == slug).cloned(),
            None => self.current_campaign().await.map_err(unavailable)?,
        };
        with_access!(self, token, Action::EditCampaign, |session| {
            CampaignEditData {
                who: me_of(&session),
                campaign,
                campaigns: all
                    .iter()
                    .map(|c| (c.slug.clone(), c.title_zh.clone()))
                    .collect(),
            }
        })
    }

    async fn console_places(
        &self,
        token: Option<String>,
    ) -> Result<Console<PlacesData>, Unavailable> {
        let streets = self.store.streets().await.map_err(unavailable)?;
        let communities = self.store.communities().await.map_err(unavailable)?;
        with_access!(self, token, Action::ManageStreets, |session| PlacesData {
            who: me_of(&session),
            streets: streets
                .iter()
                .map(|s| StreetPlaces {
                    id: s.id,
                    street: s.name_zh.clone(),
                    street_en: s.name_en.clone(),
                    communities: communities
                        .iter()
                        .filter(|c| c.community.street_id == s.id)
                        .map(|c| {
                            (
                                c.community.id,
                                c.community.name_zh.clone(),
                                c.community.name_en.clone(),
                            )
                        })
                        .collect(),
                })
                .collect(),
        })
    }

    async fn console_nominees(
        &self,
        token: Option<String>,
    ) -> Result<Console<NomineesAdminData>, Unavailable> {
        let campaign = self.current_campaign().await.map_err(unavailable)?;
        let records = match &campaign {
            Some(c) => self
                .store
                .nominee_records(c.id)
                .await
                .map_err(unavailable)?,
            None => Vec::new(),
        };
        let communities = self.store.communities().await.map_err(unavailable)?;
        let next_number = (1..=999u16)
            .find(|n| !records.iter().any(|r| r.nominee.summary.number.get() == *n))
            .unwrap_or(999);
        with_access!(self, token, Action::EditNominees, |session| {
            NomineesAdminData {
                who: me_of(&session),
                campaign: campaign.as_ref().map(|c| c.slug.clone()),
                nominees: records
                    .iter()
                    .map(|r| NomineeAdminRow {
                        id: r.nominee.id,
                        number: r.nominee.summary.number.get(),
                        name: r.nominee.summary.name.clone(),
                        place: format!(
                            "{} · {}",
                            r.nominee.summary.street_zh, r.nominee.summary.community_zh
                        ),
                        active: r.active,
                        photo_url: r.nominee.summary.photo_url.clone(),
                    })
                    .collect(),
                communities: choices(&communities),
                next_number,
            }
        })
    }

    async fn console_nominee(
        &self,
        token: Option<String>,
        id: i64,
    ) -> Result<Console<Option<NomineeEditData>>, Unavailable> {
        let campaign = self.current_campaign().await.map_err(unavailable)?;
        let record = match &campaign {
            Some(c) => self
                .store
                .nominee_records(c.id)
                .await
                .map_err(unavailable)?
                .into_iter()
                .find(|r| r.nominee.id.0 == id),
            None => None,
        };
        let communities = self.store.communities().await.map_err(unavailable)?;
        with_access!(self, token, Action::EditNominees, |session| record.map(
            |r| {
                NomineeEditData {
                    who: me_of(&session),
                    id: r.nominee.id,
                    number: r.nominee.summary.number.get(),
                    name: r.nominee.summary.name.clone(),
                    community: r.community,
                    story: r.nominee.story.clone(),
                    active: r.active,
                    photo_url: r.nominee.summary.photo_url.clone(),
                    communities: choices(&communities),
                }
            }
        ))
    }

    async fn console_audit(
        &self,
        token: Option<String>,
        action: Option<String>,
        actor: Option<i64>,
        before: Option<i64>,
    ) -> Result<Console<AuditData>, Unavailable> {
        let access = self
            .console_access(token.as_deref(), Action::ViewAuditLog)
            .await
            .map_err(unavailable)?;
        let session = match access {
            Console::Open(s) => s,
            Console::SignIn => return Ok(Console::SignIn),
            Console::Forbidden => return Ok(Console::Forbidden),
        };
        let action = action.map(|a| a.chars().take(40).collect::<String>());
        let entries = self
            .store
            .audit_entries(&AuditFilter {
                action_prefix: action.clone().filter(|a| !a.is_empty()),
                actor: actor.map(alleyvote_domain::organizer::OrganizerId),
                before_seq: before,
                limit: AUDIT_PAGE,
            })
            .await
            .map_err(unavailable)?;
        let older = (entries.len() == AUDIT_PAGE as usize)
            .then(|| entries.last().map(|e| e.record.seq))
            .flatten();
        Ok(Console::Open(AuditData {
            who: me_of(&session),
            entries: entries.iter().map(audit_view).collect(),
            action: action.unwrap_or_default(),
            actor,
            actors: self
                .store
                .organizers()
                .await
                .map_err(unavailable)?
                .iter()
                .map(|o| (o.id.0, o.username.clone()))
                .collect(),
            older,
        }))
    }
}
