//! The notice period is counted in working days (Monday to Friday). Public
//! holidays move each year; the admin sees the computed end and may set a
//! later one.

use crate::clock::{Millis, ShanghaiDay};

/// The usual length of a public notice, in working days.
pub const USUAL_NOTICE_DAYS: u32 = 5;

fn is_working_day(day: ShanghaiDay) -> bool {
    // Day 0 (1970-01-01) was a Thursday; 0 = Monday … 6 = Sunday.
    (day.0 + 3).rem_euclid(7) < 5
}

/// The end of a notice published at `start` and running `days` working
/// days, the day of publication counting when it is one: midnight after
/// the last of them, Shanghai time.
pub fn notice_end_after(start: Millis, days: u32) -> Millis {
    let mut day = start.shanghai_day();
    let mut counted = 0;
    loop {
        if is_working_day(day) {
            counted += 1;
            if counted >= days.max(1) {
                return day.next_midnight();
            }
        }
        day = ShanghaiDay(day.0 + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_working_days_skip_the_weekend() {
        // Monday 2026-11-30, 10:00 → through Friday 2026-12-04.
        let monday = Millis::from_shanghai(2026, 11, 30, 10, 0);
        assert_eq!(
            notice_end_after(monday, 5),
            Millis::from_shanghai(2026, 12, 5, 0, 0)
        );
        // Thursday 2026-12-03 → Thu, Fri, Mon, Tue, Wed 2026-12-09.
        let thursday = Millis::from_shanghai(2026, 12, 3, 16, 30);
        assert_eq!(
            notice_end_after(thursday, 5),
            Millis::from_shanghai(2026, 12, 10, 0, 0)
        );
    }

    #[test]
    fn a_notice_published_at_the_weekend_starts_on_monday() {
        let saturday = Millis::from_shanghai(2026, 11, 28, 21, 0);
        assert_eq!(
            notice_end_after(saturday, 5),
            Millis::from_shanghai(2026, 12, 5, 0, 0)
        );
        assert_eq!(
            notice_end_after(saturday, 1),
            Millis::from_shanghai(2026, 12, 1, 0, 0)
        );
    }

    #[test]
    fn late_evening_in_shanghai_is_still_that_day() {
        // 23:30 Friday in Shanghai is 15:30 UTC: the Friday counts.
        let friday_night = Millis::from_shanghai(2026, 12, 4, 23, 30);
        assert_eq!(
            notice_end_after(friday_night, 1),
            Millis::from_shanghai(2026, 12, 5, 0, 0)
        );
    }
}
