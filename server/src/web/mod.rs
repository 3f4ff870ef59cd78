//! The web kit every capability's handlers stand on: cookies, the client's
//! address and language, redirects and the mapping of refusals and failures
//! to responses. It knows no capability; the router above mounts them.

pub mod client;
pub mod cookies;
pub mod device;
pub mod error;
pub mod multipart;
pub mod number;
pub mod readers;
pub mod redirect;
pub mod serve;
pub mod shield;
pub mod socket_routes;
pub mod static_files;
pub mod write_deadline;

use tokio::sync::watch;

/// What anyone typed, fit for a log line: control characters and quotes
/// escaped (no forged lines), and at most `LOGGED_CHARS` characters.
pub fn loggable(typed: &str) -> String {
    let escaped: String = typed.escape_debug().take(LOGGED_CHARS).collect();
    if typed.escape_debug().nth(LOGGED_CHARS).is_some() {
        format!("{escaped}…")
    } else {
        escaped
    }
}

const LOGGED_CHARS: usize = 120;

/// Paths whose next segment is a credential (a consent link's token): it
/// never reaches a log line or a span. Sign-in and ballot card codes travel
/// in bodies and queries, which are never logged.
const SECRET_SEGMENT_AFTER: &[&str] = &["/consent/"];

/// A request's path fit for a log line: [`loggable`], with any credential
/// in it replaced by `…`.
pub fn loggable_path(path: &str) -> String {
    for prefix in SECRET_SEGMENT_AFTER {
        if let Some(rest) = path.strip_prefix(prefix) {
            let tail = rest.find('/').map_or("", |i| &rest[i..]);
            return loggable(&format!("{prefix}…{tail}"));
        }
    }
    loggable(path)
}

#[cfg(test)]
mod tests {
    #[test]
    fn typed_text_cannot_forge_log_lines_or_flood_them() {
        assert_eq!(super::loggable("admin"), "admin");
        assert_eq!(super::loggable("a\nINFO forged"), "a\\nINFO forged");
        assert_eq!(super::loggable("a\u{1b}[31m"), "a\\u{1b}[31m");
        let long = super::loggable(&"x".repeat(10_000));
        assert_eq!(super::loggable_path("/consent/3fa9c0d2e1"), "/consent/…");
        assert_eq!(
            super::loggable_path("/consent/3fa9c0d2e1/extra"),
            "/consent/…/extra"
        );
        assert_eq!(super::loggable_path("/nominees/12"), "/nominees/12");
        assert_eq!(long.chars().count(), super::LOGGED_CHARS + 1);
    }
}

/// What the web layer needs to know about its deployment.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// The proxies whose `X-Forwarded-For` hops are believed.
    pub trusted_proxies: client::TrustedProxies,
    /// IPv6 clients count as one per this prefix (64).
    pub ipv6_prefix: u8,
    /// Connection, request and stream limits.
    pub serve: serve::ServeLimits,
    /// Signs the device ids the per-device limits trust.
    pub device_key: device::DeviceKey,
    /// Mark cookies `Secure` (production, behind HTTPS).
    pub secure_cookies: bool,
    /// The site's public address for share links; taken from the request's host if `None`.
    pub public_url: Option<String>,
    /// Asks `/healthz` for its details, as a bearer token.
    pub health_token: Option<crate::keys::Secret>,
}

/// Flips to `true` when the server begins to shut down; long-lived streams end then.
#[derive(Debug, Clone)]
pub struct Stopping(pub watch::Receiver<bool>);
