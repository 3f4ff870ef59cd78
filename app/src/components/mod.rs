mod layout;
mod nominee_card;
mod results_board;

pub use layout::Layout;
pub use nominee_card::{NomineeCard, Portrait};
pub use results_board::ResultsBoard;
