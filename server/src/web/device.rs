//! The device cookie: a random id a browser keeps for a year, so the vote
//! rates can count per device as well as per address and per voter. The id
//! travels with the server's signature (`<id>.<signature>`), and only a
//! signed id is believed: a script that makes up a new id per request gets a
//! fresh one from the server instead, and shares nothing with anyone. Apps
//! without cookies send the signed id they were given (the `X-Device-Id`
//! answer header) back as `X-Device-Id`.

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

/// Signs device ids (made from `ALLEYVOTE_SECRET_KEY`).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct DeviceKey([u8; 32]);

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DeviceKey(***)")
    }
}

impl DeviceKey {
    pub fn derive(secret: &str) -> Self {
        DeviceKey(crate::keys::derive(secret, "alleyvote device id key v1"))
    }

    fn signature(&self, id: &str) -> String {
        hex::encode(&crate::keys::hmac(&self.0, &[id.as_bytes()])[..12])
    }

    /// A new id with its signature.
    pub fn issue(&self) -> String {
        let id = hex::encode(rand::random::<[u8; 16]>());
        let signature = self.signature(&id);
        format!("{id}.{signature}")
    }

    /// The id inside a signed value, if the signature is this server's.
    pub fn verify<'a>(&self, signed: &'a str) -> Option<&'a str> {
        let (id, signature) = signed.split_once('.')?;
        let well_formed = id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit());
        let same = crate::keys::same(signature.as_bytes(), self.signature(id).as_bytes());
        (well_formed && same).then_some(id)
    }
}

fn presented(headers: &HeaderMap) -> Vec<String> {
    let header = headers
        .get("x-device-id")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_string());
    cookies::read(headers, cookies::DEVICE)
        .into_iter()
        .chain(header)
        .collect()
}

fn key_of(id: &str) -> DeviceId {
    DeviceId(hex::encode(&Sha256::digest(id.as_bytes())[..12]))
}

/// Gives every request for a page or the API a `DeviceId`, and a browser or
/// app without a signed id a new one (the cookie, and the `X-Device-Id`
/// answer header).
pub async fn ensure_device(State(web): State<WebConfig>, mut req: Request, next: Next) -> Response {
    // Probes and files need no device: they get no id, and cost no signing.
    let path = req.uri().path();
    if path == "/livez"
        || path == "/healthz"
        || path.starts_with("/pkg/")
        || path.starts_with("/photos/")
    {
        return next.run(req).await;
    }
    let known = presented(req.headers())
        .iter()
        .find_map(|value| web.device_key.verify(value).map(str::to_string));
    let (device, fresh) = match known {
        Some(id) => (key_of(&id), None),
        None => {
            // Until it comes back with the id it is given, a client without
            // one is its address: every request that never keeps the
            // cookie shares one device allowance per address, instead of
            // getting a new one each time.
            let peer = req
                .extensions()
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0)
                .unwrap_or_else(|| std::net::SocketAddr::from(([0, 0, 0, 0], 0)));
            let address = super::client::client_ip(&web, req.headers(), peer);
            (
                key_of(&format!("unsigned:{address}")),
                Some(web.device_key.issue()),
            )
        }
    };
    req.extensions_mut().insert(device);
    let mut response = next.run(req).await;
    if let Some(signed) = fresh {
        let cookie = cookies::header(&cookies::device(&web, &signed));
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(SET_COOKIE, value);
        }
        if let Ok(value) = HeaderValue::from_str(&signed) {
            response.headers_mut().insert("x-device-id", value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header::COOKIE;

    #[test]
    fn only_ids_this_server_signed_are_taken_back() {
        let key = DeviceKey::derive("a secret of more than thirty-two characters");
        let signed = key.issue();
        let id = key.verify(&signed).expect("its own id");
        assert_eq!(id.len(), 32);
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            format!("lang=en; av_device={signed}").parse().unwrap(),
        );
        assert_eq!(presented(&headers), vec![signed.clone()]);
        // Made up, or signed by another server, or tampered with: not believed.
        assert_eq!(key.verify("0123456789abcdef0123456789abcdef"), None);
        let other = DeviceKey::derive("another secret, also more than 32 chars");
        assert_eq!(key.verify(&other.issue()), None);
        // Another first digit (never the same one: that would be no tampering).
        let first = if signed.starts_with('0') { '1' } else { '0' };
        let tampered = format!("{first}{}", &signed[1..]);
        assert_eq!(key.verify(&tampered), None);
        assert_eq!(key.verify("../../etc.passwd"), None);
        assert_eq!(key_of("a").0.len(), 24);
        assert_ne!(key_of("a"), key_of("b"));
    }
}
