//! Request-rate limits, in process (governor's keyed GCRA: tens of
//! nanoseconds a check). Per network address, so one machine cannot flood;
//! per voter, so one account cannot hammer the vote endpoint from many
//! addresses. The quotas themselves (votes per day) are the database's job;
//! these only keep the request rate sane.

use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use alleyvote_domain::VoterId;

pub use crate::cache::shared::RetryAfter;
use crate::cache::shared::SharedState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateConfig {
    /// Write requests per minute from one network address. Generous: a
    /// community centre's Wi-Fi puts many residents behind one address.
    pub per_ip_per_minute: u32,
    /// Votes per minute by one voter.
    pub per_voter_per_minute: u32,
    /// Votes per minute from one device (the `av_device` cookie): a shared
    /// phone at a polling station stays usable, a script on one does not.
    pub per_device_per_minute: u32,
    /// Sign-in codes one device may ask for in an hour (for any numbers): a
    /// family shares a phone, a script asking for strangers' codes does not.
    pub codes_per_device_per_hour: u32,
}

impl Default for RateConfig {
    fn default() -> Self {
        RateConfig {
            per_ip_per_minute: 600,
            per_voter_per_minute: 30,
            per_device_per_minute: 60,
            codes_per_device_per_hour: 10,
        }
    }
}

pub struct RateLimits {
    config: RateConfig,
    /// Where the sign-in code cap per device is shared across instances.
    shared: SharedState,
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    per_voter: DefaultKeyedRateLimiter<i64>,
    per_device: DefaultKeyedRateLimiter<String>,
    /// Sign-in codes asked for from one device, whatever the numbers.
    codes_per_device: DefaultKeyedRateLimiter<String>,
}

fn quota(per_minute: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN))
}

fn check<K: Hash + Eq + Clone>(
    limiter: &DefaultKeyedRateLimiter<K>,
    key: &K,
) -> Result<(), RetryAfter> {
    limiter
        .check_key(key)
        .map_err(|not_until| RetryAfter(not_until.wait_time_from(DefaultClock::default().now())))
}

impl RateLimits {
    pub fn new(config: RateConfig) -> Self {
        Self::shared_through(config, SharedState::none())
    }

    /// The limits, with the per-device code cap shared through Redis.
    pub fn shared_through(config: RateConfig, shared: SharedState) -> Self {
        RateLimits {
            config,
            shared,
            per_ip: RateLimiter::keyed(quota(config.per_ip_per_minute)),
            per_voter: RateLimiter::keyed(quota(config.per_voter_per_minute)),
            per_device: RateLimiter::keyed(quota(config.per_device_per_minute)),
            codes_per_device: RateLimiter::keyed(Quota::per_hour(
                NonZeroU32::new(config.codes_per_device_per_hour.max(1)).unwrap_or(NonZeroU32::MIN),
            )),
        }
    }

    pub fn check_ip(&self, ip: IpAddr) -> Result<(), RetryAfter> {
        check(&self.per_ip, &ip)
    }

    pub fn check_voter(&self, voter: VoterId) -> Result<(), RetryAfter> {
        check(&self.per_voter, &voter.0)
    }

    pub fn check_device(&self, device: &str) -> Result<(), RetryAfter> {
        check(&self.per_device, &device.to_string())
    }

    /// One more sign-in code asked for from this device: counted by every
    /// instance together when Redis answers, else by this one.
    pub async fn check_device_codes(&self, device: &str) -> Result<(), RetryAfter> {
        let key = format!("codes:d:{device}");
        let shared = self.shared.rate(
            &key,
            self.config.codes_per_device_per_hour,
            Duration::from_secs(3600),
        );
        match shared.await {
            Some(verdict) => verdict,
            None => check(&self.codes_per_device, &device.to_string()),
        }
    }

    /// Forgets keys that are back to a full allowance, so memory does not
    /// grow with every address ever seen.
    pub fn prune(&self) {
        self.per_ip.retain_recent();
        self.per_voter.retain_recent();
        self.per_device.retain_recent();
        self.codes_per_device.retain_recent();
        self.codes_per_device.shrink_to_fit();
        self.per_ip.shrink_to_fit();
        self.per_device.shrink_to_fit();
        self.per_voter.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_burst_beyond_the_quota_is_told_when_to_retry() {
        let limits = RateLimits::new(RateConfig {
            per_ip_per_minute: 3,
            per_voter_per_minute: 2,
            per_device_per_minute: 1,
            codes_per_device_per_hour: 10,
        });
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..3 {
            assert!(limits.check_ip(ip).is_ok());
        }
        let retry = limits.check_ip(ip).unwrap_err();
        assert!((1..=20).contains(&retry.seconds()), "{retry:?}");
        assert!(
            limits.check_ip("10.0.0.2".parse().unwrap()).is_ok(),
            "other addresses are unaffected"
        );
        assert!(limits.check_voter(VoterId(1)).is_ok());
        assert!(limits.check_voter(VoterId(1)).is_ok());
        assert!(limits.check_voter(VoterId(1)).is_err());
        assert!(limits.check_device("phone-a").is_ok());
        assert!(limits.check_device("phone-a").is_err());
        assert!(limits.check_device("phone-b").is_ok());
        for _ in 0..10 {
            assert!(limits.check_device_codes("phone-a").await.is_ok());
        }
        let retry = limits.check_device_codes("phone-a").await.unwrap_err();
        assert!(retry.seconds() > 60, "an hour's allowance: {retry:?}");
        assert!(limits.check_device_codes("phone-b").await.is_ok());
        limits.prune();
    }
}
