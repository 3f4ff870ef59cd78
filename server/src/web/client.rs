//! Who is asking: the client's address and language.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

use alleyvote_domain::Lang;
use axum::extract::{ConnectInfo, FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;

use super::WebConfig;

/// The client's address, as [`client_ip`] finds it.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub IpAddr);

impl<S> FromRequestParts<S> for ClientAddr
where
    S: Send + Sync,
    WebConfig: FromRef<S>,
{
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0)
            .unwrap_or_else(|| SocketAddr::from(([0, 0, 0, 0], 0)));
        Ok(ClientAddr(client_ip(
            &WebConfig::from_ref(state),
            &parts.headers,
            peer,
        )))
    }
}

/// The language an answer speaks, as [`request_lang`] finds it.
#[derive(Debug, Clone, Copy)]
pub struct RequestLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for RequestLang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(RequestLang(request_lang(&parts.headers)))
    }
}

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
