//! The clocks the server reads. In production both are the system's. A test
//! gives instances clocks that disagree, as real machines' do, and sets the
//! database's clock to the moment it needs (a Shanghai midnight, the close of
//! voting); the environment cannot set either.

use alleyvote_domain::Millis;

/// A clock: the system's, or the system's moved by a fixed amount.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Clock {
    skew_ms: i64,
}

impl Clock {
    /// The system's clock.
    pub const SYSTEM: Clock = Clock { skew_ms: 0 };

    /// The system's clock, `ms` ahead (or behind, if negative).
    pub fn skewed_by(ms: i64) -> Self {
        Clock { skew_ms: ms }
    }

    pub fn now(self) -> Millis {
        self.read(Millis::now())
    }

    /// Another clock's reading (the database's), moved as this clock is.
    pub fn read(self, reading: Millis) -> Millis {
        reading.plus_ms(self.skew_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_skewed_clock_reads_ahead_by_its_skew() {
        assert_eq!(Clock::SYSTEM.read(Millis(1_000)), Millis(1_000));
        assert_eq!(Clock::skewed_by(-250).read(Millis(1_000)), Millis(750));
        let (before, ahead) = (Millis::now(), Clock::skewed_by(60_000).now());
        assert!(ahead.0 - before.0 >= 60_000);
    }
}
