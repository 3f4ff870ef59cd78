//! Voting in the pages: the home page (`/`), the nominee list with its
//! search and one-tap vote buttons (`/nominees`), and a nominee's profile
//! (`/nominees/{number}`), with their port, forms and server functions.

pub mod forms;
mod home_page;
pub mod model;
mod nominee_card;
mod nominees_page;
#[cfg(feature = "ssr")]
pub mod port;
mod profile_page;
pub mod server_fns;
pub mod vote;

pub use home_page::HomePage;
pub use nominees_page::NomineesPage;
pub use profile_page::ProfilePage;
