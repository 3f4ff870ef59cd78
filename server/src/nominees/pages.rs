//! The console's nominee pages' port: the list (with the first free number)
//! and a nominee's edit page, with the communities to choose from.

use std::sync::Arc;

use alleyvote_domain::organizer::{Action, Console};
use app::nominees::model::{NomineeAdminRow, NomineeEditData, NomineesAdminData};
use app::nominees::port::NomineesBackend;
use app::port::Unavailable;

use super::storage::NomineeStorage;
use crate::campaigns::Campaigns;
use crate::organizers::pages::{me_of, unavailable, with_access, PageAccess};
use crate::places::choices;
use crate::places::storage::PlaceStorage;

/// The console's nominee pages' port, as the server answers it.
pub struct NomineesPages<S: ?Sized> {
    pub access: PageAccess,
    pub campaigns: Arc<Campaigns>,
    /// The storage slices the pages read beside the use case.
    pub store: Arc<S>,
}

#[async_trait::async_trait]
impl<S> NomineesBackend for NomineesPages<S>
where
    S: NomineeStorage + PlaceStorage + ?Sized + 'static,
{
    async fn console_nominees(
        &self,
        token: Option<String>,
    ) -> Result<Console<NomineesAdminData>, Unavailable> {
        let campaign = self.campaigns.current().await.map_err(unavailable)?;
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
        with_access!(self.access, token, Action::EditNominees, |session| {
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
        let campaign = self.campaigns.current().await.map_err(unavailable)?;
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
        with_access!(self.access, token, Action::EditNominees, |session| record
            .map(|r| {
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
            }))
    }
}
