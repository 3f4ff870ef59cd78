//! Correcting a published ranking (更正): one administrator proposes with a
//! written reason, a second confirms, the change the published ranking
//! forbade goes through only while the correction is open, the public keeps
//! the published ranking until the corrected one is published as a new
//! revision with its note (on the notice, the results and another
//! instance's copy), and every step is audited — on both backends.

use alleyvote_domain::organizer::Role;
use serde_json::Value;

use crate::final_is_final::{published, winners};
use crate::publication::{results, step};
use crate::support::{Organizer, TestApp};

const SLUG: (&str, &str) = ("slug", "yangpu-2026");

/// Posts a correction form; where the browser was sent.
async fn correction(who: &Organizer, path: &str, fields: &[(&str, &str)]) -> String {
    let mut form = vec![SLUG];
    form.extend_from_slice(fields);
    let (status, location) = who.post(path, &form).await;
    assert_eq!(status, 303, "{location}");
    location
}

/// The console id of the nominee with this number.
async fn nominee_id(app: &TestApp, number: u64) -> i64 {
    let campaign = app.demo_campaign().await;
    let records = app
        .services
        .store
        .nominee_records(campaign.id)
        .await
        .unwrap();
    records
        .iter()
        .find(|r| u64::from(r.nominee.summary.number.get()) == number)
        .unwrap()
        .nominee
        .id
        .0
}

async fn withdraw(admin: &Organizer, id: i64) -> String {
    let (status, location) = admin
        .post(
            &format!("/console/nominees/{id}/status"),
            &[("active", "off")],
        )
        .await;
    assert_eq!(status, 303);
    location
}

async fn a_winner_is_withdrawn_through_the_correction_procedure(app: TestApp) {
    let (ada, before) = published(&app).await;
    let bo = app.organizer("bolin", Role::Admin).await;
    let reviewer = app.organizer("reviewer", Role::Reviewer).await;
    let other = app.another_instance().await;
    let (_, seen_elsewhere) = other
        .get_json("/api/v1/campaigns/yangpu-2026/results")
        .await;
    assert_eq!(seen_elsewhere["entries"], before["entries"]);
    assert_eq!(before["notice"]["revision"], 1);
    assert_eq!(before["corrections"], Value::Array(Vec::new()));

    let first = winners(&before)[0];
    let line = before["winners"].as_u64().unwrap() as usize;
    let next_in_line = before["entries"][line]["number"].as_u64().unwrap();
    let id = nominee_id(&app, first).await;
    let reason = "第一名候选人经核实不符合参评条件（异议第 1 号成立），撤回其候选资格";

    // Only administrators; a reason is needed; one correction at a time.
    let (status, _) = reviewer
        .post("/console/results/corrections", &[SLUG, ("reason", reason)])
        .await;
    assert_eq!(status, 403);
    let path = "/console/results/corrections";
    let location = correction(&ada, path, &[("reason", "要改")]).await;
    assert!(
        location.ends_with("problem=correction_reason_too_short"),
        "{location}"
    );
    let location = correction(
        &ada,
        path,
        &[("reason", "撤回\u{0}候选人，理由见异议第 1 号")],
    )
    .await;
    assert!(
        location.ends_with("problem=correction_reason_unreadable"),
        "{location}"
    );
    let location = correction(&ada, path, &[("reason", reason)]).await;
    assert!(
        location.ends_with("done=correction_proposed#corrections"),
        "{location}"
    );
    let location = correction(&bo, path, &[("reason", reason)]).await;
    assert!(
        location.ends_with("problem=correction_underway"),
        "{location}"
    );
    let corrections = app
        .services
        .store
        .corrections(app.demo_campaign().await.id)
        .await
        .unwrap();
    let cid = corrections[0].id;
    let confirm = format!("/console/results/corrections/{cid}/confirm");
    let publish = format!("/console/results/corrections/{cid}/publish");
    let cancel = format!("/console/results/corrections/{cid}/cancel");

    // Proposed is not open: the withdrawal is still refused, and the notice
    // cannot be made final meanwhile.
    assert!(withdraw(&ada, id).await.ends_with("problem=published"));
    app.raw_sql("UPDATE publications SET notice_end_ms = 1")
        .await
        .unwrap();
    app.raw_sql("UPDATE objections SET answer = '已答复', answered_at_ms = 1")
        .await
        .unwrap();
    let location = step(&ada, &[("step", "final".into())]).await;
    assert!(
        location.ends_with("problem=correction_underway"),
        "{location}"
    );
    let location = correction(&ada, &publish, &[]).await;
    assert!(
        location.ends_with("problem=correction_wrong_state"),
        "{location}"
    );

    // The proposer cannot confirm; a second administrator does.
    let location = correction(&ada, &confirm, &[]).await;
    assert!(
        location.ends_with("problem=correction_same_admin"),
        "{location}"
    );
    let location = correction(&bo, &confirm, &[]).await;
    assert!(
        location.ends_with("done=correction_confirmed#corrections"),
        "{location}"
    );
    let location = correction(&ada, &cancel, &[]).await;
    assert!(
        location.ends_with("problem=correction_wrong_state"),
        "an open correction ends by publishing: {location}"
    );
    let (_, console) = ada.page("/console/results").await;
    assert!(console.contains("data-testid=\"correction-publish\""));

    // Open: the withdrawal goes through, yet the public (on either
    // instance) still reads the published ranking.
    let location = withdraw(&ada, id).await;
    assert!(!location.contains("problem="), "{location}");
    assert_eq!(results(&app).await["entries"], before["entries"]);
    let (_, elsewhere) = other
        .get_json("/api/v1/campaigns/yangpu-2026/results")
        .await;
    assert_eq!(elsewhere["entries"], before["entries"]);

    // Published: a new revision with its note, everywhere.
    let location = correction(&bo, &publish, &[]).await;
    assert!(
        location.ends_with("done=correction_published#corrections"),
        "{location}"
    );
    let after = results(&app).await;
    assert_eq!(after["state"], "notice");
    assert_eq!(after["notice"]["revision"], 2);
    assert!(
        !winners(&after).contains(&first),
        "the withdrawn winner is gone"
    );
    assert!(
        winners(&after).contains(&next_in_line),
        "the next in line wins"
    );
    let note = &after["corrections"][0];
    assert_eq!(note["revision"], 2);
    assert_eq!(note["reason"], reason);
    assert_eq!(note["unelected"], serde_json::json!([first]));
    assert_eq!(note["elected"], serde_json::json!([next_in_line]));
    let (_, elsewhere) = other
        .get_json("/api/v1/campaigns/yangpu-2026/results")
        .await;
    assert_eq!(
        elsewhere["entries"], after["entries"],
        "the other instance's copy moved"
    );
    assert_eq!(elsewhere["corrections"], after["corrections"]);
    let (_, notice) = app.get_text("/results/notice").await;
    assert!(notice.contains("data-testid=\"correction-notes\""));
    assert!(notice.contains(reason));
    let (_, page) = app.get_text("/results").await;
    assert!(page.contains(reason));
    let export = ada
        .get("/console/results/export.csv?kind=corrections")
        .await
        .text()
        .await
        .unwrap();
    assert!(export.contains(reason), "{export}");
    assert!(export.contains(&format!("\"{first:03}\"")), "{export}");

    // Closed again: the next change is refused, and a new correction may
    // be proposed.
    let second = winners(&after)[0];
    let second_id = nominee_id(&app, second).await;
    assert!(withdraw(&ada, second_id)
        .await
        .ends_with("problem=published"));
    assert_eq!(results(&app).await["entries"], after["entries"]);
    let location = correction(
        &bo,
        path,
        &[("reason", "第二次更正：复核第 2 投票点计票单")],
    )
    .await;
    assert!(
        location.ends_with("done=correction_proposed#corrections"),
        "{location}"
    );

    for (action, n) in [
        ("results.correction_proposed", 2),
        ("results.correction_confirmed", 1),
        ("results.correction_published", 1),
        ("results.correction_cancelled", 0),
        ("nominee.withdraw", 1),
    ] {
        assert_eq!(app.audited(action).await, n, "{action}");
    }
    let published_entry = app
        .services
        .store
        .audit_chain()
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.record.action == "results.correction_published")
        .unwrap();
    assert!(published_entry.record.after.unwrap().contains(reason));
    app.verify_tally().await;
}

on_both_backends!(a_winner_is_withdrawn_through_the_correction_procedure);

/// A proposal not confirmed may be cancelled by either administrator, and
/// changes nothing.
async fn a_cancelled_proposal_changes_nothing(app: TestApp) {
    let (ada, before) = published(&app).await;
    let bo = app.organizer("bolin", Role::Admin).await;
    let location = correction(
        &ada,
        "/console/results/corrections",
        &[("reason", "复核第 3 投票点计票单，可能录入有误")],
    )
    .await;
    assert!(location.ends_with("done=correction_proposed#corrections"));
    let cid = app
        .services
        .store
        .corrections(app.demo_campaign().await.id)
        .await
        .unwrap()[0]
        .id;
    let location = correction(
        &bo,
        &format!("/console/results/corrections/{cid}/cancel"),
        &[],
    )
    .await;
    assert!(
        location.ends_with("done=correction_cancelled#corrections"),
        "{location}"
    );
    let location = correction(
        &bo,
        &format!("/console/results/corrections/{cid}/confirm"),
        &[],
    )
    .await;
    assert!(
        location.ends_with("problem=correction_wrong_state"),
        "{location}"
    );
    let after = results(&app).await;
    assert_eq!(after["entries"], before["entries"]);
    assert_eq!(after["notice"]["revision"], 1);
    assert_eq!(app.audited("results.correction_cancelled").await, 1);
}

on_both_backends!(a_cancelled_proposal_changes_nothing);
