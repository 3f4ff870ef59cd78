//! Limits that hold across instances through Redis: a device's sign-in
//! codes, console logins from one address, a solved picture. Without Redis
//! each instance would allow as much again. PostgreSQL (several instances)
//! and the shared Redis.

use serde_json::json;

use crate::support::{cookie_value, set_cookie, shared_redis_url, AppOptions, Db, TestApp};

async fn two_instances(db: Db) -> (TestApp, TestApp) {
    let a = crate::support::spawn_app_with(AppOptions {
        redis_url: Some(shared_redis_url()),
        extra: vec![
            ("ALLEYVOTE_TRUSTED_PROXIES", "1".to_string()),
            ("ALLEYVOTE_SMS_PER_DEVICE_PER_HOUR", "4".to_string()),
            ("ALLEYVOTE_SMS_COOLDOWN_S", "0".to_string()),
        ],
        ..AppOptions::new(db)
    })
    .await;
    let b = a.another_instance().await;
    (a, b)
}

async fn limits_hold_across_instances(db: Db) {
    let (a, b) = two_instances(db).await;
    let both = [&a, &b];

    // One device asks for codes for four numbers through both instances;
    // the fifth is refused wherever it goes.
    let first = a.get("/").await;
    let device = set_cookie(first.headers(), "av_device")
        .map(|c| cookie_value(c).to_string())
        .expect("a device id");
    let mut statuses = Vec::new();
    for i in 0..6 {
        let app = both[i % 2];
        let r = app
            .client
            .post(app.url("/api/v1/sms-codes"))
            .header("cookie", format!("av_device={device}"))
            .header("x-forwarded-for", format!("203.0.113.{}", 10 + i))
            .json(&json!({ "phone": format!("1360000{i:04}") }))
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
    }
    assert_eq!(statuses, [202, 202, 202, 202, 429, 429]);

    // Console logins from one address for twelve (unknown) accounts, in
    // turn through both instances: ten a minute for the address in all.
    let mut throttled = 0;
    for i in 0..12 {
        let app = both[i % 2];
        let r = app
            .client
            .post(app.url("/console/login"))
            .header("x-forwarded-for", "192.0.2.77")
            .form(&[
                ("username", format!("nobody{i}")),
                ("password", "x".to_string()),
                ("next", "/console".to_string()),
            ])
            .send()
            .await
            .unwrap();
        let place = r.headers()["location"].to_str().unwrap().to_string();
        throttled += usize::from(place.contains("error=throttled"));
    }
    // Each instance alone saw six: any refusal is the shared count's (a slow
    // run may have earned one login back).
    assert!(
        (1..=2).contains(&throttled),
        "{throttled} throttled; the address's ten a minute, counted by both"
    );

    // A picture solved on one instance is spent on the other too.
    let picture = a.get("/api/v1/sms-challenge").await;
    let token = picture.headers()["x-challenge-token"]
        .to_str()
        .unwrap()
        .to_string();
    let answer = a.challenge_answer(&token);
    let ask = |app: &TestApp, phone: &str| {
        app.client
            .post(app.url("/api/v1/sms-codes"))
            .header("x-forwarded-for", "198.51.100.77")
            .json(&json!({ "phone": phone, "challenge_token": token, "challenge_answer": answer }))
            .send()
    };
    assert_eq!(ask(&a, "13700000001").await.unwrap().status(), 202);
    assert_eq!(
        ask(&b, "13700000002").await.unwrap().status(),
        400,
        "answered once, on any instance"
    );
}

on_postgres!(limits_hold_across_instances, db);
