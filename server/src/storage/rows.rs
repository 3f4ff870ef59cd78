//! Decoding stored values every capability shares: a stored value that does
//! not fit its domain type is corruption, never a panic.

use alleyvote_domain::NomineeNumber;

use super::StoreError;

/// Converts every row, failing on the first that does not fit.
pub fn collect<R, T>(rows: Vec<R>) -> Result<Vec<T>, StoreError>
where
    T: TryFrom<R, Error = StoreError>,
{
    rows.into_iter().map(T::try_from).collect()
}

pub fn hash32(bytes: &[u8]) -> Result<[u8; 32], StoreError> {
    bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt(format!("a hash of {} bytes", bytes.len())))
}

pub fn number(n: i32) -> Result<NomineeNumber, StoreError> {
    u32::try_from(n)
        .ok()
        .and_then(|n| NomineeNumber::new(n).ok())
        .ok_or_else(|| StoreError::Corrupt(format!("nominee number {n}")))
}
