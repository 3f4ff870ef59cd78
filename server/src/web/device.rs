//! The device cookie: a random id a browser keeps for a year, so the vote
//! rates can count per device as well as per address and per voter. Apps
//! without cookies may send the same kind of id as `X-Device-Id`.

use axum::extract::{Request, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};

use super::{cookies, WebConfig};

/// The device a request came from, as a short hash fit for a rate-limit key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceId(pub String);

/// 128 random bits, hex: the only shape accepted back.
fn well_formed(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

fn presented(headers: &HeaderMap) -> Option<String> {
    cookies::read(headers, cookies::DEVICE)
        .or_else(|| {
            headers
                .get("x-device-id")
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_string())
        })
        .filter(|id| well_formed(id))
}

fn key_of(id: &str) -> DeviceId {
    DeviceId(hex::encode(&Sha256::digest(id.as_bytes())[..12]))
}

/// Gives every request a `DeviceId`, and a browser without the cookie a new one.
pub async fn ensure_device(State(web): State<WebConfig>, mut req: Request, next: Next) -> Response {
    let (id, fresh) = match presented(req.headers()) {
        Some(id) => (id, false),
        None => (hex::encode(rand::random::<[u8; 16]>()), true),
    };
    req.extensions_mut().insert(key_of(&id));
    let mut response = next.run(req).await;
    if fresh {
        let cookie = cookies::header(&cookies::device(&web, &id));
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header::COOKIE;

    #[test]
    fn only_well_formed_ids_are_taken_back() {
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            "lang=en; av_device=0123456789abcdef0123456789abcdef"
                .parse()
                .unwrap(),
        );
        assert_eq!(
            presented(&headers).as_deref(),
            Some("0123456789abcdef0123456789abcdef")
        );
        headers.insert(COOKIE, "av_device=../../etc".parse().unwrap());
        assert_eq!(presented(&headers), None);
        assert_eq!(key_of("a").0.len(), 24);
        assert_ne!(key_of("a"), key_of("b"));
    }
}
