//! The organizer's dashboard (`/console`): the page left open all week.
//! Votes per hour today against yesterday, online and paper, in Shanghai
//! hours, and the chart's geometry — plain numbers, so the page draws the
//! same picture on the server and nothing here needs a browser.

use serde::{Deserialize, Serialize};

use crate::campaign::{Phase, Phases};
use crate::clock::Millis;

const HOUR_MS: i64 = 60 * 60 * 1000;
const SHANGHAI_OFFSET_HOURS: i64 = 8;

/// Votes in each Shanghai hour of a day (0:00–1:00 first).
pub type DayHours = [u64; 24];

/// Votes per hour, today (so far) and yesterday, for each channel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hourly {
    pub online_today: DayHours,
    pub online_yesterday: DayHours,
    pub paper_today: DayHours,
    pub paper_yesterday: DayHours,
    /// The hour now (0–23, Shanghai): today's later hours have not come.
    pub hour_now: u8,
}

/// The first instant of yesterday (Shanghai): where the stored counts start.
pub fn since_yesterday(now: Millis) -> Millis {
    Millis(now.shanghai_day().next_midnight().0 - 2 * 24 * HOUR_MS)
}

/// Splits counts by the hour they fall in (hours since the Unix epoch, UTC,
/// as storage groups them) into today's and yesterday's Shanghai hours.
/// Hours before yesterday or after now are left out.
pub fn by_shanghai_hour(rows: &[(i64, u64)], now: Millis) -> (DayHours, DayHours) {
    let (mut today, mut yesterday) = ([0u64; 24], [0u64; 24]);
    let today_start = since_yesterday(now).0 / HOUR_MS + 24;
    for &(hour, count) in rows {
        let at = hour - today_start;
        if (0..24).contains(&at) {
            today[at as usize] += count;
        } else if (-24..0).contains(&at) {
            yesterday[(at + 24) as usize] += count;
        }
    }
    (today, yesterday)
}

/// The hour of the day now, in Shanghai.
pub fn hour_now(now: Millis) -> u8 {
    ((now.0 / HOUR_MS + SHANGHAI_OFFSET_HOURS).rem_euclid(24)) as u8
}

impl Hourly {
    pub fn new(online: &[(i64, u64)], paper: &[(i64, u64)], now: Millis) -> Hourly {
        let (online_today, online_yesterday) = by_shanghai_hour(online, now);
        let (paper_today, paper_yesterday) = by_shanghai_hour(paper, now);
        Hourly {
            online_today,
            online_yesterday,
            paper_today,
            paper_yesterday,
            hour_now: hour_now(now),
        }
    }

    pub fn total_today(&self) -> u64 {
        self.online_today.iter().sum::<u64>() + self.paper_today.iter().sum::<u64>()
    }

    /// Yesterday up to this hour: today's fair comparison.
    pub fn yesterday_by_now(&self) -> u64 {
        let upto = usize::from(self.hour_now) + 1;
        self.online_yesterday[..upto].iter().sum::<u64>()
            + self.paper_yesterday[..upto].iter().sum::<u64>()
    }

    /// The chart of it, `width` × `height` units.
    pub fn chart(&self, width: u32, height: u32) -> HourlyChart {
        let per_hour = |i: usize| self.online_today[i] + self.paper_today[i];
        let yesterday = |i: usize| self.online_yesterday[i] + self.paper_yesterday[i];
        let top = (0..24)
            .map(|i| per_hour(i).max(yesterday(i)))
            .max()
            .unwrap_or(0);
        let scale = nice_ceiling(top.max(1));
        let slot = f64::from(width) / 24.0;
        let y = |count: u64| f64::from(height) * (1.0 - count as f64 / scale as f64);
        let bars = (0..24)
            .map(|i| {
                let x = slot * i as f64 + slot * 0.15;
                let w = slot * 0.7;
                let online_top = y(self.online_today[i]);
                let all_top = y(per_hour(i));
                HourBar {
                    hour: i as u8,
                    x,
                    width: w,
                    online_y: online_top,
                    online_height: f64::from(height) - online_top,
                    paper_y: all_top,
                    paper_height: online_top - all_top,
                    online: self.online_today[i],
                    paper: self.paper_today[i],
                    to_come: i > usize::from(self.hour_now),
                }
            })
            .collect();
        let yesterday_line = (0..24)
            .map(|i| (slot * (i as f64 + 0.5), y(yesterday(i))))
            .collect();
        HourlyChart {
            bars,
            yesterday_line,
            scale,
        }
    }
}

/// The next phase and when it begins, if one is still to come.
pub fn next_phase(phases: &Phases, now: Millis) -> Option<(Phase, Millis)> {
    let current = phases.at(now);
    [
        phases.nomination_start,
        phases.review_start,
        phases.voting_start,
        phases.voting_end,
        phases.ceremony_at,
    ]
    .into_iter()
    .filter(|at| *at > now)
    .map(|at| (phases.at(at), at))
    .find(|(phase, _)| *phase != current)
}

/// The stations still to report: a station has reported when it has a
/// sheet and every sheet is definitive. `sheets` holds each station's
/// sheets' "definitive" flags, by station name, in the order to list them.
pub fn stations_waiting(stations: &[(String, Vec<bool>)]) -> Vec<String> {
    stations
        .iter()
        .filter(|(_, sheets)| sheets.is_empty() || sheets.iter().any(|definitive| !definitive))
        .map(|(name, _)| name.clone())
        .collect()
}

/// One hour's bar: online at the bottom, paper stacked on it.
#[derive(Debug, Clone, PartialEq)]
pub struct HourBar {
    pub hour: u8,
    pub x: f64,
    pub width: f64,
    pub online_y: f64,
    pub online_height: f64,
    pub paper_y: f64,
    pub paper_height: f64,
    pub online: u64,
    pub paper: u64,
    /// Later today: drawn as an empty slot.
    pub to_come: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HourlyChart {
    pub bars: Vec<HourBar>,
    /// Yesterday's votes per hour, as a line through each hour's middle.
    pub yesterday_line: Vec<(f64, f64)>,
    /// The count at the chart's top (a round number above the highest hour).
    pub scale: u64,
}

/// The smallest of 1, 2, 5 × 10ⁿ at or above `n`: an axis top people read.
pub fn nice_ceiling(n: u64) -> u64 {
    let mut step = 1u64;
    loop {
        for k in [1, 2, 5] {
            if k * step >= n {
                return k * step;
            }
        }
        step = step.saturating_mul(10);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-12-07 14:30 in Shanghai.
    fn afternoon() -> Millis {
        Millis::from_shanghai(2026, 12, 7, 14, 30)
    }

    fn epoch_hour(m: Millis) -> i64 {
        m.0 / HOUR_MS
    }

    #[test]
    fn counts_fall_into_shanghai_hours_of_today_and_yesterday() {
        let now = afternoon();
        let rows = vec![
            (epoch_hour(Millis::from_shanghai(2026, 12, 7, 0, 10)), 5),
            (epoch_hour(Millis::from_shanghai(2026, 12, 7, 14, 0)), 7),
            (epoch_hour(Millis::from_shanghai(2026, 12, 6, 23, 59)), 3),
            (epoch_hour(Millis::from_shanghai(2026, 12, 6, 0, 0)), 2),
            // The day before yesterday, and tomorrow: not on the chart.
            (epoch_hour(Millis::from_shanghai(2026, 12, 5, 23, 0)), 100),
            (epoch_hour(Millis::from_shanghai(2026, 12, 8, 1, 0)), 100),
        ];
        let (today, yesterday) = by_shanghai_hour(&rows, now);
        assert_eq!((today[0], today[14]), (5, 7));
        assert_eq!(today.iter().sum::<u64>(), 12);
        assert_eq!((yesterday[23], yesterday[0]), (3, 2));
        assert_eq!(yesterday.iter().sum::<u64>(), 5);
        assert_eq!(hour_now(now), 14);
        assert_eq!(
            since_yesterday(now),
            Millis::from_shanghai(2026, 12, 6, 0, 0)
        );
    }

    #[test]
    fn today_is_compared_with_yesterday_up_to_the_same_hour() {
        let now = afternoon();
        let h = |d, hour| epoch_hour(Millis::from_shanghai(2026, 12, d, hour, 0));
        let hourly = Hourly::new(
            &[(h(7, 9), 40), (h(6, 9), 30), (h(6, 20), 90)],
            &[(h(7, 13), 12)],
            now,
        );
        assert_eq!(hourly.total_today(), 52);
        assert_eq!(
            hourly.yesterday_by_now(),
            30,
            "yesterday's 20:00 has not come today"
        );
    }

    #[test]
    fn the_chart_stacks_paper_on_online_and_leaves_later_hours_empty() {
        let now = afternoon();
        let h = |hour| epoch_hour(Millis::from_shanghai(2026, 12, 7, hour, 0));
        let hourly = Hourly::new(&[(h(10), 30)], &[(h(10), 10)], now);
        let chart = hourly.chart(480, 100);
        assert_eq!(chart.scale, 50);
        let bar = &chart.bars[10];
        assert!((bar.online_height - 60.0).abs() < 1e-9, "{bar:?}");
        assert!((bar.paper_height - 20.0).abs() < 1e-9, "{bar:?}");
        assert!((bar.paper_y - 20.0).abs() < 1e-9, "paper sits on online");
        assert!(!chart.bars[14].to_come && chart.bars[15].to_come);
        assert_eq!(chart.yesterday_line.len(), 24);
        assert!(chart
            .yesterday_line
            .iter()
            .all(|(_, y)| (*y - 100.0).abs() < 1e-9));
    }

    #[test]
    fn the_next_phase_is_the_next_boundary_that_changes_the_phase() {
        let d = |n| Millis::from_shanghai(2026, 12, n, 9, 0);
        let phases = Phases::new(d(1), d(3), d(5), d(10), d(14), d(15)).unwrap();
        assert_eq!(
            next_phase(&phases, d(6)),
            Some((Phase::PublicNotice, d(10)))
        );
        assert_eq!(next_phase(&phases, d(2)), Some((Phase::Review, d(3))));
        assert_eq!(next_phase(&phases, d(11)), Some((Phase::Ceremony, d(15))));
        assert_eq!(next_phase(&phases, d(20)), None);
    }

    #[test]
    fn a_station_reports_when_it_has_sheets_all_definitive() {
        let stations = vec![
            ("凤联".to_string(), vec![true, true]),
            ("长白".to_string(), vec![true, false]),
            ("殷行".to_string(), vec![]),
        ];
        assert_eq!(stations_waiting(&stations), vec!["长白", "殷行"]);
    }

    #[test]
    fn axis_tops_are_round() {
        let tops: Vec<u64> = [0, 1, 3, 7, 10, 11, 240, 5001].map(nice_ceiling).to_vec();
        assert_eq!(tops, vec![1, 1, 5, 10, 10, 20, 500, 10000]);
    }
}
