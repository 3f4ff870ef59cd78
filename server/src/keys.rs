//! Keys made from the deployment's secret (`ALLEYVOTE_SECRET_KEY`). Each use
//! gets its own, by an HMAC of a label of its own, so none is the secret
//! itself and none can stand in for another.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// HMAC-SHA256 of the parts, one after another.
pub fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// The key for one use of the secret.
pub fn derive(secret: &str, label: &str) -> [u8; 32] {
    hmac(secret.as_bytes(), &[label.as_bytes()])
}

/// Equality that takes as long whatever the bytes: a comparison tells a
/// guesser nothing about how close it came.
pub fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_label_gives_its_own_key() {
        let a = derive("one secret", "audit");
        assert_ne!(a, derive("one secret", "device"));
        assert_ne!(a, derive("another secret", "audit"));
        assert_eq!(a, derive("one secret", "audit"));
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd") && !same(b"abc", b"ab"));
    }
}
