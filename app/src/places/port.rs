//! The streets-and-communities page's port. It checks the session and the
//! role itself.

use std::sync::Arc;

use alleyvote_domain::organizer::Console;

use super::model::PlacesData;
use crate::port::Unavailable;

#[async_trait::async_trait]
pub trait PlacesBackend: Send + Sync + 'static {
    async fn console_places(
        &self,
        token: Option<String>,
    ) -> Result<Console<PlacesData>, Unavailable>;
}

pub type SharedPlaces = Arc<dyn PlacesBackend>;
