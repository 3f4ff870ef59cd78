//! What every page shares: the frame around it (the layout and its
//! language switch), and what a page shows instead of its content.

pub mod forms;
mod layout;
mod not_found;
mod notices;

pub use layout::Layout;
pub use not_found::NotFound;
pub(crate) use notices::{Loading, NoCampaign, ServiceTrouble};
