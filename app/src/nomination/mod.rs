//! Nominations in the pages: `/nominate` (the form, and the count per street),
//! `/my/nominations` (each one's state, the reviewers' questions and reasons),
//! `/consent/{token}` (the nominee agrees or declines), and the reviewers'
//! queue and decisions in the console (`/console/nominations`).

mod compare_page;
mod consent_page;
mod detail_page;
mod form;
pub mod forms;
mod mine_page;
pub mod model;
mod nominate_page;
#[cfg(feature = "ssr")]
pub mod port;
mod queue_page;
pub mod server_fns;
mod similar;

pub use compare_page::CompareNominationsPage;
pub use consent_page::ConsentPage;
pub use detail_page::NominationReviewPage;
pub use mine_page::MyNominationsPage;
pub use nominate_page::NominatePage;
pub use queue_page::ReviewQueuePage;
