//! The organizer's dashboard (`/console`): the page an organizer leaves
//! open all week — votes per hour today against yesterday, the stations
//! still to report, the sheets and nominations waiting for someone, the
//! phase and what comes next, and the way to each task.

mod chart;
mod home_page;
pub mod model;
#[cfg(feature = "ssr")]
pub mod port;
mod refresh;
pub mod server_fns;

pub use home_page::ConsoleHomePage;
