//! Nominees in the console: the list and a new nominee
//! (`/console/nominees`), and a nominee's edit page
//! (`/console/nominees/{id}`), with their port, forms and server functions.

mod fields;
pub mod forms;
pub mod model;
mod nominee_page;
mod nominees_page;
#[cfg(feature = "ssr")]
pub mod port;
pub mod server_fns;

pub use nominee_page::NomineeAdminPage;
pub use nominees_page::NomineesAdminPage;
