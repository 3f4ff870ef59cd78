//! The first filter in front of the database: rate limits per address, device
//! and voter, and the dedup pre-check; shared through Redis across instances,
//! in process when Redis is absent or dies.

use std::sync::Arc;

use crate::support::{
    cookie_value, race, set_cookie, spawn_app_with, AppOptions, Db, OwnRedis, TestApp,
};

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

/// The id of the demo nominee that holds `number` now.
async fn nominee_id(app: &TestApp, number: u32) -> i64 {
    let store = &app.services.store;
    let campaign = store.campaign("yangpu-2026").await.unwrap().unwrap();
    let number = alleyvote_domain::NomineeNumber::new(number).unwrap();
    let (_, id) = store
        .active_nominees(campaign.id)
        .await
        .unwrap()
        .into_iter()
        .find(|(n, _)| *n == number)
        .unwrap();
    id.0
}

/// Waits until Redis holds `votes` votes on the one voter-day it knows:
/// the pre-check's record is written off the answer's path.
async fn recorded(conn: &mut redis::aio::MultiplexedConnection, votes: i64) {
    let seen = async {
        loop {
            let keys = day_keys(conn).await;
            if let Some(key) = keys.first() {
                let all: Option<i64> = redis::cmd("HGET")
                    .arg(key)
                    .arg("all")
                    .query_async(conn)
                    .await
                    .unwrap();
                if all == Some(votes) {
                    return;
                }
            }
            tokio::task::yield_now().await;
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(5), seen)
        .await
        .expect("Redis records the vote");
}

/// Two instances on one PostgreSQL database and one Redis of the test's own.
async fn two_instances(
    db: Db,
    redis: &OwnRedis,
    extra: Vec<(&'static str, String)>,
) -> (TestApp, TestApp) {
    let a = spawn_app_with(AppOptions {
        redis_url: Some(redis.url.clone()),
        extra,
        ..AppOptions::new(db)
    })
    .await;
    let b = a.another_instance().await;
    (a, b)
}

/// With Redis, a voter's rate holds across instances, and Redis's record of
/// what they cast turns a vote away before it reaches the database.
async fn limits_and_dedup_are_shared_through_redis(db: Db, redis: OwnRedis) {
    let extra = vec![("ALLEYVOTE_RATE_VOTER_PER_MIN", "4".to_string())];
    let (a, b) = two_instances(db, &redis, extra).await;
    let voter = a.voter("13600000061").await;
    // Four votes alternate instances: each instance alone has seen only two.
    for n in 1..=4 {
        let app = if n % 2 == 0 { &b } else { &a };
        let (status, _, body) = voter.at(app).vote(n).await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, headers, body) = voter.vote(5).await;
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
    let other = b.voter("13600000062").await;
    let (status, _, _) = other.vote(1).await;
    assert_eq!(status, 201);
    let keys_now = day_keys(&mut conn).await;
    let theirs = keys_now.iter().find(|k| !keys.contains(k)).unwrap();
    // Redis knows nominees by id.
    let seven = nominee_id(&a, 7).await;
    let _: () = redis::cmd("HSET")
        .arg(theirs)
        .arg(seven)
        .arg(1)
        .query_async(&mut conn)
        .await
        .unwrap();
    let (status, _, body) = other.at(&a).vote(7).await;
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

on_postgres!(limits_and_dedup_are_shared_through_redis, own_redis);

/// Redis dies in the middle of voting: voting goes on (rates in process,
/// dedup by the database), and every acknowledged vote is there exactly once.
async fn redis_stopping_mid_voting_loses_and_doubles_nothing(db: Db, mut redis: OwnRedis) {
    let extra = vec![("ALLEYVOTE_RATE_VOTER_PER_MIN", "1000".to_string())];
    let (a, b) = two_instances(db, &redis, extra).await;
    let mut voters = Vec::new();
    for i in 0..12 {
        let app = if i % 2 == 0 { &a } else { &b };
        voters.push(app.voter(&format!("1370000{:04}", 100 + i)).await);
    }
    // How many votes were acknowledged so far.
    let (acknowledged, acks) = tokio::sync::watch::channel(0usize);
    let acknowledged = Arc::new(acknowledged);
    // Each voter tries 15 nominees against a quota of 10, alternating instances.
    let cast = |from: u32, to: u32| {
        let (a, b, acknowledged) = (&a, &b, &acknowledged);
        race(voters.iter().enumerate().map(move |(i, voter)| {
            let (on_a, on_b) = (voter.at(a), voter.at(b));
            let acknowledged = acknowledged.clone();
            async move {
                for n in from..=to {
                    let voter = if (i as u32 + n).is_multiple_of(2) {
                        &on_a
                    } else {
                        &on_b
                    };
                    let (status, _, body) = voter.vote(n).await;
                    assert!(status == 201 || status == 409, "{status} {body}");
                    if status == 201 {
                        acknowledged.send_modify(|count| *count += 1);
                    }
                }
            }
        }))
    };
    let count = || *acks.borrow();
    // Before: Redis is up.
    cast(1, 4).await;
    assert_eq!(count(), 12 * 4);
    // During: Redis is killed once the first of these votes are acknowledged,
    // while the rest are in flight.
    let mut during = std::pin::pin!(cast(5, 9));
    let mut started = acks.clone();
    let done_already = tokio::select! {
        seen = started.wait_for(|count| *count >= 12 * 4 + 12) => {
            seen.unwrap();
            false
        }
        _ = &mut during => true,
    };
    redis.stop();
    if !done_already {
        during.await;
    }
    // After: Redis is gone.
    cast(10, 15).await;
    assert_eq!(
        count(),
        12 * 10,
        "every voter got exactly their quota acknowledged"
    );
    assert_eq!(a.total_votes().await, 120, "nothing lost, nothing doubled");
    assert_eq!(b.total_votes().await, 120);
    for voter in &voters {
        let (_, mine) = voter.at(&a).my_votes().await;
        assert_eq!(mine["votes"].as_array().unwrap().len(), 10, "{mine}");
    }
    let (_, health) = a.health().await;
    assert_eq!(health["status"], "degraded");
    a.verify_tally().await;
}

on_postgres!(
    redis_stopping_mid_voting_loses_and_doubles_nothing,
    own_redis
);

/// Votes per device: two voters on one phone share its allowance; another
/// phone has its own. A browser without the cookie is given one, signed;
/// an id the server did not sign is replaced.
#[tokio::test]
async fn votes_are_limited_per_device() {
    let app = spawn_app_with(AppOptions {
        extra: vec![("ALLEYVOTE_RATE_DEVICE_PER_MIN", "2".to_string())],
        ..AppOptions::new(Db::Sqlite)
    })
    .await;
    let first = app.get("/").await;
    let cookie = set_cookie(first.headers(), "av_device")
        .expect("a device cookie")
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("Max-Age="),
        "{cookie}"
    );
    let device = cookie_value(&cookie);
    let grandma = app.voter("13800000071").await;
    let grandpa = app.voter("13800000072").await;
    assert_eq!(grandma.on_device(device).vote(1).await.0, 201);
    assert_eq!(grandpa.on_device(device).vote(1).await.0, 201);
    let (status, headers, _) = grandma.on_device(device).vote(2).await;
    assert_eq!(status, 429);
    assert!(headers.contains_key("retry-after"));
    // Another phone, with its own signed id, has its own allowance.
    let second = app.get("/").await;
    let own_phone = set_cookie(second.headers(), "av_device")
        .map(|c| cookie_value(c).to_string())
        .expect("a second device cookie");
    assert_ne!(own_phone, device);
    assert_eq!(grandma.on_device(&own_phone).vote(2).await.0, 201);
    // An id the server did not sign is not believed: the answer brings a
    // signed one of its own, and the made-up id shares no allowance.
    let forged = "0123456789abcdef0123456789abcdef";
    let r = app
        .client
        .get(app.url("/"))
        .header("cookie", format!("av_device={forged}"))
        .send()
        .await
        .unwrap();
    let issued = set_cookie(r.headers(), "av_device").expect("a signed id instead");
    assert!(cookie_value(issued).contains('.'), "{issued}");
    assert_eq!(
        r.headers()["x-device-id"].to_str().unwrap(),
        cookie_value(issued),
        "apps read it from the answer header"
    );
    // Probes and files get no device id (and cost no signing).
    let probe = app.get("/livez").await;
    assert!(set_cookie(probe.headers(), "av_device").is_none());
    // Clients that never keep the id share one allowance per address,
    // instead of a fresh one per request.
    let aunt = app.voter("13800000073").await;
    assert_eq!(aunt.vote(3).await.0, 201);
    assert_eq!(aunt.vote(4).await.0, 201);
    assert_eq!(aunt.vote(5).await.0, 429);
}

/// Redis remembers votes by nominee id: after an organizer renumbers the
/// nominees mid-day, a vote for whoever holds a number the voter already
/// used today is not turned away by the pre-check.
async fn renumbering_mid_day_refuses_nothing_falsely(db: Db, redis: OwnRedis) {
    let (a, b) = two_instances(db, &redis, vec![]).await;
    let voter = a.voter("13600000071").await;
    assert_eq!(voter.vote(1).await.0, 201);
    let mut conn = redis_conn(&redis.url).await;
    recorded(&mut conn, 1).await;

    // Numbers 1 and 2 swap, behind both instances' backs.
    a.raw_sql(
        "UPDATE nominees SET number = 999 WHERE number = 1; \
         UPDATE nominees SET number = 1 WHERE number = 2; \
         UPDATE nominees SET number = 2 WHERE number = 999;",
    )
    .await
    .unwrap();
    // Instance a looked the numbers up a moment ago and still holds them
    // (for a second): Redis says "already voted" for the nominee its old
    // number 1 named, and the refusal, confirmed afresh, does not hold.
    let (status, _, body) = voter.vote(1).await;
    assert_eq!(status, 201, "the new number 1 is another nominee: {body}");
    // Instance b has not looked the numbers up before: it knows the new ones.
    let (status, _, body) = voter.at(&b).vote(2).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("already_voted")),
        "the first nominee, now number 2, was voted for today"
    );
    a.verify_tally().await;
}

on_postgres!(renumbering_mid_day_refuses_nothing_falsely, own_redis);
