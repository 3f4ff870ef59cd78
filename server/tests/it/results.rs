//! Results only move forward: whichever instance answers, a reader that says
//! what it was shown (`If-None-Match`, `Last-Event-ID`) never sees a lower
//! total; a freeze shows the same numbers everywhere; hiding holds on every
//! instance as soon as the organizer's request is answered.

use std::time::Duration;

use alleyvote_domain::organizer::Role;
use alleyvote_domain::ResultsVisibility;
use serde_json::Value;

use crate::support::{race, spawn_app_with, AppOptions, Organizer, SseReader, TestApp};

const RESULTS: &str = "/api/v1/campaigns/yangpu-2026/results";
const STREAM: &str = "/api/v1/campaigns/yangpu-2026/results/stream";

/// A results read: status, ETag, body.
async fn read(app: &TestApp, seen: Option<&str>) -> (u16, Option<String>, Value) {
    let mut req = app.client.get(app.url(RESULTS));
    if let Some(tag) = seen {
        req = req.header("if-none-match", tag);
    }
    let r = req.send().await.expect("GET results");
    let status = r.status().as_u16();
    let etag = r
        .headers()
        .get("etag")
        .map(|v| v.to_str().unwrap().to_string());
    let body = r.json().await.unwrap_or(Value::Null);
    (status, etag, body)
}

/// Sets the demo campaign's results visibility through the console form.
async fn set_visibility(app: &TestApp, org: &Organizer, visibility: ResultsVisibility) {
    let c = app.demo_campaign().await;
    let mut form = crate::support::campaign_form(&c);
    form.retain(|(k, _)| *k != "results_visibility");
    form.push(("results_visibility", visibility.as_str().to_string()));
    let (status, location) = org.post("/console/campaign", &form).await;
    assert_eq!(status, 303, "{location}");
    assert_eq!(app.demo_campaign().await.results_visibility, visibility);
}

fn limits_lifted(db: crate::support::Db) -> AppOptions {
    AppOptions {
        extra: vec![
            ("ALLEYVOTE_RATE_VOTER_PER_MIN", "10000".to_string()),
            ("ALLEYVOTE_RATE_IP_PER_MIN", "100000".to_string()),
            ("ALLEYVOTE_SMS_PER_IP_PER_HOUR", "1000".to_string()),
        ],
        ..AppOptions::new(db)
    }
}

/// A second instance that reads the tally only when it must (its own votes,
/// or a reader ahead of it): it lags for certain, where a normal one lags by
/// chance.
async fn lagging_instance(a: &TestApp) -> TestApp {
    spawn_app_with(AppOptions {
        database_url: Some(a.database_url.clone()),
        demo: false,
        results_poll_ms: 600_000,
        ..AppOptions::new(a.db)
    })
    .await
}

/// The mechanism, made certain: a reader who saw a newer version on one
/// instance is not shown the older one that another instance holds.
async fn a_lagging_instance_catches_up_for_a_reader_ahead_of_it(a: TestApp) {
    let b = lagging_instance(&a).await;
    let (_, _, held) = read(&b, None).await;
    a.voter("13900000101").await.vote(4).await;
    a.services.hub.refresh().await.unwrap();
    let (status, tag, newer) = read(&a, None).await;
    assert_eq!(status, 200);
    let tag = tag.expect("an ETag");
    assert_eq!(
        newer["total_votes"],
        held["total_votes"].as_u64().unwrap() + 1
    );
    assert!(newer["version"].as_u64() > held["version"].as_u64());

    // Asked plainly, B still holds what it read at start (the lag is real).
    let (_, _, plain) = read(&b, None).await;
    assert_eq!(plain["total_votes"], held["total_votes"]);
    // Asked by the reader who saw A's answer, B reads the tally first.
    let (status, b_tag, caught_up) = read(&b, Some(&tag)).await;
    assert!(status == 200 || status == 304, "{status}");
    if status == 200 {
        assert_eq!(caught_up["total_votes"], newer["total_votes"]);
        assert_eq!(caught_up["version"], newer["version"]);
    }
    // Nothing changed since: the reader's own tag is answered 304.
    let b_tag = b_tag.expect("an ETag");
    let (status, _, _) = read(&b, Some(&b_tag)).await;
    assert_eq!(status, 304);

    // A stream that reconnects to a lagging instance with the last event's
    // id starts where the reader was, not where the instance is.
    let c = lagging_instance(&a).await;
    let (_, _, c_held) = read(&c, None).await;
    a.voter("13900000102").await.vote(5).await;
    a.services.hub.refresh().await.unwrap();
    let mut on_a = SseReader::new(a.get(STREAM).await);
    let first: Value = serde_json::from_str(&on_a.next_data().await.unwrap()).unwrap();
    assert_eq!(
        first["total_votes"],
        c_held["total_votes"].as_u64().unwrap() + 1
    );
    let id = on_a.last_id.clone().expect("events carry ids");
    let resumed = a
        .client
        .get(c.url(STREAM))
        .header("last-event-id", &id)
        .send()
        .await
        .unwrap();
    let mut on_c = SseReader::new(resumed);
    let again: Value = serde_json::from_str(&on_c.next_data().await.unwrap()).unwrap();
    assert_eq!(again["total_votes"], first["total_votes"]);
    assert_eq!(again["version"], first["version"]);
}

on_both_backends!(
    a_lagging_instance_catches_up_for_a_reader_ahead_of_it,
    limits_lifted
);

/// Three instances, votes flowing through all of them, `/results` read from
/// each in turn every 50 ms by a reader that sends back its ETag (as a
/// browser does): the total never goes down. Then a freeze shows the same
/// numbers on every instance, and after hiding no answer carries a count.
async fn results_never_go_back_across_three_instances(a: TestApp) {
    let b = a.another_instance().await;
    let c = a.another_instance().await;
    let instances = [&a, &b, &c];
    let mut voters = Vec::new();
    for i in 0..24 {
        let home = instances[i % 3];
        voters.push(home.voter(&format!("1390000{:04}", 200 + i)).await);
    }

    let (done_tx, done_rx) = tokio::sync::watch::channel(false);
    let poller = {
        let bases: Vec<String> = instances.iter().map(|i| i.base.clone()).collect();
        let client = a.client.clone();
        tokio::spawn(async move {
            let mut tag: Option<String> = None;
            let mut last_total = 0u64;
            let (mut reads, mut fresh) = (0u32, 0u32);
            let mut tick = tokio::time::interval(Duration::from_millis(50));
            while !*done_rx.borrow() {
                tick.tick().await;
                let base = &bases[reads as usize % 3];
                let mut req = client.get(format!("{base}{RESULTS}"));
                if let Some(t) = &tag {
                    req = req.header("if-none-match", t);
                }
                let r = req.send().await.unwrap();
                reads += 1;
                match r.status().as_u16() {
                    304 => {}
                    200 => {
                        tag = r
                            .headers()
                            .get("etag")
                            .map(|v| v.to_str().unwrap().to_string());
                        let body: Value = r.json().await.unwrap();
                        let total = body["total_votes"].as_u64().unwrap();
                        assert!(
                            total >= last_total,
                            "read {reads} on {base}: {total} after {last_total}"
                        );
                        fresh += 1;
                        last_total = total;
                    }
                    other => panic!("results answered {other}"),
                }
            }
            (reads, fresh, last_total)
        })
    };

    // Ten votes each, spread over the three instances.
    let votes = voters
        .iter()
        .enumerate()
        .flat_map(|(i, v)| (1..=10u32).map(move |n| v.at(instances[(i + n as usize) % 3]).vote(n)));
    let answers = race(votes).await;
    let statuses: Vec<u16> = answers.iter().map(|a| a.0).filter(|s| *s != 201).collect();
    assert!(
        statuses.is_empty(),
        "every vote counts: {statuses:?} {:?}",
        answers.iter().find(|a| a.0 != 201)
    );
    // A few more reads once the last vote is in.
    a.services.hub.refresh().await.unwrap();
    let (_, _, settled) = read(&a, None).await;
    let expected = settled["total_votes"].as_u64().unwrap();
    assert_eq!(expected, 240);
    done_tx.send(true).unwrap();
    let (reads, fresh, seen) = poller.await.expect("the total never went down");
    assert!(reads >= 3 && fresh >= 1, "{reads} reads, {fresh} with news");
    assert!(seen <= expected);

    // A freeze: the same frozen numbers on every instance at once, and
    // votes after it do not move them.
    let boss = a.organizer("boss", Role::Admin).await;
    set_visibility(&a, &boss, ResultsVisibility::Frozen).await;
    let frozen: Vec<Value> =
        futures::future::join_all(instances.iter().map(|i| async { read(i, None).await.2 })).await;
    for f in &frozen {
        assert_eq!(f["visibility"], "frozen");
        assert_eq!(f["entries"], frozen[0]["entries"]);
        assert_eq!(f["total_votes"], 240);
    }
    let late = a.voter("13900000999").await;
    assert_eq!(late.at(&b).vote(30).await.0, 201);
    for i in instances {
        i.services.hub.refresh().await.unwrap();
        let (_, _, f) = read(i, None).await;
        assert_eq!(f["entries"], frozen[0]["entries"], "a freeze holds");
    }

    // Hidden: from the answer on, no instance shows a count.
    set_visibility(&a, &boss, ResultsVisibility::Hidden).await;
    for i in instances {
        let (status, _, h) = read(i, None).await;
        assert_eq!(status, 200);
        assert_eq!(h["visibility"], "hidden");
        assert!(h["total_votes"].is_null());
        assert!(h["entries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["votes"].is_null() && e["rank"].is_null()));
    }
    // Live again: the counts include the vote cast while frozen.
    set_visibility(&a, &boss, ResultsVisibility::Live).await;
    for i in instances {
        let (_, _, l) = read(i, None).await;
        assert_eq!(l["visibility"], "live");
        assert!(l["total_votes"].as_u64().unwrap() >= 240);
    }
    a.services.hub.refresh().await.unwrap();
    assert_eq!(a.total_votes().await, 241);
    a.verify_tally().await;
}

// Several instances writing at once is the PostgreSQL deployment; SQLite's
// one file takes one writer (the mechanism is tested on it above).
on_postgres!(results_never_go_back_across_three_instances, limits_lifted);

/// A snapshot sent to many streams is encoded once: the same snapshot
/// gives the same encoding, a newer one a new encoding with its version.
async fn a_snapshot_is_encoded_once_for_every_stream(app: TestApp) {
    let campaign = app.demo_campaign().await;
    let hub = &app.services.hub;
    let first = hub.view(&campaign, None).await.unwrap();
    let a = hub.encode(&first);
    let b = hub.encode(&hub.view(&campaign, None).await.unwrap());
    assert!(
        std::sync::Arc::ptr_eq(&a, &b),
        "one encoding for the held snapshot"
    );
    let (status, _, body) = app.voter("13800000123").await.vote(3).await;
    assert_eq!(status, 201, "{body}");
    hub.refresh().await.unwrap();
    let newer = hub.encode(&hub.view(&campaign, None).await.unwrap());
    assert!(!std::sync::Arc::ptr_eq(&a, &newer));
    // One whole event: its id, then the snapshot on one data line.
    let frame = std::str::from_utf8(&newer.frame).unwrap();
    let (id, data) = frame
        .strip_suffix("\n\n")
        .and_then(|f| f.split_once('\n'))
        .unwrap();
    assert_eq!(id, format!("id: {}", newer.tag));
    let json: Value = serde_json::from_str(data.strip_prefix("data: ").unwrap()).unwrap();
    assert_eq!(json["total_votes"], 1);
    assert!(newer.tag.starts_with(&format!("l{}-", json["version"])));
}

on_both_backends!(a_snapshot_is_encoded_once_for_every_stream);

/// Hidden results are made once per live snapshot, so every stream sends
/// (and encodes) the same one.
async fn hidden_results_are_made_once_for_every_reader(app: TestApp) {
    let admin = app.organizer("admin1", Role::Admin).await;
    set_visibility(&app, &admin, ResultsVisibility::Hidden).await;
    let campaign = app.demo_campaign().await;
    let hub = &app.services.hub;
    let a = hub.view(&campaign, None).await.unwrap();
    let b = hub.view(&campaign, None).await.unwrap();
    assert!(std::sync::Arc::ptr_eq(&a, &b));
    assert_eq!(a.total_votes, None);
}

on_both_backends!(hidden_results_are_made_once_for_every_reader);

/// The stream as a browser's `EventSource` asks for it, over a raw socket:
/// answered by the socket route (one request per connection, the security
/// headers, the first event at once), and sent again in a later event only
/// when it changed. A claimed path with something unusual about it (here a
/// body) goes on to the router, which answers it as ever.
async fn the_socket_route_answers_streams_and_hands_on_the_unusual(app: TestApp) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.base.trim_start_matches("http://").to_string();
    let ask = |extra: &'static str| {
        let addr = addr.clone();
        async move {
            let mut socket = tokio::net::TcpStream::connect(&addr).await.unwrap();
            let request = format!(
                "GET {STREAM} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n{extra}\r\n"
            );
            // A phone on a weak line: the request arrives in pieces.
            for piece in request.as_bytes().chunks(7) {
                socket.write_all(piece).await.unwrap();
            }
            let mut read = Vec::new();
            let mut buf = [0u8; 4096];
            while !String::from_utf8_lossy(&read).contains("\n\n{") && find_event(&read).is_none() {
                let n = tokio::time::timeout(Duration::from_secs(5), socket.read(&mut buf))
                    .await
                    .expect("no first event")
                    .unwrap();
                assert!(n > 0, "closed: {}", String::from_utf8_lossy(&read));
                read.extend_from_slice(&buf[..n]);
            }
            String::from_utf8_lossy(&read).to_string()
        }
    };
    let socket = ask("").await;
    let (head, body) = socket.split_once("\r\n\r\n").unwrap();
    let head = head.to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 200 ok"), "{head}");
    for line in [
        "content-type: text/event-stream",
        "cache-control: no-cache",
        "connection: close",
        "x-content-type-options: nosniff",
        "x-frame-options: deny",
        "referrer-policy: same-origin",
    ] {
        assert!(head.contains(line), "{line} in {head}");
    }
    assert!(!head.contains("transfer-encoding"), "{head}");
    assert!(body.starts_with("id: l"), "{body}");

    let hyper = ask("Content-Length: 0\r\n").await;
    let head = hyper.split_once("\r\n\r\n").unwrap().0.to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 200 ok"), "{head}");
    assert!(head.contains("content-type: text/event-stream"), "{head}");
    assert!(
        !head.contains("connection: close"),
        "hyper keeps the connection: {head}"
    );
}

/// The end of the first event in what was read, if it is all there.
fn find_event(read: &[u8]) -> Option<usize> {
    let text = String::from_utf8_lossy(read);
    let body = text.split_once("\r\n\r\n")?.1;
    body.find("\n\n")
}

on_both_backends!(the_socket_route_answers_streams_and_hands_on_the_unusual);

/// Through the socket route as through the router: an unknown campaign is a
/// 404 a resident can read, and a reader that comes back with the id it
/// was shown gets nothing older.
async fn the_socket_route_refuses_in_words_and_never_goes_back(app: TestApp) {
    let r = app
        .get("/api/v1/campaigns/no-such-campaign/results/stream")
        .await;
    assert_eq!(r.status(), 404);
    assert_eq!(r.headers()["connection"], "close");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "not_found");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .chars()
            .any(|c| c > '\u{4e00}'),
        "{body}"
    );

    let (status, _, body) = app.voter("13800000124").await.vote(4).await;
    assert_eq!(status, 201, "{body}");
    app.services.hub.refresh().await.unwrap();
    let mut sse = SseReader::new(app.get(STREAM).await);
    let first: Value = serde_json::from_str(&sse.next_data().await.unwrap()).unwrap();
    let id = sse.last_id.clone().unwrap();
    let again = app
        .client
        .get(app.url(STREAM))
        .header("last-event-id", &id)
        .send()
        .await
        .unwrap();
    assert_eq!(again.headers()["connection"], "close");
    let mut again = SseReader::new(again);
    let next: Value = serde_json::from_str(&again.next_data().await.unwrap()).unwrap();
    assert!(next["version"].as_u64() >= first["version"].as_u64());
    assert_eq!(next["total_votes"], first["total_votes"]);
}

on_both_backends!(the_socket_route_refuses_in_words_and_never_goes_back);

/// The socket route treats a request as the router does: the slug is
/// percent-decoded, and every answer carries a request id (the client's
/// own, or a new one), so its log lines can be found.
async fn the_socket_route_decodes_and_names_each_request(app: TestApp) {
    let encoded = "/api/v1/campaigns/yangpu%2D2026/results/stream";
    let r = app
        .client
        .get(app.url(encoded))
        .header("x-request-id", "wall-7")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "decoded as the router decodes it");
    assert_eq!(
        r.headers()["connection"],
        "close",
        "through the socket route"
    );
    assert_eq!(r.headers()["x-request-id"], "wall-7");
    let mut sse = SseReader::new(r);
    assert!(sse.next_data().await.is_some());

    let r = app
        .get("/api/v1/campaigns/no-such-campaign/results/stream")
        .await;
    assert_eq!(r.status(), 404);
    let id = r.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_eq!(id.len(), 36, "a new request id: {id}");
}

on_both_backends!(the_socket_route_decodes_and_names_each_request);

/// With the socket route off (`ALLEYVOTE_STREAMS_FROM_SOCKET=false`), hyper answers the
/// stream like any request: the same first event, and the connection kept.
async fn without_the_socket_route_hyper_answers_streams(app: TestApp) {
    let r = app.get(STREAM).await;
    assert_eq!(r.status(), 200);
    assert!(!r.headers().contains_key("connection"), "{:?}", r.headers());
    assert_eq!(r.headers()["content-type"], "text/event-stream");
    let mut sse = SseReader::new(r);
    let first: Value = serde_json::from_str(&sse.next_data().await.unwrap()).unwrap();
    assert!(first["version"].is_u64());
    assert!(sse.last_id.as_deref().is_some_and(|id| id.starts_with('l')));
}

on_both_backends!(without_the_socket_route_hyper_answers_streams, |db| {
    AppOptions {
        extra: vec![("ALLEYVOTE_STREAMS_FROM_SOCKET", "false".to_string())],
        ..AppOptions::new(db)
    }
});
