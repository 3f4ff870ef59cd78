//! Signing in as a resident (`/login`): a text-message code in two plain
//! forms, or a printed ballot card. The page reads nothing from the server,
//! so it has no port and no server functions.

pub mod forms;
mod login_page;

pub use login_page::LoginPage;
