//! Signing in by SMS code and voting over the API, on both backends.

use serde_json::json;

use crate::support::{
    race, shared_redis_url, spawn_app, spawn_app_with, AppOptions, Db, TestApp, Voter,
};

async fn sign_in_and_vote(app: TestApp) {
    // A number that is not a mobile number is refused in words.
    let (status, _, body) = app.request_code("12345").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("invalid_input"))
    );
    assert_eq!(body["message"], "请输入正确的11位手机号码。");
    let (status, _, body) = app
        .post_json("/api/v1/sms-codes", json!({ "telephone": 1 }))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("invalid_input"))
    );

    // A code goes to the outbox; asking again at once is too soon.
    let (status, _, body) = app.request_code("+86 138-0000-0001").await;
    assert_eq!(status, 202);
    assert_eq!(body["retry_after_s"], 60);
    let code = app.latest_code_for("138****0001").expect("code in outbox");
    assert_eq!(code.len(), 6);
    let (status, headers, body) = app.request_code("13800000001").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("rate_limited"))
    );
    assert!(headers.contains_key("retry-after"));
    assert!(body["retry_after_s"].as_i64().unwrap() > 0);

    // A wrong code is refused; the right one signs in, once.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (status, _, body) = app.submit_code("13800000001", wrong).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_code"))
    );
    let (status, headers, body) = app.submit_code("13800000001", &code).await;
    assert_eq!(status, 201, "{body}");
    let voter = app.voter_with_token(body["token"].as_str().unwrap());
    assert!(body["expires_at"].as_str().unwrap().ends_with("+08:00"));
    let cookie = headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with("av_session=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
    );
    let (status, _, _) = app.submit_code("13800000001", &code).await;
    assert_eq!(status, 400, "a code works only once");

    // Voting needs a session.
    let (status, _, body) = app.visitor().vote(3).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("unauthenticated"))
    );
    let (status, _, _) = app.voter_with_token("not-a-token").vote(3).await;
    assert_eq!(status, 401);

    // One vote per nominee per day; ten a day; readable refusals.
    let (status, _, body) = voter.vote(3).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["remaining_today"], 9);
    assert!(body["vote_id"].is_string());
    let (status, _, body) = voter.vote(3).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("already_voted"))
    );
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("已经为这位候选人投过票"));
    let (status, _, body) = voter.vote(999).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (404, Some("unknown_nominee"))
    );
    let (status, _, body) = voter.vote("three").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("invalid_input"))
    );
    for n in 4..=12 {
        let (status, _, _) = voter.vote(n).await;
        assert_eq!(status, 201);
    }
    let (status, _, body) = voter.vote(13).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("daily_quota_used"))
    );

    // What the voter has done today.
    let (_, mine) = voter.my_votes().await;
    assert_eq!(mine["votes"].as_array().unwrap().len(), 10);
    assert_eq!(mine["remaining_today"], 0);

    // The counts show in the results.
    assert_eq!(app.total_votes().await, 10);
}

on_both_backends!(sign_in_and_vote);

/// 500 simultaneous identical votes over HTTP count once, and a quota of
/// ten holds against fifty votes at once. (The request-rate
/// limit is lifted here, so every request reaches the database's decision.)
async fn racing_the_same_vote(app: TestApp) {
    let voter = app.voter("13900000002").await;
    let (counted, refused, statuses) = race_votes(&[voter], std::iter::repeat_n(8, 500)).await;
    assert_eq!((counted, refused), (1, 499), "{statuses:?}");
    assert_eq!(app.total_votes().await, 1);

    // A quota of ten spent on fifty nominees at once: exactly ten.
    add_nominees(&app, 31..=50).await;
    let spender = app.voter("13900000003").await;
    let (counted, refused, statuses) = race_votes(&[spender], 1..=50).await;
    assert_eq!((counted, refused), (10, 40), "{statuses:?}");
    assert_eq!(app.total_votes().await, 11);
    app.verify_tally().await;
}

on_both_backends!(racing_the_same_vote, |db| AppOptions {
    extra: vec![
        ("ALLEYVOTE_RATE_VOTER_PER_MIN", "1000".to_string()),
        ("ALLEYVOTE_RATE_IP_PER_MIN", "10000".to_string()),
    ],
    ..AppOptions::new(db)
});

/// Brute force and SMS bombing are capped.
async fn codes_resist_guessing_and_bombing(app: TestApp) {
    // Five wrong tries spend the code: even the right one is refused after.
    let (status, _, _) = app.request_code("13700000003").await;
    assert_eq!(status, 202);
    let code = app.latest_code_for("137****0003").unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        let (status, _, _) = app.submit_code("13700000003", wrong).await;
        assert_eq!(status, 400);
    }
    let (status, _, body) = app.submit_code("13700000003", &code).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("invalid_code"))
    );

    // Three codes a day for one number.
    for _ in 0..2 {
        let (status, _, _) = app.request_code("13700000003").await;
        assert_eq!(status, 202);
    }
    let (status, _, body) = app.request_code("13700000003").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("rate_limited"))
    );
    assert!(body["message"].as_str().unwrap().contains("今天"));

    // Five an hour from one address, whatever the numbers.
    for n in 4..=5 {
        let (status, _, _) = app.request_code(&format!("1370000000{n}")).await;
        assert_eq!(status, 202);
    }
    let (status, _, body) = app.request_code("13700000006").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("rate_limited"))
    );
}

on_both_backends!(codes_resist_guessing_and_bombing, |db| AppOptions {
    extra: vec![
        ("ALLEYVOTE_SMS_COOLDOWN_S", "0".to_string()),
        ("ALLEYVOTE_SMS_PER_NUMBER_PER_DAY", "3".to_string()),
        ("ALLEYVOTE_SMS_PER_IP_PER_HOUR", "5".to_string()),
    ],
    ..AppOptions::new(db)
});

/// Request rates: per address and per voter, answered with 429 and `Retry-After`.
#[tokio::test]
async fn request_rates_are_limited_per_address_and_per_voter() {
    let app = spawn_app_with(AppOptions {
        extra: vec![
            ("ALLEYVOTE_RATE_IP_PER_MIN", "8".to_string()),
            ("ALLEYVOTE_RATE_VOTER_PER_MIN", "3".to_string()),
        ],
        ..AppOptions::new(Db::Sqlite)
    })
    .await;
    // Two requests (code + session) to sign in, then three votes: the fourth vote is one too many for the voter.
    let voter = app.voter("13500000021").await;
    for n in 1..=3 {
        let (status, _, _) = voter.vote(n).await;
        assert_eq!(status, 201);
    }
    let (status, headers, body) = voter.vote(4).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("rate_limited"))
    );
    let retry: i64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry >= 1);
    assert!(body["message"].as_str().unwrap().contains("操作太频繁"));
    // Two more requests reach the address's limit of eight a minute.
    for phone in ["13500000022", "13500000023"] {
        let (status, _, _) = app.request_code(phone).await;
        assert_eq!(status, 202, "still within the address's allowance");
    }
    let (status, headers, _) = app.request_code("13500000024").await;
    assert_eq!(status, 429);
    assert!(headers.contains_key("retry-after"));
}

/// `Idempotency-Key`: a retry returns the first answer and counts nothing new.
async fn retries_with_a_key_count_once(app: TestApp) {
    let voter = app.voter("13300000031").await;
    let (status, _, first) = voter.vote_with_key("retry-1", 5).await;
    assert_eq!(status, 201);
    assert!(first.is_object(), "{first}");
    let (status, _, again) = voter.vote_with_key("retry-1", 5).await;
    assert_eq!(
        status, 201,
        "the retry gets the first answer, not already_voted"
    );
    assert_eq!(again, first);
    assert_eq!(app.total_votes().await, 1);
    let (status, _, _) = voter.vote_with_key("not a valid key!", 6).await;
    assert_eq!(status, 422);

    // The same key for another nominee is another request: refused in words
    // (a conflict with what the key holds, not malformed input), and nothing
    // is counted.
    let (status, _, body) = voter.vote_with_key("retry-1", 6).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("idempotency_mismatch"))
    );
    assert!(body["message"].as_str().unwrap().contains("没有计票"));
    let (_, today) = voter.my_votes().await;
    assert_eq!(today["votes"], serde_json::json!([5]));
    assert_eq!(app.total_votes().await, 1);
}

on_both_backends!(retries_with_a_key_count_once);

/// The document's `integer` is JSON Schema's, which any number with a zero
/// fraction is: a nominee number written `5.0` is 5, and the vote counts
/// (it was refused as malformed, 422, for a body the document allows);
/// `6.5` is no whole number.
async fn a_whole_number_may_be_written_with_a_zero_fraction(app: TestApp) {
    let voter = app.voter("13300000032").await;
    let (status, _, body) = voter.vote(5.0).await;
    assert_eq!(status, 201, "{body}");
    let (status, _, body) = voter.vote(6.5).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("invalid_input"))
    );
    let (_, today) = voter.my_votes().await;
    assert_eq!(today["votes"], json!([5]));
}

on_both_backends!(a_whole_number_may_be_written_with_a_zero_fraction);

/// The no-JavaScript vote form: signed out goes to sign-in; a vote comes back
/// with the outcome; a double tap (same form key) replays it.
#[tokio::test]
async fn the_vote_form_works_without_javascript() {
    let app = spawn_app(Db::Sqlite).await;
    let form = [("next", "/nominees/5"), ("request_key", "page1-5")];
    let r = app.post_form("/nominees/5/vote", &form).await;
    assert_eq!(r.status(), 303);
    // The vote asked for is carried through signing in, to a confirmation.
    assert_eq!(
        r.headers()["location"],
        format!(
            "/login?next=%2Fnominees%2F5%3Fconfirm%3D1%26back%3D{}",
            app::voting::vote::carry_back("/nominees/5")
        )
    );

    let voter = app.voter("13300000041").await;
    for _ in 0..2 {
        let r = voter.post_form("/nominees/5/vote", &form).await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/nominees/5?voted=5&left=9");
    }
    // The list tells a signed-in voter what is left today, and marks the
    // nominee voted for (without a button that could only be refused).
    let (_, list) = voter.page("/nominees").await;
    assert!(list.contains("您今天还可以投 9 票。"), "votes left missing");
    let card = |page: &str, n: &str| {
        let start = page.find(&format!("id=\"nominee-{n}\"")).expect("the card");
        let end = page[start..].find("</li>").unwrap() + start;
        page[start..end].to_string()
    };
    assert!(card(&list, "005").contains("今天已投"));
    assert!(!card(&list, "005").contains("data-testid=\"vote-button\""));
    assert!(card(&list, "006").contains("data-testid=\"vote-button\""));
    assert!(!card(&list, "006").contains("今天已投"));
    // Back from signing in: the nominee named, one button, and the way back
    // to the card on the list.
    let (_, confirm) = voter
        .page(&format!(
            "/nominees/6?confirm=1&back={}",
            app::voting::vote::carry_back("/nominees#nominee-006")
        ))
        .await;
    assert!(confirm.contains("data-testid=\"confirm-vote-button\""));
    assert!(confirm.contains("value=\"/nominees#nominee-006\""));
    let back = [
        ("next", "/nominees#nominee-006"),
        ("request_key", "page3-6"),
    ];
    let r = voter.post_form("/nominees/6/vote", &back).await;
    assert_eq!(
        r.headers()["location"],
        "/nominees?voted=6&left=8#nominee-006"
    );
    let anonymous = app.get_text("/nominees").await.1;
    assert!(!anonymous.contains("data-testid=\"votes-left\""));
    let other = [("next", "/nominees/5"), ("request_key", "page2-5")];
    let r = voter.post_form("/nominees/5/vote", &other).await;
    assert_eq!(
        r.headers()["location"],
        "/nominees/5?refused=already_voted&number=5"
    );
    let (_, html) = app
        .get_text("/nominees/5?refused=already_voted&number=5")
        .await;
    assert!(html.contains("已经为这位候选人投过票"));
    assert_eq!(app.total_votes().await, 2);
}

/// Sends these votes all at once, spread over the voters (one session on
/// several instances, say) in turn, and counts the answers: (201s, 409s,
/// every status).
async fn race_votes(
    voters: &[Voter],
    nominees: impl IntoIterator<Item = u32>,
) -> (usize, usize, Vec<u16>) {
    let votes = nominees
        .into_iter()
        .enumerate()
        .map(|(i, n)| voters[i % voters.len()].vote(n));
    let statuses: Vec<u16> = race(votes)
        .await
        .into_iter()
        .map(|(status, _, _)| status)
        .collect();
    let count = |code: u16| statuses.iter().filter(|s| **s == code).count();
    (count(201), count(409), statuses.clone())
}

/// More nominees in the demo campaign, beyond its thirty.
async fn add_nominees(app: &TestApp, numbers: std::ops::RangeInclusive<u32>) {
    let store = &app.services.store;
    let campaign = store.campaign("yangpu-2026").await.unwrap().unwrap();
    let street = store.streets().await.unwrap()[0].id;
    let community = store
        .ensure_community(street, "测试社区", "Test Community")
        .await
        .unwrap();
    for n in numbers {
        let nominee = alleyvote::nominees::storage::NomineeDetails {
            number: alleyvote_domain::NomineeNumber::new(n).unwrap(),
            name: format!("候选人{n}"),
            community,
            photo_url: None,
            story: String::new(),
        };
        store
            .ensure_nominee(campaign.id, &nominee, alleyvote_domain::Millis::now())
            .await
            .unwrap();
    }
}

/// The two races again, spread over two server instances sharing one
/// PostgreSQL (and Redis): the database holds the invariants for all of them.
async fn races_across_two_instances(a: TestApp) {
    let b = a.another_instance().await;
    // A session opened on one instance works on the other.
    let voter = a.voter("13200000051").await;

    // 500 identical votes, alternating instances: exactly one counts.
    let on_both = [voter.clone(), voter.at(&b)];
    let (counted, refused, statuses) = race_votes(&on_both, std::iter::repeat_n(8, 500)).await;
    assert_eq!((counted, refused), (1, 499), "{statuses:?}");

    // A quota of ten spent on fifty nominees at once, over both instances: exactly ten.
    add_nominees(&a, 31..=50).await;
    let spender = b.voter("13200000052").await;
    let on_both = [spender.clone(), spender.at(&a)];
    let (counted, refused, statuses) = race_votes(&on_both, 1..=50).await;
    assert_eq!((counted, refused), (10, 40), "{statuses:?}");
    assert_eq!(a.total_votes().await, 11);
    assert_eq!(b.total_votes().await, 11);
    a.verify_tally().await;
}

on_postgres!(races_across_two_instances, |db| AppOptions {
    extra: vec![
        ("ALLEYVOTE_RATE_VOTER_PER_MIN", "10000".to_string()),
        ("ALLEYVOTE_RATE_IP_PER_MIN", "10000".to_string()),
    ],
    redis_url: Some(shared_redis_url()),
    ..AppOptions::new(db)
});

/// A printed ballot code signs its holder in once, and they can vote.
#[tokio::test]
async fn ballot_codes_sign_in_once() {
    let app = spawn_app(Db::Sqlite).await;
    let community = app
        .services
        .store
        .ensure_community(
            app.services.store.streets().await.unwrap()[0].id,
            "和润苑",
            "Herun Garden",
        )
        .await
        .unwrap();
    let codes = app
        .services
        .signin
        .new_ballot_codes(
            alleyvote::audit::Actor::SYSTEM,
            community,
            2,
            alleyvote_domain::Millis::now(),
        )
        .await
        .unwrap();
    assert_eq!(app.last_audit().await.record.action, "ballot_codes.mint");
    let typed = alleyvote_domain::signin::ballot_code::printed(&codes[0]).to_lowercase();
    let (status, _, body) = app
        .post_json("/api/v1/sessions", json!({ "ballot_code": typed }))
        .await;
    assert_eq!(status, 201, "{body}");
    let voter = app.voter_with_token(body["token"].as_str().unwrap());
    let (status, _, _) = voter.vote(2).await;
    assert_eq!(status, 201);
    let (status, _, body) = app
        .post_json("/api/v1/sessions", json!({ "ballot_code": codes[0] }))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_code"))
    );
    assert!(body["message"].as_str().unwrap().contains("投票卡"));
    // Well formed but never printed: a wrong code. Malformed: a 422, as the
    // API's document says (0 is not in the cards' alphabet).
    let (status, _, body) = app
        .post_json("/api/v1/sessions", json!({ "ballot_code": "ABCDE-FGHJ2" }))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_code"))
    );
    let (status, _, body) = app
        .post_json("/api/v1/sessions", json!({ "ballot_code": "ABCDE-FGHJ0" }))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("invalid_input"))
    );
    assert!(body["message"].as_str().unwrap().contains("投票卡"));
}
