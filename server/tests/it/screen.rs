//! The big screen, as the operator and the hall see it: presses on the
//! public wall and on the private rehearsal screen, a staged reveal that
//! never sends a place before it is revealed, and every screen following a
//! press by its stream — on both backends, and across instances.

use alleyvote_domain::organizer::Role;
use alleyvote_domain::ResultsVisibility;
use serde_json::Value;

use crate::support::{campaign_form, AppOptions, Organizer, SseReader, TestApp};

async fn press(op: &Organizer, channel: &str, command: &str) -> String {
    let (status, location) = op
        .post(
            "/console/screen/press",
            &[("channel", channel), ("command", command)],
        )
        .await;
    assert_eq!(status, 303, "{location}");
    location
}

async fn next_view(stream: &mut SseReader) -> Value {
    let data = stream
        .next_data()
        .await
        .expect("the screen stream stays open");
    serde_json::from_str(&data).unwrap()
}

/// The stream's views up to the first that shows `mode` with `revealed`
/// places; every view on the way is checked by `each`. (A refresh of the
/// counts may send a view of its own between two presses.)
async fn view_at(
    stream: &mut SseReader,
    mode: &str,
    revealed: u64,
    each: impl Fn(&Value),
) -> Value {
    loop {
        let v = next_view(stream).await;
        each(&v);
        if v["mode"] == mode && v["revealed"] == revealed {
            return v;
        }
    }
}

fn any(_: &Value) {}

fn numbers(view: &Value) -> Vec<u64> {
    view["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["number"].as_u64().unwrap())
        .collect()
}

/// Votes that rank nominees 1…10 in that order: nominee k gets 13 − k
/// votes (twelve residents; each votes for nominees 1 up to 12 − v, ten at
/// most a day).
async fn ranked_votes(app: &TestApp) {
    for v in 0..12u32 {
        let voter = app.voter(&format!("1370000{:04}", v)).await;
        for n in 1..=(12 - v).min(10) {
            let (status, _, body) = voter.vote(n).await;
            assert_eq!(status, 201, "{body}");
        }
    }
}

async fn a_staged_reveal_sends_each_place_when_it_is_revealed(app: TestApp) {
    let op = app.organizer("screen1", Role::ScreenOperator).await;
    let luru = app.organizer("luru9", Role::StationOperator).await;
    ranked_votes(&app).await;
    let mut wall = SseReader::new(app.get("/screen/stream").await);
    let first = next_view(&mut wall).await;
    assert_eq!(first["mode"], "waiting");
    assert_eq!(first["voting_open"], true);

    // Only screen operators (and admins) press; the rehearsal is theirs alone.
    let (status, _) = luru
        .post(
            "/console/screen/press",
            &[("channel", "public"), ("command", "live")],
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(
        app.console_visitor()
            .status("/console/screen/stream?channel=rehearsal")
            .await,
        303
    );

    assert!(press(&op, "public", "live").await.ends_with("done=pressed"));
    let live = view_at(&mut wall, "live", 0, any).await;
    assert_eq!(numbers(&live)[..3], [1, 2, 3]);
    assert_eq!(live["total_online"], (3..=12).sum::<u64>());

    // The rehearsal runs the reveal on the operator's screen; the wall waits.
    assert!(press(&op, "public", "hidden")
        .await
        .ends_with("done=pressed"));
    view_at(&mut wall, "hidden", 0, any).await;
    let mut rehearsal = SseReader::new(op.get("/console/screen/stream?channel=rehearsal").await);
    assert_eq!(next_view(&mut rehearsal).await["mode"], "hidden");
    press(&op, "rehearsal", "reveal").await;
    let r = view_at(&mut rehearsal, "reveal", 0, any).await;
    assert_eq!(r["next"]["number"], 10, "the operator sees who comes next");
    press(&op, "rehearsal", "next").await;
    assert_eq!(
        numbers(&view_at(&mut rehearsal, "reveal", 1, any).await),
        vec![10]
    );

    // The wall reveals only the frozen count: not the running one.
    assert!(press(&op, "public", "reveal")
        .await
        .ends_with("problem=not_frozen"));
    let admin = app.organizer("admin1", Role::Admin).await;
    set_visibility(&app, &admin, ResultsVisibility::Frozen).await;

    // The wall's reveal: 10th first, then 9th … 1st, one press each, and
    // no message carries a place before its press.
    press(&op, "public", "reveal").await;
    let v = view_at(&mut wall, "reveal", 0, any).await;
    assert!(numbers(&v).is_empty() && v["next"].is_null());
    for k in 1..=10u64 {
        press(&op, "public", "next").await;
        // Every message on the way shows only what was revealed by then.
        let no_leak = |v: &Value| {
            let shown = v["revealed"].as_u64().unwrap_or(0);
            let expected: Vec<u64> = ((11 - shown)..=10).collect();
            if v["mode"] == "reveal" {
                assert_eq!(
                    numbers(v),
                    expected,
                    "a reveal shows what was pressed, no more"
                );
            }
            assert!(v["next"].is_null() && v["total_online"].is_null());
        };
        let v = view_at(&mut wall, "reveal", k, no_leak).await;
        let expected: Vec<u64> = ((11 - k)..=10).collect();
        assert_eq!(numbers(&v), expected, "after {k} presses");
    }
    assert!(press(&op, "public", "next")
        .await
        .ends_with("problem=all_revealed"));
    press(&op, "public", "back").await;
    assert_eq!(
        numbers(&view_at(&mut wall, "reveal", 9, any).await).len(),
        9
    );

    // Mid-reveal, another mode (or the reveal again, which would start
    // over at 0) is asked first; the wall does not move until confirmed.
    for mode in ["reveal", "live"] {
        let location = press(&op, "public", mode).await;
        assert!(
            location.ends_with(&format!("problem=reveal_underway&wanted={mode}")),
            "{location}"
        );
    }
    let (_, panel) = op
        .page("/console/screen?channel=public&problem=reveal_underway&wanted=live")
        .await;
    assert!(panel.contains("data-testid=\"confirm-switch\""), "{panel}");
    let mut again = SseReader::new(app.get("/screen/stream").await);
    let still = next_view(&mut again).await;
    assert_eq!(
        (still["mode"].as_str(), still["revealed"].as_u64()),
        (Some("reveal"), Some(9))
    );
    let (status, location) = op
        .post(
            "/console/screen/press",
            &[
                ("channel", "public"),
                ("command", "live"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(
        (status, location.ends_with("done=pressed")),
        (303, true),
        "{location}"
    );
    view_at(&mut again, "live", 0, any).await;
    // Back to the reveal where it was, for what follows.
    press(&op, "public", "reveal").await;
    for _ in 0..9 {
        press(&op, "public", "next").await;
    }

    // A screen that reconnects (a reload, a restart) resumes where it was.
    let mut again = SseReader::new(app.get("/screen/stream").await);
    let resumed = next_view(&mut again).await;
    assert_eq!(
        (resumed["mode"].as_str(), resumed["revealed"].as_u64()),
        (Some("reveal"), Some(9))
    );
    let (status, page) = app.get_text("/screen").await;
    assert_eq!(status, 200);
    assert_eq!(page.matches("data-testid=\"wall-row\"").count(), 9);
    // The organisers' line and the day, at the wall's foot.
    let campaign = app.demo_campaign().await;
    assert!(!campaign.hosts_zh.is_empty());
    assert!(page.contains("data-testid=\"wall-hosts\""), "{page}");
    assert!(page.contains(&campaign.hosts_zh), "{page}");
    assert_eq!(resumed["hosts_zh"], campaign.hosts_zh.as_str());
    // Each revealed place carries a line from its profile.
    let first = &resumed["entries"][0];
    assert!(
        first["line"].as_str().is_some_and(|l| !l.is_empty()),
        "{first}"
    );
    assert!(app.audited("screen.control").await >= 15);
}

/// A press on one instance reaches a screen on another.
async fn every_instance_follows_a_press(app: TestApp) {
    let other = app.another_instance().await;
    let op = app.organizer("screen1", Role::ScreenOperator).await;
    let mut wall = SseReader::new(other.get("/screen/stream").await);
    assert_eq!(next_view(&mut wall).await["mode"], "waiting");
    press(&op, "public", "hidden").await;
    view_at(&mut wall, "hidden", 0, any).await;
}

/// The campaign's results made live, hidden or frozen by an administrator.
async fn set_visibility(app: &TestApp, admin: &Organizer, visibility: ResultsVisibility) {
    let mut form = campaign_form(&app.demo_campaign().await);
    form.retain(|(k, _)| *k != "results_visibility");
    form.push(("results_visibility", visibility.as_str().to_string()));
    let (status, location) = admin.post("/console/campaign", &form).await;
    assert_eq!(status, 303, "{location}");
}

/// While voting is open and the results are hidden, no screen carries a
/// count: a reveal is refused on both screens, and the rehearsal screen's
/// "live" shows what the public sees.
async fn no_screen_shows_counts_while_voting_is_hidden(app: TestApp) {
    let admin = app.organizer("admin1", Role::Admin).await;
    let op = app.organizer("screen1", Role::ScreenOperator).await;
    ranked_votes(&app).await;
    set_visibility(&app, &admin, ResultsVisibility::Hidden).await;
    for channel in ["public", "rehearsal"] {
        let location = press(&op, channel, "reveal").await;
        assert!(
            location.ends_with("problem=hidden_while_voting"),
            "{channel}: {location}"
        );
    }
    let mut wall = SseReader::new(app.get("/screen/stream").await);
    let first = next_view(&mut wall).await;
    assert_eq!(
        first["mode"], "waiting",
        "the refused reveal changed nothing"
    );
    assert!(numbers(&first).is_empty());

    press(&op, "rehearsal", "live").await;
    let mut rehearsal = SseReader::new(op.get("/console/screen/stream?channel=rehearsal").await);
    let live = view_at(&mut rehearsal, "live", 0, any).await;
    assert!(
        numbers(&live).is_empty() && live["total_online"].is_null(),
        "the operator sees no live counts: {live}"
    );
    // A freeze of the rehearsal screen keeps what it showed: nothing.
    press(&op, "rehearsal", "frozen").await;
    let frozen = view_at(&mut rehearsal, "frozen", 0, any).await;
    assert!(numbers(&frozen).is_empty(), "{frozen}");
}

/// A reveal shows the ranking as it was when the reveal began, and the
/// bars are scaled among the places revealed: the first bar does not give
/// the leader's total away. A stored ranking that cannot be read shows
/// the wall waiting, never the live ranking.
async fn a_reveal_shows_its_frozen_ranking_and_gives_nothing_away(app: TestApp) {
    let op = app.organizer("screen1", Role::ScreenOperator).await;
    let admin = app.organizer("admin1", Role::Admin).await;
    ranked_votes(&app).await;
    set_visibility(&app, &admin, ResultsVisibility::Frozen).await;
    press(&op, "public", "reveal").await;
    press(&op, "public", "next").await;
    let mut wall = SseReader::new(app.get("/screen/stream").await);
    let v = view_at(&mut wall, "reveal", 1, any).await;
    assert_eq!(numbers(&v), vec![10]);
    assert_eq!(v["entries"][0]["votes"], 3);
    assert_eq!(
        v["entries"][0]["bar"], 1000,
        "the longest bar among the revealed places"
    );

    // Votes after the reveal began do not reorder it: nominee 11 passes
    // nominee 10 in the running tally, not on the wall.
    for phone in ["13711110001", "13711110002"] {
        let (status, _, body) = app.voter(phone).await.vote(11).await;
        assert_eq!(status, 201, "{body}");
    }
    app.services.hub.refresh().await.unwrap();
    let mut again = SseReader::new(app.get("/screen/stream").await);
    let v = next_view(&mut again).await;
    assert_eq!(numbers(&v), vec![10], "the reveal's own ranking");
    assert_eq!(v["entries"][0]["votes"], 3);
    press(&op, "public", "next").await;
    let v = view_at(&mut again, "reveal", 2, any).await;
    assert_eq!(numbers(&v), vec![9, 10]);
    let bars: Vec<u64> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["bar"].as_u64().unwrap())
        .collect();
    assert_eq!(bars, vec![1000, 750], "4 and 3 votes");

    // The stored ranking damaged: the wall waits. (Every change of the
    // screen's row moves its revision, which the views are kept under.)
    app.raw_sql(
        "UPDATE screen_states SET public_frozen = 'not a ranking', revision = revision + 1",
    )
    .await
    .unwrap();
    let mut third = SseReader::new(app.get("/screen/stream").await);
    let v = next_view(&mut third).await;
    assert_eq!(v["mode"], "waiting", "{v}");
    assert!(numbers(&v).is_empty() && v["total_online"].is_null());
}

/// Two nominees tied at the winners' line wait for the lot: the wall's
/// reveal is refused until it is drawn, and the panel says why beforehand.
/// The panel also warns when the wall is hidden but phones still see counts.
async fn the_wall_reveals_no_undecided_count(app: TestApp) {
    let op = app.organizer("screen1", Role::ScreenOperator).await;
    let admin = app.organizer("admin1", Role::Admin).await;
    // A rule whose ladder ends in the lot: equal in every channel, a lot decides.
    let now = alleyvote_domain::Millis::now();
    crate::publication::set_voting(&app, &admin, now.plus_days(1), now.plus_days(2)).await;
    let rule = [
        ("slug", "yangpu-2026"),
        ("formula", "weighted"),
        ("scaling", "to_maximum"),
        ("online", "50"),
        ("paper", "50"),
        ("jury", "0"),
        ("winners", "10"),
        ("tie1", "more_paper"),
        ("tie2", "more_online"),
        ("tie3", ""),
    ];
    let (_, location) = admin.post("/console/results/rule", &rule).await;
    assert!(location.ends_with("done=rule"), "{location}");
    crate::publication::set_voting(&app, &admin, now.plus_days(-1), now.plus_days(1)).await;
    ranked_votes(&app).await;
    // Nominee 11 catches up with nominee 10's three votes: tied at 10th.
    for phone in ["13711120001", "13711120002", "13711120003"] {
        let (status, _, body) = app.voter(phone).await.vote(11).await;
        assert_eq!(status, 201, "{body}");
    }
    press(&op, "public", "hidden").await;
    let (_, panel) = op.page("/console/screen").await;
    assert!(
        panel.contains("data-testid=\"public-counts-warning\""),
        "{panel}"
    );
    set_visibility(&app, &admin, ResultsVisibility::Frozen).await;
    let (_, panel) = op.page("/console/screen").await;
    assert!(
        panel.contains("data-testid=\"reveal-not-ready\""),
        "{panel}"
    );
    assert!(panel.contains("须先现场抽签"), "{panel}");
    assert!(press(&op, "public", "reveal")
        .await
        .ends_with("problem=lot_pending"));
    let mut wall = SseReader::new(app.get("/screen/stream").await);
    assert_eq!(next_view(&mut wall).await["mode"], "hidden");
    // The private rehearsal may still practise on it.
    assert!(press(&op, "rehearsal", "reveal")
        .await
        .ends_with("done=pressed"));
}

/// The screens following one press cost one view of each screen, however
/// many follow it: every stream of a screen sends the view built once for
/// that change (each build reads the screen's controls from storage).
async fn the_screens_share_one_view_per_change(app: TestApp) {
    const WALLS: usize = 12;
    const PANELS: usize = 3;
    let op = app.organizer("screen1", Role::ScreenOperator).await;
    let mut walls = Vec::new();
    for _ in 0..WALLS {
        let mut wall = SseReader::new(app.get("/screen/stream").await);
        assert_eq!(next_view(&mut wall).await["mode"], "waiting");
        walls.push(wall);
    }
    let mut panels = Vec::new();
    for _ in 0..PANELS {
        let mut panel = SseReader::new(op.get("/console/screen/stream?channel=rehearsal").await);
        assert_eq!(next_view(&mut panel).await["mode"], "hidden");
        panels.push(panel);
    }
    let screens = &app.services.screens;

    let before = screens.views_built();
    press(&op, "public", "live").await;
    for wall in &mut walls {
        let live = view_at(wall, "live", 0, any).await;
        assert_eq!(live["voting_open"], true);
    }
    // The wall's view, and the rehearsal's (whose streams woke too, and
    // sent nothing: it did not change) at most once.
    let built = screens.views_built() - before;
    assert!(
        (1..=2).contains(&built),
        "{built} views built for one press followed by {WALLS} walls and {PANELS} panels"
    );

    // A press on the rehearsal screen reaches every panel, with the next
    // place only they see, from one view; the walls stay as they are.
    let before = screens.views_built();
    press(&op, "rehearsal", "reveal").await;
    for panel in &mut panels {
        let reveal = view_at(panel, "reveal", 0, any).await;
        assert!(reveal["next"]["number"].is_u64(), "{reveal}");
    }
    let built = screens.views_built() - before;
    assert!(
        (1..=2).contains(&built),
        "{built} views built for one press followed by {PANELS} panels and {WALLS} walls"
    );
    let mut again = SseReader::new(app.get("/screen/stream").await);
    let wall = next_view(&mut again).await;
    assert_eq!(wall["mode"], "live");
    assert!(
        wall["next"].is_null(),
        "the wall never names the next place"
    );
}

/// A screen that opens on an instance whose results have not refreshed
/// since a press on another instance starts at that press (the views the
/// streams share are kept under the screen's revision as read when the
/// stream opens), and the screens already open there follow at once.
async fn a_screen_opened_after_a_press_elsewhere_starts_at_it(app: TestApp) {
    let other = app.another_instance().await;
    let op = other.organizer("screen1", Role::ScreenOperator).await;
    let mut wall = SseReader::new(app.get("/screen/stream").await);
    assert_eq!(next_view(&mut wall).await["mode"], "waiting");
    // `app` re-reads the results once an hour: nothing but a stream's
    // opening tells it of the press.
    press(&op, "public", "hidden").await;
    let mut again = SseReader::new(app.get("/screen/stream").await);
    assert_eq!(next_view(&mut again).await["mode"], "hidden");
    assert_eq!(next_view(&mut wall).await["mode"], "hidden");
}

fn results_read_hourly(db: crate::support::Db) -> AppOptions {
    AppOptions {
        results_poll_ms: 3_600_000,
        ..AppOptions::new(db)
    }
}

on_both_backends!(a_staged_reveal_sends_each_place_when_it_is_revealed);
on_both_backends!(the_screens_share_one_view_per_change);
on_postgres!(
    a_screen_opened_after_a_press_elsewhere_starts_at_it,
    results_read_hourly
);
on_both_backends!(no_screen_shows_counts_while_voting_is_hidden);
on_both_backends!(a_reveal_shows_its_frozen_ranking_and_gives_nothing_away);
on_both_backends!(the_wall_reveals_no_undecided_count);
on_postgres!(every_instance_follows_a_press);
