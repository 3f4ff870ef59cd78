//! The paper-ballot pages' port: the server implements it over its store.
//! Every console method checks the session and the role itself.

use std::sync::Arc;

use super::model::{PaperBoardData, PublicStationsData, SheetPageData, StationPageData};
use crate::port::Unavailable;
use alleyvote_domain::organizer::Console;

#[async_trait::async_trait]
pub trait PaperBackend: Send + Sync + 'static {
    /// The current campaign's stations for the public; `None` before a campaign exists.
    async fn public_stations(&self) -> Result<Option<PublicStationsData>, Unavailable>;
    /// The progress board of the current campaign.
    async fn paper_board(
        &self,
        token: Option<String>,
    ) -> Result<Console<Option<PaperBoardData>>, Unavailable>;
    /// One station's set-up (administrators); `None` inside `Open` for no such station.
    async fn station_page(
        &self,
        token: Option<String>,
        id: i64,
    ) -> Result<Console<Option<StationPageData>>, Unavailable>;
    /// `None` inside `Open` for no such sheet.
    async fn sheet_page(
        &self,
        token: Option<String>,
        id: i64,
    ) -> Result<Console<Option<SheetPageData>>, Unavailable>;
}

pub type SharedPaper = Arc<dyn PaperBackend>;
