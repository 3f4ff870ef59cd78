//! Keyed hashes: how the server recognises a voter, a code or a network
//! address without keeping any of them in clear.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use alleyvote_domain::PhoneNumber;

use crate::keys::Secret;

/// Who a voter is, as a keyed hash; never the number or code itself.
#[derive(Debug, Clone)]
pub struct VoterIdentity {
    pub hash: [u8; 32],
    pub kind: VoterKind,
    /// `138****1234`, or the code's first characters: the only readable form.
    pub masked: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoterKind {
    Phone,
    BallotCode,
    Demo,
}

impl VoterKind {
    pub fn as_str(self) -> &'static str {
        match self {
            VoterKind::Phone => "phone",
            VoterKind::BallotCode => "ballot_code",
            VoterKind::Demo => "demo",
        }
    }
}

#[derive(Clone)]
pub struct Hasher {
    key: Vec<u8>,
}

impl Hasher {
    pub fn new(key: &Secret) -> Self {
        Hasher {
            key: key.expose().as_bytes().to_vec(),
        }
    }

    fn keyed(&self, parts: &[&[u8]]) -> [u8; 32] {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.key).unwrap_or_else(|_| unreachable!());
        for p in parts {
            mac.update(&(p.len() as u64).to_be_bytes());
            mac.update(p);
        }
        mac.finalize().into_bytes().into()
    }

    pub fn phone(&self, phone: &PhoneNumber) -> [u8; 32] {
        self.keyed(&[b"phone", phone.digits().as_bytes()])
    }

    pub fn phone_voter(&self, phone: &PhoneNumber) -> VoterIdentity {
        VoterIdentity {
            hash: self.phone(phone),
            kind: VoterKind::Phone,
            masked: phone.masked(),
        }
    }

    /// A printed ballot card's holder, known by the code's keyed hash.
    pub fn ballot_voter(&self, code: &str) -> VoterIdentity {
        VoterIdentity {
            hash: self.keyed(&[b"ballot-code", code.as_bytes()]),
            kind: VoterKind::BallotCode,
            masked: format!("{}-*****", &code[..code.len().min(5)]),
        }
    }

    /// A code is only meaningful for the number it was sent to.
    pub fn sms_code(&self, phone_hash: &[u8; 32], code: &str) -> [u8; 32] {
        self.keyed(&[b"sms-code", phone_hash, code.as_bytes()])
    }

    pub fn address(&self, ip: std::net::IpAddr) -> [u8; 32] {
        self.keyed(&[b"address", ip.to_string().as_bytes()])
    }

    /// Session tokens carry 256 random bits, so a plain hash suffices.
    pub fn token(token: &str) -> [u8; 32] {
        Sha256::digest(token.as_bytes()).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_depend_on_the_key_and_never_contain_the_number() {
        let phone = PhoneNumber::parse("13812341234").unwrap();
        let a = Hasher::new(&Secret::new("a".repeat(32)));
        let b = Hasher::new(&Secret::new("b".repeat(32)));
        assert_eq!(a.phone(&phone), a.phone(&phone));
        assert_ne!(a.phone(&phone), b.phone(&phone));
        assert!(!hex::encode(a.phone(&phone)).contains("13812341234"));
        assert_eq!(a.phone_voter(&phone).masked, "138****1234");
        let h = a.phone(&phone);
        assert_ne!(a.sms_code(&h, "123456"), a.sms_code(&h, "123457"));
    }
}
