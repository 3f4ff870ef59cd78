//! The big screen in the pages: the wall (`/screen`, a kiosk page for a
//! 1920 × 1080 or 3840 × 2160 LED wall), the operator's private rehearsal
//! screen (`/screen/rehearsal`) and the operator's panel
//! (`/console/screen`), with their port, form and server functions.

pub mod forms;
#[cfg(feature = "hydrate")]
mod live;
pub mod model;
mod panel_page;
#[cfg(feature = "ssr")]
pub mod port;
pub mod server_fns;
mod wall;

pub use panel_page::ScreenPanelPage;
pub use wall::{RehearsalScreenPage, ScreenPage};
