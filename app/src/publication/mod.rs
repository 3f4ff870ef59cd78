//! Results as published, in the pages: the console's results page (the
//! ranking rule, the preliminary ranking, the publication steps, the lot
//! and the objections), the printable notice for community boards, and the
//! residents' objections box on the results page.

mod console_page;
pub mod corrections;
pub mod forms;
pub mod model;
mod notice_page;
mod objections;
#[cfg(feature = "ssr")]
pub mod port;
pub mod server_fns;
mod unreported;

pub use console_page::ResultsConsolePage;
pub use notice_page::PrintableNoticePage;
pub use objections::{NomineeChoice, ObjectionsBox};
pub use unreported::UnreportedNote;
