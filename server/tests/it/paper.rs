//! Paper ballots, as organizers key them: stations set up, sheets keyed
//! twice by different operators, differences resolved each of the three
//! ways, a reopen with its reason, checks that keep a sheet from standing,
//! operators limited to their stations, the sheet's photo, and the paper
//! count in the public results — on both backends.

use alleyvote_domain::organizer::Role;
use alleyvote_domain::paper::SheetState;
use alleyvote_domain::SheetId;

use crate::support::{Organizer, TestApp};

/// The demo campaign's ballot lists thirty nominees.
const NOMINEES: u32 = 30;

/// A station's sheet as volunteers filled it in: 500 received, 312 in the
/// box (300 valid, 8 invalid, 4 blank), 180 returned, 8 spoiled; `marks`
/// for some nominees, 0 for the rest.
fn sheet(marks: &[(u32, u32)]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = [
        ("received", 500),
        ("unused", 180),
        ("spoiled", 8),
        ("in_box", 312),
        ("valid", 300),
        ("invalid", 8),
        ("blank", 4),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for n in 1..=NOMINEES {
        let m = marks.iter().find(|(k, _)| *k == n).map_or(0, |(_, m)| *m);
        fields.push((format!("mark_{n}"), m.to_string()));
    }
    fields
}

fn with(mut fields: Vec<(String, String)>, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    for (k, v) in extra {
        fields.retain(|(name, _)| name != k);
        fields.push((k.to_string(), v.to_string()));
    }
    fields
}

/// Posts an entry; where the browser is sent.
async fn key(
    who: &Organizer,
    sheet: i64,
    fields: &[(String, String)],
    finish: bool,
) -> (u16, String) {
    let mut form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    form.push(("action", if finish { "finish" } else { "save" }));
    who.post(&format!("/console/paper/sheets/{sheet}/entry"), &form)
        .await
}

/// The outcome a redirect names, without the field it points at.
fn notice(location: &str) -> &str {
    let named = location.split("notice=").nth(1).unwrap_or("");
    named.split('#').next().unwrap_or("")
}

/// An administrator (the coordinator), two operators of one station, and
/// the station set up with its ballots and `sheets` sheets.
struct Desk {
    admin: Organizer,
    ann: Organizer,
    bob: Organizer,
    station: i64,
    sheets: Vec<i64>,
}

async fn organizer_id(app: &TestApp, username: &str) -> i64 {
    app.services
        .store
        .organizers()
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.username == username)
        .unwrap()
        .id
        .0
}

/// The desk with every sheet photographed: a second entry may be finished.
async fn desk(app: &TestApp, sheets: usize) -> Desk {
    let d = unphotographed_desk(app, sheets).await;
    for s in &d.sheets {
        let r = d
            .ann
            .post_multipart(
                &format!("/console/paper/sheets/{s}/photo"),
                photo_form(png(40, 20)),
            )
            .await;
        let location = r.headers()["location"].to_str().unwrap();
        assert!(location.ends_with("photo_saved"), "{location}");
    }
    d
}

/// The multipart form that uploads a sheet's photo.
fn photo_form(bytes: Vec<u8>) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new().part(
        "photo",
        reqwest::multipart::Part::bytes(bytes).file_name("sheet.png"),
    )
}

async fn unphotographed_desk(app: &TestApp, sheets: usize) -> Desk {
    let admin = app.organizer("coordinator", Role::Admin).await;
    let ann = app.organizer("ann", Role::StationOperator).await;
    let bob = app.organizer("bob", Role::StationOperator).await;
    let campaign = app.demo_campaign().await;
    let (status, _) = admin
        .post("/console/stations", &[("name", "长白第一投票点")])
        .await;
    assert_eq!(status, 303);
    let station = app.services.stations.records(None).await.unwrap()[0].id.0;
    let community = app.services.store.communities().await.unwrap()[0]
        .community
        .id
        .0
        .to_string();
    let (status, location) = admin
        .post(
            &format!("/console/stations/{station}"),
            &[
                ("campaign", campaign.id.0.to_string().as_str()),
                ("community", community.as_str()),
                ("address", "长白路 10 号居委会活动室"),
                ("opening_hours", "每天 9:00–16:00"),
                ("usual_turnout", "300"),
            ],
        )
        .await;
    let on_its_page = format!("/console/stations/{station}?done=updated");
    assert_eq!((status, location.as_str()), (303, on_its_page.as_str()));
    let (_, location) = admin
        .post(
            &format!("/console/stations/{station}/stock"),
            &[
                ("ballots", "500"),
                ("serial_from", "A0001"),
                ("serial_to", "A0500"),
            ],
        )
        .await;
    assert_eq!(location, on_its_page);
    for who in ["ann", "bob"] {
        let id = organizer_id(app, who).await;
        let (status, _) = admin
            .post(
                &format!("/console/organizers/{id}/stations"),
                &[("station", station.to_string())],
            )
            .await;
        assert_eq!(status, 303);
    }
    for k in 1..=sheets {
        let (_, location) = admin
            .post(
                &format!("/console/stations/{station}/sheets"),
                &[("label", format!("第{k}天"))],
            )
            .await;
        assert_eq!(location, on_its_page);
    }
    let mut ids: Vec<i64> = app
        .services
        .paper
        .storage()
        .sheets(None)
        .await
        .unwrap()
        .iter()
        .map(|s| s.id.0)
        .collect();
    ids.sort();
    Desk {
        admin,
        ann,
        bob,
        station,
        sheets: ids,
    }
}

async fn state(app: &TestApp, sheet: i64) -> SheetState {
    app.services
        .paper
        .storage()
        .sheet(SheetId(sheet))
        .await
        .unwrap()
        .unwrap()
        .summary
        .state
}

/// Nominee `n`'s entry in the public results: (online, paper, combined).
async fn channels(app: &TestApp, n: u64) -> (u64, u64, u64) {
    app.services.hub.refresh().await.unwrap();
    let (status, results) = app.get_json("/api/v1/campaigns/yangpu-2026/results").await;
    assert_eq!(status, 200);
    let e = results["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["number"] == n)
        .unwrap()
        .clone();
    let get = |k: &str| e[k].as_u64().unwrap();
    assert_eq!(
        get("votes"),
        get("combined"),
        "votes stays the combined figure"
    );
    (get("online"), get("paper"), get("combined"))
}

async fn stations_reported(app: &TestApp) -> (u64, u64) {
    app.services.hub.refresh().await.unwrap();
    let (_, results) = app.get_json("/api/v1/campaigns/yangpu-2026/results").await;
    (
        results["stations_reported"].as_u64().unwrap(),
        results["stations_total"].as_u64().unwrap(),
    )
}

/// stock → two entries → definitive → tally, with the second operator
/// seeing nothing of the first and the first unable to key both.
async fn two_entries_make_a_sheet_count(app: TestApp) {
    let d = desk(&app, 1).await;
    let s = d.sheets[0];
    assert_eq!(stations_reported(&app).await, (0, 1));
    let numbers = sheet(&[(1, 287), (2, 180), (3, 37)]);
    let (status, location) = key(&d.ann, s, &numbers, true).await;
    assert_eq!((status, notice(&location)), (303, "first_done"));
    assert_eq!(state(&app, s).await, SheetState::AwaitingSecond);

    // The first operator cannot key the second entry.
    let (_, location) = key(&d.ann, s, &numbers, true).await;
    assert_eq!(notice(&location), "same_operator");
    assert_eq!(state(&app, s).await, SheetState::AwaitingSecond);

    // The second operator's page shows nothing of the first entry.
    let (status, page) = d.bob.page(&format!("/console/paper/sheets/{s}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("data-round=\"2\""), "a second-entry form");
    assert!(
        !page.contains("value=\"287\""),
        "the first entry's numbers stay hidden"
    );

    // Nothing is counted before the second entry agrees.
    assert_eq!(channels(&app, 1).await, (0, 0, 0));
    let (_, location) = key(&d.bob, s, &numbers, true).await;
    assert_eq!(notice(&location), "definitive");
    assert_eq!(state(&app, s).await, SheetState::Definitive);
    assert_eq!(channels(&app, 1).await, (0, 287, 287));
    assert_eq!(channels(&app, 3).await, (0, 37, 37));
    assert_eq!(stations_reported(&app).await, (1, 1));

    // Online votes and paper marks add up per nominee.
    let voter = app.voter("13800138000").await;
    let (status, _, _) = voter.vote(1).await;
    assert_eq!(status, 201);
    assert_eq!(channels(&app, 1).await, (1, 287, 288));
    app.verify_tally().await;

    // Once counted it is closed to keying; every step is in the audit log.
    let (_, location) = key(&d.ann, s, &numbers, false).await;
    assert_eq!(notice(&location), "closed");
    assert_eq!(app.audited("sheet.finish").await, 2);
    assert_eq!(app.audited("sheet.create").await, 1);
    assert_eq!(app.audited("station.ballot_stock").await, 1);
    assert_eq!(app.audited("station.update").await, 1);
    let records = app.services.stations.records(None).await.unwrap();
    assert_eq!(records[0].ballots_received, 500);
    let _ = d.station;
}

/// Differences go to a coordinator, who keeps the first, keeps the second,
/// or discards both; the tally follows the entry kept.
async fn a_difference_is_resolved_each_of_three_ways(app: TestApp) {
    let d = desk(&app, 3).await;
    let first = sheet(&[(1, 100), (2, 50)]);
    let typo = sheet(&[(1, 100), (2, 51)]);
    for &s in &d.sheets {
        key(&d.ann, s, &first, true).await;
        let (_, location) = key(&d.bob, s, &typo, true).await;
        assert_eq!(notice(&location), "different");
        assert_eq!(state(&app, s).await, SheetState::Different);
    }
    assert_eq!(channels(&app, 2).await.1, 0, "a difference counts nothing");

    // The coordinator sees both side by side, the differing field marked.
    let (status, page) = d
        .admin
        .page(&format!("/console/paper/sheets/{}", d.sheets[0]))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("data-testid=\"resolve-view\""));
    assert_eq!(
        page.matches("data-differs=\"true\"").count(),
        1,
        "one differing field"
    );

    // Operators do not decide.
    let (status, _) = d
        .ann
        .post(
            &format!("/console/paper/sheets/{}/resolve", d.sheets[0]),
            &[("decision", "keep_first")],
        )
        .await;
    assert_eq!(status, 403);

    let decide = |s: i64, decision: &'static str| {
        let admin = &d.admin;
        async move {
            let (_, location) = admin
                .post(
                    &format!("/console/paper/sheets/{s}/resolve"),
                    &[("decision", decision)],
                )
                .await;
            notice(&location).to_string()
        }
    };
    assert_eq!(decide(d.sheets[0], "keep_second").await, "resolved");
    assert_eq!(channels(&app, 2).await.1, 51);
    assert_eq!(decide(d.sheets[1], "keep_first").await, "resolved");
    assert_eq!(channels(&app, 2).await.1, 101);
    assert_eq!(decide(d.sheets[2], "discard_both").await, "resolved");
    assert_eq!(
        channels(&app, 2).await.1,
        101,
        "discarded entries count nothing"
    );
    assert_eq!(state(&app, d.sheets[2]).await, SheetState::NotStarted);
    assert_eq!(channels(&app, 1).await.1, 200);

    // A decided sheet takes no second decision.
    assert_eq!(decide(d.sheets[0], "keep_first").await, "moved");
    assert_eq!(channels(&app, 2).await.1, 101);

    // The discarded sheet is keyed again from the start, by anyone.
    let discarded = app
        .services
        .paper
        .storage()
        .sheet(SheetId(d.sheets[2]))
        .await
        .unwrap()
        .unwrap();
    assert!(discarded
        .entries
        .iter()
        .all(|e| e.closed.as_deref() == Some("discarded")));
    // The very numbers of the counted sheets: a warning to check the paper.
    let (_, location) = key(&d.bob, d.sheets[2], &first, true).await;
    assert_eq!(notice(&location), "not_checked");
    let ticked = with(first.clone(), &[("checked", "on")]);
    let (_, location) = key(&d.bob, d.sheets[2], &ticked, true).await;
    assert_eq!(notice(&location), "first_done");
    assert_eq!(app.audited("sheet.resolve").await, 3);
    app.verify_tally().await;
}

async fn reopen(who: &Organizer, sheet: i64, reason: &str) -> (u16, String) {
    who.post(
        &format!("/console/paper/sheets/{sheet}/reopen"),
        &[("reason", reason)],
    )
    .await
}

/// A counted sheet is reopened only by an administrator with a reason; its
/// marks leave the tally and its old version stays visible.
async fn a_counted_sheet_is_reopened_only_with_a_reason(app: TestApp) {
    let d = desk(&app, 1).await;
    let s = d.sheets[0];
    let numbers = sheet(&[(4, 120)]);
    key(&d.ann, s, &numbers, true).await;
    key(&d.bob, s, &numbers, true).await;
    assert_eq!(channels(&app, 4).await.1, 120);

    let (status, _) = reopen(&d.ann, s, "operator tries it").await;
    assert_eq!(status, 403, "operators do not reopen");
    let (_, location) = reopen(&d.admin, s, "  ").await;
    assert_eq!(notice(&location), "reason_needed", "a reason is required");
    let (_, page) = d.admin.page(&location).await;
    assert!(page.contains("请写明原因"), "{page}");
    assert_eq!(state(&app, s).await, SheetState::Definitive);

    let reason = "4号得票抄错，原件为 112";
    let (_, location) = reopen(&d.admin, s, reason).await;
    assert_eq!(notice(&location), "reopened");
    assert_eq!(state(&app, s).await, SheetState::NotStarted);
    assert_eq!(channels(&app, 4).await.1, 0, "the tally follows");
    app.verify_tally().await;

    // The old version and the reason stay visible.
    let (_, page) = d.admin.page(&format!("/console/paper/sheets/{s}")).await;
    assert!(page.contains(reason), "the reason is shown");
    assert!(
        page.contains("data-testid=\"entry-card\""),
        "the old entries are shown"
    );
    let record = app
        .services
        .paper
        .storage()
        .sheet(SheetId(s))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.reopenings.len(), 1);
    assert!(record
        .entries
        .iter()
        .all(|e| e.closed.as_deref() == Some("reopened")));

    // Keyed again, it counts again with the corrected number.
    let corrected = sheet(&[(4, 112)]);
    key(&d.bob, s, &corrected, true).await;
    let (_, location) = key(&d.ann, s, &corrected, true).await;
    assert_eq!(notice(&location), "definitive");
    assert_eq!(channels(&app, 4).await.1, 112);
    assert_eq!(app.audited("sheet.reopen").await, 1);
    app.verify_tally().await;
}

/// Errors keep an entry a draft (nothing typed is lost); warnings need the
/// operator's tick; numbers are read as people type them.
async fn checks_keep_a_sheet_from_standing(app: TestApp) {
    let d = desk(&app, 1).await;
    let s = d.sheets[0];
    let missing = with(sheet(&[(1, 10)]), &[("blank", "")]);
    let (status, location) = key(&d.ann, s, &missing, true).await;
    assert_eq!((status, notice(&location)), (303, "has_errors"));
    assert_eq!(
        state(&app, s).await,
        SheetState::FirstEntry,
        "kept as a draft"
    );
    let (status, page) = d
        .ann
        .page(&format!("/console/paper/sheets/{s}?notice=has_errors"))
        .await;
    assert_eq!(status, 400, "the page says what is wrong");
    assert!(
        page.contains("value=\"312\""),
        "what was typed is shown back"
    );
    assert!(page.contains("请填写空白票"), "the missing field is named");

    // Another operator cannot take over a first entry in progress.
    let (_, location) = key(&d.bob, s, &sheet(&[]), false).await;
    assert_eq!(notice(&location), "first_taken");

    // A box that does not add up is an error; ballots unaccounted for a warning.
    let unbalanced = with(sheet(&[(1, 10)]), &[("invalid", "9")]);
    let (_, location) = key(&d.ann, s, &unbalanced, true).await;
    assert_eq!(notice(&location), "has_errors");
    // More received than the 500 recorded as handed over: check the paper.
    let above_stock = with(sheet(&[(1, 10)]), &[("received", "510"), ("unused", "190")]);
    let (_, location) = key(&d.ann, s, &above_stock, true).await;
    assert_eq!(notice(&location), "not_checked");
    let (_, page) = d.ann.page(&format!("/console/paper/sheets/{s}")).await;
    assert!(
        page.contains("多于登记发放给本站的 500 张"),
        "the warning names the stock"
    );
    let unaccounted = with(sheet(&[(1, 10)]), &[("unused", "170")]);
    let (_, location) = key(&d.ann, s, &unaccounted, true).await;
    assert_eq!(notice(&location), "not_checked");
    assert_eq!(state(&app, s).await, SheetState::FirstEntry);
    let ticked = with(
        unaccounted,
        &[
            ("checked", "on"),
            ("note", "10 张在另一只箱子里"),
            ("valid", "３００"),
        ],
    );
    let (_, location) = key(&d.ann, s, &ticked, true).await;
    assert_eq!(notice(&location), "first_done");
    let record = app
        .services
        .paper
        .storage()
        .sheet(SheetId(s))
        .await
        .unwrap()
        .unwrap();
    let entry = &record.entries[0];
    assert!(entry.checked_against_paper);
    assert_eq!(entry.note, "10 张在另一只箱子里");
    assert!(entry.finished_at.is_some());

    // A draft of the second entry survives a stop and resume.
    let (_, location) = key(&d.bob, s, &sheet(&[(1, 10)])[..3], false).await;
    assert_eq!(notice(&location), "saved");
    assert_eq!(state(&app, s).await, SheetState::SecondEntry);
    let (_, page) = d.bob.page(&format!("/console/paper/sheets/{s}")).await;
    assert!(page.contains("value=\"500\""), "the draft is shown back");
    assert!(app.audited("sheet.draft").await >= 3);
}

/// What an operator types is kept as typed: the entry form posts each
/// change as a draft (204), and the page opened again shows it, pointing at
/// the next empty field. Enter without JavaScript saves a draft and lands
/// there too. Another station's operator is refused in words.
async fn typed_numbers_are_kept_as_they_are_typed(app: TestApp) {
    let d = desk(&app, 1).await;
    let s = d.sheets[0];
    let draft = format!("/console/paper/sheets/{s}/draft");
    let (status, _) = d
        .ann
        .post(&draft, &[("received", "500"), ("unused", "18O")])
        .await;
    assert_eq!(status, 204, "kept");
    assert_eq!(state(&app, s).await, SheetState::FirstEntry);
    let (_, page) = d.ann.page(&format!("/console/paper/sheets/{s}")).await;
    assert!(page.contains("value=\"500\"") && page.contains("value=\"18O\""));
    // The mistyped field is named once, by its typing problem.
    assert!(page.contains("请只填写数字"), "{page}");
    assert!(!page.contains("请填写退回空白选票数"), "{page}");
    // The third field (spoiled) is the first empty one: the page opens there.
    let next = page.find("id=\"next\"").expect("a next field");
    let spoiled = page.find("name=\"spoiled\"").expect("the spoiled field");
    let unused = page.find("name=\"unused\"").expect("the unused field");
    assert!(unused < next && next < spoiled, "next is the spoiled row");
    let input = &page[spoiled..spoiled + page[spoiled..].find('>').unwrap()];
    assert!(input.contains("autofocus"), "and it has the focus: {input}");
    assert_eq!(page.matches(" autofocus").count(), 1, "one field has it");

    // Enter in the form without JavaScript is the first button: save.
    let (status, location) = key(&d.ann, s, &sheet(&[(1, 10)])[..4], false).await;
    assert_eq!(status, 303);
    // No fragment: it would keep the browser from focusing the next field.
    assert!(location.ends_with("?notice=saved"), "{location}");

    let carl = app.organizer("carl", Role::StationOperator).await;
    let r = carl
        .browser(reqwest::Method::POST, &draft)
        .form(&[("csrf", carl.csrf.as_str()), ("received", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("这张计票单属于另一个投票点"));
    let (_, page) = d.ann.page(&format!("/console/paper/sheets/{s}")).await;
    assert!(page.contains("value=\"500\""), "carl changed nothing");
}

/// Operators key only their stations; reviewers and screen operators not at all.
async fn operators_key_only_their_stations(app: TestApp) {
    let d = desk(&app, 1).await;
    let s = d.sheets[0];
    let carl = app.organizer("carl", Role::StationOperator).await;
    let reviewer = app.organizer("rita", Role::Reviewer).await;
    let screen = app.organizer("sam", Role::ScreenOperator).await;
    let numbers = sheet(&[(1, 5)]);
    // Another station's operator is told in words, on the board, what the
    // sheet page would say.
    let (status, location) = key(&carl, s, &numbers, true).await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/console/paper?error=not_yours"),
        "another station's operator"
    );
    let (_, board) = carl.page(&location).await;
    assert!(board.contains("这张计票单属于另一个投票点"), "{board}");
    for who in [&reviewer, &screen] {
        let (status, _) = key(who, s, &numbers, true).await;
        assert_eq!(status, 403);
        assert_eq!(who.status("/console/paper").await, 403);
        assert_eq!(who.status(&format!("/console/paper/sheets/{s}")).await, 403);
    }
    assert_eq!(
        state(&app, s).await,
        SheetState::NotStarted,
        "nothing was keyed"
    );
    assert_eq!(
        carl.status(&format!("/console/paper/sheets/{s}")).await,
        403,
        "another station's sheet is not carl's to read"
    );
    // Operators see the board but set nothing up.
    assert_eq!(d.ann.status("/console/paper").await, 200);
    let (status, _) = d
        .ann
        .post(
            &format!("/console/stations/{}/sheets", d.station),
            &[("label", "第9天")],
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = d
        .ann
        .post(
            &format!("/console/stations/{}/stock", d.station),
            &[("ballots", "9")],
        )
        .await;
    assert_eq!(status, 403);
    // Without a session: to the login page.
    let (status, location) = app
        .console_visitor()
        .post(
            &format!("/console/paper/sheets/{s}/entry"),
            &[("action", "save")],
        )
        .await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/console/login"), "{location}");
}

/// A PNG of `w` × `h` pixels.
fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 255) as u8, (y % 255) as u8, 90])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

/// The photo of the signed sheet: re-encoded, shown to the console, public
/// only once the results are published.
async fn the_signed_sheet_is_photographed(app: TestApp) {
    let d = unphotographed_desk(&app, 1).await;
    let s = d.sheets[0];
    let upload = |bytes: Vec<u8>| {
        reqwest::multipart::Form::new().part(
            "photo",
            reqwest::multipart::Part::bytes(bytes).file_name("sheet.png"),
        )
    };
    let r = d
        .ann
        .post_multipart(
            &format!("/console/paper/sheets/{s}/photo"),
            upload(b"not a picture".to_vec()),
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .ends_with("photo_refused"));
    let r = d
        .ann
        .post_multipart(
            &format!("/console/paper/sheets/{s}/photo"),
            upload(png(2200, 1100)),
        )
        .await;
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .ends_with("photo_saved"));
    let r = d
        .bob
        .get(&format!("/console/paper/sheets/{s}/photo.jpg"))
        .await;
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.unwrap();
    assert_eq!(&bytes[..2], &[0xFF, 0xD8], "re-encoded as JPEG");
    let decoded = image::load_from_memory(&bytes).unwrap();
    assert_eq!(
        (decoded.width(), decoded.height()),
        (2000, 1000),
        "fits 2,000 px"
    );
    // Not public while voting is on.
    assert_eq!(
        app.get(&format!("/paper/sheets/{s}/photo.jpg"))
            .await
            .status(),
        404
    );
    assert_eq!(
        app.console_visitor()
            .get(&format!("/console/paper/sheets/{s}/photo.jpg"))
            .await
            .status(),
        303
    );
    assert_eq!(app.audited("sheet.photo").await, 1);
}

async fn waive(who: &Organizer, sheet: i64, reason: &str) -> (u16, String) {
    who.post(
        &format!("/console/paper/sheets/{sheet}/photo-waiver"),
        &[("reason", reason)],
    )
    .await
}

/// The second entry, the last word before a sheet counts, waits for the
/// photo of the signed sheet (what it typed kept as a draft); a coordinator
/// keeps no entry without it either. Only an administrator lets a sheet
/// count without one, with a written reason the public list shows.
async fn a_sheet_counts_on_its_photo_or_a_written_waiver(app: TestApp) {
    let d = unphotographed_desk(&app, 2).await;
    let (s, t) = (d.sheets[0], d.sheets[1]);
    let numbers = sheet(&[(1, 40)]);
    // The first entry needs no photo yet.
    assert_eq!(
        notice(&key(&d.ann, s, &numbers, true).await.1),
        "first_done"
    );
    let (_, page) = d.bob.page(&format!("/console/paper/sheets/{s}")).await;
    assert!(
        page.contains("data-testid=\"photo-first\""),
        "said before typing"
    );
    let (status, location) = key(&d.bob, s, &numbers, true).await;
    assert_eq!((status, notice(&location)), (303, "photo_needed"));
    assert!(location.ends_with("#sheet-photo"), "{location}");
    assert_eq!(
        state(&app, s).await,
        SheetState::SecondEntry,
        "kept as a draft"
    );
    assert_eq!(channels(&app, 1).await.1, 0, "nothing counted");
    let (status, page) = d
        .bob
        .page(&format!("/console/paper/sheets/{s}?notice=photo_needed"))
        .await;
    assert_eq!(status, 400);
    assert!(page.contains("需要签字计票单的照片"), "{page}");
    assert!(
        page.contains("value=\"40\""),
        "what was typed is shown back"
    );

    // Operators do not waive; an administrator must give a reason.
    let (status, _) = waive(&d.bob, s, "没有相机").await;
    assert_eq!(status, 403);
    let (_, location) = waive(&d.admin, s, " 无 ").await;
    assert_eq!(notice(&location), "reason_needed");
    assert_eq!(app.audited("sheet.photo_waive").await, 0);

    // With the photo, the same entry finishes and counts.
    let r = d
        .bob
        .post_multipart(
            &format!("/console/paper/sheets/{s}/photo"),
            photo_form(png(40, 20)),
        )
        .await;
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .ends_with("photo_saved"));
    assert_eq!(
        notice(&key(&d.bob, s, &numbers, true).await.1),
        "definitive"
    );
    assert_eq!(channels(&app, 1).await.1, 40);
    // A sheet with its photo needs no waiver.
    assert_eq!(
        notice(&waive(&d.admin, s, "相机故障，原件存档").await.1),
        "nothing_to_waive"
    );

    // A coordinator keeps no entry of a sheet without a photo: the second
    // sheet differs (its photo waived only after the entries were in).
    let reason = "平板相机损坏，签字原件封存于街道办";
    let first = sheet(&[(1, 40), (2, 6)]);
    assert_eq!(notice(&key(&d.ann, t, &first, true).await.1), "first_done");
    let (_, location) = waive(&d.admin, t, reason).await;
    assert_eq!(notice(&location), "photo_waived");
    let (_, page) = d.bob.page(&format!("/console/paper/sheets/{t}")).await;
    assert!(page.contains("data-testid=\"photo-waived\"") && page.contains(reason));
    assert!(!page.contains("data-testid=\"photo-first\""));
    let (_, location) = key(&d.bob, t, &sheet(&[(1, 41)]), true).await;
    assert_eq!(notice(&location), "different");
    let (_, location) = d
        .admin
        .post(
            &format!("/console/paper/sheets/{t}/resolve"),
            &[("decision", "keep_first")],
        )
        .await;
    assert_eq!(notice(&location), "resolved");
    assert_eq!(channels(&app, 1).await.1, 80);
    assert_eq!(app.audited("sheet.photo_waive").await, 1);
    app.verify_tally().await;

    // Published (the demo's stage, with its accounts), the reason stands
    // where the photo would.
    app.organizer("admin", Role::Admin).await;
    app.organizer("shenhe", Role::Reviewer).await;
    alleyvote::demo::ceremony::load(&app.services, alleyvote::demo::ceremony::DemoStage::Notice)
        .await
        .unwrap();
    let (_, page) = app.get_text("/stations").await;
    assert!(page.contains(reason), "{page}");
}

/// A station set up in one place: its page shows where, who, what stock
/// and which sheets; its operators are chosen there; a station never keyed
/// is removed, one keyed stays.
async fn a_station_is_set_up_on_its_own_page(app: TestApp) {
    let d = desk(&app, 1).await;
    let page_of = |station: i64| format!("/console/stations/{station}");
    let (status, page) = d.admin.page(&page_of(d.station)).await;
    assert_eq!(status, 200);
    for shown in [
        "长白第一投票点",
        "长白路 10 号居委会活动室",
        "A0001",
        "共发放空白选票 500 张",
        "第1天",
    ] {
        assert!(page.contains(shown), "{shown} in {page}");
    }
    let ann = organizer_id(&app, "ann").await;
    let bob = organizer_id(&app, "bob").await;
    for id in [ann, bob] {
        let at = page
            .find(&format!("name=\"operator\" value=\"{id}\""))
            .unwrap();
        assert!(page[at..at + 80].contains("checked"), "{id} is ticked");
    }
    // Operators neither see nor change it.
    assert_eq!(d.ann.status(&page_of(d.station)).await, 403);
    let (status, _) = d
        .ann
        .post(
            &format!("/console/stations/{}/operators", d.station),
            &[("operator", ann.to_string())],
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(d.admin.status("/console/stations/999999").await, 404);

    // Only ann keys here now: bob's entry goes back to his board.
    let (_, location) = d
        .admin
        .post(
            &format!("/console/stations/{}/operators", d.station),
            &[("operator", ann.to_string())],
        )
        .await;
    assert_eq!(location, format!("{}?done=updated", page_of(d.station)));
    let (_, location) = key(&d.bob, d.sheets[0], &sheet(&[]), false).await;
    assert_eq!(location, "/console/paper?error=not_yours");
    // An administrator is no station operator to tick.
    let admin_id = organizer_id(&app, "coordinator").await;
    let (_, location) = d
        .admin
        .post(
            &format!("/console/stations/{}/operators", d.station),
            &[("operator", admin_id.to_string())],
        )
        .await;
    assert!(location.ends_with("error=invalid"), "{location}");
    assert_eq!(app.audited("station.operators").await, 1);

    // A station with a photographed sheet stays.
    let (_, location) = d
        .admin
        .press(&format!("/console/stations/{}/remove", d.station))
        .await;
    assert!(location.ends_with("error=keyed"), "{location}");
    let (_, page) = d.admin.page(&location).await;
    assert!(page.contains("不能删除"), "{page}");
    assert_eq!(app.services.stations.records(None).await.unwrap().len(), 1);

    // One set up by mistake, with stock and an empty sheet, goes.
    let (spare, spare_sheet) = second_station(&app, &d.admin, "bob").await;
    let (_, page) = d.admin.page(&page_of(spare)).await;
    assert!(
        page.contains("data-testid=\"station-remove-form\""),
        "{page}"
    );
    let (_, location) = d
        .admin
        .press(&format!("/console/stations/{spare}/remove"))
        .await;
    assert_eq!(location, "/console/paper?done=removed");
    let left = app.services.stations.records(None).await.unwrap();
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(app
        .services
        .paper
        .storage()
        .sheet(SheetId(spare_sheet))
        .await
        .unwrap()
        .is_none());
    assert_eq!(d.admin.status(&page_of(spare)).await, 404);
    assert_eq!(app.audited("station.remove").await, 1);
}

/// The blank sheet printed from the console lists the fields in the entry
/// form's order (the totals, then every nominee by number with the name),
/// for the station's operators and administrators only.
async fn the_blank_sheet_prints_in_the_entry_order(app: TestApp) {
    let d = desk(&app, 1).await;
    let print = format!("/console/paper/sheets/{}/print", d.sheets[0]);
    let (status, page) = d.ann.page(&print).await;
    assert_eq!(status, 200);
    let at = |field: &str| {
        page.find(&format!("data-field=\"{field}\""))
            .unwrap_or_else(|| panic!("{field} printed"))
    };
    let mut order: Vec<String> = [
        "received", "unused", "spoiled", "in_box", "valid", "invalid", "blank",
    ]
    .iter()
    .map(|f| f.to_string())
    .collect();
    order.extend((1..=NOMINEES).map(|n| format!("mark_{n}")));
    let places: Vec<usize> = order.iter().map(|f| at(f)).collect();
    assert!(places.windows(2).all(|w| w[0] < w[1]), "in the entry order");
    let first = app
        .services
        .store
        .nominee_records(app.demo_campaign().await.id)
        .await
        .unwrap()
        .into_iter()
        .find(|n| n.nominee.summary.number.get() == 1)
        .unwrap();
    assert!(page.contains(&first.nominee.summary.name), "named");
    assert!(page.contains("计票人（签名）"));
    let carl = app.organizer("carl", Role::StationOperator).await;
    assert_eq!(carl.status(&print).await, 403);
    let (_, sheet_page) = d
        .ann
        .page(&format!("/console/paper/sheets/{}", d.sheets[0]))
        .await;
    assert!(sheet_page.contains(&print), "linked from the sheet");
}

/// The public list of polling stations, by street.
async fn the_public_finds_the_stations(app: TestApp) {
    let _d = desk(&app, 1).await;
    let (status, page) = app.get_text("/stations").await;
    assert_eq!(status, 200);
    assert!(page.contains("长白第一投票点"));
    assert!(page.contains("长白路 10 号居委会活动室"));
    assert!(page.contains("每天 9:00–16:00"));
}

/// The demo's stations and sheets: every step of the flow, loaded once.
async fn the_demo_shows_every_step(app: TestApp) {
    alleyvote::demo::paper::load(&app.services).await.unwrap();
    let states = |sheets: Vec<alleyvote::paper::storage::SheetSummary>| {
        let mut s: Vec<SheetState> = sheets.iter().map(|s| s.state).collect();
        s.sort_by_key(|s| s.as_str());
        s
    };
    let first = states(app.services.paper.storage().sheets(None).await.unwrap());
    for expected in [
        SheetState::Definitive,
        SheetState::AwaitingSecond,
        SheetState::Different,
        SheetState::FirstEntry,
        SheetState::NotStarted,
    ] {
        assert!(first.contains(&expected), "{expected:?} in {first:?}");
    }
    alleyvote::demo::paper::load(&app.services).await.unwrap();
    assert_eq!(
        states(app.services.paper.storage().sheets(None).await.unwrap()),
        first
    );
    assert_eq!(stations_reported(&app).await, (1, 6));
    app.verify_tally().await;
    // No two demo communities share a name (五角场街道 and 五角场镇 are two places).
    let communities = app.services.store.communities().await.unwrap();
    let mut names: Vec<&str> = communities
        .iter()
        .map(|c| c.community.name_zh.as_str())
        .collect();
    let all = names.len();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), all, "{names:?}");
}

/// A second station, with `operator` as its operator and one sheet: its id.
async fn second_station(app: &TestApp, admin: &Organizer, operator: &str) -> (i64, i64) {
    let (status, _) = admin
        .post("/console/stations", &[("name", "延吉第二投票点")])
        .await;
    assert_eq!(status, 303);
    let station = app
        .services
        .stations
        .records(None)
        .await
        .unwrap()
        .iter()
        .find(|r| r.name == "延吉第二投票点")
        .unwrap()
        .id
        .0;
    let campaign = app.demo_campaign().await.id.0.to_string();
    let (_, location) = admin
        .post(
            &format!("/console/stations/{station}"),
            &[
                ("campaign", campaign.as_str()),
                ("community", ""),
                ("address", "延吉东路 1 号"),
                ("opening_hours", ""),
                ("usual_turnout", ""),
            ],
        )
        .await;
    let on_its_page = format!("/console/stations/{station}?done=updated");
    assert_eq!(location, on_its_page);
    let id = organizer_id(app, operator).await;
    let (status, _) = admin
        .post(
            &format!("/console/organizers/{id}/stations"),
            &[("station", station.to_string())],
        )
        .await;
    assert_eq!(status, 303);
    let before: Vec<i64> = app
        .services
        .paper
        .storage()
        .sheets(None)
        .await
        .unwrap()
        .iter()
        .map(|s| s.id.0)
        .collect();
    let (_, location) = admin
        .post(
            &format!("/console/stations/{station}/sheets"),
            &[("label", "第1天")],
        )
        .await;
    assert_eq!(location, on_its_page);
    let sheet = app
        .services
        .paper
        .storage()
        .sheets(None)
        .await
        .unwrap()
        .iter()
        .map(|s| s.id.0)
        .find(|id| !before.contains(id))
        .unwrap();
    (station, sheet)
}

/// An operator's keying page carries their own station's references only:
/// the "same numbers as another counted sheet" check runs on the server,
/// and another station's sheet and its photo are not theirs to read.
async fn an_operator_reads_only_their_own_station(app: TestApp) {
    let d = desk(&app, 1).await;
    let s = d.sheets[0];
    let carl = app.organizer("carl", Role::StationOperator).await;
    let (_, mine) = second_station(&app, &d.admin, "carl").await;
    let numbers = sheet(&[(1, 287), (2, 180), (3, 37)]);
    assert_eq!(
        notice(&key(&d.ann, s, &numbers, true).await.1),
        "first_done"
    );
    assert_eq!(
        notice(&key(&d.bob, s, &numbers, true).await.1),
        "definitive"
    );
    let photo = reqwest::multipart::Form::new().part(
        "photo",
        reqwest::multipart::Part::bytes(png(40, 20)).file_name("sheet.png"),
    );
    let r = d
        .ann
        .post_multipart(&format!("/console/paper/sheets/{s}/photo"), photo)
        .await;
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .ends_with("photo_saved"));

    let (status, page) = carl.page(&format!("/console/paper/sheets/{mine}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("data-testid=\"entry-form\""));
    assert!(
        !page.contains("长白第一投票点"),
        "no other station's sheet travels with the page"
    );
    // The check still runs, on the server.
    let (_, location) = key(&carl, mine, &numbers, true).await;
    assert_eq!(notice(&location), "not_checked");
    let (_, page) = carl.page(&format!("/console/paper/sheets/{mine}")).await;
    assert!(
        page.contains("长白第一投票点"),
        "the warning names the sheet with the same numbers"
    );

    // Another station's sheet and its photo: refused.
    assert_eq!(
        carl.status(&format!("/console/paper/sheets/{s}")).await,
        403
    );
    assert_eq!(
        carl.get(&format!("/console/paper/sheets/{s}/photo.jpg"))
            .await
            .status(),
        403
    );
    assert_eq!(
        d.bob
            .get(&format!("/console/paper/sheets/{s}/photo.jpg"))
            .await
            .status(),
        200
    );
    assert_eq!(
        d.admin
            .status(&format!("/console/paper/sheets/{mine}"))
            .await,
        200
    );
}

on_both_backends!(an_operator_reads_only_their_own_station);
on_both_backends!(two_entries_make_a_sheet_count);
on_both_backends!(a_difference_is_resolved_each_of_three_ways);
on_both_backends!(a_counted_sheet_is_reopened_only_with_a_reason);
on_both_backends!(checks_keep_a_sheet_from_standing);
on_both_backends!(operators_key_only_their_stations);
on_both_backends!(typed_numbers_are_kept_as_they_are_typed);
on_both_backends!(the_dashboard_shows_the_day);
on_both_backends!(the_signed_sheet_is_photographed);
on_both_backends!(a_sheet_counts_on_its_photo_or_a_written_waiver);
on_both_backends!(a_station_is_set_up_on_its_own_page);
on_both_backends!(the_blank_sheet_prints_in_the_entry_order);
on_both_backends!(the_public_finds_the_stations);
on_both_backends!(the_demo_shows_every_step);

/// A number the dashboard carries in a `data-` attribute of the element
/// with `testid`.
fn dash_number(page: &str, testid: &str, attribute: &str) -> u64 {
    let at = page
        .find(&format!("data-testid=\"{testid}\""))
        .unwrap_or_else(|| panic!("no {testid} in {page}"));
    let tag_start = page[..at].rfind('<').unwrap();
    let tag = &page[tag_start..at + page[at..].find('>').unwrap()];
    let value = tag
        .split(&format!("{attribute}=\""))
        .nth(1)
        .unwrap_or_else(|| panic!("no {attribute} in {tag}"));
    value[..value.find('"').unwrap()].parse().unwrap()
}

/// The console's first page is the week at a glance: today's votes (online
/// and paper) against yesterday's, the stations still to report, the sheets
/// waiting for a coordinator.
async fn the_dashboard_shows_the_day(app: TestApp) {
    let d = desk(&app, 2).await;
    let (_, page) = d.admin.page("/console").await;
    let before = dash_number(&page, "dash-today", "data-today");
    assert!(page.contains("data-testid=\"hourly-chart\""), "{page}");
    assert!(page.contains("长白第一投票点"), "waiting to report: {page}");
    assert!(page.contains("没有等待协调员处理的计票单"), "{page}");

    for phone in ["13755550001", "13755550002"] {
        let (status, _, body) = app.voter(phone).await.vote(2).await;
        assert_eq!(status, 201, "{body}");
    }
    // Two entries that differ: a coordinator's turn, named on the dashboard.
    let s = d.sheets[0];
    key(&d.ann, s, &sheet(&[(1, 120)]), true).await;
    key(&d.bob, s, &sheet(&[(1, 121)]), true).await;
    assert_eq!(state(&app, s).await, SheetState::Different);
    let (_, page) = d.admin.page("/console").await;
    assert_eq!(dash_number(&page, "dash-today", "data-today"), before + 2);
    let sheets = &page[page.find("data-testid=\"dash-sheets\"").unwrap()..];
    assert!(
        sheets.contains(&format!("/console/paper/sheets/{s}")) && sheets.contains("第1天"),
        "{sheets}"
    );

    // Kept: its 120 marks join today's count on the paper side.
    let (_, location) = d
        .admin
        .post(
            &format!("/console/paper/sheets/{s}/resolve"),
            &[("decision", "keep_first")],
        )
        .await;
    assert_eq!(notice(&location), "resolved");
    let (_, page) = d.admin.page("/console").await;
    assert_eq!(
        dash_number(&page, "dash-today", "data-today"),
        before + 2 + 120
    );
    assert!(page.contains("没有等待协调员处理的计票单"), "{page}");
    // The second sheet is not keyed yet: the station still waits.
    assert!(page[page.find("dash-stations-waiting").unwrap()..].contains("长白第一投票点"));
    // Any organizer sees it; a visitor is sent to sign in.
    let luru = app.organizer("luru7", Role::StationOperator).await;
    assert_eq!(luru.status("/console").await, 200);
}
