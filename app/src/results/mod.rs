//! Results in the pages: the live results (`/results`, the ranking an
//! island keeps up to date) and the recount in the console
//! (`/console/tally`), with their port and server functions. The results
//! pages take no form.

#[cfg(feature = "hydrate")]
mod live;
pub mod model;
#[cfg(feature = "ssr")]
pub mod port;
mod results_board;
mod results_page;
pub mod server_fns;
mod tally_page;

pub use results_page::ResultsPage;
pub use tally_page::TallyPage;
