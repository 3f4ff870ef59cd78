//! The words and rules of the Top Ten Alley Premier vote, free of I/O.
//!
//! Everything here is plain data and pure functions so that the server, the
//! pages and the wasm bundle agree on one meaning, and so that every rule can be
//! unit-tested without a database.

pub mod audit_words;
pub mod campaign;
pub mod clock;
pub mod dashboard;
pub mod ids;
pub mod lang;
pub mod nomination;
pub mod nominee;
pub mod notice;
#[cfg(feature = "openapi")]
mod openapi;
pub mod organizer;
pub mod paper;
pub mod phone;
pub mod publication;
pub mod ranking;
pub mod results;
pub mod screen;
pub mod signin;
pub mod street;
pub mod text;
pub mod texts;
#[cfg(test)]
mod typist;
pub mod voting;

pub use campaign::{Campaign, CampaignId, Phase, Phases, ResultsVisibility, VoteRules};
pub use clock::{Millis, ShanghaiDay};
pub use ids::{SheetId, StationId};
pub use lang::Lang;
pub use nominee::{
    Nominee, NomineeFilter, NomineeId, NomineeNumber, NomineeSummary, SearchProblem, SearchQuery,
};
pub use notice::{
    CampaignProblem, ConsoleError, ConsoleLoginError, Done, ImportRejection, NomineeProblem,
    VoteRefused, VoterLoginError,
};
pub use organizer::Console;
pub use phone::PhoneNumber;
pub use publication::ResultsStage;
pub use results::{
    NoticeInfo, PublishedFormula, ResultEntry, ResultsSnapshot, StationsReported, Tally, TallyRow,
};
pub use street::{Community, CommunityId, Street, StreetId};
pub use text::{FreeText, TextProblem, TextRule};
pub use voting::{VoteRefusal, VoterId};
