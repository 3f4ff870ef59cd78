//! Votes under faults: a lock held from outside, an early close behind the
//! server's back, and the recount that proves the tally from the records.
//! On both backends.

use crate::support::{race, AppOptions, Db, TestApp};

/// A lock held from outside the server (an operator's `LOCK TABLE`, a stuck
/// transaction): every vote is still answered within the bound, with a 503
/// and `Retry-After`; once the lock goes, the clients' retries (same keys)
/// count each vote exactly once and the running tally matches the records.
async fn a_held_lock_is_answered_within_the_bound(app: TestApp) {
    let mut voters = Vec::new();
    for i in 0..10 {
        voters.push(app.voter(&format!("1350000{i:04}")).await);
    }
    let votes = || {
        voters.iter().enumerate().flat_map(|(v, voter)| {
            (1..=10).map(move |n| (voter.clone(), format!("held-{v}-{n}"), n))
        })
    };

    // The lock: every write waits behind it.
    let holder = LockHolder::take(&app).await;
    let answers = race(votes().map(|(voter, key, n)| async move {
        let started = std::time::Instant::now();
        let (status, headers, _) = voter.vote_with_key(&key, n).await;
        (
            status,
            headers.contains_key("retry-after"),
            started.elapsed(),
        )
    }))
    .await;
    let slowest = answers.iter().map(|a| a.2).max().unwrap();
    // The bound, and a little for a hundred answers on two busy cores.
    assert!(
        slowest < std::time::Duration::from_millis(3_000),
        "the bound is 1 s; the slowest answer took {slowest:?}"
    );
    assert!(
        answers
            .iter()
            .all(|&(status, retry, _)| status == 503 && retry),
        "{:?}",
        answers.iter().map(|a| a.0).collect::<Vec<_>>()
    );
    let health = app.health().await.1;
    assert_eq!(health["vote_writer"]["restarts"], 0, "{health}");

    // The lock goes; the clients try again with their keys.
    holder.release().await;
    let retried =
        race(votes().map(|(voter, key, n)| async move { voter.vote_with_key(&key, n).await.0 }))
            .await;
    assert!(retried.iter().all(|&s| s == 201), "{retried:?}");
    assert_eq!(app.total_votes().await, 100);
    let store = &app.services.store;
    let campaign = store.campaign("yangpu-2026").await.unwrap().unwrap();
    let running = store.tally(campaign.id).await.unwrap();
    let recount = store
        .tally_as_of(campaign.id, alleyvote_domain::Millis::now())
        .await
        .unwrap();
    assert_eq!(
        crate::support::counts(&running.rows),
        crate::support::counts(&recount),
        "the running tally is the records' count"
    );
    app.verify_tally().await;
}

/// A transaction from outside the server that holds the write lock.
enum LockHolder {
    Postgres(sqlx::PgConnection),
    Sqlite(sqlx::SqliteConnection),
}

impl LockHolder {
    async fn take(app: &TestApp) -> Self {
        use sqlx::Connection;
        match app.db {
            Db::Postgres => {
                let mut c = sqlx::PgConnection::connect(&app.database_url)
                    .await
                    .unwrap();
                sqlx::raw_sql("BEGIN; LOCK TABLE nominee_tallies IN EXCLUSIVE MODE;")
                    .execute(&mut c)
                    .await
                    .unwrap();
                LockHolder::Postgres(c)
            }
            Db::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect(&app.database_url)
                    .await
                    .unwrap();
                sqlx::raw_sql("BEGIN IMMEDIATE;")
                    .execute(&mut c)
                    .await
                    .unwrap();
                LockHolder::Sqlite(c)
            }
        }
    }

    async fn release(self) {
        match self {
            LockHolder::Postgres(mut c) => {
                sqlx::raw_sql("ROLLBACK").execute(&mut c).await.unwrap();
            }
            LockHolder::Sqlite(mut c) => {
                sqlx::raw_sql("ROLLBACK").execute(&mut c).await.unwrap();
            }
        }
    }
}

on_both_backends!(a_held_lock_is_answered_within_the_bound, |db| AppOptions {
    extra: vec![
        ("ALLEYVOTE_VOTE_WAIT_MS", "1000".to_string()),
        ("ALLEYVOTE_RATE_VOTER_PER_MIN", "1000".to_string()),
        ("ALLEYVOTE_RATE_IP_PER_MIN", "100000".to_string()),
        ("ALLEYVOTE_SMS_PER_IP_PER_HOUR", "1000".to_string()),
    ],
    ..AppOptions::new(db)
});

/// `alleyvote tally verify`: the recount agrees after real votes, and names
/// the nominee and fails once the running tally is tampered with.
async fn the_tally_verify_command_recounts(app: TestApp) {
    let voter = app.voter("13600000077").await;
    for n in [2, 3, 4] {
        assert_eq!(voter.vote(n).await.0, 201);
    }
    let verify = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_alleyvote"))
            .args(["tally", "verify", "yangpu-2026"])
            .env("DATABASE_URL", &app.database_url)
            .env("ALLEYVOTE_DATA_DIR", &app.data_dir)
            .env("RUST_LOG", "error")
            .output()
            .expect("run alleyvote")
    };
    let agreed = verify();
    let table = String::from_utf8_lossy(&agreed.stdout);
    assert!(agreed.status.success(), "{table}");
    assert!(
        table.contains("the running tally matches the records"),
        "{table}"
    );

    app.raw_sql(
        "UPDATE nominee_tallies SET online_votes = online_votes + 1 \
         WHERE nominee_id = (SELECT id FROM nominees WHERE number = 3)",
    )
    .await
    .unwrap();
    let differed = verify();
    let table = String::from_utf8_lossy(&differed.stdout);
    assert!(!differed.status.success(), "{table}");
    assert!(
        table.contains("<- differs") && table.contains("1 nominee(s) differ"),
        "{table}"
    );
}

on_both_backends!(the_tally_verify_command_recounts);

/// An early close (here behind the server's back, as another instance's
/// organizer would) applies to the very next vote: the deciding transaction
/// reads the campaign's window by the database's clock, not the instance's
/// cached copy of the campaign.
async fn an_early_close_applies_to_the_next_vote(app: TestApp) {
    let voter = app.voter("13400000091").await;
    let (status, _, first) = voter.vote_with_key("before-close", 1).await;
    assert_eq!(status, 201, "{first}");
    app.raw_sql(match app.db {
        Db::Postgres => {
            "UPDATE campaigns SET voting_end_ms = \
             (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT - 1"
        }
        Db::Sqlite => {
            "UPDATE campaigns SET voting_end_ms = \
             CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) - 1"
        }
    })
    .await
    .unwrap();
    let (status, _, body) = voter.vote(2).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("voting_closed"))
    );
    // A retry of the vote that counted before the close still gets its answer.
    let (status, _, again) = voter.vote_with_key("before-close", 1).await;
    assert_eq!((status, &again), (201, &first));
    assert_eq!(app.total_votes().await, 1);
    app.verify_tally().await;
}

on_both_backends!(an_early_close_applies_to_the_next_vote);

/// The ambiguous commit: three instances reach PostgreSQL through a proxy
/// that cuts connections at random and sometimes swallows the answer to a
/// `COMMIT` that went through. Three thousand vote requests without a client key:
/// every vote answered 201 is stored; the rows stored beyond the 201s are
/// no more than the votes answered 503 (the commit may have happened, and
/// the server said it could not tell); no voter is over a quota; the
/// running tally matches the records.
async fn ambiguous_commits_count_once(a: TestApp) {
    use std::collections::HashSet;

    use crate::support::CuttingProxy;
    use rand::{Rng, SeedableRng};

    // Five votes a day for the same nominee, twenty in all: a vote counted
    // twice would not be refused, so only the request keys prevent it.
    a.raw_sql("UPDATE campaigns SET votes_per_day = 20, per_nominee_per_day = 5")
        .await
        .unwrap();
    let mut voters = Vec::new();
    for i in 0..60 {
        voters.push(a.voter(&format!("1370000{i:04}")).await);
    }
    let direct = reqwest::Url::parse(&a.database_url).unwrap();
    let upstream = format!(
        "{}:{}",
        direct.host_str().unwrap(),
        direct.port().unwrap_or(5432)
    );
    let upstream = tokio::net::lookup_host(upstream)
        .await
        .unwrap()
        .next()
        .unwrap();
    let proxy = CuttingProxy::start(upstream, 0.15, 0.003, 20261128).await;
    let mut proxied = direct.clone();
    proxied.set_host(Some("127.0.0.1")).unwrap();
    proxied.set_port(Some(proxy.addr.port())).unwrap();
    let mut instances = Vec::new();
    for _ in 0..3 {
        instances.push(
            crate::support::spawn_app_with(AppOptions {
                database_url: Some(proxied.to_string()),
                demo: false,
                extra: a.extra_settings(),
                ..AppOptions::new(Db::Postgres)
            })
            .await,
        );
    }

    proxy.arm(true);
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let attempts: Vec<_> = voters
        .iter()
        .enumerate()
        .flat_map(|(i, v)| {
            (0..50)
                .map(|k| (v.at(&instances[(i + k) % 3]), rng.random_range(1..=6u32)))
                .collect::<Vec<_>>()
        })
        .collect();
    let answers = race(
        attempts
            .into_iter()
            .map(|(voter, n)| async move { voter.vote(n).await }),
    )
    .await;
    proxy.arm(false);

    let mut acknowledged = HashSet::new();
    let mut unavailable = 0usize;
    for (status, _, body) in &answers {
        match status {
            201 => {
                let id: i64 = body["vote_id"].as_str().unwrap().parse().unwrap();
                assert!(acknowledged.insert(id), "vote id {id} answered twice");
            }
            503 => unavailable += 1,
            409 => {}
            other => panic!("a vote answered {other}: {body}"),
        }
    }
    let (commits_lost, cuts) = proxy.damage();
    eprintln!(
        "{} attempts: {} acknowledged, {unavailable} answered 503; \
         {commits_lost} commit answers swallowed, {cuts} connections cut",
        answers.len(),
        acknowledged.len()
    );
    assert!(commits_lost > 0 && cuts > 0, "the proxy did its damage");

    use sqlx::Connection;
    let mut db = sqlx::PgConnection::connect(&a.database_url).await.unwrap();
    let stored: HashSet<i64> = sqlx::query_scalar("SELECT id FROM votes")
        .fetch_all(&mut db)
        .await
        .unwrap()
        .into_iter()
        .collect();
    let lost: Vec<_> = acknowledged.difference(&stored).collect();
    assert!(lost.is_empty(), "acknowledged but not stored: {lost:?}");
    let extra = stored.len() - acknowledged.len();
    assert!(
        extra <= unavailable,
        "{extra} votes stored beyond the acknowledged, only {unavailable} answered 503"
    );
    let over: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT voter_id FROM votes GROUP BY voter_id, day \
         HAVING COUNT(*) > 20) o",
    )
    .fetch_one(&mut db)
    .await
    .unwrap();
    let over_nominee: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT voter_id FROM votes GROUP BY voter_id, nominee_id, day \
         HAVING COUNT(*) > 5) o",
    )
    .fetch_one(&mut db)
    .await
    .unwrap();
    assert_eq!((over, over_nominee), (0, 0), "no voter beyond a quota");
    // Each stored vote is the kept answer of exactly one request.
    let answers_per_vote: Vec<i64> = sqlx::query_scalar(
        "SELECT COUNT(r.request_key) FROM votes v LEFT JOIN vote_requests r \
         ON r.voter_id = v.voter_id AND r.campaign_id = v.campaign_id \
         AND r.outcome LIKE 'ok:' || v.id || ':%' GROUP BY v.id",
    )
    .fetch_all(&mut db)
    .await
    .unwrap();
    assert!(
        answers_per_vote.iter().all(|&n| n == 1),
        "a vote without its one kept answer"
    );
    a.verify_tally().await;
}

on_postgres!(ambiguous_commits_count_once, |db| AppOptions {
    extra: vec![
        ("ALLEYVOTE_RATE_VOTER_PER_MIN", "100000".to_string()),
        ("ALLEYVOTE_RATE_IP_PER_MIN", "1000000".to_string()),
        ("ALLEYVOTE_SMS_PER_IP_PER_HOUR", "1000".to_string()),
    ],
    ..AppOptions::new(db)
});
