//! Campaigns: their settings as organizers edit them, and the lookup every
//! request makes (memoised for a second per instance).

pub mod form;
pub mod storage;
