//! Paper ballots (纸质选票): a polling station's tally sheet (计票单) and the
//! checks a real count makes of it, as plain rules. The station's volunteers
//! count the box and fill in the sheet; organizers key it in twice. These
//! rules say whether what was keyed can stand as complete (errors), what the
//! operator must check against the paper before it does (warnings), and who
//! may key, compare and decide (the double entry).

pub mod count;
pub mod double_entry;
pub mod input;
pub mod notice;
pub mod sheet;

pub use count::{Count, CountProblem};
pub use double_entry::{
    after_second, differences, entry_visible, may_finish, reopen_reason, round_for, waiver_reason,
    FinishRefusal, KeyRefusal, Keyers, PaperEvidence, Resolution, Round, SheetState,
};
pub use input::{ReadSheet, SheetInput, SheetReference};
pub use notice::{not_your_station, SheetNotice};
pub use sheet::{
    check, PaperRule, SheetCheck, SheetContext, SheetCounts, SheetError, SheetField, SheetWarning,
};
