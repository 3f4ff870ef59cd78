//! Server functions of the paper-ballot pages: thin adapters to the port.

use leptos::prelude::*;

use super::model::{PaperBoardData, PublicStationsData, SheetPageData, StationPageData};
use alleyvote_domain::organizer::Console;

#[cfg(feature = "ssr")]
fn paper() -> Result<super::port::SharedPaper, ServerFnError> {
    use_context::<super::port::SharedPaper>()
        .ok_or_else(|| ServerFnError::new("paper backend missing from context"))
}

#[server(prefix = "/sfn", endpoint = "stations")]
pub async fn load_public_stations() -> Result<Option<PublicStationsData>, ServerFnError> {
    paper()?
        .public_stations()
        .await
        .map_err(crate::port::unavailable)
}

#[server(prefix = "/sfn", endpoint = "console_paper")]
pub async fn load_paper_board() -> Result<Console<Option<PaperBoardData>>, ServerFnError> {
    paper()?
        .paper_board(crate::port::organizer_token())
        .await
        .map_err(crate::port::unavailable)
}

#[server(prefix = "/sfn", endpoint = "console_sheet")]
pub async fn load_sheet_page(id: i64) -> Result<Console<Option<SheetPageData>>, ServerFnError> {
    paper()?
        .sheet_page(crate::port::organizer_token(), id)
        .await
        .map_err(crate::port::unavailable)
}

#[server(prefix = "/sfn", endpoint = "console_station")]
pub async fn load_station_page(id: i64) -> Result<Console<Option<StationPageData>>, ServerFnError> {
    paper()?
        .station_page(crate::port::organizer_token(), id)
        .await
        .map_err(crate::port::unavailable)
}
