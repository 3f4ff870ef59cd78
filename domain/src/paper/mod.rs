//! Paper ballots (纸质选票): a polling station's tally sheet (计票单) and the
//! checks a real count makes of it, as plain rules. The station's volunteers
//! count the box and fill in the sheet; organizers key it in twice. These
//! rules say whether what was keyed can stand as complete (errors) and what
//! the operator must check against the paper before it does (warnings).

pub mod count;
pub mod sheet;

pub use count::{Count, CountProblem};
pub use sheet::{
    check, PaperRule, SheetCheck, SheetContext, SheetCounts, SheetError, SheetField, SheetWarning,
};
