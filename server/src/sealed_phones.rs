//! Phone numbers kept to send one text later — an objection's answer, a
//! reviewer's question — and only where the resident gave their own number
//! for it. Sealed with ChaCha20-Poly1305 under a key of their own, derived
//! from the deployment's phone key: the database holds no number in clear,
//! the keyed hash stays the identity, and a sealed number is opened only to
//! send. Retention clears them with the other contact details.

use alleyvote_domain::PhoneNumber;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};

use crate::keys::{derive, Secret};

/// The nonce's length: 96 bits, random per seal (numbers sealed are few,
/// far below where random nonces could repeat).
const NONCE_LEN: usize = 12;

#[derive(Clone)]
pub struct PhoneSeal {
    cipher: ChaCha20Poly1305,
}

impl std::fmt::Debug for PhoneSeal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PhoneSeal(***)")
    }
}

impl PhoneSeal {
    pub fn new(phone_key: &Secret) -> Self {
        let key = derive(phone_key.expose(), "alleyvote phone seal v1");
        PhoneSeal {
            cipher: ChaCha20Poly1305::new(Key::from_slice(&key)),
        }
    }

    /// The nonce, then the sealed digits with their tag.
    pub fn seal(&self, phone: &PhoneNumber) -> Vec<u8> {
        let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher
            .encrypt(&nonce, phone.digits().as_bytes())
            .unwrap_or_else(|_| unreachable!("sealing eleven bytes cannot fail"));
        [nonce.as_slice(), &sealed].concat()
    }

    /// The number, or `None` for bytes this key did not seal (another
    /// deployment's key, or tampered).
    pub fn open(&self, sealed: &[u8]) -> Option<PhoneNumber> {
        if sealed.len() <= NONCE_LEN {
            return None;
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        let digits = self.cipher.decrypt(Nonce::from_slice(nonce), body).ok()?;
        PhoneNumber::parse(std::str::from_utf8(&digits).ok()?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_number_opens_only_with_its_key_and_untouched() {
        let seal = PhoneSeal::new(&Secret::new("one deployment"));
        let phone = PhoneNumber::parse("13812345678").unwrap();
        let sealed = seal.seal(&phone);
        assert!(
            !sealed.windows(11).any(|w| w == b"13812345678"),
            "not in clear"
        );
        assert_eq!(seal.open(&sealed), Some(phone.clone()));
        assert_ne!(seal.seal(&phone), sealed, "a fresh nonce each time");
        let other = PhoneSeal::new(&Secret::new("another deployment"));
        assert_eq!(other.open(&sealed), None);
        let mut tampered = sealed.clone();
        tampered[NONCE_LEN + 1] ^= 1;
        assert_eq!(seal.open(&tampered), None);
        assert_eq!(seal.open(&sealed[..NONCE_LEN]), None);
    }
}
