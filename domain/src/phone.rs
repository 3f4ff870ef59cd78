//! Mainland China mobile numbers, as residents type them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Eleven digits, `1` then `3`–`9`: a mainland mobile number. Kept only in
/// memory, long enough to hash it and to send a code; never stored or logged.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a mainland mobile number")]
pub struct PhoneNumberError;

impl PhoneNumber {
    /// Accepts `13812341234`, `138 1234 1234`, `138-1234-1234`, `+86 138…`, `0086138…`.
    pub fn parse(input: &str) -> Result<Self, PhoneNumberError> {
        let mut digits: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}' | '(' | ')'))
            .collect();
        if let Some(rest) = digits.strip_prefix('+') {
            digits = rest.to_string();
        }
        if let Some(rest) = digits.strip_prefix("0086") {
            digits = rest.to_string();
        } else if digits.len() == 13 {
            if let Some(rest) = digits.strip_prefix("86") {
                digits = rest.to_string();
            }
        }
        let b = digits.as_bytes();
        let valid = b.len() == 11
            && b.iter().all(u8::is_ascii_digit)
            && b[0] == b'1'
            && (b'3'..=b'9').contains(&b[1]);
        if valid {
            Ok(PhoneNumber(digits))
        } else {
            Err(PhoneNumberError)
        }
    }

    /// What [`PhoneNumber::parse`] accepts, as a regular expression without
    /// its anchors (for the API's schema; ECMA-262 and Python alike):
    /// separators anywhere, then an optional `+`, `0086` or `86`, then the
    /// eleven digits.
    pub fn pattern() -> String {
        const SEP: &str = r"[ ()\u3000-]*";
        format!(
            r"{SEP}(?:\+{SEP})?(?:0{SEP}0{SEP}8{SEP}6{SEP}|8{SEP}6{SEP})?1{SEP}[3-9](?:{SEP}[0-9]){{9}}{SEP}"
        )
    }

    /// The eleven digits, for hashing and for the SMS gateway only.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// `138****1234`: the only form ever shown or logged.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = PhoneNumberError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        PhoneNumber::parse(&s)
    }
}

impl From<PhoneNumber> for String {
    fn from(p: PhoneNumber) -> String {
        p.0
    }
}

/// Debug output masks the number so it cannot leak into logs.
impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneNumber({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_ways_people_write_numbers() {
        for input in [
            "13812341234",
            "138 1234 1234",
            "138-1234-1234",
            "+86 138 1234 1234",
            "+8613812341234",
            "8613812341234",
            "0086 13812341234",
        ] {
            assert_eq!(
                PhoneNumber::parse(input).unwrap().digits(),
                "13812341234",
                "{input}"
            );
        }
    }

    #[test]
    fn refuses_what_is_not_a_mobile_number() {
        for input in [
            "",
            "1381234123",
            "138123412345",
            "12812341234",
            "23812341234",
            "1381234123a",
            "021-65431234",
        ] {
            assert!(PhoneNumber::parse(input).is_err(), "{input} accepted");
        }
    }

    #[test]
    fn the_pattern_accepts_what_parse_accepts() {
        let pattern = regex::Regex::new(&format!("^{}$", PhoneNumber::pattern())).unwrap();
        let valid = [
            "13812341234",
            "138 1234 1234",
            "(+86) 138-1234-1234",
            "0086 13812341234",
            "8613812341234",
        ];
        let pieces = [
            "1", "3", "8", "0", "6", "2", "9", "+", " ", "-", "(", ")", "\u{3000}", "\t", "a",
            "86", "0086", "138", "1234",
        ];
        let mut typist = crate::typist::Typist::new(11);
        for _ in 0..100_000 {
            let typed = typist.vary(&valid, &pieces);
            assert_eq!(
                pattern.is_match(&typed),
                PhoneNumber::parse(&typed).is_ok(),
                "{typed:?}"
            );
        }
    }

    #[test]
    fn masks_the_middle_digits_everywhere_it_prints() {
        let p = PhoneNumber::parse("13812341234").unwrap();
        assert_eq!(p.masked(), "138****1234");
        assert!(!format!("{p:?}").contains("13812341234"));
    }
}
