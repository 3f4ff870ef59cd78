//! The limits on connections themselves, below any route: how many may be
//! open (in all, and from one address), how long a body may take, which protocol is spoken. None of it
//! touches storage, so it runs on the embedded backend.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::{AppOptions, TestApp};

fn address(app: &TestApp) -> String {
    app.base.trim_start_matches("http://").to_string()
}

/// Everything the server sends on `socket` until it closes it (or 10 s pass).
async fn read_all(socket: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), socket.read_to_end(&mut answer));
    read.await
        .expect("the server neither answered nor closed")
        .ok();
    String::from_utf8_lossy(&answer).into_owned()
}

/// A connection to `addr` from the loopback address `from` (any of
/// 127.0.0.0/8 is this machine: a second client address without a second
/// machine).
async fn connect_from(from: &str, addr: &str) -> TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    socket.connect(addr.parse().unwrap()).await.unwrap()
}

/// A whole `GET /livez` on a new connection: the status line, or "" if the
/// connection was closed without an answer.
async fn livez(addr: &str) -> String {
    livez_from("127.0.0.1", addr).await
}

/// [`livez`] from the loopback address `from`.
async fn livez_from(from: &str, addr: &str) -> String {
    let mut socket = connect_from(from, addr).await;
    let _ = socket
        .write_all(b"GET /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await;
    read_all(&mut socket)
        .await
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Three connections held open fill a cap of three: the fourth is closed
/// at once, unanswered. When one of the three goes, its place is free again.
async fn connections_past_the_cap_are_closed(app: TestApp) {
    let addr = address(&app);
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(TcpStream::connect(&addr).await.unwrap());
    }
    assert_eq!(livez(&addr).await, "", "a fourth connection is closed");
    drop(held.pop());
    // The server learns of the close when its read ends; until then the
    // place is still taken. Ask again until it is free (bounded).
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let status = livez(&addr).await;
        if status == "HTTP/1.1 200 OK" {
            break;
        }
        assert_eq!(status, "", "refused, or answered 200");
        assert!(Instant::now() < deadline, "the freed place was never taken");
        tokio::task::yield_now().await;
    }
    drop(held);
}

on_backends!([sqlite: Sqlite] connections_past_the_cap_are_closed, |db| AppOptions {
    extra: vec![("ALLEYVOTE_MAX_CONNECTIONS", "3".to_string())],
    ..AppOptions::new(db)
});

/// One address holding its cap of connections (three here) has its next
/// one closed at once, unanswered, while another address is still
/// answered: the cap is the address's, not the instance's. When one of the
/// three goes, its place is free again.
async fn an_address_holds_at_most_its_cap_of_connections(app: TestApp) {
    let addr = address(&app);
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(connect_from("127.0.0.1", &addr).await);
    }
    assert_eq!(
        livez_from("127.0.0.1", &addr).await,
        "",
        "a fourth is closed"
    );
    assert_eq!(
        livez_from("127.0.0.2", &addr).await,
        "HTTP/1.1 200 OK",
        "another address is answered"
    );
    drop(held.pop());
    // The place is free once the server has seen the close (bounded).
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let status = livez_from("127.0.0.1", &addr).await;
        if status == "HTTP/1.1 200 OK" {
            break;
        }
        assert_eq!(status, "", "refused, or answered 200");
        assert!(Instant::now() < deadline, "the freed place was never taken");
        tokio::task::yield_now().await;
    }
    drop(held);
}

on_backends!([sqlite: Sqlite] an_address_holds_at_most_its_cap_of_connections, |db| AppOptions {
    extra: vec![("ALLEYVOTE_MAX_CONNECTIONS_PER_ADDRESS", "3".to_string())],
    ..AppOptions::new(db)
});

/// A trusted proxy carries many clients: its connections have no cap per
/// address (only the instance's), while any other address keeps its cap.
async fn a_trusted_proxy_has_no_cap_per_address(app: TestApp) {
    let addr = address(&app);
    let mut proxy = Vec::new();
    for _ in 0..5 {
        proxy.push(connect_from("127.0.0.2", &addr).await);
    }
    assert_eq!(
        livez_from("127.0.0.2", &addr).await,
        "HTTP/1.1 200 OK",
        "the proxy's sixth connection is answered"
    );
    let mut client = Vec::new();
    for _ in 0..3 {
        client.push(connect_from("127.0.0.1", &addr).await);
    }
    assert_eq!(
        livez_from("127.0.0.1", &addr).await,
        "",
        "a client's fourth is closed"
    );
    drop((proxy, client));
}

on_backends!([sqlite: Sqlite] a_trusted_proxy_has_no_cap_per_address, |db| AppOptions {
    extra: vec![
        ("ALLEYVOTE_MAX_CONNECTIONS_PER_ADDRESS", "3".to_string()),
        ("ALLEYVOTE_TRUSTED_PROXIES", "127.0.0.2".to_string()),
    ],
    ..AppOptions::new(db)
});

/// A body that stops coming is cut off when it pauses longer than the
/// header deadline (well before the request's): answered 408 and closed,
/// not held.
async fn a_stalled_body_is_cut_off(app: TestApp) {
    let mut socket = TcpStream::connect(address(&app)).await.unwrap();
    socket
        .write_all(
            b"POST /api/v1/sms-codes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Content-Length: 1000\r\n\r\n{\"phone\":",
        )
        .await
        .unwrap();
    let started = Instant::now();
    let answer = read_all(&mut socket).await;
    let waited = started.elapsed();
    let status = answer.lines().next().unwrap_or_default();
    assert!(status.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("request_timeout"), "{answer}");
    assert!(waited >= Duration::from_millis(900), "{waited:?}");
}

on_backends!([sqlite: Sqlite] a_stalled_body_is_cut_off, |db| AppOptions {
    extra: vec![
        ("ALLEYVOTE_HEADER_TIMEOUT_MS", "1000".to_string()),
        ("ALLEYVOTE_REQUEST_TIMEOUT_MS", "20000".to_string()),
    ],
    ..AppOptions::new(db)
});

/// A first request's head gets one header deadline, whatever path it asks
/// for: a client that takes most of the deadline before its request line
/// and the rest for its headers is cut off at the deadline, not given a
/// second one once the path is known. (The pauses are the slow client
/// itself; a slower machine only makes it later, never answered.)
async fn the_first_head_has_one_deadline(app: TestApp) {
    let mut socket = TcpStream::connect(address(&app)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(700)).await;
    socket.write_all(b"GET /livez HTTP/1.1\r\n").await.unwrap();
    tokio::time::sleep(Duration::from_millis(700)).await;
    // Past the 1 s deadline: the server has let the connection go.
    let _ = socket
        .write_all(b"Host: x\r\nConnection: close\r\n\r\n")
        .await;
    let answer = read_all(&mut socket).await;
    assert_eq!(answer, "", "closed unanswered at the one deadline");
    // A client in time is answered.
    assert_eq!(livez(&address(&app)).await, "HTTP/1.1 200 OK");
}

on_backends!([sqlite: Sqlite] the_first_head_has_one_deadline, |db| AppOptions {
    extra: vec![("ALLEYVOTE_HEADER_TIMEOUT_MS", "1000".to_string())],
    ..AppOptions::new(db)
});

/// HTTP/2 without TLS (where no header deadline would apply) is not spoken:
/// its preface gets no HTTP/2 answer and the connection ends.
async fn http2_without_tls_is_not_spoken(app: TestApp) {
    let mut socket = TcpStream::connect(address(&app)).await.unwrap();
    socket
        .write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
        .await
        .unwrap();
    let answer = read_all(&mut socket).await;
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 4") || answer.starts_with("HTTP/1.1 5"),
        "{answer:?}"
    );
}

on_backends!([sqlite: Sqlite] http2_without_tls_is_not_spoken);

/// In production every answer tells browsers to keep to HTTPS (the proxy in
/// front ends TLS); in development none does (see `abuse.rs`).
async fn production_answers_insist_on_https(app: TestApp) {
    for path in ["/", "/api/v1/campaigns", "/no-such-page"] {
        let r = app.get(path).await;
        let hsts = r.headers().get("strict-transport-security");
        let hsts = hsts.and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert!(hsts.starts_with("max-age="), "{path}: {hsts:?}");
    }
}

on_backends!([sqlite: Sqlite] production_answers_insist_on_https, |db| AppOptions {
    extra: vec![
        ("ALLEYVOTE_ENV", "production".to_string()),
        ("ALLEYVOTE_PUBLIC_URL", "https://vote.example.cn".to_string()),
        ("ALLEYVOTE_SMS_SENDER", "http".to_string()),
        ("ALLEYVOTE_SMS_HTTP_URL", "https://sms.example.cn/send".to_string()),
    ],
    ..AppOptions::new(db)
});
