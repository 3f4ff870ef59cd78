//! Organizer accounts in the console: signing in (`/console/login`), the
//! console's first page (`/console`) and the accounts and roles
//! (`/console/organizers`), with their port, forms and server functions.
//! [`model::ConsoleMe`], the signed-in organizer, comes with every console page.

mod console_login_page;
pub mod forms;
pub mod model;
mod organizers_page;
#[cfg(feature = "ssr")]
pub mod port;
pub mod server_fns;

pub use console_login_page::ConsoleLoginPage;
pub use organizers_page::OrganizersPage;
