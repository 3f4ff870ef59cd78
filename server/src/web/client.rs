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

/// Which `X-Forwarded-For` hops the operator trusts: those their own proxies
/// wrote. Everything left of them the client could have written itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TrustedProxies {
    /// The socket peer is the client; the header is ignored.
    #[default]
    None,
    /// This many proxies stand in front, each appending the address it saw.
    Hops(usize),
    /// Proxies are the hosts in these networks.
    Networks(Vec<ipnet::IpNet>),
}

impl TrustedProxies {
    /// `ALLEYVOTE_TRUSTED_PROXIES`: empty, a count (`1`), or addresses and
    /// networks separated by commas (`10.0.0.0/8, 127.0.0.1`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() || text == "0" {
            return Ok(TrustedProxies::None);
        }
        if let Ok(hops) = text.parse::<usize>() {
            return Ok(TrustedProxies::Hops(hops));
        }
        let mut networks = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let net = part
                .parse::<ipnet::IpNet>()
                .or_else(|_| part.parse::<IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| format!("`{part}` is neither an address nor a network"))?;
            networks.push(net);
        }
        Ok(TrustedProxies::Networks(networks))
    }

    /// Whether a connection's peer is one of the operator's proxies: with a
    /// count, every peer is (the proxies stand in front of the app); with
    /// networks, a peer in them.
    pub fn is_proxy(&self, peer: IpAddr) -> bool {
        match self {
            TrustedProxies::None => false,
            TrustedProxies::Hops(_) => true,
            TrustedProxies::Networks(_) => self.trusts(peer),
        }
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        match self {
            TrustedProxies::Networks(nets) => nets.iter().any(|n| n.contains(&canonical(ip))),
            _ => false,
        }
    }
}

/// An IPv4 address written as IPv6 (`::ffff:1.2.3.4`) is the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// The network that counts as one client for limits and address hashes: the
/// IPv4 address itself, or the IPv6 address's `/prefix` (64 by default: one
/// household or phone gets a whole /64, 2^64 "addresses").
pub fn client_network(ip: IpAddr, v6_prefix: u8) -> IpAddr {
    match canonical(ip) {
        IpAddr::V6(v6) => {
            let bits = u128::from(v6);
            let prefix = u32::from(v6_prefix.min(128));
            let mask = u128::MAX.checked_shl(128 - prefix).unwrap_or(0);
            IpAddr::V6(std::net::Ipv6Addr::from(bits & mask))
        }
        v4 => v4,
    }
}

/// The client's address: the right-most address the operator's proxies did
/// not write, or the socket peer when no proxy is trusted; grouped into its
/// network ([`client_network`]).
pub fn client_ip(web: &WebConfig, headers: &HeaderMap, peer: SocketAddr) -> IpAddr {
    client_network(
        forwarded_client(&web.trusted_proxies, headers, peer.ip()),
        web.ipv6_prefix,
    )
}

fn forwarded_client(trusted: &TrustedProxies, headers: &HeaderMap, peer: IpAddr) -> IpAddr {
    if *trusted == TrustedProxies::None {
        return peer;
    }
    // Every X-Forwarded-For line, in order, as one list of hops.
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .collect();
    match trusted {
        TrustedProxies::None => peer,
        TrustedProxies::Hops(n) => {
            // The n-th hop from the right was written by the outermost of our
            // proxies: the address that proxy saw. Fewer hops than proxies is
            // a misconfiguration; the peer is then all that is certain.
            let Some(i) = hops.len().checked_sub(*n) else {
                return peer;
            };
            hops[i].parse().unwrap_or(peer)
        }
        TrustedProxies::Networks(_) => {
            if !trusted.trusts(peer) {
                return peer;
            }
            let mut client = peer;
            for hop in hops.iter().rev() {
                match hop.parse::<IpAddr>() {
                    Ok(ip) => {
                        client = ip;
                        if !trusted.trusts(ip) {
                            break;
                        }
                    }
                    // Written by whoever stood left of our proxies: the last
                    // address a trusted proxy vouched for stands.
                    Err(_) => break,
                }
            }
            client
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn web(trusted: &str) -> WebConfig {
        WebConfig {
            trusted_proxies: TrustedProxies::parse(trusted).unwrap(),
            ipv6_prefix: 64,
            ..WebConfig::default()
        }
    }

    fn ip(trusted: &str, forwarded: &[&str], peer: &str) -> String {
        let mut headers = HeaderMap::new();
        for f in forwarded {
            headers.append("x-forwarded-for", HeaderValue::from_str(f).unwrap());
        }
        let peer: IpAddr = peer.parse().unwrap();
        client_ip(&web(trusted), &headers, SocketAddr::new(peer, 1)).to_string()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        assert_eq!(ip("", &["1.1.1.1"], "9.9.9.9"), "9.9.9.9");
    }

    #[test]
    fn behind_one_proxy_the_right_most_hop_is_the_client() {
        // The client sent a forged header; the proxy appended what it saw.
        assert_eq!(ip("1", &["6.6.6.6, 5.5.5.5"], "10.0.0.2"), "5.5.5.5");
        assert_eq!(ip("1", &["6.6.6.6", "5.5.5.5"], "10.0.0.2"), "5.5.5.5");
        assert_eq!(
            ip("2", &["6.6.6.6, 5.5.5.5, 10.0.0.7"], "10.0.0.2"),
            "5.5.5.5"
        );
        // Fewer hops than proxies: only the peer is certain.
        assert_eq!(ip("2", &["5.5.5.5"], "10.0.0.2"), "10.0.0.2");
        assert_eq!(ip("1", &[], "10.0.0.2"), "10.0.0.2");
        assert_eq!(ip("1", &["garbage"], "10.0.0.2"), "10.0.0.2");
    }

    #[test]
    fn trusted_networks_are_walked_from_the_right() {
        let nets = "10.0.0.0/8, 192.168.1.1";
        assert_eq!(
            ip(nets, &["6.6.6.6, 5.5.5.5, 10.1.2.3"], "192.168.1.1"),
            "5.5.5.5"
        );
        // A peer outside the networks is the client, whatever it claims.
        assert_eq!(ip(nets, &["5.5.5.5"], "7.7.7.7"), "7.7.7.7");
        // Garbage left of the trusted hops: the last vouched-for address.
        assert_eq!(ip(nets, &["nonsense, 10.1.2.3"], "192.168.1.1"), "10.1.2.3");
    }

    #[test]
    fn a_peer_is_a_proxy_when_the_operator_says_so() {
        let peer = |s: &str| s.parse::<IpAddr>().unwrap();
        let proxies = |s: &str| TrustedProxies::parse(s).unwrap();
        assert!(!proxies("").is_proxy(peer("10.0.0.2")));
        // A count: every peer is one of the proxies in front.
        assert!(proxies("1").is_proxy(peer("10.0.0.2")));
        let nets = proxies("10.0.0.0/8, 192.168.1.1");
        assert!(nets.is_proxy(peer("10.1.2.3")));
        assert!(nets.is_proxy(peer("::ffff:192.168.1.1")));
        assert!(!nets.is_proxy(peer("192.168.1.2")));
    }

    #[test]
    fn ipv6_clients_are_grouped_by_their_prefix() {
        assert_eq!(ip("", &[], "2001:db8:1:2:aaaa::1"), "2001:db8:1:2::");
        assert_eq!(ip("", &[], "2001:db8:1:2:ffff::9"), "2001:db8:1:2::");
        assert_eq!(ip("", &[], "::ffff:1.2.3.4"), "1.2.3.4");
        assert_eq!(
            client_network("2001:db8::1".parse().unwrap(), 128).to_string(),
            "2001:db8::1"
        );
        assert_eq!(
            client_network("2001:db8:ab:cd::1".parse().unwrap(), 48).to_string(),
            "2001:db8:ab::"
        );
    }

    #[test]
    fn the_setting_names_what_it_cannot_read() {
        assert_eq!(TrustedProxies::parse(" ").unwrap(), TrustedProxies::None);
        assert_eq!(TrustedProxies::parse("2").unwrap(), TrustedProxies::Hops(2));
        let err = TrustedProxies::parse("10.0.0.0/8, proxy.local").unwrap_err();
        assert!(err.contains("proxy.local"), "{err}");
    }
}
