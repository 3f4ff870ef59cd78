//! The first filter in front of the database: rate limits per address, device
//! and voter, and the dedup pre-check; shared through Redis across instances,
//! in process when Redis is absent or dies.

use crate::support as common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::{spawn_app_with, AppOptions, Db, OwnRedis, TestApp};
use serde_json::json;

const VOTES: &str = "/api/v1/campaigns/yangpu-2026/votes";

async fn redis_conn(url: &str) -> redis::aio::MultiplexedConnection {
    redis::Client::open(url)
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap()
}

/// The Redis keys holding voters' days (one per voter who has voted).
async fn day_keys(conn: &mut redis::aio::MultiplexedConnection) -> Vec<String> {
    let mut keys: Vec<String> = redis::cmd("KEYS")
        .arg("av:*:{v*}:c*:d*")
        .query_async(conn)
        .await
        .unwrap();
    keys.sort();
    keys
}

/// Two instances on one PostgreSQL database and one Redis of the test's own.
async fn two_instances(
    redis: &OwnRedis,
    extra: Vec<(&'static str, String)>,
) -> Option<(TestApp, TestApp)> {
    let a = spawn_app_with(AppOptions {
        redis_url: Some(redis.url.clone()),
        extra: extra.clone(),
        ..AppOptions::new(Db::Postgres)
    })
    .await?;
    let b = spawn_app_with(AppOptions {
        database_url: Some(a.database_url.clone()),
        redis_url: Some(redis.url.clone()),
        demo: false,
        extra,
        ..AppOptions::new(Db::Postgres)
    })
    .await?;
    Some((a, b))
}

/// With Redis, a voter's rate holds across instances, and Redis's record of
/// what they cast turns a vote away before it reaches the database.
#[tokio::test]
async fn limits_and_dedup_are_shared_through_redis() {
    let Some(redis) = OwnRedis::start().await else {
        return;
    };
    let extra = vec![("ALLEYVOTE_RATE_VOTER_PER_MIN", "4".to_string())];
    let Some((a, b)) = two_instances(&redis, extra).await else {
        return;
    };
    let token = a.sign_in("13600000061").await;
    // Four votes alternate instances: each instance alone has seen only two.
    for n in 1..=4 {
        let app = if n % 2 == 0 { &b } else { &a };
        let (status, _, body) = app.vote(Some(&token), json!(n)).await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, headers, body) = a.vote(Some(&token), json!(5)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("rate_limited"))
    );
    assert!(headers.contains_key("retry-after"));

    // Redis holds the voter's day: four votes, one each for 1 to 4.
    let mut conn = redis_conn(&redis.url).await;
    let keys = day_keys(&mut conn).await;
    assert_eq!(keys.len(), 1, "{keys:?}");
    let all: i64 = redis::cmd("HGET")
        .arg(&keys[0])
        .arg("all")
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(all, 4);

    // A second voter: once Redis says nominee 7 is taken today, the vote is
    // refused without a database write (the database alone would accept it).
    let other = b.sign_in("13600000062").await;
    let (status, _, _) = b.vote(Some(&other), json!(1)).await;
    assert_eq!(status, 201);
    let keys_now = day_keys(&mut conn).await;
    let theirs = keys_now.iter().find(|k| !keys.contains(k)).unwrap();
    let _: () = redis::cmd("HSET")
        .arg(theirs)
        .arg(7)
        .arg(1)
        .query_async(&mut conn)
        .await
        .unwrap();
    let (status, _, body) = a.vote(Some(&other), json!(7)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("already_voted"))
    );
    assert_eq!(
        a.total_votes().await,
        5,
        "the refused vote was never written"
    );
}

/// Redis dies in the middle of voting: voting goes on (rates in process,
/// dedup by the database), and every acknowledged vote is there exactly once.
#[tokio::test]
async fn redis_stopping_mid_voting_loses_and_doubles_nothing() {
    let Some(mut redis) = OwnRedis::start().await else {
        return;
    };
    let extra = vec![("ALLEYVOTE_RATE_VOTER_PER_MIN", "1000".to_string())];
    let Some((a, b)) = two_instances(&redis, extra).await else {
        return;
    };
    let a = Arc::new(a);
    let b = Arc::new(b);
    let mut tokens = Vec::new();
    for i in 0..12 {
        let app = if i % 2 == 0 { &a } else { &b };
        tokens.push(app.sign_in(&format!("1370000{:04}", 100 + i)).await);
    }
    let acknowledged = Arc::new(AtomicUsize::new(0));
    // Each voter tries 15 nominees against a quota of 10, alternating instances.
    let cast = |from: u32, to: u32| {
        let mut tasks = Vec::new();
        for (i, token) in tokens.iter().enumerate() {
            let (a, b, token, acknowledged) =
                (a.clone(), b.clone(), token.clone(), acknowledged.clone());
            tasks.push(tokio::spawn(async move {
                let mut statuses = Vec::new();
                for n in from..=to {
                    let app = if (i as u32 + n).is_multiple_of(2) {
                        &a
                    } else {
                        &b
                    };
                    let (status, _, body) = app.vote(Some(&token), json!(n)).await;
                    assert!(status == 201 || status == 409, "{status} {body}");
                    if status == 201 {
                        acknowledged.fetch_add(1, Ordering::SeqCst);
                    }
                    statuses.push(status);
                }
                statuses
            }));
        }
        tasks
    };
    // Before: Redis is up.
    for t in cast(1, 4) {
        t.await.unwrap();
    }
    assert_eq!(acknowledged.load(Ordering::SeqCst), 12 * 4);
    // During: Redis is killed while votes are in flight.
    let during = cast(5, 9);
    redis.stop();
    for t in during {
        t.await.unwrap();
    }
    // After: Redis is gone.
    for t in cast(10, 15) {
        t.await.unwrap();
    }
    assert_eq!(
        acknowledged.load(Ordering::SeqCst),
        12 * 10,
        "every voter got exactly their quota acknowledged"
    );
    assert_eq!(a.total_votes().await, 120, "nothing lost, nothing doubled");
    assert_eq!(b.total_votes().await, 120);
    for token in &tokens {
        let r = a
            .client
            .get(a.url("/api/v1/campaigns/yangpu-2026/my-votes"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let mine: serde_json::Value = r.json().await.unwrap();
        assert_eq!(mine["votes"].as_array().unwrap().len(), 10, "{mine}");
    }
    let (_, health) = a.get_json("/healthz").await;
    assert_eq!(health["status"], "degraded");
}

/// Votes per device: two voters on one phone share its allowance; another
/// phone has its own. A browser without the cookie is given one.
#[tokio::test]
async fn votes_are_limited_per_device() {
    let Some(app) = spawn_app_with(AppOptions {
        extra: vec![("ALLEYVOTE_RATE_DEVICE_PER_MIN", "2".to_string())],
        ..AppOptions::new(Db::Sqlite)
    })
    .await
    else {
        return;
    };
    let first = app.get("/").await;
    let cookie = first
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("av_device="))
        .expect("a device cookie")
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("Max-Age="),
        "{cookie}"
    );
    let device = cookie
        .trim_start_matches("av_device=")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let vote = |token: String, n: u32, device: String| {
        app.client
            .post(app.url(VOTES))
            .bearer_auth(token)
            .header("cookie", format!("av_device={device}"))
            .json(&json!({ "nominee_number": n }))
            .send()
    };
    let grandma = app.sign_in("13800000071").await;
    let grandpa = app.sign_in("13800000072").await;
    assert_eq!(
        vote(grandma.clone(), 1, device.clone())
            .await
            .unwrap()
            .status(),
        201
    );
    assert_eq!(
        vote(grandpa.clone(), 1, device.clone())
            .await
            .unwrap()
            .status(),
        201
    );
    let third = vote(grandma.clone(), 2, device.clone()).await.unwrap();
    assert_eq!(third.status(), 429);
    assert!(third.headers().contains_key("retry-after"));
    let own_phone = "0123456789abcdef0123456789abcdef".to_string();
    assert_eq!(vote(grandma, 2, own_phone).await.unwrap().status(), 201);
}
