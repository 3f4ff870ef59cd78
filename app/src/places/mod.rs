//! Streets and communities in the console (`/console/places`): the list,
//! renaming, and the import, with their port, forms and server function.

pub mod forms;
pub mod model;
mod places_page;
#[cfg(feature = "ssr")]
pub mod port;
pub mod server_fns;

pub use places_page::PlacesPage;
