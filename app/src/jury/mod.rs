//! The jury's console page (`/console/jury`): administrators appoint the
//! judges and follow their progress; each judge fills in a score sheet.

pub mod forms;
pub mod model;
mod page;
#[cfg(feature = "ssr")]
pub mod port;
pub mod server_fns;

pub use page::JuryPage;
