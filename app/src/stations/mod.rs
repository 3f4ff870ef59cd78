//! Polling stations in the console: the part of the accounts page that adds
//! stations and says who operates each (its data comes with that page's, see
//! `organizers`), and the forms the stations' handlers read, some of which
//! the paper board renders.

pub mod forms;
pub mod model;
mod operators;

pub use operators::StationOperators;
