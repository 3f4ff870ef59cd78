//! The `http` SMS sender against a stand-in gateway: the message arrives as
//! JSON with the bearer token, a failing gateway is retried, and one that
//! keeps failing gives the resident a readable 502.

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::Value;

use crate::support::{spawn_app_with, AppOptions, Db};

/// Each request's `Authorization` header and JSON body.
type Received = Arc<Mutex<Vec<(Option<String>, Value)>>>;

#[derive(Clone, Default)]
struct Gateway {
    received: Received,
    /// Answer 503 to this many requests before accepting.
    failures_left: Arc<Mutex<u32>>,
}

async fn receive(
    State(gw): State<Gateway>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> StatusCode {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    gw.received.lock().unwrap().push((auth, body));
    let mut left = gw.failures_left.lock().unwrap();
    if *left > 0 {
        *left -= 1;
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    }
}

async fn start_gateway(failures: u32) -> (String, Gateway) {
    let gw = Gateway {
        failures_left: Arc::new(Mutex::new(failures)),
        ..Gateway::default()
    };
    let app = Router::new()
        .route("/send", post(receive))
        .with_state(gw.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/send", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, gw)
}

fn http_sender(url: &str) -> Vec<(&'static str, String)> {
    vec![
        ("ALLEYVOTE_SMS_SENDER", "http".into()),
        ("ALLEYVOTE_SMS_HTTP_URL", url.into()),
        ("ALLEYVOTE_SMS_HTTP_TOKEN", "gateway-secret".into()),
        ("ALLEYVOTE_SMS_HTTP_RETRIES", "2".into()),
    ]
}

async fn codes_go_to_the_gateway_and_a_failure_is_retried(db: Db) {
    let (url, gw) = start_gateway(1).await;
    let app = spawn_app_with(AppOptions {
        extra: http_sender(&url),
        ..AppOptions::new(db)
    })
    .await;
    let (status, _, body) = app.request_code("139 0000 0081").await;
    assert_eq!(status, 202, "{body}");
    let received = gw.received.lock().unwrap().clone();
    assert_eq!(received.len(), 2, "one 503, then a retry");
    let (auth, message) = &received[1];
    assert_eq!(auth.as_deref(), Some("Bearer gateway-secret"));
    assert_eq!(message["to"], "+8613900000081");
    assert_eq!(
        message["id"], received[0].1["id"],
        "a retry keeps the message id"
    );
    let text = message["text"].as_str().unwrap();
    let code: String = text.chars().filter(char::is_ascii_digit).take(6).collect();
    assert_eq!(code.len(), 6, "{text}");
    // The code the phone got signs the resident in.
    let (status, _, body) = app.submit_code("13900000081", &code).await;
    assert_eq!(status, 201, "{body}");
    assert!(
        !app.data_dir.join("sms-outbox.jsonl").exists(),
        "the gateway replaces the outbox"
    );
}

on_both_backends!(codes_go_to_the_gateway_and_a_failure_is_retried, db);

async fn a_gateway_that_keeps_failing_gives_a_readable_error(db: Db) {
    let (url, gw) = start_gateway(100).await;
    let app = spawn_app_with(AppOptions {
        extra: http_sender(&url),
        ..AppOptions::new(db)
    })
    .await;
    let (status, _, body) = app.request_code("13900000082").await;
    assert_eq!((status, body["error"].as_str()), (502, Some("sms_failed")));
    assert!(body["message"].as_str().unwrap().contains("短信发送失败"));
    assert_eq!(
        gw.received.lock().unwrap().len(),
        3,
        "the first try and two retries"
    );
    // The organizer's dashboard counts it, with the number masked.
    let admin = app
        .organizer("admin", alleyvote_domain::organizer::Role::Admin)
        .await;
    let (status, page) = admin.page("/console").await;
    assert_eq!(status, 200);
    assert!(page.contains("data-failed=\"1\""), "{page}");
    assert!(page.contains("139****0082"), "{page}");
    assert!(!page.contains("13900000082"), "never the number in clear");
    // The unsent code holds nothing back: once the gateway works, a new one goes out at once.
    *gw.failures_left.lock().unwrap() = 0;
    let (status, _, body) = app.request_code("13900000082").await;
    assert_eq!(status, 202, "{body}");
}

on_both_backends!(a_gateway_that_keeps_failing_gives_a_readable_error, db);
