//! Configuration from environment variables, optionally preloaded from a file.
//!
//! Every variable is listed in docs/configuration.md with its default. With nothing set
//! the server runs the embedded default: SQLite under `data/`, in-process
//! rate limiting, secrets generated once and kept under `data/`.

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use crate::keys::{redact_url, Secret};
pub use crate::signin::sms::HttpGateway;
pub use crate::store::DatabaseUrl;
pub use crate::voting::writer::WriteMode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} is not valid: {1}")]
    Invalid(&'static str, String),
    #[error("ALLEYVOTE_ENV=production needs these set explicitly: {}", .0.join(", "))]
    MissingInProduction(Vec<&'static str>),
    #[error("ALLEYVOTE_ENV=production refuses {0}: {1}")]
    RefusedInProduction(&'static str, &'static str),
    #[error("cannot read or write {0}: {1}")]
    Io(PathBuf, std::io::Error),
}

/// The shortest `ALLEYVOTE_HEALTH_TOKEN`: guessing it must not be a pastime.
const MIN_HEALTH_TOKEN: usize = 16;

#[derive(Debug, Clone)]
pub struct Config {
    pub environment: Environment,
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    pub database: DatabaseUrl,
    /// PostgreSQL connections this instance holds at most (`ALLEYVOTE_DB_POOL`).
    pub db_pool: u32,
    pub redis_url: Option<Secret>,
    /// Signs sessions and cookies.
    pub secret_key: Secret,
    /// Keys the hash that identifies a voter by phone number or ballot code.
    pub phone_hash_key: Secret,
    /// Keys the audit log's hash chain (`ALLEYVOTE_AUDIT_KEY`, else made
    /// from the secret key). Never stored in the database.
    pub audit_key: crate::audit::AuditKey,
    /// Asks `/healthz` for its details (`ALLEYVOTE_HEALTH_TOKEN`, sent as
    /// a bearer token); without it only an organizer's session does.
    pub health_token: Option<Secret>,
    /// Load the demo campaign at start-up (idempotent).
    pub demo_data: bool,
    /// How far the demo campaign is taken (`ALLEYVOTE_DEMO_STAGE`).
    pub demo_stage: crate::demo::ceremony::DemoStage,
    /// The address residents reach the site at, for share links and QR codes.
    pub public_url: Option<String>,
    /// Which campaign the public pages show; the latest by voting start if unset.
    pub campaign: Option<String>,
    /// Nominations (and supports) per resident per campaign
    /// (`ALLEYVOTE_NOMINATIONS_PER_RESIDENT`, 3).
    pub nominations_per_resident: u32,
    /// How often each instance re-reads the tally to catch votes other instances took.
    pub results_poll: Duration,
    /// How long in-flight requests get to finish after SIGTERM.
    pub shutdown_grace: Duration,
    pub log_json: bool,
    /// Where the `log` SMS sender appends each message (JSON lines).
    pub sms_outbox: PathBuf,
    /// The `http` sender's gateway; `None` means the `log` sender.
    pub sms_gateway: Option<HttpGateway>,
    pub sms_limits: alleyvote_domain::signin::SmsLimits,
    pub session_ttl: Duration,
    pub rates: crate::limits::RateConfig,
    /// How votes are written; the backend's default (group commit) if `None`.
    pub vote_write_mode: Option<WriteMode>,
    /// The longest a vote request waits for its answer (`ALLEYVOTE_VOTE_WAIT_MS`,
    /// 10 s): then 503 with `Retry-After`, never a hang.
    pub vote_wait: Duration,
    /// This instance's clock, and the database's as votes are decided by it:
    /// the system's. Tests skew them; the environment cannot.
    pub clock: crate::clock::Clock,
    pub database_clock: crate::clock::Clock,
    /// The proxies whose `X-Forwarded-For` hops are believed
    /// (`ALLEYVOTE_TRUSTED_PROXIES`: a count, or addresses and networks).
    pub trusted_proxies: crate::web::client::TrustedProxies,
    /// IPv6 clients count as one per this prefix (`ALLEYVOTE_IPV6_PREFIX`, 64).
    pub ipv6_prefix: u8,
    /// Connection, request and stream limits.
    pub serve: crate::web::serve::ServeLimits,
    /// How long personal and security records are kept (`ALLEYVOTE_KEEP_*_DAYS`).
    pub retention: crate::retention::RetentionPolicy,
    /// Where cargo-leptos put the compiled site (wasm, js, css).
    pub site_root: String,
    pub output_name: String,
}

/// A source of variables: the process environment over an optional file.
pub struct Vars(HashMap<String, String>);

impl Vars {
    /// Reads `ALLEYVOTE_CONFIG_FILE` (lines `KEY=VALUE`, `#` comments) if set,
    /// then lets the real environment override it.
    pub fn from_env() -> Result<Self, ConfigError> {
        let mut map = HashMap::new();
        if let Ok(file) = std::env::var("ALLEYVOTE_CONFIG_FILE") {
            let path = PathBuf::from(file);
            let text =
                std::fs::read_to_string(&path).map_err(|e| ConfigError::Io(path.clone(), e))?;
            map.extend(parse_env_file(&text));
        }
        map.extend(std::env::vars());
        Ok(Vars(map))
    }

    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Vars(
            pairs
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }

    fn parse<T: std::str::FromStr>(&self, key: &'static str, default: T) -> Result<T, ConfigError>
    where
        T::Err: fmt::Display,
    {
        match self.get(key) {
            Some(v) => v
                .trim()
                .parse()
                .map_err(|e: T::Err| ConfigError::Invalid(key, e.to_string())),
            None => Ok(default),
        }
    }

    fn flag(&self, key: &'static str, default: bool) -> Result<bool, ConfigError> {
        match self.get(key).map(|v| v.trim().to_ascii_lowercase()) {
            None => Ok(default),
            Some(v) if ["1", "true", "yes", "on"].contains(&v.as_str()) => Ok(true),
            Some(v) if ["0", "false", "no", "off"].contains(&v.as_str()) => Ok(false),
            Some(v) => Err(ConfigError::Invalid(
                key,
                format!("{v:?} is not true/false"),
            )),
        }
    }
}

fn parse_env_file(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().trim_matches('"').to_string()))
        .collect()
}

impl Config {
    pub fn load(vars: &Vars) -> Result<Self, ConfigError> {
        let environment = match vars.get("ALLEYVOTE_ENV").map(str::trim) {
            None | Some("development") | Some("dev") => Environment::Development,
            Some("production") | Some("prod") => Environment::Production,
            Some(other) => {
                return Err(ConfigError::Invalid(
                    "ALLEYVOTE_ENV",
                    format!("{other:?}: use development or production"),
                ))
            }
        };
        let production = environment == Environment::Production;
        if production {
            let missing: Vec<&'static str> = [
                "DATABASE_URL",
                "ALLEYVOTE_SECRET_KEY",
                "ALLEYVOTE_PHONE_HASH_KEY",
                "ALLEYVOTE_PUBLIC_URL",
            ]
            .into_iter()
            .filter(|k| vars.get(k).is_none())
            .collect();
            if !missing.is_empty() {
                return Err(ConfigError::MissingInProduction(missing));
            }
        }
        let data_dir = PathBuf::from(vars.get("ALLEYVOTE_DATA_DIR").unwrap_or("data"));
        let database = match vars.get("DATABASE_URL") {
            Some(url) => DatabaseUrl::parse(url.trim())
                .map_err(|why| ConfigError::Invalid("DATABASE_URL", why.into()))?,
            None => DatabaseUrl::Sqlite(data_dir.join("alleyvote.db")),
        };
        let addr_text = vars
            .get("ALLEYVOTE_ADDR")
            .or_else(|| vars.get("LEPTOS_SITE_ADDR"))
            .unwrap_or("127.0.0.1:3000");
        let addr = addr_text
            .trim()
            .parse()
            .map_err(|e: std::net::AddrParseError| {
                ConfigError::Invalid("ALLEYVOTE_ADDR", e.to_string())
            })?;
        let secret_key = match vars.get("ALLEYVOTE_SECRET_KEY") {
            Some(k) => checked_key("ALLEYVOTE_SECRET_KEY", k)?,
            None => generated_key(&data_dir, "secret_key")?,
        };
        let phone_hash_key = match vars.get("ALLEYVOTE_PHONE_HASH_KEY") {
            Some(k) => checked_key("ALLEYVOTE_PHONE_HASH_KEY", k)?,
            None => generated_key(&data_dir, "phone_hash_key")?,
        };
        let demo_data = vars.flag("ALLEYVOTE_DEMO_DATA", !production)?;
        let sms_gateway = sms_gateway(vars)?;
        if production && demo_data {
            return Err(ConfigError::RefusedInProduction(
                "ALLEYVOTE_DEMO_DATA=true",
                "it creates the demo console login, whose password is public",
            ));
        }
        if production && sms_gateway.is_none() {
            return Err(ConfigError::RefusedInProduction(
                "the `log` SMS sender",
                "it writes sign-in codes to a file; set ALLEYVOTE_SMS_SENDER=http and its gateway",
            ));
        }
        let public_url = match vars.get("ALLEYVOTE_PUBLIC_URL").map(str::trim) {
            Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
                Some(url.trim_end_matches('/').to_string())
            }
            Some(other) => {
                return Err(ConfigError::Invalid(
                    "ALLEYVOTE_PUBLIC_URL",
                    format!("{other:?}: the site's address, https://…"),
                ))
            }
            None => None,
        };
        let audit_key = crate::audit::AuditKey::derive(
            match vars.get("ALLEYVOTE_AUDIT_KEY") {
                Some(k) => checked_key("ALLEYVOTE_AUDIT_KEY", k)?,
                None => secret_key.clone(),
            }
            .expose(),
        );
        let health_token = match vars.get("ALLEYVOTE_HEALTH_TOKEN").map(str::trim) {
            None | Some("") => None,
            Some(t) if t.chars().count() >= MIN_HEALTH_TOKEN => Some(Secret::new(t)),
            Some(_) => {
                return Err(ConfigError::Invalid(
                    "ALLEYVOTE_HEALTH_TOKEN",
                    format!("at least {MIN_HEALTH_TOKEN} characters"),
                ))
            }
        };
        Ok(Config {
            environment,
            addr,
            audit_key,
            health_token,
            database,
            db_pool: vars
                .parse("ALLEYVOTE_DB_POOL", crate::store::DEFAULT_POOL)?
                .clamp(2, 1_000),
            redis_url: vars.get("REDIS_URL").map(|u| Secret::new(u.trim())),
            secret_key,
            phone_hash_key,
            demo_data,
            demo_stage: match vars.get("ALLEYVOTE_DEMO_STAGE") {
                None => crate::demo::ceremony::DemoStage::Voting,
                Some(s) => {
                    crate::demo::ceremony::DemoStage::parse(s).ok_or(ConfigError::Invalid(
                        "ALLEYVOTE_DEMO_STAGE",
                        "voting, nomination or notice".into(),
                    ))?
                }
            },
            public_url,
            campaign: vars.get("ALLEYVOTE_CAMPAIGN").map(|s| s.trim().to_string()),
            nominations_per_resident: vars
                .parse("ALLEYVOTE_NOMINATIONS_PER_RESIDENT", 3u32)?
                .clamp(1, 100),
            results_poll: Duration::from_millis(
                vars.parse("ALLEYVOTE_RESULTS_POLL_MS", 500u64)?.max(50),
            ),
            shutdown_grace: Duration::from_secs(vars.parse("ALLEYVOTE_SHUTDOWN_GRACE_S", 20u64)?),
            log_json: vars.flag("ALLEYVOTE_LOG_JSON", production)?,
            sms_outbox: sms_outbox(vars, &data_dir),
            sms_gateway,
            sms_limits: sms_limits(vars)?,
            rates: {
                let d = crate::limits::RateConfig::default();
                crate::limits::RateConfig {
                    per_ip_per_minute: vars
                        .parse("ALLEYVOTE_RATE_IP_PER_MIN", d.per_ip_per_minute)?,
                    per_voter_per_minute: vars
                        .parse("ALLEYVOTE_RATE_VOTER_PER_MIN", d.per_voter_per_minute)?,
                    per_device_per_minute: vars
                        .parse("ALLEYVOTE_RATE_DEVICE_PER_MIN", d.per_device_per_minute)?,
                    codes_per_device_per_hour: vars.parse(
                        "ALLEYVOTE_SMS_PER_DEVICE_PER_HOUR",
                        d.codes_per_device_per_hour,
                    )?,
                }
            },
            vote_write_mode: vote_write_mode(vars)?,
            vote_wait: Duration::from_millis(
                vars.parse("ALLEYVOTE_VOTE_WAIT_MS", 10_000u64)?
                    .clamp(100, 120_000),
            ),
            session_ttl: Duration::from_secs(vars.parse("ALLEYVOTE_SESSION_DAYS", 7u64)? * 86_400),
            clock: crate::clock::Clock::SYSTEM,
            database_clock: crate::clock::Clock::SYSTEM,
            trusted_proxies: trusted_proxies(vars)?,
            ipv6_prefix: vars.parse("ALLEYVOTE_IPV6_PREFIX", 64u8)?.clamp(32, 128),
            serve: serve_limits(vars)?,
            retention: {
                let d = crate::retention::RetentionPolicy::default();
                crate::retention::RetentionPolicy {
                    sms_codes_days: vars
                        .parse("ALLEYVOTE_KEEP_SMS_CODES_DAYS", d.sms_codes_days)?,
                    expired_sessions_days: vars.parse(
                        "ALLEYVOTE_KEEP_EXPIRED_SESSIONS_DAYS",
                        d.expired_sessions_days,
                    )?,
                    login_attempts_days: vars
                        .parse("ALLEYVOTE_KEEP_LOGIN_ATTEMPTS_DAYS", d.login_attempts_days)?,
                    request_answers_days: vars.parse(
                        "ALLEYVOTE_KEEP_REQUEST_ANSWERS_DAYS",
                        d.request_answers_days,
                    )?,
                    after_notice_days: vars
                        .parse("ALLEYVOTE_KEEP_AFTER_NOTICE_DAYS", d.after_notice_days)?,
                }
            },
            site_root: vars
                .get("LEPTOS_SITE_ROOT")
                .unwrap_or("target/site")
                .to_string(),
            output_name: vars
                .get("LEPTOS_OUTPUT_NAME")
                .unwrap_or("alleyvote")
                .to_string(),
            data_dir,
        })
    }

    pub fn is_production(&self) -> bool {
        self.environment == Environment::Production
    }
}

/// The `log` sender's outbox (always known, so demos can point at it).
fn sms_outbox(vars: &Vars, data_dir: &Path) -> PathBuf {
    vars.get("ALLEYVOTE_SMS_OUTBOX")
        .map(PathBuf::from)
        .unwrap_or_else(|| data_dir.join("sms-outbox.jsonl"))
}

/// `ALLEYVOTE_SMS_SENDER=log` (the default) or `http`, which posts to
/// `ALLEYVOTE_SMS_HTTP_URL` with an optional bearer `ALLEYVOTE_SMS_HTTP_TOKEN`.
fn sms_gateway(vars: &Vars) -> Result<Option<HttpGateway>, ConfigError> {
    match vars.get("ALLEYVOTE_SMS_SENDER").map(str::trim) {
        None | Some("log") => Ok(None),
        Some("http") => {
            let url = vars
                .get("ALLEYVOTE_SMS_HTTP_URL")
                .map(str::trim)
                .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
                .ok_or_else(|| {
                    ConfigError::Invalid(
                        "ALLEYVOTE_SMS_HTTP_URL",
                        "the http sender needs the gateway's http(s):// URL".into(),
                    )
                })?;
            Ok(Some(HttpGateway {
                url: url.to_string(),
                token: vars
                    .get("ALLEYVOTE_SMS_HTTP_TOKEN")
                    .map(|t| Secret::new(t.trim())),
                timeout: Duration::from_millis(
                    vars.parse("ALLEYVOTE_SMS_HTTP_TIMEOUT_MS", 5_000u64)?
                        .max(100),
                ),
                retries: vars.parse("ALLEYVOTE_SMS_HTTP_RETRIES", 2u32)?.min(10),
            }))
        }
        Some(other) => Err(ConfigError::Invalid(
            "ALLEYVOTE_SMS_SENDER",
            format!("{other:?}: use `log` or `http`"),
        )),
    }
}

/// `ALLEYVOTE_VOTE_WRITE=batched` (group commit, the default) or `single`
/// (one transaction per request: the naive baseline the benchmark compares
/// against), with `ALLEYVOTE_VOTE_WRITERS` and `ALLEYVOTE_VOTE_BATCH_MAX`.
fn vote_write_mode(vars: &Vars) -> Result<Option<WriteMode>, ConfigError> {
    let mode = vars.get("ALLEYVOTE_VOTE_WRITE").map(str::trim);
    let writers: Option<usize> = vars
        .get("ALLEYVOTE_VOTE_WRITERS")
        .map(|_| vars.parse("ALLEYVOTE_VOTE_WRITERS", 1usize))
        .transpose()?;
    let max_batch: usize = vars.parse("ALLEYVOTE_VOTE_BATCH_MAX", 512usize)?;
    match (mode, writers) {
        (Some("single"), _) => Ok(Some(WriteMode::Single)),
        (None | Some("batched"), Some(writers)) => Ok(Some(WriteMode::Batched {
            writers: writers.clamp(1, 64),
            max_batch: max_batch.clamp(1, 10_000),
        })),
        (None | Some("batched"), None) => Ok(None),
        (Some(other), _) => Err(ConfigError::Invalid(
            "ALLEYVOTE_VOTE_WRITE",
            format!("{other:?}: use `batched` or `single`"),
        )),
    }
}

fn serve_limits(vars: &Vars) -> Result<crate::web::serve::ServeLimits, ConfigError> {
    let d = crate::web::serve::ServeLimits::default();
    let secs = |name, default: Duration| -> Result<Duration, ConfigError> {
        Ok(Duration::from_millis(
            vars.parse(name, default.as_millis() as u64)?.max(100),
        ))
    };
    Ok(crate::web::serve::ServeLimits {
        max_connections: vars
            .parse("ALLEYVOTE_MAX_CONNECTIONS", d.max_connections)?
            .max(1),
        max_connections_per_address: vars
            .parse(
                "ALLEYVOTE_MAX_CONNECTIONS_PER_ADDRESS",
                d.max_connections_per_address,
            )?
            .max(1),
        header_read: secs("ALLEYVOTE_HEADER_TIMEOUT_MS", d.header_read)?,
        request: secs("ALLEYVOTE_REQUEST_TIMEOUT_MS", d.request)?,
        write: secs("ALLEYVOTE_WRITE_TIMEOUT_MS", d.write)?,
        streams_per_address: vars
            .parse("ALLEYVOTE_STREAMS_PER_ADDRESS", d.streams_per_address)?
            .max(1),
        streams_from_socket: vars.flag("ALLEYVOTE_STREAMS_FROM_SOCKET", d.streams_from_socket)?,
    })
}

/// `ALLEYVOTE_TRUSTED_PROXIES` (a count, or addresses and networks); the
/// older `ALLEYVOTE_TRUST_FORWARDED=true` still means one proxy.
fn trusted_proxies(vars: &Vars) -> Result<crate::web::client::TrustedProxies, ConfigError> {
    use crate::web::client::TrustedProxies;
    match vars.get("ALLEYVOTE_TRUSTED_PROXIES") {
        Some(text) => TrustedProxies::parse(text)
            .map_err(|e| ConfigError::Invalid("ALLEYVOTE_TRUSTED_PROXIES", e)),
        None if vars.flag("ALLEYVOTE_TRUST_FORWARDED", false)? => Ok(TrustedProxies::Hops(1)),
        None => Ok(TrustedProxies::None),
    }
}

fn sms_limits(vars: &Vars) -> Result<alleyvote_domain::signin::SmsLimits, ConfigError> {
    let d = alleyvote_domain::signin::SmsLimits::default();
    Ok(alleyvote_domain::signin::SmsLimits {
        code_ttl_ms: vars.parse("ALLEYVOTE_SMS_CODE_TTL_S", d.code_ttl_ms / 1000)? * 1000,
        max_attempts: vars.parse("ALLEYVOTE_SMS_MAX_ATTEMPTS", d.max_attempts)?,
        wrong_ceiling_per_day: vars.parse(
            "ALLEYVOTE_SMS_WRONG_CEILING_PER_DAY",
            d.wrong_ceiling_per_day,
        )?,
        resend_cooldown_ms: vars.parse("ALLEYVOTE_SMS_COOLDOWN_S", d.resend_cooldown_ms / 1000)?
            * 1000,
        per_number_per_day: vars.parse("ALLEYVOTE_SMS_PER_NUMBER_PER_DAY", d.per_number_per_day)?,
        number_ceiling_per_day: vars.parse(
            "ALLEYVOTE_SMS_NUMBER_CEILING_PER_DAY",
            d.number_ceiling_per_day,
        )?,
        per_ip_per_hour: vars.parse("ALLEYVOTE_SMS_PER_IP_PER_HOUR", d.per_ip_per_hour)?,
        challenge_after_per_number: vars.parse(
            "ALLEYVOTE_SMS_CHALLENGE_AFTER_PER_NUMBER",
            d.challenge_after_per_number,
        )?,
        challenge_after_per_address: vars.parse(
            "ALLEYVOTE_SMS_CHALLENGE_AFTER_PER_ADDRESS",
            d.challenge_after_per_address,
        )?,
    })
}

fn checked_key(name: &'static str, value: &str) -> Result<Secret, ConfigError> {
    if value.trim().len() < 32 {
        return Err(ConfigError::Invalid(
            name,
            "must be at least 32 characters".into(),
        ));
    }
    Ok(Secret::new(value.trim()))
}

/// A key generated on first start and kept in `data_dir`, so restarts keep
/// sessions and voter hashes stable. Development only: production refuses to
/// start without explicit keys.
fn generated_key(data_dir: &Path, name: &str) -> Result<Secret, ConfigError> {
    let path = data_dir.join(name);
    match std::fs::read_to_string(&path) {
        Ok(k) if k.trim().len() >= 32 => return Ok(Secret::new(k.trim())),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(ConfigError::Io(path, e)),
    }
    std::fs::create_dir_all(data_dir).map_err(|e| ConfigError::Io(data_dir.to_path_buf(), e))?;
    let key = hex::encode(rand::random::<[u8; 32]>());
    write_private(&path, &key).map_err(|e| ConfigError::Io(path.clone(), e))?;
    Ok(Secret::new(key))
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(contents.as_bytes())
}

/// How the store is opened, as configured (the settings live here, so the
/// store knows nothing of the configuration).
impl crate::store::StoreSettings {
    pub fn of(config: &Config) -> Self {
        crate::store::StoreSettings {
            pool: config.db_pool,
            audit_key: config.audit_key.clone(),
            clock: config.database_clock,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("alleyvote-config-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn defaults_to_sqlite_under_data_with_generated_keys_that_persist() {
        let dir = temp_dir();
        let d = dir.to_str().unwrap();
        let vars = Vars::from_pairs([("ALLEYVOTE_DATA_DIR", d)]);
        let first = Config::load(&vars).unwrap();
        assert_eq!(
            first.database,
            DatabaseUrl::Sqlite(dir.join("alleyvote.db"))
        );
        assert_eq!(first.addr.to_string(), "127.0.0.1:3000");
        assert!(first.demo_data);
        assert!(first.redis_url.is_none());
        let again = Config::load(&vars).unwrap();
        assert_eq!(first.secret_key, again.secret_key);
        assert_eq!(first.phone_hash_key, again.phone_hash_key);
        assert_ne!(first.secret_key, first.phone_hash_key);
    }

    #[test]
    fn production_names_every_missing_secret() {
        let err = Config::load(&Vars::from_pairs([("ALLEYVOTE_ENV", "production")])).unwrap_err();
        let text = err.to_string();
        for key in [
            "DATABASE_URL",
            "ALLEYVOTE_SECRET_KEY",
            "ALLEYVOTE_PHONE_HASH_KEY",
            "ALLEYVOTE_PUBLIC_URL",
        ] {
            assert!(text.contains(key), "{text}");
        }
    }

    fn production(extra: &[(&'static str, &'static str)]) -> Result<Config, ConfigError> {
        let key: &'static str = "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk";
        let mut pairs = vec![
            ("ALLEYVOTE_ENV", "production"),
            ("DATABASE_URL", "postgres://app:hunter2@db/alleyvote"),
            ("ALLEYVOTE_SECRET_KEY", key),
            ("ALLEYVOTE_PHONE_HASH_KEY", key),
            ("ALLEYVOTE_PUBLIC_URL", "https://vote.example.cn/"),
            ("ALLEYVOTE_SMS_SENDER", "http"),
            ("ALLEYVOTE_SMS_HTTP_URL", "https://sms.example.cn/send"),
        ];
        pairs.extend_from_slice(extra);
        Config::load(&Vars::from_pairs(pairs))
    }

    #[test]
    fn production_refuses_the_demo_and_the_log_sender_saying_why() {
        let err = production(&[("ALLEYVOTE_DEMO_DATA", "true")]).unwrap_err();
        assert!(err.to_string().contains("ALLEYVOTE_DEMO_DATA"), "{err}");
        assert!(err.to_string().contains("password is public"), "{err}");
        let err = production(&[("ALLEYVOTE_SMS_SENDER", "log")]).unwrap_err();
        assert!(err.to_string().contains("`log` SMS sender"), "{err}");
        let err = production(&[("ALLEYVOTE_PUBLIC_URL", "vote.example.cn")]).unwrap_err();
        assert!(err.to_string().contains("ALLEYVOTE_PUBLIC_URL"), "{err}");
        let ok = production(&[]).unwrap();
        assert_eq!(ok.public_url.as_deref(), Some("https://vote.example.cn"));
    }

    #[test]
    fn production_starts_with_explicit_secrets() {
        let c = production(&[]).unwrap();
        assert!(c.is_production());
        assert!(!c.demo_data);
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[test]
    fn database_urls_print_without_passwords() {
        let url = DatabaseUrl::parse("postgres://app:s3cret@db.internal:5432/alleyvote").unwrap();
        assert_eq!(
            url.redacted(),
            "postgres://app:***@db.internal:5432/alleyvote"
        );
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1/x"),
            "postgres://postgres@127.0.0.1/x"
        );
        assert_eq!(redact_url("redis://:pw@r:6379"), "redis://:***@r:6379");
        assert!(DatabaseUrl::parse("mysql://x").is_err());
    }

    #[test]
    fn bad_values_name_the_variable() {
        let err = Config::load(&Vars::from_pairs([
            ("ALLEYVOTE_ADDR", "nowhere"),
            ("ALLEYVOTE_DATA_DIR", temp_dir().to_str().unwrap()),
        ]))
        .unwrap_err();
        assert!(err.to_string().contains("ALLEYVOTE_ADDR"), "{err}");
    }

    #[test]
    fn a_health_token_is_long_or_absent() {
        let dir = temp_dir();
        let d = dir.to_str().unwrap();
        let load = |t: &str| {
            Config::load(&Vars::from_pairs([
                ("ALLEYVOTE_DATA_DIR", d),
                ("ALLEYVOTE_HEALTH_TOKEN", t),
            ]))
        };
        let err = load("short").unwrap_err();
        assert!(err.to_string().contains("ALLEYVOTE_HEALTH_TOKEN"), "{err}");
        assert!(load("").unwrap().health_token.is_none());
        let c = load(" a-token-of-enough-length ").unwrap();
        assert_eq!(
            c.health_token.as_ref().map(Secret::expose),
            Some("a-token-of-enough-length")
        );
    }

    #[test]
    fn unknown_sms_senders_are_refused() {
        let dir = temp_dir();
        let vars = Vars::from_pairs([
            ("ALLEYVOTE_DATA_DIR", dir.to_str().unwrap()),
            ("ALLEYVOTE_SMS_SENDER", "carrier-pigeon"),
        ]);
        let err = Config::load(&vars).unwrap_err();
        assert!(err.to_string().contains("ALLEYVOTE_SMS_SENDER"), "{err}");
        let vars = Vars::from_pairs([
            ("ALLEYVOTE_DATA_DIR", dir.to_str().unwrap()),
            ("ALLEYVOTE_SMS_SENDER", "http"),
        ]);
        let err = Config::load(&vars).unwrap_err();
        assert!(err.to_string().contains("ALLEYVOTE_SMS_HTTP_URL"), "{err}");
        let vars = Vars::from_pairs([
            ("ALLEYVOTE_DATA_DIR", dir.to_str().unwrap()),
            ("ALLEYVOTE_SMS_SENDER", "http"),
            ("ALLEYVOTE_SMS_HTTP_URL", "https://sms.example.cn/send"),
            ("ALLEYVOTE_VOTE_WRITE", "single"),
        ]);
        let config = Config::load(&vars).unwrap();
        assert_eq!(
            config.sms_gateway.unwrap().url,
            "https://sms.example.cn/send"
        );
        assert_eq!(config.vote_write_mode, Some(WriteMode::Single));
    }

    #[test]
    fn env_file_lines_parse() {
        let parsed = parse_env_file("# comment\nA=1\n\nB = \"two\"\nnot a pair\n");
        assert_eq!(
            parsed,
            vec![("A".into(), "1".into()), ("B".into(), "two".into())]
        );
    }
}
