//! Streets and their communities: imported from a file, renamed, removed.

pub mod import;
pub mod storage;
