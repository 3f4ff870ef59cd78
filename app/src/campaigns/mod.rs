//! The campaign's settings in the console (`/console/campaign`): titles,
//! the phases' dates, the vote rules and the results' visibility, with
//! their port, form and server function.

mod campaign_page;
pub mod forms;
pub mod model;
#[cfg(feature = "ssr")]
pub mod port;
pub mod server_fns;

pub use campaign_page::CampaignPage;
