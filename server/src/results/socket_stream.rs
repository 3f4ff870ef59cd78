//! The results stream through the socket route (`web/socket_routes.rs`): the
//! phones following the results and the screens in the hall hold it open
//! for hours, ten thousand at once, so it is answered without hyper. Same
//! path, same answers and the same bytes as the JSON API's route
//! (`http.rs`), which stays for anything unusual.

use std::sync::Arc;

use axum::http::{Response, StatusCode};
use axum::response::IntoResponse;
use futures::future::BoxFuture;
use futures::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tracing::Instrument;

use super::{stream, ResultsHub};
use crate::campaigns::Campaigns;
use crate::web::client::{client_ip, request_lang};
use crate::web::error::ApiError;
use crate::web::shield::security_headers;
use crate::web::socket_routes::{self, RequestHead, SocketRoute};
use crate::web::WebConfig;

/// How long one event may take to reach a reader's socket.
const WRITE_DEADLINE: std::time::Duration = std::time::Duration::from_secs(30);

pub struct ResultsOverSocket {
    pub hub: ResultsHub,
    pub campaigns: Arc<Campaigns>,
    pub web: WebConfig,
    pub stopping: watch::Receiver<bool>,
}

/// The campaign slug of `/api/v1/campaigns/{slug}/results/stream`,
/// percent-decoded as the router decodes a path parameter.
fn slug_of(path: &str) -> Option<String> {
    let raw = path
        .strip_prefix("/api/v1/campaigns/")?
        .strip_suffix("/results/stream")?;
    if raw.is_empty() || raw.contains('/') {
        return None;
    }
    // Not UTF-8 once decoded: the router's refusal, not the socket route's.
    urlencoding::decode(raw).ok().map(|s| s.into_owned())
}

impl SocketRoute for ResultsOverSocket {
    fn claims(&self, path: &str) -> bool {
        slug_of(path).is_some()
    }

    fn serve(self: Arc<Self>, head: RequestHead, mut socket: TcpStream) -> BoxFuture<'static, ()> {
        // The same request id and span as the router gives a request.
        let id = request_id(&head);
        let span = tracing::info_span!(
            "request",
            request_id = %crate::web::loggable(&id),
            method = "GET",
            path = %crate::web::loggable_path(&head.path),
        );
        Box::pin(
            async move {
                let answer = self.open(&head).await;
                // The head (cookies and all) is not kept for the stream's life.
                drop(head);
                let result = match answer {
                    Ok(frames) => self.send(&mut socket, frames, &id).await,
                    Err(refusal) => {
                        let mut response = refusal.into_response();
                        self.stamp(response.headers_mut(), &id);
                        socket_routes::write_response(&mut socket, response).await
                    }
                };
                if let Err(e) = result {
                    tracing::debug!(error = %e, "a results stream ended");
                }
            }
            .instrument(span),
        )
    }
}

/// The client's own `X-Request-Id`, as the router keeps it, or a new one.
fn request_id(head: &RequestHead) -> String {
    head.headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned)
}

impl ResultsOverSocket {
    async fn open(
        &self,
        head: &RequestHead,
    ) -> Result<impl futures::Stream<Item = axum::body::Bytes> + Send + 'static, ApiError> {
        let lang = request_lang(&head.headers);
        let slug = slug_of(&head.path).unwrap_or_default();
        let campaign = match self.campaigns.get(&slug).await {
            Ok(Some(c)) => c,
            Ok(None) => return Err(ApiError::unknown_campaign(lang)),
            Err(e) => return Err(ApiError::internal(lang, &e)),
        };
        let reader = stream::Reader {
            from: client_ip(&self.web, &head.headers, head.peer),
            lang,
            last_event_id: head
                .headers
                .get("last-event-id")
                .and_then(|v| v.to_str().ok()),
        };
        let cap = self.web.serve.streams_per_address;
        stream::open(&self.hub, campaign, reader, cap, self.stopping.clone()).await
    }

    /// The headers every answer carries: the shield's and the request id.
    fn stamp(&self, headers: &mut axum::http::HeaderMap, id: &str) {
        security_headers(&self.web, headers);
        if let Ok(v) = axum::http::HeaderValue::from_str(id) {
            headers.insert("x-request-id", v);
        }
    }

    async fn send(
        &self,
        socket: &mut TcpStream,
        frames: impl futures::Stream<Item = axum::body::Bytes>,
        id: &str,
    ) -> std::io::Result<()> {
        let mut response = Response::new(());
        *response.status_mut() = StatusCode::OK;
        stream::head(response.headers_mut());
        self.stamp(response.headers_mut(), id);
        socket_routes::write_head(socket, &response).await?;
        // No length and no chunks: the body ends when the connection does.
        let mut frames = std::pin::pin!(frames);
        let mut scratch = [0u8; 64];
        loop {
            tokio::select! {
                frame = frames.next() => {
                    let Some(frame) = frame else { break };
                    // A reader that stopped reading is let go, not waited for.
                    tokio::time::timeout(WRITE_DEADLINE, socket.write_all(&frame))
                        .await
                        .map_err(|_| std::io::Error::from(std::io::ErrorKind::TimedOut))??;
                }
                // The reader sends nothing more: a read that ends means it left.
                read = socket.read(&mut scratch) => {
                    if matches!(read, Ok(0) | Err(_)) {
                        return Ok(());
                    }
                }
            }
        }
        socket.shutdown().await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_the_results_stream_path_is_claimed() {
        use super::slug_of;
        assert_eq!(
            slug_of("/api/v1/campaigns/2027/results/stream").as_deref(),
            Some("2027")
        );
        assert_eq!(
            slug_of("/api/v1/campaigns/a%2Db/results/stream").as_deref(),
            Some("a-b")
        );
        assert_eq!(slug_of("/api/v1/campaigns/%FF/results/stream"), None);
        assert_eq!(slug_of("/api/v1/campaigns//results/stream"), None);
        assert_eq!(slug_of("/api/v1/campaigns/a/b/results/stream"), None);
        assert_eq!(slug_of("/api/v1/campaigns/2027/results"), None);
        assert_eq!(slug_of("/screen/stream"), None);
    }
}
