//! The real server, driven over HTTP on both backends: pages, API, health,
//! language, live results, errors and shutdown.

use std::time::{Duration, Instant};

use alleyvote::keyed_hashes::{VoterIdentity, VoterKind};
use alleyvote::voting::ballot::{Ballot, Channel};
use alleyvote_domain::organizer::Role;
use alleyvote_domain::{Millis, NomineeNumber};

use crate::support::{
    shared_redis_url, skip, spawn_app, spawn_app_with, AppOptions, Db, OwnRedis, SseReader, TestApp,
};

async fn cast_demo_vote(app: &TestApp, voter_tag: &str, nominee: u32) {
    use sha2::{Digest, Sha256};
    let store = &app.services.store;
    let campaign = store
        .campaign(alleyvote::demo::DEMO_SLUG)
        .await
        .unwrap()
        .unwrap();
    let identity = VoterIdentity {
        hash: Sha256::digest(voter_tag.as_bytes()).into(),
        kind: VoterKind::Phone,
        masked: "x".into(),
    };
    let voter = store.voter(&identity, Millis::now()).await.unwrap();
    let ballot = Ballot {
        campaign: campaign.id,
        rules: campaign.rules,
        voter,
        nominee: NomineeNumber::new(nominee).unwrap(),
        at: Millis::now(),
        channel: Channel::Online,
        request_key: None,
    };
    store.cast_vote(&ballot).await.unwrap().unwrap();
    app.services.hub.poke();
}

async fn pages_and_api(app: TestApp) {
    // Home: the award, its phase and a call to vote, in Chinese by default.
    let (status, html) = app.get_text("/").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("<html lang=\"zh-CN\""),
        "{}",
        &html[..200.min(html.len())]
    );
    assert!(html.contains("2026年杨浦区“十佳小巷总理”评选"));
    assert!(html.contains("投票进行中"));
    assert!(html.contains("data-testid=\"cta-vote\""));

    // Nominees: all thirty, filtered by street, searched by name and number.
    let (status, html) = app.get_text("/nominees").await;
    assert_eq!(status, 200);
    assert_eq!(html.matches("data-testid=\"nominee-card\"").count(), 30);
    let streets = app.services.store.streets().await.unwrap();
    let (_, html) = app
        .get_text(&format!("/nominees?street={}", streets[0].id.0))
        .await;
    assert_eq!(html.matches("data-testid=\"nominee-card\"").count(), 3);
    let (_, html) = app
        .get_text("/nominees?q=%E5%BC%A0%E7%A7%80%E8%8B%B1")
        .await; // 张秀英
    assert_eq!(html.matches("data-testid=\"nominee-card\"").count(), 1);
    assert!(html.contains("张秀英"));
    let (_, html) = app.get_text("/nominees?q=12").await;
    assert_eq!(html.matches("data-testid=\"nominee-card\"").count(), 1);
    assert!(html.contains("012"));

    // A malformed search is a readable 400, and the list still shows.
    let (status, html) = app.get_text("/nominees?q=0").await;
    assert_eq!(status, 400);
    assert!(html.contains("编号应为 1 到 999 之间的数字"));
    let (status, html) = app.get_text("/nominees?street=abc").await;
    assert_eq!(status, 400);
    assert!(html.contains("没有这个街道"));

    // A profile, with its story and QR code; unknown or malformed numbers are 404s.
    let (status, html) = app.get_text("/nominees/1").await;
    assert_eq!(status, 200);
    assert!(html.contains("张秀英") && html.contains("data-testid=\"profile-qr\""));
    for missing in [
        "/nominees/999",
        "/nominees/0",
        "/nominees/abc",
        "/no-such-page",
    ] {
        let (status, html) = app.get_text(missing).await;
        assert_eq!(status, 404, "{missing}");
        assert!(html.contains("没有找到"), "{missing}");
    }
    let qr = app.get("/nominees/1/qr.svg").await;
    assert_eq!(qr.status(), 200);
    assert_eq!(qr.headers()["content-type"], "image/svg+xml");
    assert!(qr.text().await.unwrap().contains("<svg"));

    // Results: the tally as a plain page.
    cast_demo_vote(&app, "page-voter", 3).await;
    app.services.hub.refresh().await.unwrap();
    let (status, html) = app.get_text("/results").await;
    assert_eq!(status, 200);
    assert_eq!(html.matches("data-testid=\"result-row\"").count(), 30);
    assert!(html.contains("data-testid=\"total-votes\""));

    // English, by cookie and by browser preference.
    let en = app
        .client
        .get(app.url("/"))
        .header("cookie", "lang=en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(en.contains("<html lang=\"en\"") && en.contains("Voting open"));
    let en = app
        .client
        .get(app.url("/nominees"))
        .header("accept-language", "en-US,en;q=0.9")
        .send()
        .await
        .unwrap();
    assert!(en.text().await.unwrap().contains("Nominees"));

    // The language switch is a plain form post that comes back to the same page.
    let r = app
        .post_form("/lang", &[("lang", "en"), ("next", "/nominees?q=1")])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/nominees?q=1");
    assert!(r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with("lang=en"));

    // API: campaigns, nominees and results as JSON; errors as readable JSON.
    let (status, body) = app.get_json("/api/v1/campaigns").await;
    assert_eq!(status, 200);
    assert_eq!(body["campaigns"][0]["slug"], "yangpu-2026");
    assert_eq!(body["campaigns"][0]["phase"], "voting");
    assert_eq!(body["campaigns"][0]["rules"]["votes_per_day"], 10);
    let (status, body) = app.get_json("/api/v1/campaigns/yangpu-2026/nominees").await;
    assert_eq!(status, 200);
    assert_eq!(body["nominees"].as_array().unwrap().len(), 30);
    let (status, body) = app.get_json("/api/v1/campaigns/yangpu-2026/results").await;
    assert_eq!(status, 200);
    assert_eq!(body["total_votes"], 1);
    let (status, body) = app.get_json("/api/v1/campaigns/nope/nominees").await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    assert_eq!(body["message"], "没有这个评选活动。");
    let (status, body) = app
        .get_json("/api/v1/campaigns/yangpu-2026/nominees?street=x")
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("invalid_input"))
    );
    // A NUL in a search (PostgreSQL cannot compare one) and a malformed
    // campaign address are the caller's mistakes, not the server's.
    let (status, body) = app
        .get_json("/api/v1/campaigns/yangpu-2026/nominees?q=%E7%8E%8B%00")
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("invalid_input"))
    );
    let (status, _) = app
        .get_json("/api/v1/campaigns/yangpu%002026/nominees")
        .await;
    assert_eq!(status, 404);
    let r = app
        .client
        .get(app.url("/api/v1/nothing"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["message"],
        "There is no such API endpoint."
    );

    // Operations: health, and a request id on every answer.
    let r = app.get("/healthz").await;
    assert!(r.headers().contains_key("x-request-id"));
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!({ "status": "ok" }),
        "the public: status only"
    );
    let (_, body) = app.health().await;
    assert_eq!(body["status"], "ok");
    assert_eq!(
        body["database"]["backend"],
        if app.db == Db::Sqlite {
            "sqlite"
        } else {
            "postgres"
        }
    );
    assert_eq!(body["redis"]["status"], "not_configured");
}

on_both_backends!(pages_and_api);

/// `/healthz` tells the public whether the site is up, and nothing more;
/// its details (queue, last batch, Redis) need the configured token or an
/// organizer's session. `/livez` stays open.
async fn health_details_are_for_operators(app: TestApp) {
    let (status, body) = app.get_json("/healthz").await;
    assert_eq!(status, 200);
    assert_eq!(body, serde_json::json!({ "status": "ok" }));
    let wrong = app
        .client
        .get(app.url("/healthz"))
        .bearer_auth("not-the-token")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 200);
    assert_eq!(
        wrong.json::<serde_json::Value>().await.unwrap(),
        serde_json::json!({ "status": "ok" })
    );
    let (status, body) = app.health().await;
    assert_eq!(status, 200);
    assert!(body["vote_writer"]["queue_depth"].is_u64(), "{body}");
    assert_eq!(body["redis"]["status"], "not_configured");
    let organizer = app.organizer("dapin9", Role::ScreenOperator).await;
    let r = organizer.get("/healthz").await;
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["vote_writer"].is_object(), "{body}");
    let (status, text) = app.get_text("/livez").await;
    assert_eq!((status, text.as_str()), (200, "ok"));
}

on_both_backends!(health_details_are_for_operators);

/// Every `#[server]` loader the pages declare, as `app/src` names them.
fn loader_endpoints() -> Vec<String> {
    fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for line in text.lines().filter(|l| l.contains("#[server(")) {
                    if let Some(rest) = line.split("endpoint = \"").nth(1) {
                        out.push(rest.split('"').next().unwrap().to_string());
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src"),
        &mut out,
    );
    out
}

/// The pages' loaders run while a page renders on the server only: over
/// HTTP each is a 404, for anyone, signed in or not — while the pages they
/// load still render.
async fn the_pages_loaders_are_not_an_http_surface(app: TestApp) {
    let endpoints = loader_endpoints();
    assert!(endpoints.len() >= 20, "found {endpoints:?}");
    let admin = app.organizer("boss", Role::Admin).await;
    for endpoint in &endpoints {
        let path = format!("/sfn/{endpoint}");
        let r = crate::support::client()
            .post(app.url(&path))
            .form(&[("token", "")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{path} signed out");
        assert_eq!(app.get(&path).await.status(), 404, "GET {path}");
        let (status, _) = admin.post(&path, &[("token", "")]).await;
        assert_eq!(status, 404, "{path} as an administrator");
    }
    let (status, home) = app.get_text("/").await;
    assert_eq!(status, 200);
    assert!(home.contains("十佳小巷总理"), "the home page still loads");
    let (status, _) = admin.page("/console/results").await;
    assert_eq!(status, 200, "and the console's");
}

on_both_backends!(the_pages_loaders_are_not_an_http_surface);

/// Reads snapshots until one satisfies `done`, failing after `limit`.
async fn wait_for_snapshot(
    sse: &mut SseReader,
    limit: Duration,
    done: impl Fn(&serde_json::Value) -> bool,
) -> Duration {
    let started = Instant::now();
    loop {
        let left = limit
            .checked_sub(started.elapsed())
            .expect("no matching snapshot in time");
        let data = tokio::time::timeout(left, sse.next_data())
            .await
            .expect("no matching snapshot in time")
            .expect("stream ended");
        let snapshot: serde_json::Value = serde_json::from_str(&data).unwrap();
        if done(&snapshot) {
            return started.elapsed();
        }
    }
}

fn votes_of(snapshot: &serde_json::Value, number: u64) -> u64 {
    snapshot["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["number"] == number)
        .and_then(|e| e["votes"].as_u64())
        .unwrap()
}

/// A vote taken by another instance (sharing the database) reaches this
/// instance's live stream within a second.
async fn live_results_across_instances(a: TestApp) {
    let b = a.another_instance().await;
    let response = a.get("/api/v1/campaigns/yangpu-2026/results/stream").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut sse = SseReader::new(response);
    let first: serde_json::Value = serde_json::from_str(&sse.next_data().await.unwrap()).unwrap();
    let before = votes_of(&first, 5);

    cast_demo_vote(&b, "instance-b-voter", 5).await;
    let took = wait_for_snapshot(&mut sse, Duration::from_secs(1), |s| {
        votes_of(s, 5) == before + 1
    })
    .await;
    eprintln!("vote on instance B seen on instance A's stream after {took:?}");

    cast_demo_vote(&a, "instance-a-voter", 5).await;
    wait_for_snapshot(&mut sse, Duration::from_secs(1), |s| {
        votes_of(s, 5) == before + 2
    })
    .await;
}

on_both_backends!(live_results_across_instances);

/// Shutdown ends live streams and lets the server stop, rather than waiting on them forever.
#[tokio::test]
async fn graceful_shutdown_closes_streams() {
    let mut app = spawn_app(Db::Sqlite).await;
    let mut sse = SseReader::new(
        app.get("/api/v1/campaigns/yangpu-2026/results/stream")
            .await,
    );
    assert!(sse.next_data().await.is_some());
    app.shut_down();
    let ended = tokio::time::timeout(Duration::from_secs(5), sse.next_data())
        .await
        .expect("stream still open");
    assert!(ended.is_none());
    let finished = app.finished.take().unwrap();
    tokio::time::timeout(Duration::from_secs(5), finished)
        .await
        .expect("server still running")
        .unwrap()
        .unwrap();
}

/// With Redis configured, health reports it; when it dies the server keeps
/// serving and reports itself degraded; when it returns, health recovers.
async fn survives_redis_going_away(db: Db, mut redis: OwnRedis) {
    let app = spawn_app_with(AppOptions {
        redis_url: Some(redis.url.clone()),
        ..AppOptions::new(db)
    })
    .await;
    let (status, body) = app.health().await;
    assert_eq!(
        (
            status,
            body["status"].as_str(),
            body["redis"]["status"].as_str()
        ),
        (200, Some("ok"), Some("ok"))
    );

    redis.stop();
    let (status, body) = app.health().await;
    assert_eq!(
        (
            status,
            body["status"].as_str(),
            body["redis"]["status"].as_str()
        ),
        (200, Some("degraded"), Some("down"))
    );
    let (status, _) = app.get_text("/nominees").await;
    assert_eq!(status, 200);
    let (status, _) = app.get_json("/api/v1/campaigns/yangpu-2026/results").await;
    assert_eq!(status, 200);
}

on_both_backends!(survives_redis_going_away, own_redis);

#[tokio::test]
async fn shared_redis_reports_healthy() {
    let app = spawn_app_with(AppOptions {
        redis_url: Some(shared_redis_url()),
        ..AppOptions::new(Db::Sqlite)
    })
    .await;
    let (_, body) = app.health().await;
    if body["redis"]["status"] != "ok" {
        skip("the shared Redis", "it did not answer PING");
        return;
    }
    assert_eq!(body["status"], "ok");
}

/// The OpenAPI document, generated from the handlers, describes every route
/// the API serves, as precisely as the server checks its input.
#[tokio::test]
async fn openapi_document_lists_the_api() {
    let app = spawn_app(Db::Sqlite).await;
    let (status, doc) = app.get_json("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["NomineeNumber"]["minimum"], 1);
    assert_eq!(schemas["NomineeNumber"]["maximum"], 999);
    assert!(schemas["PhoneText"]["pattern"]
        .as_str()
        .unwrap()
        .starts_with('^'));
    let vote = &doc["paths"]["/campaigns/{slug}/votes"]["post"];
    assert_eq!(vote["security"][0]["bearer"], serde_json::json!([]));
    for status in ["201", "401", "403", "404", "409", "422", "429", "503"] {
        assert!(
            vote["responses"][status].is_object(),
            "vote answers {status}"
        );
    }
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/campaigns",
        "/campaigns/{slug}/nominees",
        "/sms-codes",
        "/sessions",
        "/campaigns/{slug}/votes",
        "/campaigns/{slug}/my-votes",
        "/campaigns/{slug}/results",
        "/campaigns/{slug}/results/stream",
    ] {
        assert!(paths.contains_key(path), "{path} undocumented");
        // And each documented GET answers (not the API's 404 fallback).
        if paths[path].get("get").is_some()
            && !path.contains("my-votes")
            && !path.ends_with("stream")
        {
            let url = format!("/api/v1{}", path.replace("{slug}", "yangpu-2026"));
            assert_eq!(app.get(&url).await.status(), 200, "{url}");
        }
    }
}

/// A page of plain server HTML loads no script: a page loads the wasm
/// bundle exactly when it holds an island (the live results, the wall and
/// its panel, the nomination form, a sheet's entry form).
async fn only_pages_with_an_island_load_the_wasm_bundle(app: TestApp) {
    let loads_bundle = |html: &str| html.contains("/pkg/alleyvote.js") || html.contains(".wasm");
    let holds_island = |html: &str| html.contains("<leptos-island");
    for plain in ["/", "/nominees", "/nominees/7", "/login", "/nominate"] {
        let (status, html) = app.get_text(plain).await;
        assert_eq!(status, 200, "{plain}");
        assert!(!loads_bundle(&html), "{plain} loads the wasm bundle");
    }
    let (_, html) = app.get_text("/results").await;
    assert!(loads_bundle(&html), "the live results need their island");
    let admin = app.organizer("boss", Role::Admin).await;
    let mut checked = 0;
    for page in [
        "/",
        "/nominees",
        "/nominees/7",
        "/results",
        "/results/notice",
        "/screen",
        "/screen/rehearsal",
        "/login",
        "/nominate",
        "/my/nominations",
        "/console",
        "/console/screen",
        "/console/paper",
        "/console/paper/sheets/1",
        "/console/results",
        "/console/nominations",
        "/console/audit",
    ] {
        let (status, html) = admin.page(page).await;
        if status != 200 {
            continue;
        }
        checked += 1;
        assert_eq!(
            loads_bundle(&html),
            holds_island(&html),
            "{page}: the bundle is loaded exactly where an island is"
        );
        assert!(
            html.matches("/pkg/alleyvote.js").count() <= 2,
            "{page}: the bundle is loaded once (a preload and the import)"
        );
    }
    assert!(checked >= 12, "pages checked: {checked}");
}

on_both_backends!(only_pages_with_an_island_load_the_wasm_bundle);

/// A site folder of the test's own: a hashed script, and the brotli and
/// gzip copies a `--precompress` release build writes beside it.
fn with_precompressed_site(db: Db) -> AppOptions {
    let site = std::env::temp_dir().join(format!(
        "alleyvote-site-{}-{db:?}-{}",
        std::process::id(),
        Millis::now().0
    ));
    let pkg = site.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("alleyvote.AbCdEfGh12.js"), PLAIN_SCRIPT).unwrap();
    std::fs::write(pkg.join("alleyvote.AbCdEfGh12.js.br"), b"brotli bytes").unwrap();
    std::fs::write(pkg.join("alleyvote.AbCdEfGh12.js.gz"), b"gzip bytes").unwrap();
    AppOptions {
        extra: vec![("LEPTOS_SITE_ROOT", site.display().to_string())],
        ..AppOptions::new(db)
    }
}

const PLAIN_SCRIPT: &str =
    "console.log('the live results, the wall, the panel, the sheet and the dashboard');";

/// A browser that accepts brotli gets the copy the build compressed at its
/// best, as it is; one that accepts only gzip the compression layer's gzip
/// (smaller than the build's); one that accepts neither the file itself.
/// Each is kept for a year.
async fn the_bundle_goes_out_as_the_build_compressed_it(app: TestApp) {
    let path = "/pkg/alleyvote.AbCdEfGh12.js";
    let get = |encoding: &'static str| {
        let request = app.client.get(app.url(path));
        async move {
            let r = if encoding.is_empty() {
                request
            } else {
                request.header("accept-encoding", encoding)
            }
            .send()
            .await
            .unwrap();
            let header = |name: &str| {
                r.headers()
                    .get(name)
                    .map(|v| v.to_str().unwrap().to_string())
            };
            let (encoded, lifetime) = (header("content-encoding"), header("cache-control"));
            (
                r.status().as_u16(),
                encoded,
                lifetime,
                r.bytes().await.unwrap(),
            )
        }
    };
    let (status, encoded, lifetime, body) = get("gzip, deflate, br").await;
    assert_eq!(status, 200);
    assert_eq!(encoded.as_deref(), Some("br"));
    assert_eq!(&body[..], b"brotli bytes");
    assert_eq!(
        lifetime.as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    let (_, encoded, _, body) = get("gzip, deflate").await;
    assert_eq!(encoded.as_deref(), Some("gzip"));
    assert_ne!(&body[..], b"gzip bytes", "compressed as it goes");
    assert_eq!(&body[..2], &[0x1f, 0x8b], "a gzip stream");
    let (_, encoded, _, body) = get("").await;
    assert_eq!(encoded, None);
    assert_eq!(&body[..], PLAIN_SCRIPT.as_bytes());
    assert_eq!(get("br").await.0, 200);
    let missing = app.get("/pkg/alleyvote.ZZZZZZZZZZ.js").await;
    assert_eq!(missing.status().as_u16(), 404);
}

on_both_backends!(
    the_bundle_goes_out_as_the_build_compressed_it,
    with_precompressed_site
);

/// A profile without a photo still shows a picture where its link is
/// shared: a card drawn with the number, at the size chats show.
async fn a_shared_profile_without_a_photo_shows_a_card(app: TestApp) {
    let (status, page) = app.get_text("/nominees/7").await;
    assert_eq!(status, 200);
    let card = app.url("/nominees/7/card.png");
    assert!(
        page.contains(&format!("property=\"og:image\" content=\"{card}\"")),
        "{page}"
    );
    let r = app.get("/nominees/7/card.png").await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    let png = r.bytes().await.unwrap();
    let picture = image::load_from_memory(&png).unwrap();
    assert_eq!((picture.width(), picture.height()), (1200, 630));
    assert_eq!(
        app.get("/nominees/abc/card.png").await.status().as_u16(),
        404
    );
}

on_both_backends!(a_shared_profile_without_a_photo_shows_a_card);
