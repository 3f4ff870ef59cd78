//! Who is asking: the client's address and language.

use std::net::{IpAddr, SocketAddr};

use alleyvote_domain::Lang;
use axum::http::HeaderMap;

use super::WebConfig;

/// The client's address: the socket peer, or the first `X-Forwarded-For`
/// hop when the operator says a trusted proxy sets it.
pub fn client_ip(web: &WebConfig, headers: &HeaderMap, peer: SocketAddr) -> IpAddr {
    if web.trust_forwarded {
        if let Some(ip) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok())
        {
            return ip;
        }
    }
    peer.ip()
}

/// The language an answer speaks: the `lang` cookie, then `Accept-Language`, then Chinese.
pub fn request_lang(headers: &HeaderMap) -> Lang {
    let cookies = headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok());
    let accept = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    Lang::from_headers(cookies, accept)
}
