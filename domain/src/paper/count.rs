//! A number written on a tally sheet: a whole count, as typed.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// A count of ballots or marks: a whole number, never negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Count(u32);

/// Why a typed count was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CountProblem {
    Negative,
    NotANumber,
    /// More ballots than a district has voters: a slip of the keyboard.
    TooLarge,
}

impl Count {
    /// No station counts more ballots than this.
    pub const MAX: u32 = 1_000_000;

    pub fn new(n: u32) -> Result<Self, CountProblem> {
        if n > Self::MAX {
            return Err(CountProblem::TooLarge);
        }
        Ok(Count(n))
    }

    /// A count as typed: digits, spaces ignored, full-width digits as people
    /// type them on a Chinese keyboard; empty is `None` (not filled in).
    pub fn parse(typed: &str) -> Result<Option<Self>, CountProblem> {
        let text: String = typed
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{3000}' | ',' | '，'))
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                '－' => '-',
                c => c,
            })
            .collect();
        if text.is_empty() {
            return Ok(None);
        }
        if let Some(rest) = text.strip_prefix('-') {
            return Err(
                if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) {
                    CountProblem::Negative
                } else {
                    CountProblem::NotANumber
                },
            );
        }
        if !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CountProblem::NotANumber);
        }
        let n: u64 = text.parse().map_err(|_| CountProblem::TooLarge)?;
        let n = u32::try_from(n).map_err(|_| CountProblem::TooLarge)?;
        Count::new(n).map(Some)
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl CountProblem {
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            CountProblem::Negative => lang.pick("数字不能是负数。", "A count cannot be negative."),
            CountProblem::NotANumber => lang.pick("请只填写数字。", "Please type digits only."),
            CountProblem::TooLarge => lang.pick(
                "数字太大了，请核对。",
                "That number is too large; please check it.",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_read_as_people_type_them() {
        let cases: &[(&str, Result<Option<u32>, CountProblem>)] = &[
            ("", Ok(None)),
            ("   ", Ok(None)),
            ("0", Ok(Some(0))),
            ("412", Ok(Some(412))),
            (" 1 204 ", Ok(Some(1204))),
            ("1,204", Ok(Some(1204))),
            ("４１２", Ok(Some(412))),
            ("007", Ok(Some(7))),
            ("-3", Err(CountProblem::Negative)),
            ("－３", Err(CountProblem::Negative)),
            ("-", Err(CountProblem::NotANumber)),
            ("12a", Err(CountProblem::NotANumber)),
            ("3.5", Err(CountProblem::NotANumber)),
            ("1000001", Err(CountProblem::TooLarge)),
            ("99999999999999999999", Err(CountProblem::TooLarge)),
        ];
        for (typed, expected) in cases {
            let got = Count::parse(typed).map(|c| c.map(Count::get));
            assert_eq!(&got, expected, "{typed:?}");
        }
        assert!(CountProblem::Negative.message(Lang::Zh).contains("负数"));
    }
}
