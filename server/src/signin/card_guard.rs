//! Failed ballot-card sign-ins, counted per client address. A card code has
//! 31^10 possibilities, so guessing one is hopeless, but trying is noise in
//! the logs and load on the writer: an address with too many failures in an
//! hour is held back for a while, whatever it types.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::ttl_cache::Memo;

pub struct CardGuard {
    failures: DefaultKeyedRateLimiter<IpAddr>,
    held: Memo<IpAddr, ()>,
    hold: Duration,
}

impl CardGuard {
    /// At most `per_hour` failures an hour from one address; past that it is
    /// held back for `hold`.
    pub fn new(per_hour: u32, hold: Duration) -> Self {
        let quota = Quota::per_hour(NonZeroU32::new(per_hour.max(1)).unwrap_or(NonZeroU32::MIN));
        CardGuard {
            failures: RateLimiter::keyed(quota),
            held: Memo::new(hold, 100_000),
            hold,
        }
    }

    /// Seconds this address must still wait, if it is held back.
    pub fn held(&self, from: IpAddr) -> Option<i64> {
        self.held.get(&from).map(|_| self.hold.as_secs() as i64)
    }

    /// Counts a failure; the one past the allowance holds the address back.
    pub fn failed(&self, from: IpAddr) {
        if self.failures.check_key(&from).is_err() {
            tracing::warn!(address = %from, "ballot card sign-ins held back: too many wrong codes");
            self.held.put(from, ());
        }
    }

    /// Forgets addresses back to a full allowance (the holds expire by
    /// themselves).
    pub fn prune(&self) {
        self.failures.retain_recent();
        self.failures.shrink_to_fit();
    }
}

impl Default for CardGuard {
    fn default() -> Self {
        CardGuard::new(20, Duration::from_secs(15 * 60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_past_its_failures_is_held_back() {
        let guard = CardGuard::new(3, Duration::from_secs(60));
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..3 {
            assert_eq!(guard.held(a), None);
            guard.failed(a);
        }
        assert_eq!(guard.held(a), None, "three failures are allowed");
        guard.failed(a);
        assert_eq!(guard.held(a), Some(60));
        assert_eq!(guard.held("10.0.0.2".parse().unwrap()), None);
        guard.prune();
        assert_eq!(guard.held(a), Some(60), "pruning keeps a hold");
    }
}
