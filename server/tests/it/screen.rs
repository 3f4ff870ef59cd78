//! The big screen, as the operator and the hall see it: presses on the
//! public wall and on the private rehearsal screen, a staged reveal that
//! never sends a place before it is revealed, and every screen following a
//! press by its stream — on both backends, and across instances.

use alleyvote_domain::organizer::Role;
use serde_json::Value;

use crate::support::{Organizer, SseReader, TestApp};

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

on_both_backends!(a_staged_reveal_sends_each_place_when_it_is_revealed);
on_postgres!(every_instance_follows_a_press);
