//! Limits every instance shares through Redis, when there is one: a rate per
//! key (GCRA, as the vote gate's) and "only the first use" of a one-time
//! token. Each call falls back to the instance's own state when Redis is not
//! configured or does not answer in time, so a Redis outage loosens the
//! limits to per instance and never blocks a request.

use std::time::Duration;

use redis::Script;

use super::RedisHandle;

/// How long to wait before the next request would be allowed (the limits
/// answer it; it lives here, below them, because the shared state does too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub Duration);

impl RetryAfter {
    /// Whole seconds, at least one, as `Retry-After` wants them.
    pub fn seconds(self) -> i64 {
        (self.0.as_millis() as i64 + 999).div_euclid(1000).max(1)
    }
}

/// GCRA over KEYS[1], as Lua: ARGV[1] emission interval (ms), ARGV[2]
/// burst. Leaves `wait`: the milliseconds to wait, 0 if allowed (and then
/// counted). The vote gate's script begins with it too.
// A macro because `concat!` takes literals, not consts.
macro_rules! gcra_lua {
    () => {
        r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local emission = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local new_tat = tat + emission
local wait = new_tat - emission * burst - now
if wait <= 0 then
  wait = 0
  redis.call('SET', KEYS[1], new_tat, 'PX', math.max(1, new_tat - now))
end
"
    };
}
pub(crate) use gcra_lua;

/// Returns the milliseconds to wait, 0 if allowed.
const RATE_LUA: &str = concat!(gcra_lua!(), "return wait\n");

/// Redis for the limits, namespaced by the database's installation key (a
/// Redis shared by several installations or test databases never mixes them).
#[derive(Clone)]
pub struct SharedState {
    redis: Option<RedisHandle>,
    namespace: String,
    script: Script,
}

impl SharedState {
    pub fn new(redis: Option<RedisHandle>, namespace: String) -> Self {
        SharedState {
            redis,
            namespace,
            script: Script::new(RATE_LUA),
        }
    }

    /// No Redis: every call answers `None` (the caller's own state decides).
    pub fn none() -> Self {
        SharedState::new(None, String::new())
    }

    fn key(&self, what: &str) -> String {
        format!("av:{}:{{{what}}}", self.namespace)
    }

    /// `per` requests per `period` under `key`, shared by every instance;
    /// `None` without Redis or when it did not answer.
    pub async fn rate(
        &self,
        key: &str,
        per: u32,
        period: Duration,
    ) -> Option<Result<(), RetryAfter>> {
        let redis = self.redis.as_ref()?;
        let mut conn = redis.connection().await?;
        let emission = (period.as_millis() as u64 / u64::from(per.max(1))).max(1);
        let mut call = self.script.prepare_invoke();
        call.key(self.key(key)).arg(emission).arg(per.max(1));
        let answer = match redis.timed(call.invoke_async::<u64>(&mut conn)).await? {
            Err(e) if e.kind() == redis::ErrorKind::NoScriptError => {
                redis.timed(self.script.load_async(&mut conn)).await?.ok()?;
                redis.timed(call.invoke_async::<u64>(&mut conn)).await?
            }
            other => other,
        };
        match answer {
            Ok(0) => Some(Ok(())),
            Ok(wait_ms) => Some(Err(RetryAfter(Duration::from_millis(wait_ms)))),
            Err(e) => {
                tracing::warn!(error = %e, "a shared rate failed; checking in process");
                None
            }
        }
    }

    /// Whether this is the first use of `token` (kept for `ttl`), across
    /// every instance; `None` without Redis or when it did not answer.
    pub async fn first_use(&self, token: &str, ttl: Duration) -> Option<bool> {
        let redis = self.redis.as_ref()?;
        let mut conn = redis.connection().await?;
        let mut set = redis::cmd("SET");
        set.arg(self.key(&format!("once:{token}")))
            .arg(1)
            .arg("NX")
            .arg("PX")
            .arg(ttl.as_millis().max(1) as u64);
        match redis
            .timed(set.query_async::<Option<String>>(&mut conn))
            .await?
        {
            Ok(set) => Some(set.is_some()),
            Err(e) => {
                tracing::warn!(error = %e, "a one-time token check failed; checking in process");
                None
            }
        }
    }
}
