//! Instances whose clocks disagree, as real machines' do by a few seconds:
//! across a Shanghai midnight and across the close of voting, the
//! database's clock decides, so no voter gets more than the quota, nothing
//! counts after the close, and no instance refuses a vote it should take.
//! PostgreSQL (several instances), with Redis's pre-check in front.

use alleyvote_domain::Millis;
use sqlx::Connection;

use crate::support::{shared_redis_url, spawn_app_with, AppOptions, Db, TestApp};

/// How far apart the two instances' clocks are from the database's.
const SKEW_MS: i64 = 4_000;

fn options(db: Db, database_skew: i64, instance_skew: i64) -> AppOptions {
    AppOptions {
        redis_url: Some(shared_redis_url()),
        extra: vec![
            ("ALLEYVOTE_RATE_VOTER_PER_MIN", "100000".to_string()),
            ("ALLEYVOTE_RATE_IP_PER_MIN", "1000000".to_string()),
            ("ALLEYVOTE_SMS_PER_IP_PER_HOUR", "1000".to_string()),
        ],
        clock_skew_ms: database_skew + instance_skew,
        database_clock_skew_ms: database_skew,
        ..AppOptions::new(db)
    }
}

/// A fast and a slow instance on one database.
async fn fast_and_slow(db: Db, database_skew: i64) -> (TestApp, TestApp) {
    let fast = spawn_app_with(options(db, database_skew, SKEW_MS)).await;
    let slow = spawn_app_with(AppOptions {
        database_url: Some(fast.database_url.clone()),
        demo: false,
        ..options(db, database_skew, -SKEW_MS)
    })
    .await;
    (fast, slow)
}

/// The stored votes of a voter, per Shanghai day (by the deciding clock).
async fn votes_per_day(app: &TestApp) -> Vec<(i64, i32, i64)> {
    let mut db = sqlx::PgConnection::connect(&app.database_url)
        .await
        .unwrap();
    sqlx::query_as(
        "SELECT voter_id, day, COUNT(*) FROM votes GROUP BY voter_id, day ORDER BY voter_id, day",
    )
    .fetch_all(&mut db)
    .await
    .unwrap()
}

/// One voter votes through a fast and a slow instance in turn from a few
/// seconds before a Shanghai midnight (by the database's clock) until the new
/// day's quota is used: three a day, each day; no refusal of a vote sent
/// after midnight while the new day's quota was not yet used.
async fn a_midnight_between_skewed_instances(db: Db) {
    // The database's clock reads 20 s before the next Shanghai midnight.
    let now = Millis::now();
    let midnight = now.shanghai_day().next_midnight();
    let database_skew = midnight.0 - 20_000 - now.0;
    let db_now = || Millis::now().plus_ms(database_skew);
    let (fast, slow) = fast_and_slow(db, database_skew).await;
    fast.raw_sql("UPDATE campaigns SET votes_per_day = 3, per_nominee_per_day = 1")
        .await
        .unwrap();
    let voter = fast.voter("13900000123").await;
    assert!(
        db_now().0 < midnight.0 - 4_000,
        "setting up took too long to reach midnight with votes before it"
    );
    // The day's three votes go in during the last seconds before midnight,
    // when the fast instance already believes it is the next day.
    let mut pace = tokio::time::interval(std::time::Duration::from_millis(100));
    while db_now().0 < midnight.0 - 3_500 {
        pace.tick().await;
    }
    // The new day's votes, as the database counted them (a vote sent just
    // before midnight may be decided just after it).
    let first = midnight.plus_ms(-1).shanghai_day().0;
    let pool = sqlx::PgPool::connect(&fast.database_url).await.unwrap();
    let new_day_votes = || {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM votes WHERE day = $1")
            .bind(first + 1)
            .fetch_one(&pool)
    };
    let (mut false_refusals, mut nominee) = (Vec::new(), 0u32);
    while new_day_votes().await.unwrap() < 3 {
        pace.tick().await;
        if db_now().0 >= midnight.0 + 15_000 {
            panic!(
                "the new day's quota was never reached (midnight at {}): votes per day {:?}, \
                 refused after midnight {false_refusals:?}",
                midnight.0,
                votes_per_day(&fast).await
            );
        }
        nominee = nominee % 30 + 1;
        let app = if nominee % 2 == 0 { &fast } else { &slow };
        let sent = db_now();
        let (status, _, body) = voter.at(app).vote(nominee).await;
        match status {
            201 => {}
            // Sent after midnight while the new day's three were not all
            // counted: no refusal is right.
            409 if sent.0 >= midnight.0 + 50 && new_day_votes().await.unwrap() < 3 => {
                false_refusals.push(body["error"].clone())
            }
            409 => {}
            other => panic!("a vote answered {other}: {body}"),
        }
    }
    assert!(
        false_refusals.is_empty(),
        "refused after midnight: {false_refusals:?}"
    );
    let days = votes_per_day(&fast).await;
    assert_eq!(
        days.iter().map(|d| (d.1, d.2)).collect::<Vec<_>>(),
        [(first, 3), (first + 1, 3)],
        "three votes each day, by the database's day"
    );
    fast.verify_tally().await;
}

on_postgres!(a_midnight_between_skewed_instances, db);

/// Voting closes 3 s from now by the database's clock; voters vote through a
/// fast and a slow instance until after it. Nothing counts after the close,
/// and nothing is refused as closed before it.
async fn the_close_between_skewed_instances(db: Db) {
    let (fast, slow) = fast_and_slow(db, 0).await;
    // A quota no one reaches here: every refusal is about the window.
    fast.raw_sql("UPDATE campaigns SET votes_per_day = 100, per_nominee_per_day = 100")
        .await
        .unwrap();
    let mut voters = Vec::new();
    for i in 0..6 {
        voters.push(fast.voter(&format!("1390000{i:04}")).await);
    }
    let close = Millis::now().plus_ms(3_000);
    let mut conn = sqlx::PgConnection::connect(&fast.database_url)
        .await
        .unwrap();
    sqlx::query("UPDATE campaigns SET voting_end_ms = $1")
        .bind(close.0)
        .execute(&mut conn)
        .await
        .unwrap();

    let mut pace = tokio::time::interval(std::time::Duration::from_millis(50));
    let (mut before, mut after, mut nominee) = (0i64, 0, 0u32);
    while Millis::now().0 < close.0 + 2_000 {
        pace.tick().await;
        nominee = nominee % 30 + 1;
        let voter = &voters[nominee as usize % voters.len()];
        let app = if nominee % 2 == 0 { &fast } else { &slow };
        let (status, _, body) = voter.at(app).vote(nominee).await;
        let answered = Millis::now();
        match (status, body["error"].as_str()) {
            (201, _) => before += 1,
            (403, Some("voting_closed")) => {
                assert!(
                    answered.0 >= close.0,
                    "refused as closed {} ms before the close",
                    close.0 - answered.0
                );
                after += 1;
            }
            other => panic!("a vote answered {other:?}: {body}"),
        }
    }
    assert!(
        before > 0 && after > 0,
        "votes on both sides: {before}, {after}"
    );
    let late: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM votes WHERE cast_at_ms >= $1")
        .bind(close.0)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(late, 0, "no vote counted at or after the close");
    assert_eq!(
        votes_per_day(&fast).await.iter().map(|d| d.2).sum::<i64>(),
        before,
        "every vote answered 201 is stored, and no other"
    );
    fast.verify_tally().await;
}

on_postgres!(the_close_between_skewed_instances, db);

/// A refusal kept under a request key is the answer to a retry on its own
/// Shanghai day only. Two instances whose database clocks are a day apart
/// stand for today and tomorrow.
async fn a_kept_refusal_replays_on_its_own_day_only(db: Db) {
    let today = spawn_app_with(options(db, 0, 0)).await;
    let tomorrow = spawn_app_with(AppOptions {
        database_url: Some(today.database_url.clone()),
        demo: false,
        ..options(db, 86_400_000, 0)
    })
    .await;
    today
        .raw_sql("UPDATE campaigns SET votes_per_day = 10, per_nominee_per_day = 1")
        .await
        .unwrap();
    let voter = today.voter("13900000321").await;
    assert_eq!(voter.vote(1).await.0, 201);
    let (status, _, body) = voter.vote_with_key("again-1", 1).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("already_voted"))
    );
    // The rule now allows a second vote; a retry today still gets the
    // refusal it got (a fresh decision would count it).
    today
        .raw_sql("UPDATE campaigns SET per_nominee_per_day = 2")
        .await
        .unwrap();
    let (status, _, replayed) = voter.vote_with_key("again-1", 1).await;
    assert_eq!((status, &replayed), (409, &body));
    // Tomorrow the same key is decided afresh.
    let (status, _, counted) = voter.at(&tomorrow).vote_with_key("again-1", 1).await;
    assert_eq!(status, 201, "{counted}");
    today.verify_tally().await;
}

on_postgres!(a_kept_refusal_replays_on_its_own_day_only, db);
