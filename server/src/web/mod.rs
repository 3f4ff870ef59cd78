//! The web kit every capability's handlers stand on: cookies, the client's
//! address and language, redirects and the mapping of refusals and failures
//! to responses. It knows no capability; the router above mounts them.

pub mod client;
pub mod cookies;
pub mod device;
pub mod error;
pub mod multipart;
pub mod redirect;
pub mod serve;
pub mod shield;

use tokio::sync::watch;

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
}

/// Flips to `true` when the server begins to shut down; long-lived streams end then.
#[derive(Debug, Clone)]
pub struct Stopping(pub watch::Receiver<bool>);
