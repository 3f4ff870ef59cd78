//! Final is final: once the notice is published nothing changes the
//! published ranking silently. Withdrawing, renaming or renumbering a nominee,
//! adding one, reopening or re-keying a sheet, replacing a sheet's photo,
//! moving a station, appointing a judge are each refused with a sentence and the
//! attempt audited; a jury save racing the freeze is refused; two lot draws
//! at once settle the tie once — on both backends.

use alleyvote::demo::ceremony::{load, DemoStage};
use alleyvote_domain::organizer::Role;
use alleyvote_domain::paper::SheetState;
use alleyvote_domain::{Millis, SheetId};
use serde_json::Value;

use crate::publication::{results, set_voting, step};
use crate::support::{png, race, Organizer, TestApp};

const SLUG: (&str, &str) = ("slug", "yangpu-2026");

/// Where a console form sent the browser, as a future of its own.
type Answer = std::pin::Pin<Box<dyn std::future::Future<Output = String> + Send>>;

/// The demo with its paper ballots taken to the notice: its administrator,
/// and the published results.
pub(crate) async fn published(app: &TestApp) -> (Organizer, Value) {
    let admin = app.organizer("admin", Role::Admin).await;
    alleyvote::demo::paper::load(&app.services).await.unwrap();
    load(&app.services, DemoStage::Notice).await.unwrap();
    let body = results(app).await;
    assert_eq!(body["state"], "notice");
    (admin, body)
}

pub(crate) fn winners(body: &Value) -> Vec<u64> {
    body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["winner"] == true)
        .map(|e| e["number"].as_u64().unwrap())
        .collect()
}

/// The sheet in `state`, and its station.
async fn sheet_in(app: &TestApp, state: SheetState) -> (i64, i64) {
    let sheets = app.services.paper.storage().sheets(None).await.unwrap();
    let s = sheets.iter().find(|s| s.state == state).unwrap();
    (s.id.0, s.station.0)
}

async fn sheet_state(app: &TestApp, id: i64) -> SheetState {
    let sheet = app.services.paper.storage().sheet(SheetId(id)).await;
    sheet.unwrap().unwrap().summary.state
}

/// Each change the published ranking forbids is refused with a sentence,
/// changes nothing, and is in the audit log.
async fn nothing_changes_the_published_ranking(app: TestApp) {
    let (admin, before) = published(&app).await;
    let campaign = app.demo_campaign().await;
    let winner = winners(&before)[0];
    let records = app
        .services
        .store
        .nominee_records(campaign.id)
        .await
        .unwrap();
    let record = records
        .iter()
        .find(|r| u64::from(r.nominee.summary.number.get()) == winner)
        .unwrap();
    let id = record.nominee.id.0;

    // Withdrawing a winner after the notice.
    let (status, location) = admin
        .post(
            &format!("/console/nominees/{id}/status"),
            &[("active", "off")],
        )
        .await;
    assert_eq!(status, 303);
    assert!(location.ends_with("problem=published"), "{location}");
    let (_, page) = admin.page(&location).await;
    assert!(page.contains("结果已经公示"), "the sentence is shown");

    // Renumbering one.
    let form = reqwest::multipart::Form::new()
        .text("number", "999")
        .text("name", record.nominee.summary.name.clone())
        .text("community", record.community.0.to_string())
        .text("story", record.nominee.story.clone());
    let r = admin
        .post_multipart(&format!("/console/nominees/{id}"), form)
        .await;
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap();
    assert!(location.ends_with("problem=published"), "{location}");

    // Renaming one (the notice names each winner); the story, which the
    // notice does not show, may still be mended.
    let edit = |name: String, story: String| {
        reqwest::multipart::Form::new()
            .text("number", winner.to_string())
            .text("name", name)
            .text("community", record.community.0.to_string())
            .text("story", story)
    };
    let r = admin
        .post_multipart(
            &format!("/console/nominees/{id}"),
            edit("改了名字".into(), record.nominee.story.clone()),
        )
        .await;
    let location = r.headers()["location"].to_str().unwrap();
    assert!(location.ends_with("problem=published"), "{location}");
    let mended = format!("{}（补充：2026 年获评优秀志愿者）", record.nominee.story);
    let r = admin
        .post_multipart(
            &format!("/console/nominees/{id}"),
            edit(record.nominee.summary.name.clone(), mended),
        )
        .await;
    let location = r.headers()["location"].to_str().unwrap();
    assert!(!location.contains("problem="), "{location}");

    // Adding a nominee, who would join the published ranking.
    let form = reqwest::multipart::Form::new()
        .text("number", "998")
        .text("name", "王阿姨")
        .text("community", record.community.0.to_string())
        .text("story", "");
    let r = admin.post_multipart("/console/nominees", form).await;
    let location = r.headers()["location"].to_str().unwrap();
    assert!(location.ends_with("problem=published"), "{location}");

    // Reopening a counted sheet, re-keying one, replacing a photo.
    let (counted, station) = sheet_in(&app, SheetState::Definitive).await;
    let (status, location) = admin
        .post(
            &format!("/console/paper/sheets/{counted}/reopen"),
            &[("reason", "4号得票抄错，原件为 112")],
        )
        .await;
    assert_eq!(status, 303);
    assert!(location.ends_with("notice=published"), "{location}");
    let (waiting, _) = sheet_in(&app, SheetState::AwaitingSecond).await;
    let (_, location) = admin
        .post(
            &format!("/console/paper/sheets/{waiting}/entry"),
            &[("action", "save")],
        )
        .await;
    assert!(location.ends_with("notice=published"), "{location}");
    let photo = reqwest::multipart::Form::new().part(
        "photo",
        reqwest::multipart::Part::bytes(png()).file_name("sheet.png"),
    );
    let r = admin
        .post_multipart(&format!("/console/paper/sheets/{counted}/photo"), photo)
        .await;
    let location = r.headers()["location"].to_str().unwrap();
    assert!(location.ends_with("notice=published"), "{location}");
    assert_eq!(sheet_state(&app, counted).await, SheetState::Definitive);
    assert_eq!(sheet_state(&app, waiting).await, SheetState::AwaitingSecond);

    // Moving a station out of the campaign.
    let (_, location) = admin
        .post(
            &format!("/console/stations/{station}"),
            &[
                ("campaign", ""),
                ("community", ""),
                ("address", ""),
                ("opening_hours", ""),
                ("usual_turnout", ""),
            ],
        )
        .await;
    assert!(location.ends_with("error=published"), "{location}");

    // Appointing a judge, and drawing a lot again.
    let shenhe = app
        .services
        .store
        .organizers()
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.username == "shenhe")
        .unwrap();
    let (_, location) = admin
        .post(
            "/console/jury/judges",
            &[("organizer", shenhe.id.0.to_string())],
        )
        .await;
    assert!(location.ends_with("problem=locked"), "{location}");
    let (_, location) = admin
        .post(
            "/console/results/lot",
            &[SLUG, ("witness", "公证员 王建国")],
        )
        .await;
    assert!(location.ends_with("problem=no_lot"), "{location}");

    let after = results(&app).await;
    assert_eq!(after["entries"], before["entries"], "the ranking stands");
    assert_eq!(app.audited("results.locked_refused").await, 9);
    let refusal = app.last_audit().await.record;
    assert_eq!(refusal.action, "results.locked_refused");
    assert!(refusal.after.unwrap().contains("jury.appoint"));
    assert_eq!(app.audited("nominee.withdraw").await, 0);
    assert_eq!(app.audited("sheet.reopen").await, 0);
    app.verify_tally().await;
}

on_both_backends!(nothing_changes_the_published_ranking);

/// A weighted rule of two winners: online and jury shares, no paper.
async fn weighted_rule(admin: &Organizer, online: &str, jury: &str) {
    let rule = [
        SLUG,
        ("formula", "weighted"),
        ("scaling", "to_maximum"),
        ("online", online),
        ("paper", "0"),
        ("jury", jury),
        ("winners", "2"),
    ];
    let (_, location) = admin.post("/console/results/rule", &rule).await;
    assert!(location.ends_with("done=rule"), "{location}");
}

/// A judge saving scores while the notice is published: the jury closed
/// with voting, so the save is refused whichever comes first, and the
/// published jury averages are the ones scored before.
async fn a_jury_save_racing_the_freeze_is_refused(app: TestApp) {
    let admin = app.organizer("admin1", Role::Admin).await;
    let judge = app.organizer("judge1", Role::Reviewer).await;
    let now = Millis::now();
    set_voting(&app, &admin, now.plus_days(1), now.plus_days(2)).await;
    weighted_rule(&admin, "70", "30").await;
    let judge_id = app
        .services
        .store
        .organizers()
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.username == "judge1")
        .unwrap()
        .id;
    let (_, location) = admin
        .post(
            "/console/jury/judges",
            &[("organizer", judge_id.0.to_string())],
        )
        .await;
    assert!(location.ends_with("done=appointed"), "{location}");
    let (_, location) = judge
        .post(
            "/console/jury/scores",
            &[("score_1", "60"), ("score_2", "90")],
        )
        .await;
    assert!(location.ends_with("done=scored"), "{location}");

    // Voting ends; the count is closed; the notice races a new score.
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
    let save: Answer = {
        let judge = judge.clone();
        Box::pin(async move {
            judge
                .post("/console/jury/scores", &[("score_1", "100")])
                .await
                .1
        })
    };
    let notice: Answer = {
        let admin = admin.clone();
        Box::pin(
            async move { step(&admin, &[("step", "notice".into()), ("notice_end", end)]).await },
        )
    };
    let answers = race([save, notice]).await;
    assert!(answers[0].ends_with("problem=locked"), "{}", answers[0]);
    assert!(answers[1].ends_with("done=notice"), "{}", answers[1]);
    let body = results(&app).await;
    let jury = |n: u64| {
        body["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["number"] == n)
            .unwrap()["jury"]
            .clone()
    };
    assert_eq!((jury(1), jury(2)), ("60.00".into(), "90.00".into()));

    // The published tally keeps the averages it used, whatever the scores
    // table says later: an instance that reads it afresh shows them too.
    app.raw_sql("UPDATE jury_scores SET score = 10")
        .await
        .unwrap();
    let fresh = app.another_instance().await;
    let body = results(&fresh).await;
    let jury = |n: u64| {
        body["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["number"] == n)
            .unwrap()["jury"]
            .clone()
    };
    assert_eq!((jury(1), jury(2)), ("60.00".into(), "90.00".into()));
    assert_eq!(app.audited("jury.score").await, 1);
    assert_eq!(app.audited("results.locked_refused").await, 1);
    app.verify_tally().await;
}

on_both_backends!(a_jury_save_racing_the_freeze_is_refused);

/// Two administrators draw the lot for one tie at the same moment: one
/// lot is drawn and stands; the other is told the results moved on.
async fn two_lot_draws_at_once_draw_one_lot(app: TestApp) {
    let admin = app.organizer("admin1", Role::Admin).await;
    let other = app.organizer("admin2", Role::Admin).await;
    let now = Millis::now();
    set_voting(&app, &admin, now.plus_days(1), now.plus_days(2)).await;
    weighted_rule(&admin, "100", "0").await;
    set_voting(&app, &admin, now.plus_days(-1), now.plus_days(1)).await;
    let a = app.voter("13700000001").await;
    let b = app.voter("13700000002").await;
    for (voter, n) in [(&a, 1), (&a, 2), (&a, 3), (&b, 1)] {
        let (status, _, body) = voter.vote(n).await;
        assert_eq!(status, 201, "{body}");
    }
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

    let draw = |who: Organizer, witness: &'static str| async move {
        who.post("/console/results/lot", &[SLUG, ("witness", witness)])
            .await
            .1
    };
    let answers = race([
        draw(admin.clone(), "公证员 王建国"),
        draw(other.clone(), "公证员 李红"),
    ])
    .await;
    let drawn = answers.iter().filter(|l| l.ends_with("done=lot")).count();
    assert_eq!(drawn, 1, "{answers:?}");
    assert!(
        answers
            .iter()
            .any(|l| l.ends_with("problem=moved") || l.ends_with("problem=no_lot")),
        "{answers:?}"
    );
    assert_eq!(app.audited("results.lot").await, 1);
    let body = results(&app).await;
    assert!(body["lot_pending"].as_array().is_none_or(|p| p.is_empty()));
    app.verify_tally().await;
}

on_both_backends!(two_lot_draws_at_once_draw_one_lot);

fn sha256(bytes: &[u8]) -> String {
    hex::encode(<sha2::Sha256 as sha2::Digest>::digest(bytes))
}

/// A sheet photo's audit entry names the image's SHA-256; once published,
/// a photo that was replaced stays listed beside the one that replaced it.
async fn a_replaced_sheet_photo_stays_listed(app: TestApp) {
    let admin = app.organizer("admin", Role::Admin).await;
    alleyvote::demo::paper::load(&app.services).await.unwrap();
    let (counted, _) = sheet_in(&app, SheetState::Definitive).await;
    let photo_path = format!("/console/paper/sheets/{counted}/photo.jpg");
    let first = admin.get(&photo_path).await.bytes().await.unwrap();
    let photo = reqwest::multipart::Form::new().part(
        "photo",
        reqwest::multipart::Part::bytes(png()).file_name("sheet.png"),
    );
    let r = admin
        .post_multipart(&format!("/console/paper/sheets/{counted}/photo"), photo)
        .await;
    let location = r.headers()["location"].to_str().unwrap();
    assert!(location.ends_with("notice=photo_saved"), "{location}");
    let second = admin.get(&photo_path).await.bytes().await.unwrap();
    assert_ne!(first, second);
    let entry = app.last_audit().await.record;
    assert_eq!(entry.action, "sheet.photo");
    let after: Value = serde_json::from_str(entry.after.as_deref().unwrap()).unwrap();
    assert_eq!(after["sha256"], sha256(&second), "the stored image's hash");

    load(&app.services, DemoStage::Notice).await.unwrap();
    let (status, page) = app.get_text("/stations").await;
    assert_eq!(status, 200);
    let replaced: Vec<&str> = page
        .split("data-testid=\"replaced-photo\" href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert_eq!(replaced.len(), 1, "the replaced photo is listed");
    let old = app.get(replaced[0]).await;
    assert_eq!(old.status(), 200);
    assert_eq!(old.bytes().await.unwrap(), first, "and served as it was");
    let latest = app.get(&format!("/paper/sheets/{counted}/photo.jpg")).await;
    assert_eq!(latest.bytes().await.unwrap(), second);
    app.verify_tally().await;
}

on_both_backends!(a_replaced_sheet_photo_stays_listed);
