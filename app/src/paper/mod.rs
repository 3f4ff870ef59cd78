//! Paper ballots in the pages: the public list of polling stations, the
//! console's station progress board, a station's set-up page and the tally
//! sheet (keying, deciding, reopening), with their port, forms and server
//! functions.

mod board;
#[cfg(feature = "hydrate")]
mod draft_keeper;
pub mod forms;
pub mod model;
#[cfg(feature = "ssr")]
pub mod port;
mod print_sheet;
pub mod server_fns;
mod sheet_page;
mod station_page;
mod stations_page;

pub use board::PaperBoardPage;
pub use print_sheet::PrintSheetPage;
pub use sheet_page::SheetPage;
pub use station_page::StationPage;
pub use stations_page::StationsPage;
