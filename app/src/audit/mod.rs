//! The audit log in the console (`/console/audit`): newest first, filtered
//! and paged back, with its port, filter form and server function.

mod audit_page;
pub mod forms;
pub mod model;
#[cfg(feature = "ssr")]
pub mod port;
pub mod server_fns;

pub use audit_page::AuditPage;
