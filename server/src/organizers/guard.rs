//! What stands before a console password check. Argon2 costs about 19 MiB
//! and tens of milliseconds a check, so an unguarded login form is a way to
//! exhaust the server's memory. Three fences, all before any hashing: a
//! rate per client address and a rate for the whole site (shared by every
//! instance through Redis when there is one), and a cap on the checks
//! running at once on this instance (about one per core). The per-account
//! failure count, kept in the database, comes after them.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use argon2::{Argon2, PasswordHash, PasswordVerifier};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::sync::Semaphore;

use crate::cache::shared::SharedState;
use crate::limits::RetryAfter;

#[derive(Debug, Clone, Copy)]
pub struct GuardPolicy {
    /// Login attempts per minute from one client address.
    pub per_address_per_minute: u32,
    /// Login attempts per minute from anyone (on the whole site when Redis
    /// is shared, else on this instance).
    pub per_minute: u32,
    /// Password checks running at once.
    pub concurrent_checks: usize,
    /// How long an attempt waits for a free check before it is turned away.
    pub wait: Duration,
}

impl Default for GuardPolicy {
    fn default() -> Self {
        GuardPolicy {
            per_address_per_minute: 10,
            per_minute: 120,
            concurrent_checks: std::thread::available_parallelism().map_or(2, |n| n.get()),
            wait: Duration::from_secs(5),
        }
    }
}

pub struct LoginGuard {
    policy: GuardPolicy,
    shared: SharedState,
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    global: DefaultDirectRateLimiter,
    checks: Semaphore,
    wait: Duration,
    checked: AtomicU64,
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN))
}

fn retry_after(not_until: governor::NotUntil<governor::clock::QuantaInstant>) -> RetryAfter {
    RetryAfter(not_until.wait_time_from(DefaultClock::default().now()))
}

impl LoginGuard {
    pub fn new(policy: GuardPolicy) -> Self {
        Self::shared_through(policy, SharedState::none())
    }

    /// The guard, with its rates shared through Redis.
    pub fn shared_through(policy: GuardPolicy, shared: SharedState) -> Self {
        LoginGuard {
            policy,
            shared,
            per_address: RateLimiter::keyed(per_minute(policy.per_address_per_minute)),
            global: RateLimiter::direct(per_minute(policy.per_minute)),
            checks: Semaphore::new(policy.concurrent_checks.max(1)),
            wait: policy.wait,
            checked: AtomicU64::new(0),
        }
    }

    /// Whether an attempt from this address may go on at all.
    pub async fn admit(&self, from: IpAddr) -> Result<(), RetryAfter> {
        let minute = Duration::from_secs(60);
        let shared = self
            .shared
            .rate(
                &format!("login:a:{from}"),
                self.policy.per_address_per_minute,
                minute,
            )
            .await;
        match shared {
            Some(verdict) => verdict?,
            None => self.per_address.check_key(&from).map_err(retry_after)?,
        }
        match self
            .shared
            .rate("login:all", self.policy.per_minute, minute)
            .await
        {
            Some(verdict) => verdict,
            None => self.global.check().map_err(retry_after),
        }
    }

    /// Checks a password against its hash on the blocking pool, never more
    /// at once than the cap; `None` if no check came free in time.
    pub async fn password_matches(&self, hash: String, password: String) -> Option<bool> {
        let permit = tokio::time::timeout(self.wait, self.checks.acquire())
            .await
            .ok()?
            .ok()?;
        self.checked.fetch_add(1, Ordering::Relaxed);
        let matched = tokio::task::spawn_blocking(move || {
            PasswordHash::new(&hash)
                .map(|parsed| {
                    Argon2::default()
                        .verify_password(password.as_bytes(), &parsed)
                        .is_ok()
                })
                .unwrap_or(false)
        })
        .await
        .unwrap_or(false);
        drop(permit);
        Some(matched)
    }

    /// The fences' settings.
    pub fn policy(&self) -> GuardPolicy {
        self.policy
    }

    /// Password checks done since start.
    pub fn password_checks(&self) -> u64 {
        self.checked.load(Ordering::Relaxed)
    }

    /// Forgets addresses back to a full allowance.
    pub fn prune(&self) {
        self.per_address.retain_recent();
        self.per_address.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_address_and_the_instance_each_have_a_rate() {
        let guard = LoginGuard::new(GuardPolicy {
            per_address_per_minute: 2,
            per_minute: 3,
            ..GuardPolicy::default()
        });
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        assert!(guard.admit(a).await.is_ok());
        assert!(guard.admit(a).await.is_ok());
        assert!(guard.admit(a).await.is_err(), "the address's rate");
        assert!(guard.admit(b).await.is_ok());
        let refused = guard.admit("10.0.0.3".parse().unwrap()).await.unwrap_err();
        assert!(refused.seconds() >= 1, "the instance's rate: {refused:?}");
    }

    #[tokio::test]
    async fn no_more_checks_run_at_once_than_the_cap() {
        let guard = std::sync::Arc::new(LoginGuard::new(GuardPolicy {
            concurrent_checks: 1,
            wait: Duration::from_millis(1),
            ..GuardPolicy::default()
        }));
        // The one permit is taken: a check waits its time, then gives up.
        let held = guard.checks.acquire().await.unwrap();
        assert_eq!(guard.password_matches("x".into(), "y".into()).await, None);
        drop(held);
        assert_eq!(
            guard
                .password_matches("not a hash".into(), "y".into())
                .await,
            Some(false)
        );
        assert_eq!(guard.password_checks(), 1);
    }
}
