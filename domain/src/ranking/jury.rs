//! The jury channel: each judge scores a nominee from 0 to 100; the
//! nominee's jury score is the average over the judges who scored them,
//! kept in hundredths of a point so that every instance computes the same.

/// A typed score that is not 0 to 100 whole points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAScore;

/// A judge's score, 0 to 100 whole points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct JuryScore(u8);

impl JuryScore {
    /// Reads a typed score: digits only (full-width too), 0 to 100; empty
    /// is `None` (not scored).
    pub fn parse(typed: &str) -> Result<Option<Self>, NotAScore> {
        let text: String = typed
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                c => c,
            })
            .collect();
        if text.is_empty() {
            return Ok(None);
        }
        match text.parse::<u8>() {
            Ok(n) if n <= 100 => Ok(Some(JuryScore(n))),
            _ => Err(NotAScore),
        }
    }

    pub fn new(points: u8) -> Option<Self> {
        (points <= 100).then_some(JuryScore(points))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// The average of `count` scores summing to `sum`, in hundredths of a
/// point, rounded half up; `None` when nobody scored.
pub fn average_hundredths(sum: u64, count: u64) -> Option<u64> {
    (sum * 100 * 2 + count).checked_div(count * 2)
}

/// Hundredths of a point as text: `8650` → `"86.50"`.
pub fn hundredths_text(h: u64) -> String {
    format!("{}.{:02}", h / 100, h % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_whole_points_up_to_a_hundred() {
        assert_eq!(JuryScore::parse(" 86 "), Ok(JuryScore::new(86)));
        assert_eq!(JuryScore::parse("１００"), Ok(JuryScore::new(100)));
        assert_eq!(JuryScore::parse(""), Ok(None));
        for bad in ["101", "-1", "8.5", "八十"] {
            assert_eq!(JuryScore::parse(bad), Err(NotAScore), "{bad}");
        }
    }

    #[test]
    fn the_average_rounds_half_up_in_hundredths() {
        assert_eq!(average_hundredths(0, 0), None);
        assert_eq!(average_hundredths(90 + 85 + 80, 3), Some(8500));
        // 2 / 3 = 0.666… → 0.67
        assert_eq!(average_hundredths(2, 3), Some(67));
        // 1 / 8 = 0.125 → 0.13
        assert_eq!(average_hundredths(1, 8), Some(13));
        assert_eq!(hundredths_text(8650), "86.50");
        assert_eq!(hundredths_text(7), "0.07");
    }
}
