//! Time as the vote sees it: instants in Unix milliseconds, and calendar days
//! in Shanghai. China has kept UTC+8 without daylight saving since 1991, so a
//! fixed offset is exact for every date a campaign can have and spares the
//! wasm bundle a time-zone database.

use serde::{Deserialize, Serialize};

const SHANGHAI_OFFSET_MS: i64 = 8 * 60 * 60 * 1000;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// An instant, in milliseconds since the Unix epoch (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Millis(pub i64);

impl Millis {
    pub fn now() -> Self {
        // `SystemTime` is unavailable on wasm32-unknown-unknown; the pages take
        // times from the server, so only native code asks for "now".
        #[cfg(not(target_arch = "wasm32"))]
        {
            let d = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            Millis(d.as_millis() as i64)
        }
        #[cfg(target_arch = "wasm32")]
        {
            Millis(0)
        }
    }

    pub fn plus_days(self, days: i64) -> Self {
        Millis(self.0 + days * DAY_MS)
    }

    pub fn plus_ms(self, ms: i64) -> Self {
        Millis(self.0 + ms)
    }

    /// The Shanghai calendar day this instant falls on.
    pub fn shanghai_day(self) -> ShanghaiDay {
        ShanghaiDay((self.0 + SHANGHAI_OFFSET_MS).div_euclid(DAY_MS) as i32)
    }

    /// Shanghai wall-clock parts of this instant.
    pub fn shanghai(self) -> WallClock {
        let local = self.0 + SHANGHAI_OFFSET_MS;
        let day = local.div_euclid(DAY_MS);
        let ms_of_day = local.rem_euclid(DAY_MS);
        let (year, month, day_of_month) = civil_from_days(day);
        WallClock {
            year,
            month,
            day: day_of_month,
            hour: (ms_of_day / 3_600_000) as u32,
            minute: ((ms_of_day / 60_000) % 60) as u32,
        }
    }

    /// `2026-11-27T23:59:05+08:00`: how the API writes instants.
    pub fn rfc3339(self) -> String {
        let w = self.shanghai();
        let seconds = (self.0 + SHANGHAI_OFFSET_MS).rem_euclid(60_000) / 1000;
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+08:00",
            w.year, w.month, w.day, w.hour, w.minute, seconds
        )
    }

    /// `2026-11-27T09:00`: Shanghai time as an HTML `datetime-local` input holds it.
    pub fn to_local_input(self) -> String {
        let w = self.shanghai();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}",
            w.year, w.month, w.day, w.hour, w.minute
        )
    }

    /// Reads a `datetime-local` value (`2026-11-27T09:00`, seconds allowed)
    /// as Shanghai time; `None` if it is not a real date and time.
    pub fn parse_local_input(text: &str) -> Option<Millis> {
        let (date, time) = text.trim().split_once(['T', ' '])?;
        let mut d = date.splitn(3, '-');
        let year: i32 = d.next()?.parse().ok()?;
        let month: u32 = d.next()?.parse().ok()?;
        let day: u32 = d.next()?.parse().ok()?;
        let mut t = time.splitn(3, ':');
        let hour: u32 = t.next()?.parse().ok()?;
        let minute: u32 = t.next()?.parse().ok()?;
        let valid = (2000..=2100).contains(&year)
            && (1..=12).contains(&month)
            && (1..=days_in_month(year, month)).contains(&day)
            && hour < 24
            && minute < 60;
        valid.then(|| Millis::from_shanghai(year, month, day, hour, minute))
    }

    /// The instant of a Shanghai wall-clock time.
    pub fn from_shanghai(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> Self {
        let days = days_from_civil(year, month, day);
        Millis(
            days * DAY_MS + i64::from(hour) * 3_600_000 + i64::from(minute) * 60_000
                - SHANGHAI_OFFSET_MS,
        )
    }
}

/// A calendar day in Shanghai, counted in days since 1970-01-01.
/// Daily vote quotas reset when this number changes: at midnight Shanghai time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ShanghaiDay(pub i32);

impl ShanghaiDay {
    /// A day as a date field sends it (`2026-12-07`).
    pub fn parse(text: &str) -> Option<ShanghaiDay> {
        let text = text.trim();
        if text.len() != 10 {
            return None;
        }
        Millis::parse_local_input(&format!("{text}T00:00")).map(Millis::shanghai_day)
    }

    /// Its first instant.
    pub fn start(self) -> Millis {
        Millis(self.next_midnight().0 - DAY_MS)
    }

    /// The first instant of the next day: when today's quota renews.
    pub fn next_midnight(self) -> Millis {
        Millis(i64::from(self.0 + 1) * DAY_MS - SHANGHAI_OFFSET_MS)
    }
}

/// Wall-clock parts in Shanghai, for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WallClock {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
}

impl WallClock {
    /// `2026年11月27日` — how dates read on the pages in Chinese.
    pub fn date_zh(&self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }

    /// `2026-11-27` — ISO order for English pages.
    pub fn date_iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    pub fn time(&self) -> String {
        format!("{:02}:{:02}", self.hour, self.minute)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days<->civil algorithms (proleptic Gregorian calendar).
fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((if m <= 2 { y + 1 } else { y }) as i32, m, d)
}

fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(if m <= 2 { y - 1 } else { y });
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_field_names_a_shanghai_day() {
        let day = ShanghaiDay::parse("2026-12-07").unwrap();
        assert_eq!(day.start(), Millis::from_shanghai(2026, 12, 7, 0, 0));
        assert_eq!(
            day.next_midnight(),
            Millis::from_shanghai(2026, 12, 8, 0, 0)
        );
        for bad in [
            "",
            "2026-12-7",
            "2026-13-01",
            "yesterday",
            "2026-12-07T00:00",
        ] {
            assert_eq!(ShanghaiDay::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_minute_before_and_after_shanghai_midnight_are_different_days() {
        let before = Millis::from_shanghai(2026, 11, 27, 23, 59);
        let after = Millis::from_shanghai(2026, 11, 28, 0, 0);
        assert_eq!(after.0 - before.0, 60_000);
        assert_eq!(after.shanghai_day().0, before.shanghai_day().0 + 1);
    }

    #[test]
    fn shanghai_midnight_is_sixteen_hundred_utc() {
        // 2026-11-28 00:00 in Shanghai is 2026-11-27 16:00 UTC.
        let m = Millis::from_shanghai(2026, 11, 28, 0, 0);
        assert_eq!(m.0, 1_795_795_200_000);
        assert_eq!(m.shanghai_day().next_midnight(), m.plus_days(1));
    }

    #[test]
    fn wall_clock_round_trips() {
        for &(y, mo, d, h, mi) in &[
            (1970, 1, 1, 8, 0),
            (2000, 2, 29, 12, 30),
            (2026, 12, 31, 23, 59),
        ] {
            let w = Millis::from_shanghai(y, mo, d, h, mi).shanghai();
            assert_eq!(
                (w.year, w.month, w.day, w.hour, w.minute),
                (y, mo, d, h, mi)
            );
        }
    }

    #[test]
    fn datetime_local_inputs_read_as_shanghai_time() {
        let t = Millis::parse_local_input("2026-11-27T09:30").unwrap();
        assert_eq!(t, Millis::from_shanghai(2026, 11, 27, 9, 30));
        assert_eq!(t.to_local_input(), "2026-11-27T09:30");
        assert_eq!(
            Millis::parse_local_input("2026-11-27T09:30:15"),
            Some(t),
            "seconds are allowed"
        );
        for bad in [
            "",
            "2026-02-30T10:00",
            "2026-13-01T00:00",
            "2026-11-27",
            "tomorrow",
            "2026-11-27T24:00",
        ] {
            assert_eq!(Millis::parse_local_input(bad), None, "{bad}");
        }
        assert!(Millis::parse_local_input("2028-02-29T00:00").is_some());
    }

    #[test]
    fn rfc3339_in_shanghai_time() {
        let m = Millis::from_shanghai(2026, 11, 27, 23, 59).plus_ms(5_250);
        assert_eq!(m.rfc3339(), "2026-11-27T23:59:05+08:00");
    }

    #[test]
    fn dates_format_per_language() {
        let w = Millis::from_shanghai(2026, 3, 5, 9, 7).shanghai();
        assert_eq!(w.date_zh(), "2026年3月5日");
        assert_eq!(w.date_iso(), "2026-03-05");
        assert_eq!(w.time(), "09:07");
    }
}
