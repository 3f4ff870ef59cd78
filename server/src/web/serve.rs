//! Accepting connections with the limits a public site needs: a cap on open
//! connections, and on those from one address (not the operator's proxies,
//! which carry many clients), a deadline for a request's headers (a client
//! that sends one byte a minute, or keeps an idle connection, holds nothing
//! for long), and a graceful end. It speaks HTTP/1.1 only: phones reach it
//! through a proxy that ends TLS (browsers speak HTTP/2 only over TLS), and
//! HTTP/2 without TLS would let an idle connection hold its place under the
//! cap for good (hyper has no header deadline for it). axum's own
//! `serve` offers neither the header deadline nor the cap, so this is its
//! accept loop on hyper-util, with them; and with the socket route for the
//! live streams (`socket_routes.rs`), which answers them without hyper.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::{Service, ServiceExt};

use super::client::client_network;
use super::readers::Readers;
use super::socket_routes::{self, Arrival, SocketRoute};
use super::write_deadline::WriteDeadline;
use super::WebConfig;

/// The limits on connections and requests (documented in the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeLimits {
    /// Open connections at once; beyond it a new one is closed at once.
    pub max_connections: usize,
    /// Open connections at once from one address (an IPv6 address's
    /// network), unless it is one of the trusted proxies; beyond it a new
    /// one from there is closed at once. Generous: a venue's phones may all
    /// come from one NAT address, each holding a results stream.
    pub max_connections_per_address: usize,
    /// How long a client may take to send a request's headers.
    pub header_read: Duration,
    /// How long a request may take, body and answer (not the live streams).
    pub request: Duration,
    /// How long a write may wait for a reader that stopped reading.
    pub write: Duration,
    /// Live-result streams open at once from one client address (sized for
    /// a venue behind one NAT address).
    pub streams_per_address: usize,
    /// Answer the live streams through the socket route (`socket_routes.rs`); off,
    /// hyper answers them like any request (for comparison, or a proxy that
    /// insists on keep-alive).
    pub streams_from_socket: bool,
}

impl Default for ServeLimits {
    fn default() -> Self {
        ServeLimits {
            max_connections: 10_000,
            max_connections_per_address: 1_500,
            header_read: Duration::from_secs(10),
            request: Duration::from_secs(30),
            write: Duration::from_secs(30),
            // A ceremony hall's phones on one Wi-Fi, or a carrier's NAT:
            // hundreds of readers share an address. The instance-wide
            // connection cap protects the server; a page refused a stream
            // asks for the JSON every few seconds instead.
            streams_per_address: 1_000,
            streams_from_socket: true,
        }
    }
}

/// Connections closed for their address's cap, said in the log at most
/// once a while (a flood would otherwise write a line per connection).
struct Refusals {
    said: Option<Instant>,
    unsaid: u64,
}

/// How often the log says that an address's connections are being closed.
const REFUSALS_EVERY: Duration = Duration::from_secs(10);

impl Refusals {
    fn note(&mut self, from: IpAddr, cap: usize) {
        self.unsaid += 1;
        if self.said.is_none_or(|t| t.elapsed() >= REFUSALS_EVERY) {
            tracing::warn!(
                %from,
                cap,
                closed = self.unsaid,
                "an address holds its cap of connections; closing its new ones"
            );
            self.said = Some(Instant::now());
            self.unsaid = 0;
        }
    }
}

/// Serves `app` (and `socket_route`'s paths) until `shutdown` resolves; then runs
/// `stopping` (which ends the live streams) and waits for the open
/// connections to finish. `web` gives the limits (`web.serve`) and who the
/// trusted proxies are (their connections have no cap per address).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    socket_route: Option<Arc<dyn SocketRoute>>,
    web: &WebConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
    stopping: impl FnOnce(),
) -> std::io::Result<()> {
    let limits = web.serve;
    let mut make = app.into_make_service_with_connect_info::<SocketAddr>();
    let graceful = GracefulShutdown::new();
    let open = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let per_address = Readers::default();
    let mut refusals = Refusals {
        said: None,
        unsaid: 0,
    };
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (socket, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment
                    // rather than spin, and keep serving the open ones.
                    tracing::warn!(error = %e, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            tracing::warn!(%peer, "connection limit reached; closing a new connection");
            continue;
        };
        // A proxy of ours carries many clients: only the instance's cap
        // holds it. Anyone else is one address (an IPv6 client its network).
        let place = if web.trusted_proxies.is_proxy(peer.ip()) {
            None
        } else {
            let from = client_network(peer.ip(), web.ipv6_prefix);
            let cap = limits.max_connections_per_address;
            match per_address.slot(from, cap) {
                Some(place) => Some(place),
                None => {
                    refusals.note(from, cap);
                    continue;
                }
            }
        };
        let _ = socket.set_nodelay(true);
        let Ok(service) = make.call(peer).await;
        let (socket_route, watcher) = (socket_route.clone(), graceful.watcher());
        tokio::spawn(async move {
            let arrival = match &socket_route {
                Some(route) => {
                    socket_routes::arrive(socket, peer, route.as_ref(), limits.header_read).await
                }
                None => Arrival::Hyper(socket_routes::Prefixed::new(Vec::new(), socket)),
            };
            match arrival {
                Arrival::Socket(head, socket) => {
                    // Ended by `stopping`, not waited for.
                    drop((service, watcher));
                    if let Some(route) = socket_route {
                        route.serve(head, socket).await;
                    }
                }
                Arrival::Hyper(io) => {
                    let hyper_service =
                        hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
                            service.clone().oneshot(req.map(axum::body::Body::new))
                        });
                    let io = WriteDeadline::new(io, limits.write);
                    let connection = hyper::server::conn::http1::Builder::new()
                        .timer(TokioTimer::new())
                        .header_read_timeout(limits.header_read)
                        .serve_connection(TokioIo::new(io), hyper_service);
                    let _ = watcher.watch(connection).await;
                }
                Arrival::Gone => drop(watcher),
            }
            drop((permit, place));
        });
    }
    drop(listener);
    tracing::info!("shutting down: finishing in-flight requests");
    stopping();
    graceful.shutdown().await;
    Ok(())
}
