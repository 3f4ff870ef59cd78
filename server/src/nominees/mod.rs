//! Nominees: the public list and profiles, and the console's records with
//! their photos.

pub mod photos;
pub mod storage;
