//! What happens to the results after voting: the count is closed
//! (preliminary, organizers only), published for public notice (公示) with
//! its dates, and made final. During the notice residents may object (异议)
//! and reviewers answer. Plain rules; the server stores and audits them.

pub mod correction;
pub mod objection;
pub mod stage;
pub mod working_days;

pub use correction::{
    Correction, CorrectionNote, CorrectionReason, CorrectionRefusal, CorrectionState,
};
pub use objection::{Objection, ObjectionProblem, ObjectionText};
pub use stage::{
    published_message, Publication, PublicationRefusal, PublicationStep, ResultsStage, Stage,
    StepFacts, UnreportedReason,
};
pub use working_days::notice_end_after;
