//! Routes answered straight from the socket, beside hyper: the live streams.
//!
//! An open stream costs hyper a connection's buffers (8 KiB to read, 8 KiB
//! to write, kept for the connection's life) and a task around the whole
//! middleware stack, for as long as the reader watches: ten thousand phones
//! at the ceremony make that hundreds of megabytes. So the accept loop reads
//! each connection's request line itself. A `GET` of a path a [`SocketRoute`]
//! claims has its head parsed (with httparse, hyper's own parser) and is
//! then answered straight from the socket, holding nothing but the stream's
//! own state. Every other connection goes on to hyper with the bytes read so
//! far put back in front ([`Prefixed`]); so does anything unusual about a
//! claimed request (a body, a second request behind it, a head too long),
//! and hyper answers it as it always would.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::response::Response;
use futures::future::BoxFuture;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;

/// A route answered from the socket.
pub trait SocketRoute: Send + Sync + 'static {
    /// Whether a `GET` of this path (without its query) is answered here.
    fn claims(&self, path: &str) -> bool;
    /// Answers the request; the socket is the route's until it returns.
    fn serve(self: Arc<Self>, head: RequestHead, socket: TcpStream) -> BoxFuture<'static, ()>;
}

/// A claimed request, as read.
#[derive(Debug)]
pub struct RequestHead {
    /// The path, without the query.
    pub path: String,
    pub headers: HeaderMap,
    pub peer: SocketAddr,
}

/// Where a new connection goes.
pub enum Arrival {
    Socket(RequestHead, TcpStream),
    Hyper(Prefixed<TcpStream>),
    /// Closed, or too slow to say what it wants.
    Gone,
}

/// The longest request line looked at; a longer one goes to hyper (414).
const MAX_LINE: usize = 2 * 1024;
/// The longest head the accept loop reads for a socket route; a longer one goes to hyper (431).
const MAX_HEAD: usize = 8 * 1024;
const MAX_HEADERS: usize = 48;

/// Reads a new connection's first request head within `deadline`, and says
/// where it goes. Every first head is read here, claimed or not: hyper then
/// finds it whole, so a slow client gets one header deadline for its first
/// request, not the socket route's and then hyper's own.
pub async fn arrive(
    mut socket: TcpStream,
    peer: SocketAddr,
    route: &dyn SocketRoute,
    deadline: Duration,
) -> Arrival {
    let mut read = Vec::new();
    let to_route = tokio::time::timeout(deadline, async {
        // The request line.
        let line = loop {
            if let Some(end) = read.iter().position(|b| *b == b'\n') {
                break Some(end);
            }
            if read.len() >= MAX_LINE || !fill(&mut socket, &mut read).await {
                break None;
            }
        };
        let Some(end) = line else {
            return false;
        };
        let claimed = claimed_path(&read[..end], route);
        // The rest of the head, as far as httparse needs to see it whole;
        // anything odd (too long, malformed, cut short) is hyper's to answer.
        loop {
            match head_status(&read) {
                Ok(httparse::Status::Complete(_)) => return claimed,
                Ok(httparse::Status::Partial)
                    if read.len() < MAX_HEAD && fill(&mut socket, &mut read).await => {}
                _ => return false,
            }
        }
    })
    .await;
    match to_route {
        Ok(true) => match parse_head(&read, peer) {
            Some(head) => Arrival::Socket(head, socket),
            None => to_hyper(read, socket),
        },
        Ok(false) if !read.is_empty() => to_hyper(read, socket),
        _ => Arrival::Gone,
    }
}

fn head_status(read: &[u8]) -> httparse::Result<usize> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    httparse::Request::new(&mut headers).parse(read)
}

fn to_hyper(read: Vec<u8>, socket: TcpStream) -> Arrival {
    Arrival::Hyper(Prefixed::new(read, socket))
}

/// Reads what the socket has; `false` at its end (or on an error).
async fn fill(socket: &mut TcpStream, read: &mut Vec<u8>) -> bool {
    let mut chunk = [0u8; 1024];
    match socket.read(&mut chunk).await {
        Ok(0) | Err(_) => false,
        Ok(n) => {
            read.extend_from_slice(&chunk[..n]);
            true
        }
    }
}

/// Whether a request line is a `GET … HTTP/1.x` of a path a socket route claims.
fn claimed_path(line: &[u8], route: &dyn SocketRoute) -> bool {
    let Ok(line) = std::str::from_utf8(line) else {
        return false;
    };
    let mut parts = line.trim_end_matches('\r').split(' ');
    let (Some("GET"), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    version.starts_with("HTTP/1.") && target.split('?').next().is_some_and(|p| route.claims(p))
}

/// The head, when it is a whole `GET` with nothing behind it.
fn parse_head(read: &[u8], peer: SocketAddr) -> Option<RequestHead> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    let httparse::Status::Complete(len) = request.parse(read).ok()? else {
        return None;
    };
    // Bytes behind the head (a body, a pipelined request): hyper's business.
    if len != read.len() || request.method != Some("GET") {
        return None;
    }
    let path = request.path?.split('?').next()?.to_string();
    let mut map = HeaderMap::new();
    for h in request.headers.iter() {
        let name = HeaderName::from_bytes(h.name.as_bytes()).ok()?;
        let value = HeaderValue::from_bytes(h.value).ok()?;
        if name == axum::http::header::CONTENT_LENGTH
            || name == axum::http::header::TRANSFER_ENCODING
        {
            return None;
        }
        map.append(name, value);
    }
    Some(RequestHead {
        path,
        headers: map,
        peer,
    })
}

/// Writes a response's status line and headers, with `Connection: close`
/// (a socket route answers one request per connection).
pub async fn write_head(socket: &mut TcpStream, response: &Response<()>) -> io::Result<()> {
    let status = response.status();
    let mut out = Vec::with_capacity(512);
    out.extend_from_slice(
        format!(
            "HTTP/1.1 {} {}\r\n",
            status.as_str(),
            status.canonical_reason().unwrap_or("")
        )
        .as_bytes(),
    );
    for (name, value) in response.headers() {
        if name == axum::http::header::CONNECTION {
            continue;
        }
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"connection: close\r\n\r\n");
    socket.write_all(&out).await
}

/// Writes a whole (small) response and closes.
pub async fn write_response(socket: &mut TcpStream, response: Response) -> io::Result<()> {
    let (mut parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    parts.headers.remove(axum::http::header::TRANSFER_ENCODING);
    parts.headers.insert(
        axum::http::header::CONTENT_LENGTH,
        HeaderValue::from(body.len()),
    );
    write_head(socket, &Response::from_parts(parts, ())).await?;
    socket.write_all(&body).await?;
    socket.shutdown().await
}

/// A connection with bytes already read from it put back in front.
pub struct Prefixed<T> {
    prefix: Bytes,
    inner: T,
}

impl<T> Prefixed<T> {
    pub fn new(read: Vec<u8>, inner: T) -> Self {
        Prefixed {
            prefix: Bytes::from(read),
            inner,
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Prefixed<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if !self.prefix.is_empty() {
            let n = self.prefix.len().min(buf.remaining());
            let taken = self.prefix.split_to(n);
            buf.put_slice(&taken);
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Prefixed<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Streams;

    impl SocketRoute for Streams {
        fn claims(&self, path: &str) -> bool {
            path.ends_with("/stream")
        }
        fn serve(self: Arc<Self>, _: RequestHead, _: TcpStream) -> BoxFuture<'static, ()> {
            Box::pin(async {})
        }
    }

    #[test]
    fn only_a_plain_get_of_a_claimed_path_is_claimed() {
        let route = Streams;
        assert!(claimed_path(b"GET /a/stream?x=1 HTTP/1.1\r", &route));
        assert!(claimed_path(b"GET /a/stream HTTP/1.0", &route));
        assert!(!claimed_path(b"GET /a/other HTTP/1.1\r", &route));
        assert!(!claimed_path(b"POST /a/stream HTTP/1.1\r", &route));
        assert!(!claimed_path(b"HEAD /a/stream HTTP/1.1\r", &route));
        assert!(!claimed_path(b"PRI * HTTP/2.0\r", &route));
        assert!(!claimed_path(b"GET /a/stream HTTP/1.1 extra", &route));
        assert!(!claimed_path(b"GET /a/stream", &route));
        assert!(!claimed_path(&[0xff, 0xfe], &route));
    }

    fn peer() -> SocketAddr {
        "127.0.0.1:9".parse().unwrap()
    }

    #[test]
    fn a_whole_head_is_parsed_and_anything_behind_it_goes_to_hyper() {
        let head = parse_head(
            b"GET /a/stream?x HTTP/1.1\r\nHost: h\r\nLast-Event-ID: 7\r\n\r\n",
            peer(),
        )
        .unwrap();
        assert_eq!(head.path, "/a/stream");
        assert_eq!(head.headers["last-event-id"], "7");
        // A pipelined request, a body, a half head: not the socket route's.
        assert!(parse_head(
            b"GET /a/stream HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n",
            peer()
        )
        .is_none());
        assert!(parse_head(
            b"GET /a/stream HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
            peer()
        )
        .is_none());
        assert!(parse_head(b"GET /a/stream HTTP/1.1\r\nHost: h\r\n", peer()).is_none());
    }

    #[tokio::test]
    async fn what_was_read_is_read_again_first() {
        let (client, mut server) = tokio::io::duplex(64);
        let mut prefixed = Prefixed {
            prefix: Bytes::from_static(b"GET / "),
            inner: client,
        };
        server.write_all(b"HTTP/1.1\r\n").await.unwrap();
        drop(server);
        let mut all = String::new();
        prefixed.read_to_string(&mut all).await.unwrap();
        assert_eq!(all, "GET / HTTP/1.1\r\n");
    }
}
