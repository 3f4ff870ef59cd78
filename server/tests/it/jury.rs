//! The jury channel, as judges and administrators use it: appointed judges
//! score the nominees, a bad score saves nothing, the average enters the
//! published formula's score, and the scores lock once the results are
//! published — on both backends.

use alleyvote_domain::organizer::Role;
use alleyvote_domain::Millis;

use crate::publication::{results, set_voting, step};
use crate::support::TestApp;

async fn judges_score_and_their_average_counts(app: TestApp) {
    let admin = app.organizer("admin1", Role::Admin).await;
    let judge1 = app.organizer("judge1", Role::Reviewer).await;
    let judge2 = app.organizer("judge2", Role::Reviewer).await;
    let luru = app.organizer("luru9", Role::StationOperator).await;
    let now = Millis::now();
    set_voting(&app, &admin, now.plus_days(1), now.plus_days(2)).await;
    let rule = [
        ("slug", "yangpu-2026"),
        ("formula", "weighted"),
        ("scaling", "to_maximum"),
        ("online", "70"),
        ("paper", "0"),
        ("jury", "30"),
        ("winners", "2"),
    ];
    let (_, location) = admin.post("/console/results/rule", &rule).await;
    assert!(location.ends_with("done=rule"), "{location}");

    // Judges are appointed; others may neither see nor post a sheet.
    assert_eq!(
        judge1.status("/console/jury").await,
        403,
        "not appointed yet"
    );
    let accounts = app.services.store.organizers().await.unwrap();
    for judge in ["judge1", "judge2"] {
        let id = accounts.iter().find(|o| o.username == judge).unwrap().id;
        let (_, location) = admin
            .post("/console/jury/judges", &[("organizer", id.0.to_string())])
            .await;
        assert!(location.ends_with("done=appointed"), "{location}");
    }
    assert_eq!(app.audited("jury.appoint").await, 2);
    let (status, page) = judge1.page("/console/jury").await;
    assert_eq!(status, 200);
    assert!(page.contains("data-testid=\"jury-sheet\"") && page.contains("name=\"score_30\""));
    assert_eq!(luru.status("/console/jury").await, 403);
    let (status, _) = luru
        .post("/console/jury/scores", &[("score_1", "100")])
        .await;
    assert_eq!(status, 403);

    // A score that does not read saves nothing of the sheet.
    let (_, location) = judge1
        .post(
            "/console/jury/scores",
            &[("score_1", "60"), ("score_2", "90"), ("score_3", "九十")],
        )
        .await;
    assert!(
        location.ends_with("problem=not_a_score&nominee=3"),
        "{location}"
    );
    let (_, page) = judge1.page("/console/jury").await;
    assert!(
        page.contains("name=\"score_1\" value=\"\""),
        "nothing saved"
    );
    let (_, location) = judge1
        .post(
            "/console/jury/scores",
            &[("score_1", "60"), ("score_2", "90")],
        )
        .await;
    assert!(location.ends_with("done=scored"), "{location}");
    let (_, location) = judge2
        .post("/console/jury/scores", &[("score_2", "80")])
        .await;
    assert!(location.ends_with("done=scored"), "{location}");

    // Votes: no. 1 twice, no. 2 once. Scores: 1 = 70 + 30 × 60/85 = 91.18;
    // 2 = 35 + 30 = 65.
    set_voting(&app, &admin, now.plus_days(-1), now.plus_days(1)).await;
    let a = app.voter("13600000001").await;
    let b = app.voter("13600000002").await;
    for (voter, n) in [(&a, 1), (&a, 2), (&b, 1)] {
        let (status, _, body) = voter.vote(n).await;
        assert_eq!(status, 201, "{body}");
    }
    let body = results(&app).await;
    let e = &body["entries"];
    assert_eq!(
        (
            e[0]["number"].as_u64(),
            e[0]["score"].as_str(),
            e[0]["jury"].as_str()
        ),
        (Some(1), Some("91.18"), Some("60.00"))
    );
    assert_eq!(
        (
            e[1]["number"].as_u64(),
            e[1]["score"].as_str(),
            e[1]["jury"].as_str()
        ),
        (Some(2), Some("65.00"), Some("85.00"))
    );

    // Published: the scores stand.
    set_voting(
        &app,
        &admin,
        now.plus_days(-2),
        Millis::now().plus_ms(-60_000),
    )
    .await;
    assert!(step(&admin, &[("step", "close".into())])
        .await
        .ends_with("done=closed"));
    let end = Millis::now().plus_days(3).to_local_input();
    assert!(
        step(&admin, &[("step", "notice".into()), ("notice_end", end)])
            .await
            .ends_with("done=notice")
    );
    let (_, location) = judge1
        .post("/console/jury/scores", &[("score_1", "100")])
        .await;
    assert!(location.ends_with("problem=locked"), "{location}");
    assert_eq!(results(&app).await["entries"][0]["jury"], "60.00");
    assert_eq!(app.audited("jury.score").await, 2);
}

on_both_backends!(judges_score_and_their_average_counts);
