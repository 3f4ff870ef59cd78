//! The streets-and-communities page's port: every street with its
//! communities.

use std::sync::Arc;

use alleyvote_domain::organizer::{Action, Console};
use app::places::model::{PlacesData, StreetPlaces};
use app::places::port::PlacesBackend;
use app::port::Unavailable;

use super::storage::PlaceStorage;
use crate::organizers::pages::{me_of, unavailable, with_access, PageAccess};

/// The streets-and-communities page's port, as the server answers it.
pub struct PlacesPages<S: ?Sized> {
    pub access: PageAccess,
    /// The storage slice the page reads.
    pub store: Arc<S>,
}

#[async_trait::async_trait]
impl<S> PlacesBackend for PlacesPages<S>
where
    S: PlaceStorage + ?Sized + 'static,
{
    async fn console_places(
        &self,
        token: Option<String>,
    ) -> Result<Console<PlacesData>, Unavailable> {
        let streets = self.store.streets().await.map_err(unavailable)?;
        let communities = self.store.communities().await.map_err(unavailable)?;
        with_access!(self.access, token, Action::ManageStreets, |session| {
            PlacesData {
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
            }
        })
    }
}
