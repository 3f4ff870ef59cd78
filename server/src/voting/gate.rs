//! The first filter in front of the vote writer: request rates per network
//! address, per device and per voter, and a dedup pre-check that turns away a
//! vote Redis already knows the voter cannot cast. With Redis every instance
//! shares it, in one round trip per vote; without Redis, or while it is down,
//! the rates fall back to in-process limits and the dedup to the database.
//! It is only a filter: the database decides every vote that gets past it.
//!
//! Keys carry hash tags (`{…}`), so each script call touches one Redis Cluster
//! slot: the address's, the device's, or the voter's.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use alleyvote_domain::{CampaignId, NomineeId, ShanghaiDay, VoteRefusal, VoteRules, VoterId};
use redis::Script;

use super::ballot::Counted;
use crate::cache::shared::gcra_lua;
use crate::cache::RedisHandle;
use crate::limits::{RateConfig, RateLimits, RetryAfter};

/// GCRA over one key, then (when a day key is given) the dedup pre-check.
/// KEYS[1] rate key, KEYS[2] optional voter-day hash.
/// ARGV: emission interval ms, burst, nominee field, per-nominee limit, per-day limit.
/// Returns {retry_after_ms, refusal}: refusal 0 none, 1 already voted, 2 quota used.
const GATE_LUA: &str = concat!(
    gcra_lua!(),
    r"
if wait > 0 then return {wait, 0} end
if KEYS[2] then
  local held = redis.call('HMGET', KEYS[2], ARGV[3], 'all')
  if tonumber(held[1] or 0) >= tonumber(ARGV[4]) then return {0, 1} end
  if tonumber(held[2] or 0) >= tonumber(ARGV[5]) then return {0, 2} end
end
return {0, 0}
"
);

/// How long a voter-day's dedup record lives: past the day's end in any case.
const DAY_KEY_TTL_S: i64 = 2 * 86_400;

/// Who is asking, as far as the rates care.
#[derive(Debug, Clone)]
pub struct Requester {
    pub ip: IpAddr,
    /// A hash of the device cookie, if the request carried one.
    pub device: Option<String>,
}

/// What the vote is for, as far as the dedup pre-check cares.
#[derive(Debug, Clone, Copy)]
pub struct Intent {
    pub campaign: CampaignId,
    pub voter: VoterId,
    /// The Shanghai day by this instance's clock; `None` near midnight, when
    /// instances may disagree on it: the database alone then judges dedup.
    pub day: Option<ShanghaiDay>,
    /// The nominee by id (numbers can change during a day; ids do not),
    /// if this instance knows the number; unknown, the database judges.
    pub nominee: Option<NomineeId>,
    pub rules: VoteRules,
    /// A request with an idempotency key may be a retry that must get its
    /// first answer, so only the database may judge it.
    pub keyed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Limited(RetryAfter),
    Refused(VoteRefusal),
}

pub struct Gate {
    local: Arc<RateLimits>,
    rates: RateConfig,
    redis: Option<RedisHandle>,
    script: Script,
    /// The database's installation key: voter and campaign ids are only
    /// unique within one database, so every key names it.
    namespace: String,
}

fn rate_key(namespace: &str, tag: &str) -> String {
    format!("av:{namespace}:{{{tag}}}:rate")
}

/// A voter-day's counts, by nominee id (`:ids`: the keys of before, by
/// number, are never read again).
fn day_key(namespace: &str, i: &Intent, day: ShanghaiDay) -> String {
    format!(
        "av:{namespace}:{{v{}}}:c{}:d{}:ids",
        i.voter.0, i.campaign.0, day.0
    )
}

fn emission_ms(per_minute: u32) -> u64 {
    60_000 / u64::from(per_minute.max(1))
}

impl Gate {
    pub fn new(
        local: Arc<RateLimits>,
        rates: RateConfig,
        redis: Option<RedisHandle>,
        namespace: String,
    ) -> Self {
        Gate {
            local,
            rates,
            redis,
            script: Script::new(GATE_LUA),
            namespace,
        }
    }

    /// Checks the rates and the dedup pre-check for one vote.
    pub async fn check(&self, who: &Requester, intent: &Intent) -> Verdict {
        if let Some(redis) = &self.redis {
            if let Some(verdict) = self.check_shared(redis, who, intent).await {
                return verdict;
            }
        }
        self.check_local(who, intent)
    }

    /// In process, the address needs no second look: every write request's
    /// handler has checked it already.
    fn check_local(&self, who: &Requester, intent: &Intent) -> Verdict {
        let checks = [
            who.device
                .as_deref()
                .map_or(Ok(()), |d| self.local.check_device(d)),
            self.local.check_voter(intent.voter),
        ];
        match checks.into_iter().find_map(Result::err) {
            Some(retry) => Verdict::Limited(retry),
            None => Verdict::Pass,
        }
    }

    /// One pipelined round trip: the address's, the device's and the voter's
    /// script calls. `None` if Redis did not answer in time.
    async fn check_shared(
        &self,
        redis: &RedisHandle,
        who: &Requester,
        intent: &Intent,
    ) -> Option<Verdict> {
        let mut conn = redis.connection().await?;
        let mut pipe = redis::pipe();
        let mut calls = vec![
            (
                rate_key(&self.namespace, &format!("ip:{}", who.ip)),
                None,
                self.rates.per_ip_per_minute,
            ),
            (
                rate_key(&self.namespace, &format!("v{}", intent.voter.0)),
                intent
                    .day
                    .filter(|_| !intent.keyed && intent.nominee.is_some())
                    .map(|day| day_key(&self.namespace, intent, day)),
                self.rates.per_voter_per_minute,
            ),
        ];
        if let Some(device) = &who.device {
            calls.push((
                rate_key(&self.namespace, &format!("d:{device}")),
                None,
                self.rates.per_device_per_minute,
            ));
        }
        for (key, day, per_minute) in &calls {
            let mut call = self.script.prepare_invoke();
            call.key(key);
            if let Some(day) = day {
                call.key(day);
            }
            call.arg(emission_ms(*per_minute))
                .arg(per_minute.max(&1))
                .arg(intent.nominee.map_or(0, |n| n.0))
                .arg(intent.rules.per_nominee_per_day())
                .arg(intent.rules.votes_per_day());
            pipe.invoke_script(&call);
        }
        let answer: Result<Vec<(u64, u8)>, redis::RedisError> =
            match redis.timed(pipe.query_async(&mut conn)).await? {
                Err(e) if e.kind() == redis::ErrorKind::NoScriptError => {
                    // Redis restarted and forgot the script: load it, then ask again.
                    redis.timed(self.script.load_async(&mut conn)).await?.ok()?;
                    redis.timed(pipe.query_async(&mut conn)).await?
                }
                other => other,
            };
        let answers = match answer {
            Ok(a) => a,
            Err(e) => {
                tracing::warn!(error = %e, "Redis gate failed; checking in process");
                return None;
            }
        };
        for (retry_ms, refusal) in answers {
            if retry_ms > 0 {
                return Some(Verdict::Limited(RetryAfter(Duration::from_millis(
                    retry_ms,
                ))));
            }
            match refusal {
                1 => return Some(Verdict::Refused(VoteRefusal::AlreadyVoted)),
                2 => return Some(Verdict::Refused(VoteRefusal::DailyQuotaUsed)),
                _ => {}
            }
        }
        Some(Verdict::Pass)
    }

    /// Tells the shared pre-check about a committed vote, under the nominee
    /// and the day the database counted it for (not this instance's day: its
    /// clock may be a few seconds off at midnight). Best effort: if Redis
    /// misses it, the database still refuses what it must.
    pub async fn record(&self, intent: &Intent, counted: Counted) {
        let Some(redis) = &self.redis else { return };
        let Some(mut conn) = redis.connection().await else {
            return;
        };
        let key = day_key(&self.namespace, intent, counted.day);
        let mut pipe = redis::pipe();
        pipe.hincr(&key, counted.nominee.0, 1)
            .ignore()
            .hincr(&key, "all", 1)
            .ignore()
            .expire(&key, DAY_KEY_TTL_S)
            .ignore();
        if let Some(Err(e)) = redis.timed(pipe.query_async::<()>(&mut conn)).await {
            tracing::debug!(error = %e, "could not record a vote in Redis");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_share_a_hash_tag_per_owner() {
        let intent = Intent {
            campaign: CampaignId(3),
            voter: VoterId(42),
            day: Some(ShanghaiDay(20_000)),
            nominee: Some(NomineeId(7)),
            rules: VoteRules::new(10, 1).unwrap(),
            keyed: false,
        };
        assert_eq!(rate_key("k1", "v42"), "av:k1:{v42}:rate");
        assert_eq!(
            day_key("k1", &intent, ShanghaiDay(20_000)),
            "av:k1:{v42}:c3:d20000:ids"
        );
        assert_eq!(emission_ms(600), 100);
        assert_eq!(emission_ms(0), 60_000);
    }
}
