//! Results as the campaign published them before voting: the formula that
//! turns the channels into a score, and the ladder of tie-breaks. Plain
//! rules; the results, the screen, the notice and the exports all rank
//! with this one function.

pub mod formula;
pub mod jury;
pub mod ladder;
pub mod lot;

pub use formula::{Channels, Formula, FormulaProblem, Scaling, Weights, POINT};
pub use ladder::{
    rank, Contender, Placed, RankRule, Ranking, RuleProblem, TieBreak, DEFAULT_LADDER, MAX_WINNERS,
};
pub use lot::{draw, LotSeed};
