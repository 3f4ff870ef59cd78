mod layout;
mod nominee_card;
mod results_board;
mod vote;

pub use layout::Layout;
pub use nominee_card::{NomineeCard, Portrait};
pub use results_board::ResultsBoard;
pub use vote::{VoteButton, VoteOutcome};
