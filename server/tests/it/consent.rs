//! Consent is given only by the person the link was sent to, for the
//! nomination it was sent for. An attacker who nominates "someone" with a
//! phone of their own cannot merge that nomination into a rival's and then
//! answer the rival's consent through their own link; a nominator cannot
//! give their own number as the nominee's; every resident action in
//! nominations is in the audit log under the resident's pseudonym.

use alleyvote::nominations::Review;
use alleyvote_domain::nomination::{Consent, NominationId, NominationState};
use alleyvote_domain::organizer::Role;
use alleyvote_domain::{CommunityId, Millis};
use reqwest::Method;
use serde_json::{json, Value};

use crate::nominations::{communities, nominations_open};
use crate::publication::set_voting;
use crate::support::{TestApp, Voter};

const NOMINATIONS: &str = "/api/v1/campaigns/yangpu-2026/nominations";

async fn community(app: &TestApp) -> CommunityId {
    communities(app).await.0
}

async fn nominate(voter: &Voter, name: &str, community: CommunityId, phone: &str) -> (u16, Value) {
    let body = json!({
        "name": name,
        "community": community.0.to_string(),
        "role": "director",
        "years": "9",
        "story": "十年来每天清晨巡查弄堂，调解邻里纠纷，帮助独居老人买菜配药，居民都信得过她。",
        "relation": "neighbour",
        "nominee_phone": phone,
        "different_person": true,
    });
    let r = voter
        .api(Method::POST, NOMINATIONS)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn id_of(body: &Value) -> NominationId {
    NominationId(body["id"].as_i64().unwrap())
}

async fn join(voter: &Voter, own: NominationId, lead: NominationId) -> String {
    let r = voter
        .post_form(
            &format!("/my/nominations/{}/join", own.0),
            &[("lead", &lead.0.to_string())],
        )
        .await;
    r.headers()["location"].to_str().unwrap().to_string()
}

/// The hijack through a merge, and what stays true after a fair merge.
async fn a_link_answers_only_for_its_own_nomination(app: TestApp) {
    nominations_open(&app).await;
    let here = community(&app).await;
    let campaign = app.demo_campaign().await;
    let nominations = &app.services.nominations;

    // A rival nominates 王秀兰, whose consent is asked on her own phone.
    let rival = app.voter("13800000401").await;
    let (status, body) = nominate(&rival, "王秀兰", here, "139 0000 0402").await;
    assert_eq!(status, 201, "{body}");
    let lead = id_of(&body);

    // The attacker nominates someone else with a phone of their own, and
    // tries to merge it into the rival's: not a likely duplicate, refused.
    let attacker = app.voter("13800000403").await;
    let (status, body) = nominate(&attacker, "陈大海", here, "139 0000 0404").await;
    assert_eq!(status, 201, "{body}");
    let unrelated = id_of(&body);
    assert_eq!(
        join(&attacker, unrelated, lead).await,
        "/my/nominations?problem=not_standing",
        "a resident merges only into a likely duplicate of what they typed"
    );
    let record = nominations
        .record(&campaign, unrelated)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.merged_into, None);

    // A name that sounds alike may be merged; the attacker's link then
    // answers for the attacker's nomination only, never the rival's.
    let (status, body) = nominate(&attacker, "王秀蘭", here, "139 0000 0405").await;
    assert_eq!(status, 201, "{body}");
    let alike = id_of(&body);
    assert_eq!(
        join(&attacker, alike, lead).await,
        "/my/nominations?done=joined"
    );
    let token = app.latest_code_for("139****0405").unwrap();
    nominations.answer_link(&token, false).await.unwrap();
    let rivals = nominations.record(&campaign, lead).await.unwrap().unwrap();
    assert_eq!(rivals.consent, Consent::Pending, "the lead keeps its own");
    assert!(rivals.state.is_open(), "{:?}", rivals.state);
    let merged = nominations.record(&campaign, alike).await.unwrap().unwrap();
    assert_eq!(merged.consent, Consent::Declined);
    assert_eq!(merged.state, NominationState::Merged);

    // The reviewer sees that answer beside the lead, as what it is.
    let reviewer = app.organizer("reviewer-consent", Role::Reviewer).await;
    let (status, detail) = reviewer
        .page(&format!("/console/nominations/{}", lead.0))
        .await;
    assert_eq!(status, 200);
    assert!(
        detail.contains("data-testid=\"review-merged-consent\"")
            && detail.contains(&format!("经第 {} 号推荐联系到的本人：婉拒", alike.0)),
        "{detail}"
    );

    // The rival's own link still answers for the rival's nomination.
    let token = app.latest_code_for("139****0402").unwrap();
    nominations.answer_link(&token, true).await.unwrap();
    let rivals = nominations.record(&campaign, lead).await.unwrap().unwrap();
    assert_eq!(rivals.consent, Consent::GivenByLink);

    // A reviewer's merge of a nomination that had consent does not carry
    // it to a lead that has none of its own.
    let third = app.voter("13800000406").await;
    let (_, body) = nominate(&third, "赵国庆", here, "139 0000 0407").await;
    let consented = id_of(&body);
    let (_, body) = nominate(&rival, "赵国慶", here, "").await;
    let bare = id_of(&body);
    let token = app.latest_code_for("139****0407").unwrap();
    nominations.answer_link(&token, true).await.unwrap();
    let from = nominations
        .record(&campaign, consented)
        .await
        .unwrap()
        .unwrap();
    let reviewer_actor = alleyvote::audit::Actor {
        id: None,
        name: "审核员",
    };
    nominations
        .review(
            &campaign,
            reviewer_actor,
            consented,
            from.revision,
            &Review::MergeInto(bare),
        )
        .await
        .unwrap();
    let bare_now = nominations.record(&campaign, bare).await.unwrap().unwrap();
    assert_eq!(bare_now.consent, Consent::Pending);
}

on_both_backends!(a_link_answers_only_for_its_own_nomination);

/// The nominee's number may not be the nominator's own.
async fn a_nominator_cannot_consent_for_the_nominee(app: TestApp) {
    nominations_open(&app).await;
    let here = community(&app).await;
    let resident = app.voter("13800000411").await;
    let (status, body) = nominate(&resident, "孙丽华", here, "138 0000 0411").await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"], "own_phone");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("不能填写您自己的手机号"),
        "{body}"
    );
    let (status, body) = nominate(&resident, "孙丽华", here, "139 0000 0412").await;
    assert_eq!(status, 201, "{body}");
}

on_both_backends!(a_nominator_cannot_consent_for_the_nominee);

/// Nominating, supporting, merging one's own and answering a question are
/// each audited under the resident's pseudonym, never their number.
async fn resident_actions_are_audited(app: TestApp) {
    nominations_open(&app).await;
    let here = community(&app).await;
    let campaign = app.demo_campaign().await;
    let a = app.voter("13800000421").await;
    let b = app.voter("13800000422").await;
    let (_, body) = nominate(&a, "钱美玲", here, "").await;
    let lead = id_of(&body);
    let r = b
        .api(Method::POST, &format!("{NOMINATIONS}/{}/support", lead.0))
        .json(&json!({ "name": "钱美玲", "community": here.0 }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let (_, body) = nominate(&b, "钱美龄", here, "").await;
    let own = id_of(&body);
    // b already counts for the lead: the merge still records b's own.
    join(&b, own, lead).await;
    let record = app
        .services
        .nominations
        .record(&campaign, lead)
        .await
        .unwrap()
        .unwrap();
    app.services
        .nominations
        .review(
            &campaign,
            alleyvote::audit::Actor {
                id: None,
                name: "审核员",
            },
            lead,
            record.revision,
            &Review::AskForInfo {
                question: "请补充任职证明。".into(),
            },
        )
        .await
        .unwrap();
    let r = a
        .api(Method::POST, &format!("{NOMINATIONS}/{}/answer", lead.0))
        .json(&json!({ "answer": "居委会可以证明。" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);

    let entries = app
        .services
        .store
        .audit_entries(&alleyvote::audit::storage::AuditFilter {
            action_prefix: Some("nomination.".into()),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    let by = |action: &str| -> Vec<String> {
        entries
            .iter()
            .filter(|e| e.record.action == action)
            .map(|e| e.record.actor_name.clone())
            .collect()
    };
    assert_eq!(by("nomination.submit").len(), 2, "{entries:?}");
    assert_eq!(by("nomination.support").len(), 1);
    assert_eq!(by("nomination.merge").len(), 1);
    assert_eq!(by("nomination.answer").len(), 1);
    let a_ref = &by("nomination.answer")[0];
    let b_ref = &by("nomination.support")[0];
    assert!(a_ref.starts_with("居民 #"), "{a_ref}");
    assert_ne!(a_ref, b_ref, "each resident their own pseudonym");
    assert_eq!(&by("nomination.merge")[0], b_ref);
    for e in &entries {
        let text = format!("{:?}", e.record);
        assert!(
            !text.contains("13800000421") && !text.contains("13800000422"),
            "{text}"
        );
    }
}

on_both_backends!(resident_actions_are_audited);

/// What only the nomination and the notice needed is forgotten once the
/// notice has ended and its keeping period passed: the nominee's number
/// (hash and masked form), the numbers residents gave to be texted back
/// (sealed and masked), the objections' contacts and the consent links.
/// A campaign still in its notice keeps them.
async fn contact_details_go_after_the_notice(app: TestApp) {
    use alleyvote::retention::RetentionPolicy;
    use alleyvote_domain::publication::objection::ObjectionText;
    nominations_open(&app).await;
    let here = community(&app).await;
    let resident = app.voter("13800000431").await;
    let (status, body) = nominate(&resident, "周桂英", here, "139 0000 0432").await;
    assert_eq!(status, 201, "{body}");
    let id = id_of(&body);
    let campaign = app.demo_campaign().await;
    let store = &app.services.store;
    let voter = app
        .services
        .signin
        .voter_of(resident.token(), Millis::now())
        .await
        .unwrap()
        .unwrap();
    let text = ObjectionText::parse(
        "第 3 号候选人的事迹与实际不符，请复核。",
        "周先生，居委会转交",
        "",
    )
    .unwrap();
    store
        .file_objection(campaign.id, voter, &text, None, 3, Millis::now())
        .await
        .unwrap();
    // The resident's own number, given to be texted back: on an objection
    // and on a second nomination.
    let reply = alleyvote::signin::reply::ReplyPhone {
        sealed: vec![7; 40],
        masked: "138****0431".into(),
    };
    let by_text = ObjectionText::parse("第 5 号候选人的得票数与计票单不一致。", "", "").unwrap();
    store
        .file_objection(campaign.id, voter, &by_text, Some(&reply), 3, Millis::now())
        .await
        .unwrap();
    let r = resident
        .api(Method::POST, NOMINATIONS)
        .json(&json!({
            "name": "钱志明",
            "community": here.0.to_string(),
            "role": "volunteer",
            "years": "5",
            "story": "五年来每个周末组织志愿者清理小区的楼道和绿地，还办了一个修车摊，免费帮老人修自行车。",
            "relation": "neighbour",
            "my_phone": "13800000431",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let second = id_of(&r.json::<Value>().await.unwrap());
    let policy = RetentionPolicy::default();

    // In its notice (or before), nothing goes.
    let kept = alleyvote::retention::purge(&**store, &policy, Millis::now())
        .await
        .unwrap();
    assert_eq!(
        (
            kept.nominee_phones,
            kept.objection_contacts,
            kept.consent_links
        ),
        (0, 0, 0)
    );

    // The campaign's notice ended 43 days ago: past the 30 kept after it.
    let admin = app.organizer("admin-retention", Role::Admin).await;
    set_voting(
        &app,
        &admin,
        Millis::now().plus_days(-60),
        Millis::now().plus_days(-50),
    )
    .await;
    let purged = alleyvote::retention::purge(&**store, &policy, Millis::now())
        .await
        .unwrap();
    assert_eq!(
        (
            purged.nominee_phones,
            purged.objection_contacts,
            purged.consent_links
        ),
        (2, 2, 1),
        "{purged}"
    );
    let objections = store.objections(campaign.id).await.unwrap();
    assert!(objections.iter().all(|o| o.reply_phone_masked.is_none()));
    let now = Millis::now();
    assert_eq!(
        store.claim_nominator_text(second, now, now).await.unwrap(),
        None,
        "the sealed number is gone"
    );
    let record = app
        .services
        .nominations
        .record(&campaign, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.phone_masked, None);
    let objections = store.objections(campaign.id).await.unwrap();
    assert_eq!(objections[0].contact, "");
    assert!(objections[0].reason.contains("复核"), "the objection stays");
    let token = app.latest_code_for("139****0432").unwrap();
    assert_eq!(
        app.services.nominations.link(&token).await.unwrap(),
        alleyvote::nominations::storage::LinkState::Unknown
    );
    let again = alleyvote::retention::purge(&**store, &policy, Millis::now())
        .await
        .unwrap();
    assert_eq!(again.total(), 0, "nothing twice");
}

on_both_backends!(contact_details_go_after_the_notice);

/// The consent texts in the outbox for a (masked) number.
fn consent_texts(app: &TestApp, masked: &str) -> usize {
    app.texts_to(masked)
        .iter()
        .filter(|t| t.contains("/consent/"))
        .count()
}

/// Every nomination that names the nominee's mobile sends that number
/// exactly one consent text, however it was made: through the API, through
/// the page's form (a likely duplicate of a standing nomination too), or by
/// a reviewer for a committee; one without a number sends none.
async fn every_nomination_with_a_number_sends_one_consent_text(app: TestApp) {
    nominations_open(&app).await;
    let here = community(&app).await;
    // Through the API.
    let a = app.voter("13800000501").await;
    let (status, body) = nominate(&a, "张伟", here, "139 0000 0511").await;
    assert_eq!(status, 201, "{body}");
    // Through the page's form: a name that sounds like the standing one.
    let b = app.voter("13800000502").await;
    let form = reqwest::multipart::Form::new()
        .text("name", "张玮")
        .text("community", here.0.to_string())
        .text("role", "director")
        .text("years", "12")
        .text(
            "story",
            "十年来每天清晨巡查弄堂，调解邻里纠纷，帮助独居老人买菜配药，居民都信得过他。",
        )
        .text("relation", "neighbour")
        .text("nominee_phone", "13900000512");
    let r = b
        .browser(Method::POST, "/nominate")
        .multipart(form)
        .send()
        .await
        .unwrap();
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert!(to.contains("done=sent"), "{to}");
    // By a reviewer, for a committee.
    let reviewer = app.organizer("reviewer-texts", Role::Reviewer).await;
    let committee = reqwest::multipart::Form::new()
        .text("name", "刘建平")
        .text("community", here.0.to_string())
        .text("role", "secretary")
        .text("years", "20")
        .text(
            "story",
            "二十年扎根社区，牵头加装电梯、改造口袋花园，困难家庭一户不落，居民都叫他老刘。",
        )
        .text("nominee_phone", "13900000513");
    let r = reviewer
        .post_multipart("/console/nominations", committee)
        .await;
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert!(to.ends_with("?done=entered"), "{to}");
    // Without a number: nothing sent.
    let c = app.voter("13800000503").await;
    let (status, body) = nominate(&c, "陈大海", here, "").await;
    assert_eq!(status, 201, "{body}");

    for masked in ["139****0511", "139****0512", "139****0513"] {
        assert_eq!(consent_texts(&app, masked), 1, "{masked}");
    }
    let outbox = std::fs::read_to_string(app.data_dir.join("sms-outbox.jsonl")).unwrap();
    assert_eq!(outbox.matches("/consent/").count(), 3, "{outbox}");
}

on_both_backends!(every_nomination_with_a_number_sends_one_consent_text);

/// What an older nominee is taught to trust: every text signed alike, a
/// short link, the organisers' number to call; declining asks once more;
/// a link opened again says what was answered and when.
async fn the_consent_text_is_one_a_nominee_can_trust(app: TestApp) {
    use alleyvote_domain::texts::SIGNATURE_ZH;
    nominations_open(&app).await;
    let here = community(&app).await;
    let campaign = app.demo_campaign().await;
    let hotline = campaign
        .hotline
        .clone()
        .expect("the demo gives its telephone");
    let nominator = app.voter("13800000601").await;
    let signin = app.texts_to("138****0601");
    assert_eq!(signin.len(), 1);
    let (status, body) = nominate(&nominator, "孙桂芳", here, "139 0000 0602").await;
    assert_eq!(status, 201, "{body}");
    let sent = app.texts_to("139****0602");
    assert_eq!(sent.len(), 1);
    let consent = &sent[0];
    for text in [&signin[0], consent] {
        assert!(text.starts_with(SIGNATURE_ZH), "{text}");
    }
    assert!(consent.contains(hotline.as_str()), "{consent}");
    let link = consent
        .split_whitespace()
        .find(|w| w.contains("/consent/"))
        .expect("a link");
    let token = link.rsplit('/').next().unwrap();
    assert_eq!(token.len(), 10, "{link}");
    assert_eq!(token, app.latest_code_for("139****0602").unwrap());
    assert!(consent.chars().count() <= 120, "{consent}");

    // The page names whom to call; declining is asked once more first.
    let page = format!("/consent/{token}");
    let (status, html) = app.visitor().page(&page).await;
    assert_eq!(status, 200);
    assert!(html.contains("data-testid=\"consent-hotline\"") && html.contains(hotline.as_str()));
    let r = app.visitor().post_form(&page, &[("agree", "no")]).await;
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(to, format!("{page}?confirm=decline"));
    let id = id_of(&body);
    let record = app
        .services
        .nominations
        .record(&campaign, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.consent, Consent::Pending, "not declined by one tap");
    let (_, html) = app.visitor().page(&to).await;
    assert!(
        html.contains("data-testid=\"consent-confirm-decline\""),
        "{html}"
    );
    let r = app
        .visitor()
        .post_form(&page, &[("agree", "no"), ("confirmed", "yes")])
        .await;
    assert_eq!(
        r.headers()["location"],
        format!("{page}?done=declined").as_str()
    );
    let record = app
        .services
        .nominations
        .record(&campaign, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.consent, Consent::Declined);

    // Opened again, the link says what was answered, and when.
    let (_, html) = app.visitor().page(&page).await;
    let used = html.find("data-testid=\"consent-used\"").expect("answered");
    assert!(
        html[used..].contains("您已于") && html[used..].contains("婉拒了推荐"),
        "{html}"
    );
    let (_, body) = nominate(&nominator, "周国强", here, "139 0000 0603").await;
    let token = app.latest_code_for("139****0603").unwrap();
    let page = format!("/consent/{token}");
    app.visitor().post_form(&page, &[("agree", "yes")]).await;
    let (_, html) = app.visitor().page(&page).await;
    let used = html.find("data-testid=\"consent-used\"").expect("answered");
    assert!(html[used..].contains("同意被推荐"), "{html}");
    let record = app
        .services
        .nominations
        .record(&campaign, id_of(&body))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.consent, Consent::GivenByLink);
}

on_both_backends!(the_consent_text_is_one_a_nominee_can_trust);

/// A reviewer asks the nominator a question.
async fn ask(
    app: &TestApp,
    campaign: &alleyvote_domain::Campaign,
    id: NominationId,
    question: &str,
) {
    let record = app
        .services
        .nominations
        .record(campaign, id)
        .await
        .unwrap()
        .unwrap();
    let reviewer = alleyvote::audit::Actor {
        id: None,
        name: "审核员",
    };
    app.services
        .nominations
        .review(
            campaign,
            reviewer,
            id,
            record.revision,
            &Review::AskForInfo {
                question: question.into(),
            },
        )
        .await
        .unwrap();
}

/// A nominator who gives their own number is texted when a reviewer asks a
/// question — once a day at most — and nobody else's number is taken.
async fn a_nominator_is_texted_a_reviewers_question(app: TestApp) {
    nominations_open(&app).await;
    let here = community(&app).await;
    let campaign = app.demo_campaign().await;
    let a = app.voter("13800000801").await;
    let with_mine = |name: &'static str, mine: &'static str| {
        let a = a.clone();
        async move {
            let body = json!({
                "name": name,
                "community": here.0.to_string(),
                "role": "director",
                "years": "9",
                "story": "十年来每天清晨巡查弄堂，调解邻里纠纷，帮助独居老人买菜配药，居民都信得过她。",
                "relation": "neighbour",
                "my_phone": mine,
                "different_person": true,
            });
            let r = a
                .api(Method::POST, NOMINATIONS)
                .json(&body)
                .send()
                .await
                .unwrap();
            (
                r.status().as_u16(),
                r.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    let (status, body) = with_mine("吴秀英", "139 0000 0802").await;
    assert_eq!(status, 409, "someone else's number: {body}");
    assert_eq!(body["error"], "not_own_phone");
    assert!(
        body["message"].as_str().unwrap().contains("登录用的手机号"),
        "{body}"
    );
    let (status, body) = with_mine("吴秀英", "138 0000 0801").await;
    assert_eq!(status, 201, "{body}");
    let id = id_of(&body);
    ask(&app, &campaign, id, "请补充任职年限的证明。").await;
    let sent = app.texts_to("138****0801");
    assert_eq!(
        sent.len(),
        2,
        "the sign-in code, then the question: {sent:?}"
    );
    assert!(
        sent[1].starts_with(alleyvote_domain::texts::SIGNATURE_ZH)
            && sent[1].contains("/my/nominations"),
        "{}",
        sent[1]
    );
    // Answered and asked again the same day: no second text.
    let r = a
        .api(Method::POST, &format!("{NOMINATIONS}/{}/answer", id.0))
        .json(&json!({ "answer": "居委会可以出具证明。" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    ask(&app, &campaign, id, "证明请交到居委会。").await;
    assert_eq!(app.texts_to("138****0801").len(), 2);
    let outbox = std::fs::read_to_string(app.data_dir.join("sms-outbox.jsonl")).unwrap();
    assert_eq!(outbox.matches("/my/nominations").count(), 1);
}

on_both_backends!(a_nominator_is_texted_a_reviewers_question);
