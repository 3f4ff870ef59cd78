//! Results as the campaign publishes them, as organizers and residents use
//! them: the ranking rule chosen before voting and locked after (a refused
//! change still audited), closing the count, a tie at the winners' line
//! drawn by lot with a witness, the public notice with its objections and
//! answers, a withdrawn notice, and the final results — on both backends.

use alleyvote_domain::organizer::Role;
use alleyvote_domain::ranking::{draw, LotSeed};
use alleyvote_domain::{Millis, NomineeNumber};
use serde_json::Value;

use crate::support::{campaign_form, Organizer, TestApp};

const RESULTS: &str = "/api/v1/campaigns/yangpu-2026/results";

/// Posts the demo campaign's form with voting from `start` to `end`.
pub(crate) async fn set_voting(app: &TestApp, admin: &Organizer, start: Millis, end: Millis) {
    let c = app.demo_campaign().await;
    let mut form = campaign_form(&c);
    for (k, v) in form.iter_mut() {
        match *k {
            "nomination_start" => *v = start.plus_days(-20).to_local_input(),
            "review_start" => *v = start.plus_days(-10).to_local_input(),
            "voting_start" => *v = start.to_local_input(),
            "voting_end" => *v = end.to_local_input(),
            "notice_end" => *v = end.plus_days(7).to_local_input(),
            "ceremony_at" => *v = end.plus_days(10).to_local_input(),
            _ => {}
        }
    }
    let (status, location) = admin.post("/console/campaign", &form).await;
    assert_eq!(status, 303);
    assert!(location.contains("done="), "{location}");
}

pub(crate) async fn results(app: &TestApp) -> Value {
    app.services.hub.refresh().await.unwrap();
    let (status, body) = app.get_json(RESULTS).await;
    assert_eq!(status, 200);
    body
}

fn slug() -> (&'static str, &'static str) {
    ("slug", "yangpu-2026")
}

/// Where a console form sent the browser: `done=…` or `problem=…`.
pub(crate) async fn step(admin: &Organizer, fields: &[(&str, String)]) -> String {
    let mut form: Vec<(&str, String)> = vec![("slug", slug().1.to_string())];
    form.extend(fields.iter().cloned());
    let (status, location) = admin.post("/console/results/step", &form).await;
    assert_eq!(status, 303, "{location}");
    location
}

fn winners(body: &Value) -> Vec<u64> {
    body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["winner"] == true)
        .map(|e| e["number"].as_u64().unwrap())
        .collect()
}

/// The whole evening after voting: rule → votes → close → lot → notice →
/// objections → withdraw → notice again → answers → final.
async fn results_are_published_by_the_rule_chosen_before_voting(app: TestApp) {
    let admin = app.organizer("admin1", Role::Admin).await;
    let reviewer = app.organizer("reviewer1", Role::Reviewer).await;
    let operator = app.organizer("luru9", Role::StationOperator).await;
    let now = Millis::now();
    let rule = [
        slug(),
        ("formula", "weighted"),
        ("scaling", "to_maximum"),
        ("online", "50"),
        ("paper", "50"),
        ("jury", "0"),
        ("winners", "2"),
        ("tie1", "more_paper"),
        ("tie2", "more_online"),
        ("tie3", ""),
    ];

    // Voting is open in the demo campaign: the rule is locked, and the
    // attempt is in the audit log.
    let (_, location) = admin.post("/console/results/rule", &rule).await;
    assert!(location.ends_with("problem=rule_locked"), "{location}");
    assert_eq!(app.audited("results.rule_refused").await, 1);
    assert_eq!(app.audited("results.rule").await, 1, "only the refusal");

    // Before voting opens it is chosen, and published with the results.
    set_voting(&app, &admin, now.plus_days(1), now.plus_days(2)).await;
    let (_, location) = admin.post("/console/results/rule", &rule).await;
    assert!(location.ends_with("done=rule"), "{location}");
    let (status, _) = reviewer.post("/console/results/rule", &rule).await;
    assert_eq!(status, 403, "a reviewer may not choose the rule");
    let body = results(&app).await;
    assert_eq!(body["winners"], 2);
    assert_eq!(body["formula"]["rule"]["formula"]["kind"], "weighted");
    assert!(body["formula"]["words_zh"]
        .as_str()
        .unwrap()
        .contains("网络投票 50%"));

    // Voting: no. 1 gets two votes, nos. 2 and 3 one each: tied for the
    // second (and last) winner's place, in every channel.
    set_voting(&app, &admin, now.plus_days(-1), now.plus_days(1)).await;
    let a = app.voter("13500000001").await;
    let b = app.voter("13500000002").await;
    for (voter, n) in [(&a, 1), (&a, 2), (&a, 3), (&b, 1)] {
        let (status, _, body) = voter.vote(n).await;
        assert_eq!(status, 201, "{body}");
    }
    // Votes were cast under the rule: moving the opening later does not
    // unlock it.
    set_voting(&app, &admin, now.plus_days(1), now.plus_days(2)).await;
    let (_, location) = admin.post("/console/results/rule", &rule).await;
    assert!(location.ends_with("problem=rule_locked"), "{location}");
    assert_eq!(app.audited("results.rule_refused").await, 2);
    set_voting(&app, &admin, now.plus_days(-1), now.plus_days(1)).await;
    let live = results(&app).await;
    assert_eq!(live["state"], "live");
    assert_eq!(live["entries"][0]["score"], "50.00");
    assert_eq!(live["lot_pending"], serde_json::json!([2, 3]));

    // Closing waits for the end of voting; then the public sees no counts.
    let location = step(&admin, &[("step", "close".into())]).await;
    assert!(location.ends_with("problem=voting_not_over"), "{location}");
    set_voting(
        &app,
        &admin,
        now.plus_days(-2),
        Millis::now().plus_ms(-60_000),
    )
    .await;
    let location = step(&admin, &[("step", "close".into())]).await;
    assert!(location.ends_with("done=closed"), "{location}");
    let closed = results(&app).await;
    assert_eq!(closed["state"], "closed");
    assert!(closed["entries"][0]["score"].is_null() && closed["total_votes"].is_null());
    let (status, page) = admin.page("/console/results").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("data-testid=\"prelim-row\""),
        "organizers see the ranking"
    );

    // The tie at the line stops the notice until a lot is drawn, with a witness.
    let notice_end = Millis::now().plus_days(3).to_local_input();
    let location = step(
        &admin,
        &[
            ("step", "notice".into()),
            ("notice_end", notice_end.clone()),
        ],
    )
    .await;
    assert!(location.ends_with("problem=lot_pending"), "{location}");
    let (_, location) = admin
        .post("/console/results/lot", &[slug(), ("witness", " ")])
        .await;
    assert!(location.ends_with("problem=witness"), "{location}");
    let (_, location) = admin
        .post(
            "/console/results/lot",
            &[slug(), ("witness", "公证员 王建国")],
        )
        .await;
    assert!(location.ends_with("done=lot"), "{location}");
    let lot = app.last_audit().await.record;
    assert_eq!(lot.action, "results.lot");
    let drawn: Value = serde_json::from_str(lot.after.as_deref().unwrap()).unwrap();
    assert_eq!(drawn["witness"], "公证员 王建国");
    // Anyone holding the seed draws the same order again.
    let seed = LotSeed::parse(drawn["seed"].as_str().unwrap()).unwrap();
    let n = |k| NomineeNumber::new(k).unwrap();
    let again: Vec<u32> = draw(seed, &[n(3), n(2)])
        .iter()
        .map(|x| u32::from(x.get()))
        .collect();
    let order: Vec<u32> = drawn["order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as u32)
        .collect();
    assert_eq!(again, order);
    let (_, location) = admin
        .post(
            "/console/results/lot",
            &[slug(), ("witness", "公证员 王建国")],
        )
        .await;
    assert!(
        location.ends_with("problem=no_lot"),
        "one lot settles the tie"
    );

    // The notice publishes the ranking: two winners, the lot named.
    let location = step(
        &admin,
        &[
            ("step", "notice".into()),
            ("notice_end", notice_end.clone()),
        ],
    )
    .await;
    assert!(location.ends_with("done=notice"), "{location}");
    let notice = results(&app).await;
    assert_eq!(notice["state"], "notice");
    assert_eq!(winners(&notice), vec![1, u64::from(order[0])]);
    assert_eq!(notice["entries"][2]["tie_break"], "lot");
    assert_eq!(notice["entries"][2]["number"], u64::from(order[1]));
    assert_eq!(notice["notice"]["objections_filed"], 0);
    let (status, printable) = app.get_text("/results/notice").await;
    assert_eq!(status, 200);
    assert!(printable.contains("data-testid=\"printable-notice\""));
    assert_eq!(printable.matches("data-testid=\"notice-row\"").count(), 30);

    // Residents object: signed in, no phone numbers, a real nominee.
    let r = app
        .visitor()
        .post_form(
            "/results/objections",
            &[("reason", "第三投票点的计票单与现场公布的数字不一致")],
        )
        .await;
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/login"));
    let objection = |contact: &'static str, nominee: &'static str| {
        let a = a.clone();
        async move {
            let r = a
                .post_form(
                    "/results/objections",
                    &[
                        ("reason", "第三投票点的计票单与现场公布的数字不一致"),
                        ("contact", contact),
                        ("nominee", nominee),
                    ],
                )
                .await;
            r.headers()["location"].to_str().unwrap().to_string()
        }
    };
    assert!(objection("13812345678", "")
        .await
        .contains("objection=not_own_phone"));
    assert!(objection("电话 13812345678", "")
        .await
        .contains("objection=contact_is_phone"));
    assert!(objection("", "999")
        .await
        .contains("objection=unknown_nominee"));
    assert!(objection("wx_laowang", "2")
        .await
        .contains("objection=filed"));
    let body = results(&app).await;
    assert_eq!(
        (
            body["notice"]["objections_filed"].as_u64(),
            body["notice"]["objections_answered"].as_u64()
        ),
        (Some(1), Some(0))
    );
    let (_, mine) = a.page("/results").await;
    assert!(
        mine.contains("data-testid=\"my-objection\""),
        "the resident sees their objection"
    );
    let (_, theirs) = b.page("/results").await;
    assert!(
        !theirs.contains("data-testid=\"my-objection\""),
        "and nobody else's"
    );

    // Final waits for the end of the notice and for every answer.
    let location = step(&admin, &[("step", "final".into())]).await;
    assert!(location.ends_with("problem=notice_not_over"), "{location}");

    // A published notice is never withdrawn (it is corrected, with two
    // administrators: see corrections.rs): the step is not offered.
    let location = step(&admin, &[("step", "withdraw".into())]).await;
    assert!(location.ends_with("problem=moved"), "{location}");
    assert_eq!(results(&app).await["state"], "notice");
    assert_eq!(winners(&results(&app).await), vec![1, u64::from(order[0])]);

    // Reviewers answer; station operators may not.
    let id = app
        .services
        .store
        .objections(app.demo_campaign().await.id)
        .await
        .unwrap()[0]
        .id;
    let answer = format!("/console/results/objections/{id}/answer");
    let (status, _) = operator
        .post(&answer, &[slug(), ("answer", "经复核，数字无误。")])
        .await;
    assert_eq!(status, 403, "refused outright");
    let (_, location) = reviewer
        .post(&answer, &[slug(), ("answer", "经复核，数字无误。")])
        .await;
    assert!(location.ends_with("done=answered"), "{location}");
    let (_, location) = reviewer
        .post(&answer, &[slug(), ("answer", "再答一次")])
        .await;
    assert!(location.ends_with("problem=moved"), "answered once");
    let (_, mine) = a.page("/results").await;
    assert!(mine.contains("经复核，数字无误。"));
    assert_eq!(results(&app).await["notice"]["objections_answered"], 1);

    // The notice is over: final.
    app.raw_sql("UPDATE publications SET notice_end_ms = 1")
        .await
        .unwrap();
    let location = step(&admin, &[("step", "final".into())]).await;
    assert!(location.ends_with("done=final"), "{location}");
    let fin = results(&app).await;
    assert_eq!(fin["state"], "final");
    assert_eq!(winners(&fin), vec![1, u64::from(order[0])]);
    assert_eq!(app.audited("results.publication").await, 3);
    assert_eq!(app.audited("results.objection_answer").await, 1);
    let late = a
        .post_form(
            "/results/objections",
            &[("reason", "第三投票点的计票单与现场公布的数字不一致")],
        )
        .await;
    let location = late.headers()["location"].to_str().unwrap();
    assert!(
        location.contains("objection=not_during_notice"),
        "{location}"
    );
    app.verify_tally().await;
}

on_both_backends!(results_are_published_by_the_rule_chosen_before_voting);

/// Exports: administrators only, audited, each channel per nominee, the
/// sheets per station, per street; formula-looking text defused.
async fn exports_are_for_administrators_and_audited(app: TestApp) {
    let admin = app.organizer("admin1", Role::Admin).await;
    let reviewer = app.organizer("reviewer1", Role::Reviewer).await;
    alleyvote::demo::paper::load(&app.services).await.unwrap();
    let voter = app.voter("13500000009").await;
    let (status, _, body) = voter.vote(4).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        reviewer
            .status("/console/results/export.csv?kind=results")
            .await,
        403
    );
    assert_eq!(
        app.console_visitor()
            .status("/console/results/export.csv?kind=results")
            .await,
        303
    );

    let r = admin.get("/console/results/export.csv?kind=results").await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("yangpu-2026-results.csv"));
    let csv = r.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].contains("网络 online") && lines[0].contains("并列依据 tie-break"));
    assert_eq!(lines.len(), 31, "a header and thirty nominees");
    let body = results(&app).await;
    let first = &body["entries"][0];
    let row: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(row[0], "1");
    assert_eq!(row[1], first["number"].to_string());
    assert_eq!(row[5], first["online"].to_string());
    assert_eq!(row[6], first["paper"].to_string());

    let sheets = admin
        .get("/console/results/export.csv?kind=sheets")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        sheets.lines().count() > 6,
        "the demo stations' sheets: {sheets}"
    );
    let streets = admin
        .get("/console/results/export.csv?kind=streets")
        .await
        .text()
        .await
        .unwrap();
    assert!(streets.contains("定海路街道"));
    assert_eq!(
        admin
            .status("/console/results/export.csv?kind=everything")
            .await,
        400
    );

    let book = admin.get("/console/results/export.xlsx?kind=all").await;
    assert_eq!(book.status(), 200);
    let bytes = book.bytes().await.unwrap();
    assert_eq!(&bytes[..2], b"PK");
    assert_eq!(app.audited("results.export").await, 4);
}

on_both_backends!(exports_are_for_administrators_and_audited);

/// A notice published before every polling station reported says why, in
/// the administrator's words, on the results page, the printable notice
/// and the API; without a reason (or with one that says nothing) it is not
/// published, and the reason is in the audit log.
async fn a_notice_without_every_station_says_why(app: TestApp) {
    let admin = app.organizer("admin1", Role::Admin).await;
    let (_, location) = admin
        .post("/console/stations", &[("name", "殷行投票站")])
        .await;
    assert!(!location.contains("error="), "{location}");
    // The campaign's station, which will not report.
    let station = app.services.stations.records(None).await.unwrap()[0].id.0;
    let campaign = app.demo_campaign().await.id.0.to_string();
    let (_, location) = admin
        .post(
            &format!("/console/stations/{station}"),
            &[
                ("campaign", campaign.as_str()),
                ("community", ""),
                ("address", "殷行路 1 号"),
                ("opening_hours", ""),
                ("usual_turnout", ""),
            ],
        )
        .await;
    assert!(!location.contains("problem="), "{location}");
    let now = Millis::now();
    set_voting(&app, &admin, now.plus_days(-2), now.plus_ms(-60_000)).await;
    assert!(step(&admin, &[("step", "close".into())])
        .await
        .ends_with("done=closed"));
    // No votes: everyone ties at the line, and a lot settles it first.
    let (_, location) = admin
        .post(
            "/console/results/lot",
            &[slug(), ("witness", "公证员 王建国")],
        )
        .await;
    assert!(location.ends_with("done=lot"), "{location}");
    let notice = |reason: &'static str| {
        let admin = admin.clone();
        async move {
            step(
                &admin,
                &[
                    ("step", "notice".into()),
                    ("notice_end", Millis::now().plus_days(3).to_local_input()),
                    ("unreported_reason", reason.into()),
                ],
            )
            .await
        }
    };
    let location = notice("").await;
    assert!(
        location.ends_with("problem=stations_not_reported"),
        "{location}"
    );
    let location = notice(" 未报 ").await;
    assert!(
        location.ends_with("problem=unreported_reason_length"),
        "{location}"
    );
    let (_, page) = admin
        .page("/console/results?problem=stations_not_reported")
        .await;
    assert!(
        page.contains("写明未报告的原因"),
        "the refusal says what to do"
    );
    assert!(page.contains("name=\"unreported_reason\""));

    let reason = "殷行投票点的计票单被雨水浸湿，正在重新清点，预计 12月10日 前补报。";
    let location = notice(reason).await;
    assert!(location.ends_with("done=notice"), "{location}");
    let body = results(&app).await;
    assert_eq!(body["notice"]["unreported_reason"], reason);
    assert_eq!(
        (
            body["stations_reported"].as_u64(),
            body["stations_total"].as_u64()
        ),
        (Some(0), Some(1))
    );
    for path in ["/results", "/results/notice"] {
        let (status, page) = app.get_text(path).await;
        assert_eq!(status, 200);
        let said = page.find("data-testid=\"unreported-reason\"").expect(path);
        assert!(page[said..].contains(reason), "{path}");
        assert!(page.contains("1 个投票点未报告"), "{path}");
    }
    let published = app.last_audit().await.record;
    assert_eq!(published.action, "results.publication");
    assert!(published.after.unwrap().contains(reason));
}

on_both_backends!(a_notice_without_every_station_says_why);

/// A resident may give the number they signed in with as the contact (and
/// no one else's): it is kept sealed, shown masked, and texted once when
/// the objection is answered; an objection without it is not texted.
async fn an_objection_is_answered_by_text_to_the_residents_own_number(app: TestApp) {
    use alleyvote::demo::ceremony::{load, DemoStage};
    app.organizer("admin", Role::Admin).await;
    load(&app.services, DemoStage::Notice).await.unwrap();
    let resident = app.voter("13800000701").await;
    let object = |contact: &'static str| {
        let resident = resident.clone();
        async move {
            let r = resident
                .post_form(
                    "/results/objections",
                    &[
                        ("reason", "第二投票点的计票单照片看不清楚，请重新公布。"),
                        ("contact", contact),
                    ],
                )
                .await;
            r.headers()["location"].to_str().unwrap().to_string()
        }
    };
    assert!(object("139 0000 0799")
        .await
        .contains("objection=not_own_phone"));
    assert!(object(" 138-0000-0701 ").await.contains("objection=filed"));
    assert!(object("wx_jumin").await.contains("objection=filed"));
    let campaign = app.demo_campaign().await;
    let stored = app.services.store.objections(campaign.id).await.unwrap();
    let by_text = stored
        .iter()
        .find(|o| o.reply_phone_masked.is_some())
        .expect("kept for the text");
    assert_eq!(by_text.reply_phone_masked.as_deref(), Some("138****0701"));
    assert_eq!(
        by_text.contact, "",
        "the number is not a contact shown in clear"
    );
    let (_, mine) = resident.page("/results").await;
    assert!(mine.contains("答复后将短信通知 138****0701"), "{mine}");
    let reviewer = app.organizer("reviewer-replies", Role::Reviewer).await;
    let (_, console) = reviewer.page("/console/results").await;
    assert!(console.contains("data-testid=\"objection-reply-phone\""));
    assert!(!console.contains("13800000701"), "masked only");

    let before = app.texts_to("138****0701").len();
    for o in stored.iter().filter(|o| o.answer.is_none()) {
        let (_, location) = reviewer
            .post(
                &format!("/console/results/objections/{}/answer", o.id),
                &[
                    ("slug", campaign.slug.as_str()),
                    ("answer", "经复核，照片已重新上传。"),
                ],
            )
            .await;
        assert!(location.ends_with("done=answered"), "{location}");
    }
    let sent = app.texts_to("138****0701");
    assert_eq!(
        sent.len(),
        before + 1,
        "one text, for the objection that asked: {sent:?}"
    );
    let text = sent.last().unwrap();
    assert!(
        text.starts_with(alleyvote_domain::texts::SIGNATURE_ZH),
        "{text}"
    );
    assert!(
        text.contains("/results#objections") && text.contains("已答复"),
        "{text}"
    );
    let outbox = std::fs::read_to_string(app.data_dir.join("sms-outbox.jsonl")).unwrap();
    assert!(
        !outbox.contains("13800000701"),
        "the outbox masks numbers too"
    );
}

on_both_backends!(an_objection_is_answered_by_text_to_the_residents_own_number);

/// The demo taken to its notice (`ALLEYVOTE_DEMO_STAGE=notice`): voting
/// over, the notice published, one objection answered and one waiting;
/// loading it again changes nothing.
async fn the_demo_can_be_taken_to_its_notice(app: TestApp) {
    use alleyvote::demo::ceremony::{load, DemoStage};
    // As a demo start makes it, before the stage is loaded.
    app.organizer("admin", Role::Admin).await;
    load(&app.services, DemoStage::Notice).await.unwrap();
    let body = results(&app).await;
    assert_eq!(body["state"], "notice");
    assert_eq!(body["notice"]["objections_filed"], 2);
    assert_eq!(body["notice"]["objections_answered"], 1);
    load(&app.services, DemoStage::Notice).await.unwrap();
    assert_eq!(results(&app).await["notice"]["objections_filed"], 2);
    // The page says first of all that the results are on notice, until
    // when and how to object; the ten are marked elected, a line follows
    // the tenth; no "live" badge.
    let (status, page) = app.get_text("/results").await;
    assert_eq!(status, 200);
    let banner = page
        .find("data-testid=\"notice-banner\"")
        .expect("a banner");
    assert!(
        banner < page.find("data-testid=\"results-board\"").unwrap(),
        "at the top"
    );
    assert!(
        page.contains("结果公示中") && page.contains("href=\"#objections\""),
        "{page}"
    );
    assert_eq!(page.matches("data-testid=\"elected\"").count(), 10);
    assert_eq!(page.matches("data-testid=\"winners-line\"").count(), 1);
    let line = page.find("data-testid=\"winners-line\"").unwrap();
    let rows_before = page[..line].matches("data-testid=\"result-row\"").count();
    assert_eq!(rows_before, 10, "the line follows the tenth");
    assert!(page.contains("公示结果 · 不再随投票变化"));
    assert!(!page.contains("实时更新中"));
    let dapin = app
        .console_login("dapin", alleyvote::demo::DEMO_ADMIN_PASSWORD)
        .await;
    assert!(dapin.is_ok(), "the demo screen operator signs in");
}

on_both_backends!(the_demo_can_be_taken_to_its_notice);

/// While the results are hidden only those allowed to read hidden results
/// (administrators) see counts in the console: a reviewer's results page
/// shows the ranking as the public sees it.
async fn hidden_results_stay_hidden_in_the_console(app: TestApp) {
    let admin = app.organizer("admin1", Role::Admin).await;
    let reviewer = app.organizer("reviewer1", Role::Reviewer).await;
    for (phone, n) in [("13800000001", 1), ("13800000002", 1), ("13800000003", 2)] {
        let (status, _, body) = app.voter(phone).await.vote(n).await;
        assert_eq!(status, 201, "{body}");
    }
    let c = app.demo_campaign().await;
    let mut form = campaign_form(&c);
    form.retain(|(k, _)| *k != "results_visibility");
    form.push(("results_visibility", "hidden".to_string()));
    let (status, location) = admin.post("/console/campaign", &form).await;
    assert_eq!(status, 303, "{location}");
    app.services.hub.refresh().await.unwrap();

    let (status, page) = reviewer.page("/console/results").await;
    assert_eq!(status, 200, "the reviewer still answers objections here");
    assert!(
        !page.contains("data-testid=\"prelim-row\""),
        "no live counts for a reviewer"
    );
    assert!(page.contains("data-testid=\"ranking-hidden\""));
    let (status, page) = admin.page("/console/results").await;
    assert_eq!(status, 200);
    assert!(page.contains("data-testid=\"prelim-row\""));

    // Shown to the public again: the reviewer sees what everyone sees.
    form.retain(|(k, _)| *k != "results_visibility");
    form.push(("results_visibility", "live".to_string()));
    let (status, _) = admin.post("/console/campaign", &form).await;
    assert_eq!(status, 303);
    let (_, page) = reviewer.page("/console/results").await;
    assert!(page.contains("data-testid=\"prelim-row\""));
}

on_both_backends!(hidden_results_stay_hidden_in_the_console);
