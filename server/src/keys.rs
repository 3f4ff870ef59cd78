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

/// A value that must never reach a log: `Debug` prints a placeholder.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// The audit chain's key (see `audit/chain.rs`).
#[derive(Clone, PartialEq, Eq)]
pub struct AuditKey(pub(crate) [u8; 32]);

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(***)")
    }
}

impl AuditKey {
    /// The key for a secret: its own HMAC label, so it is never the secret
    /// itself, nor any other key made from it.
    pub fn derive(secret: &str) -> Self {
        AuditKey(derive(secret, "alleyvote audit chain key v2"))
    }
}

/// Replaces the password of `scheme://user:password@host/...` with `***`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, tail) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            if userinfo.contains(':') {
                format!("{scheme}://{user}:***@{host}{tail}")
            } else {
                format!("{scheme}://{user}@{host}{tail}")
            }
        }
        None => url.to_string(),
    }
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
