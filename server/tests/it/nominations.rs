//! Nominations, as residents and reviewers live them: a resident nominates,
//! a second resident is shown the likely duplicate and sends theirs anyway,
//! a third supports the first instead; a reviewer merges the two and every
//! nominator is counted and told; the nominee consents through the text
//! message link (once); the reviewer approves and a numbered nominee
//! appears with its nominator count. A nomination found not eligible shows
//! its reason to its nominator. Limits, and who may see what.

use alleyvote::audit::Actor;
use alleyvote::nominations::storage::{Approval, LinkState};
use alleyvote::nominations::{Review, ReviewError};
use alleyvote_domain::nomination::{IneligibleReason, NominationId, NominationState};
use alleyvote_domain::organizer::Role;
use alleyvote_domain::{CommunityId, Millis, NomineeNumber};
use reqwest::Method;
use serde_json::{json, Value};

use crate::publication::set_voting;
use crate::support::{TestApp, Voter};

const NOMINATIONS: &str = "/api/v1/campaigns/yangpu-2026/nominations";
const MINE: &str = "/api/v1/campaigns/yangpu-2026/my-nominations";

/// The demo campaign, moved into its nomination phase.
pub(crate) async fn nominations_open(app: &TestApp) {
    let admin = app.organizer("admin-nom", Role::Admin).await;
    set_voting(
        app,
        &admin,
        Millis::now().plus_days(15),
        Millis::now().plus_days(20),
    )
    .await;
}

/// Two communities of the demo's places.
pub(crate) async fn communities(app: &TestApp) -> (CommunityId, CommunityId) {
    let all = app.services.store.communities().await.unwrap();
    (all[0].community.id, all[1].community.id)
}

fn story() -> String {
    "二十年如一日守护弄堂，组织志愿者为独居老人送餐，疫情期间带头守楼，居民都叫她“老娘舅”。"
        .to_string()
}

async fn nominate(voter: &Voter, name: &str, community: CommunityId, extra: Value) -> (u16, Value) {
    let mut body = json!({
        "name": name,
        "community": community.0.to_string(),
        "role": "director",
        "years": "12",
        "story": story(),
        "relation": "neighbour",
    });
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    let r = voter
        .api(Method::POST, NOMINATIONS)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn mine(voter: &Voter) -> Vec<Value> {
    let r = voter.api(Method::GET, MINE).send().await.unwrap();
    assert_eq!(r.status(), 200);
    r.json::<Vec<Value>>().await.unwrap()
}

fn id_of(body: &Value) -> NominationId {
    NominationId(body["id"].as_i64().unwrap())
}

async fn nomination_story(app: TestApp) {
    nominations_open(&app).await;
    let campaign = app.demo_campaign().await;
    let (here, there) = communities(&app).await;
    let nominations = &app.services.nominations;
    let reviewer = app
        .services
        .organizers
        .create(
            None,
            "reviewer-nom",
            "审核员",
            Role::Reviewer,
            "reviewer-password-1",
            Millis::now(),
        )
        .await
        .unwrap();
    let actor = Actor {
        id: Some(reviewer),
        name: "审核员",
    };

    // The first resident nominates, with the nominee's number for consent.
    let a = app.voter("13800000301").await;
    let (status, first) = nominate(
        &a,
        "张伟",
        here,
        json!({ "nominee_phone": "139 0000 0302" }),
    )
    .await;
    assert_eq!(status, 201, "{first}");
    let first = id_of(&first);

    // The second is shown the likely duplicate (张玮 sounds like 张伟) ...
    let b = app.voter("13800000303").await;
    let (status, body) = nominate(&b, "张玮", here, json!({})).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"], "likely_duplicates");
    assert_eq!(body["duplicates"][0]["id"], first.0);
    assert_eq!(body["duplicates"][0]["likeness"], "sounds_alike");
    assert!(body["message"].as_str().unwrap().contains("支持"));
    // ... and sends it anyway; the same name in another community is someone else.
    let (status, second) = nominate(&b, "张玮", here, json!({ "different_person": true })).await;
    assert_eq!(status, 201, "{second}");
    let second = id_of(&second);
    let d = app.voter("13800000304").await;
    let (status, elsewhere) = nominate(&d, "张伟", there, json!({})).await;
    assert_eq!(status, 201, "{elsewhere}");
    let elsewhere = id_of(&elsewhere);

    // The third supports the first instead of writing again (once only),
    // as a likely duplicate of what they typed: an id alone tells nothing.
    let c = app.voter("13800000305").await;
    let support = format!("{NOMINATIONS}/{}/support", first.0);
    let typed = |name: &str| json!({ "name": name, "community": here.0 });
    let r = c
        .api(Method::POST, &support)
        .json(&typed("李四"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "not a duplicate of what was typed");
    let r = c
        .api(Method::POST, &support)
        .json(&typed("张伟"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let r = c
        .api(Method::POST, &support)
        .json(&typed("张伟"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "already_counted");
    // The fourth had nominated 张玮 and supports 张伟 too: the merge below
    // counts them once.
    let (status, third) = nominate(&d, "张炜", here, json!({ "different_person": true })).await;
    assert_eq!(status, 201);
    let third = id_of(&third);
    let r = d
        .api(Method::POST, &support)
        .json(&typed("张伟"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);

    // While typing, a signed-in resident sees the likely duplicates; nobody else does.
    let similar = format!(
        "{NOMINATIONS}/similar?community={}&name=%E5%BC%A0%E4%BC%9F",
        here.0
    );
    let r = c.api(Method::GET, &similar).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let found: Vec<Value> = r.json().await.unwrap();
    assert_eq!(found.len(), 3, "张伟, 张玮, 张炜: {found:?}");
    assert_eq!(found[0]["likeness"], "same");
    let r = app
        .visitor()
        .api(Method::GET, &similar)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    // The reviewer merges the second into the first: everyone is counted and told.
    let queued = nominations
        .queue(&campaign, &Default::default())
        .await
        .unwrap();
    let b_row = queued.iter().find(|q| q.record.id == second).unwrap();
    assert!(
        b_row.duplicates.iter().any(|s| s.id == first),
        "suggested in the queue"
    );
    let state = nominations
        .review(
            &campaign,
            actor,
            second,
            b_row.record.revision,
            &Review::MergeInto(first),
        )
        .await
        .unwrap();
    assert_eq!(state, NominationState::Merged);
    assert_eq!(app.audited("nomination.merge").await, 1);
    let b_sees = mine(&b).await;
    assert_eq!(b_sees.len(), 1);
    assert_eq!(b_sees[0]["state"], "merged");
    assert_eq!(b_sees[0]["lead"], first.0);
    assert_eq!(b_sees[0]["nominators"], 4, "{b_sees:?}");
    assert_eq!(mine(&c).await[0]["supported"], true);
    // 张炜 too: its nominator already supports 张伟 and is counted once.
    let t = nominations.record(&campaign, third).await.unwrap().unwrap();
    nominations
        .review(
            &campaign,
            actor,
            third,
            t.revision,
            &Review::MergeInto(first),
        )
        .await
        .unwrap();
    assert_eq!(mine(&b).await[0]["nominators"], 4);
    assert_eq!(
        mine(&d).await.len(),
        3,
        "their own, merged, and their support"
    );

    // Approval waits for eligibility and consent.
    let record = nominations.record(&campaign, first).await.unwrap().unwrap();
    let approval = Approval {
        number: NomineeNumber::new(101).unwrap(),
        name: "张伟".into(),
        story: record.story.clone(),
    };
    let refused = nominations
        .approve(&campaign, actor, first, record.revision, &approval)
        .await;
    assert!(
        matches!(refused, Err(ReviewError::Refused(_))),
        "{refused:?}"
    );
    nominations
        .review(&campaign, actor, first, record.revision, &Review::Eligible)
        .await
        .unwrap();
    // A decision taken on an older revision is refused, not applied twice.
    let stale = nominations
        .review(&campaign, actor, first, record.revision, &Review::Eligible)
        .await;
    assert!(
        matches!(stale, Err(ReviewError::Refused(_) | ReviewError::Stale)),
        "{stale:?}"
    );
    let record = nominations.record(&campaign, first).await.unwrap().unwrap();
    let refused = nominations
        .approve(&campaign, actor, first, record.revision, &approval)
        .await;
    assert!(
        matches!(refused, Err(ReviewError::Refused(_))),
        "no consent yet: {refused:?}"
    );

    // The nominee agrees through the link in the text message, once.
    assert_eq!(record.phone_masked.as_deref(), Some("139****0302"));
    let token = app
        .latest_code_for("139****0302")
        .expect("the consent link was sent");
    assert!(matches!(
        nominations.link(&token).await.unwrap(),
        LinkState::Open(_)
    ));
    assert!(matches!(
        nominations.link("not-a-token").await.unwrap(),
        LinkState::Unknown
    ));
    let answered = nominations.answer_link(&token, true).await.unwrap();
    assert!(matches!(answered, LinkState::Open(r) if r.consent.given()));
    assert!(matches!(
        nominations.answer_link(&token, false).await.unwrap(),
        LinkState::Used {
            agreed: Some(true),
            ..
        }
    ));
    assert_eq!(app.audited("nomination.consent").await, 1);

    // Approved into a numbered nominee, with its nominator count.
    let record = nominations.record(&campaign, first).await.unwrap().unwrap();
    let nominee = nominations
        .approve(&campaign, actor, first, record.revision, &approval)
        .await
        .unwrap();
    assert_eq!(app.audited("nomination.approve").await, 1);
    let counts = app.services.store.nominators_of(campaign.id).await.unwrap();
    assert_eq!(counts, vec![(nominee, 4)]);
    let (status, list) = app
        .get_json("/api/v1/campaigns/yangpu-2026/nominees?q=101")
        .await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["nominees"][0]["name"], "张伟", "{list}");
    assert_eq!(list["nominees"][0]["number"], 101, "{list}");
    let a_sees = mine(&a).await;
    assert_eq!(a_sees[0]["state"], "approved");
    assert_eq!(a_sees[0]["nominee_number"], 101);

    // Found not eligible: the nominator sees the reason.
    let record = nominations
        .record(&campaign, elsewhere)
        .await
        .unwrap()
        .unwrap();
    nominations
        .review(
            &campaign,
            actor,
            elsewhere,
            record.revision,
            &Review::Ineligible {
                reason: IneligibleReason::NotCommunityWorker,
                note: "被推荐人是物业公司员工。".into(),
            },
        )
        .await
        .unwrap();
    let d_sees = mine(&d).await;
    let declined = d_sees.iter().find(|m| m["id"] == elsewhere.0).unwrap();
    assert_eq!(declined["state"], "ineligible");
    assert_eq!(declined["reason"], "不属于社区工作者、楼组长或志愿者");
    assert_eq!(declined["reason_note"], "被推荐人是物业公司员工。");
    assert_eq!(app.audited("nomination.decide").await, 2);

    // Each resident sees only their own.
    let e = app.voter("13800000306").await;
    assert!(mine(&e).await.is_empty());

    // The public sees counts per street, never names.
    let (status, per_street) = app
        .get_json("/api/v1/campaigns/yangpu-2026/nominations/per-street")
        .await;
    assert_eq!(status, 200);
    let total: u64 = per_street
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["nominations"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 4);
    assert!(!per_street.to_string().contains("张"));
}

on_both_backends!(nomination_story);

/// A resident may put forward three (nominations and supports together);
/// bad input is named in a sentence; outside the nomination phase nothing is taken.
async fn nomination_limits_and_refusals(app: TestApp) {
    let (here, _) = communities(&app).await;
    let a = app.voter("13800000311").await;
    // The demo campaign is voting: nominations are closed.
    let (status, body) = nominate(&a, "李红", here, json!({})).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"], "nominations_closed");

    nominations_open(&app).await;
    for name in ["李红", "王芳", "陈静"] {
        let (status, body) = nominate(&a, name, here, json!({})).await;
        assert_eq!(status, 201, "{name}: {body}");
    }
    let (status, body) = nominate(&a, "周敏", here, json!({})).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"], "nomination_limit");

    let b = app.voter("13800000312").await;
    let (status, body) = nominate(&b, "赵", here, json!({})).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["message"].as_str().unwrap().contains("姓名"), "{body}");
    let (status, body) = nominate(&b, "赵磊", CommunityId(999_999), json!({})).await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["error"], "not_found");
    assert!(
        body["message"].as_str().unwrap().contains("居民区"),
        "{body}"
    );
    let (status, body) = nominate(&b, "赵磊", here, json!({ "nominee_phone": "12345" })).await;
    assert_eq!(status, 422, "{body}");
    let r = app
        .visitor()
        .api(Method::POST, NOMINATIONS)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(
        mine(&b).await.is_empty(),
        "nothing was stored for a refused nomination"
    );
}

on_both_backends!(nomination_limits_and_refusals);

/// A nomination the API's document allows is taken, or refused only for
/// what a schema cannot know, never as malformed (422): the contract run
/// sends such bodies. Before, a name whose dots made it one character, a
/// community id no community has, the nominator's own number and an id
/// written `3.0` were each a 422 for a body the document allowed.
async fn a_body_the_document_allows_is_not_refused_as_malformed(app: TestApp) {
    nominations_open(&app).await;
    let (here, _) = communities(&app).await;
    let (status, doc) = app.get_json("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    let fields = &doc["components"]["schemas"]["NominationFields"];
    for field in ["name", "community", "role", "years", "story", "relation"] {
        assert!(
            fields["required"]
                .as_array()
                .unwrap()
                .contains(&json!(field)),
            "{field} is required: {fields}"
        );
    }
    assert!(!fields["properties"]["relation"]["enum"]
        .as_array()
        .unwrap()
        .contains(&json!("committee")));
    let nominate_op = &doc["paths"]["/campaigns/{slug}/nominations"]["post"]["responses"];
    for status in ["404", "409"] {
        assert!(nominate_op[status].is_object(), "{status} is documented");
    }

    // The dots and spaces around a name are set aside, not counted.
    let a = app.voter("13800000331").await;
    let (status, body) = nominate(&a, " ·阿依古丽· ", here, json!({})).await;
    assert_eq!(status, 201, "{body}");
    let aygul = id_of(&body);
    assert_eq!(mine(&a).await[0]["name"], "阿依古丽");
    // The document's `integer` is JSON Schema's: a community id written
    // with a zero fraction is that id.
    let c = app.voter("13800000333").await;
    let r = c
        .api(Method::POST, &format!("{NOMINATIONS}/{}/support", aygul.0))
        .json(&json!({ "name": "阿依古丽", "community": here.0 as f64 }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    // A community id no community has: 404, as for anything not there.
    let (status, body) = nominate(&a, "赵磊", CommunityId(999_999), json!({})).await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["error"], "not_found");
    // The nominator's own number: well formed, refused for who sends it.
    let (status, body) = nominate(
        &a,
        "赵磊",
        here,
        json!({ "nominee_phone": "+86 138-0000-0331" }),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"], "own_phone");
    // A story typed in a browser: each Windows line end counts once.
    let story = format!("{}\r\n{}", "字".repeat(14), "字".repeat(15));
    let (status, body) = nominate(&a, "赵磊", here, json!({ "story": story })).await;
    assert_eq!(status, 201, "{body}");

    // What the document does not allow is refused as malformed.
    let b = app.voter("13800000332").await;
    for (field, typed) in [
        ("name", json!("张 ·")),
        ("role", json!(" director")),
        ("years", json!(12)),
        (
            "story",
            json!(format!("{}\r{}", "字".repeat(14), "字".repeat(15))),
        ),
    ] {
        let (status, body) = nominate(&b, "钱芳", here, json!({ field: typed })).await;
        assert_eq!(status, 422, "{field}: {body}");
        assert_eq!(body["error"], "invalid_input");
    }
    assert!(mine(&b).await.is_empty());
}

on_both_backends!(a_body_the_document_allows_is_not_refused_as_malformed);

/// The same story through the pages and their forms, without JavaScript:
/// a resident nominates at `/nominate` (with a photo), is offered the likely
/// duplicate and supports it instead; the nominee answers the link's page;
/// a reviewer decides in the console (a station operator may not) and
/// approves; the profile shows how many put the nominee forward.
async fn nominations_through_the_pages(app: TestApp) {
    nominations_open(&app).await;
    let (here, _) = communities(&app).await;
    let multipart = |name: &str, phone: &str| {
        let mut form = reqwest::multipart::Form::new()
            .text("name", name.to_string())
            .text("community", here.0.to_string())
            .text("role", "secretary")
            .text("years", "8")
            .text("story", story())
            .text("relation", "resident")
            .text("nominee_phone", phone.to_string());
        form = form.part(
            "photo",
            reqwest::multipart::Part::bytes(crate::support::png()).file_name("p.png"),
        );
        form
    };
    let post = |voter: &Voter, form: reqwest::multipart::Form| {
        voter
            .browser(Method::POST, "/nominate")
            .multipart(form)
            .send()
    };

    // The page: counts per street for everyone, the form for a signed-in resident.
    let (status, page) = app.visitor().page("/nominate").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("data-testid=\"nominate-sign-in\""),
        "signed out: a sign-in link"
    );
    let a = app.voter("13800000321").await;
    let (_, page) = a.page("/nominate").await;
    assert!(page.contains("data-testid=\"nominate-form\""));

    let r = post(&a, multipart("王建国", "139 0000 0322"))
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/my/nominations?done=sent#n"), "{to}");
    let first: i64 = to.rsplit("#n").next().unwrap().parse().unwrap();

    // A second resident's 王建國 is the same person: supported instead.
    let b = app.voter("13800000323").await;
    let r = post(&b, multipart("王建國", "")).await.unwrap();
    let to = r.headers()["location"].to_str().unwrap().to_string();
    let (_, mine) = b.page(&to).await;
    assert!(mine.contains("data-testid=\"similar-box\""), "{mine}");
    assert!(mine.contains("王建国"));
    let own: i64 = to.rsplit("#n").next().unwrap().parse().unwrap();
    let r = b
        .post_form(
            &format!("/my/nominations/{own}/join"),
            &[("lead", &first.to_string())],
        )
        .await;
    assert_eq!(r.headers()["location"], "/my/nominations?done=joined");
    let (_, mine) = b.page("/my/nominations").await;
    assert!(mine.contains("推荐人数 2"), "{mine}");
    assert!(mine.contains("data-state=\"merged\""));

    // A third's look-alike is offered whenever they come back, with what
    // tells the two apart, until they say it is someone else.
    let c = app.voter("13800000324").await;
    let r = post(&c, multipart("王建囯", "")).await.unwrap();
    let to = r.headers()["location"].to_str().unwrap().to_string();
    let own: i64 = to.rsplit("#n").next().unwrap().parse().unwrap();
    let (_, mine) = c.page("/my/nominations").await;
    let offered = mine
        .find("data-testid=\"similar-box\"")
        .expect("offered later too");
    let about = &mine[offered..];
    assert!(about.contains("data-testid=\"similar-about\""), "{about}");
    assert!(
        about.contains("居民区书记") && about.contains("8 年"),
        "{about}"
    );
    let r = c
        .post_form(&format!("/my/nominations/{own}/keep"), &[])
        .await;
    assert_eq!(r.headers()["location"], "/my/nominations?done=kept");
    let (_, mine) = c.page("/my/nominations").await;
    assert!(
        !mine.contains("data-testid=\"similar-box\""),
        "answered: no longer offered"
    );
    assert_eq!(app.audited("nomination.keep").await, 1);
    let r = c
        .post_form(&format!("/my/nominations/{own}/keep"), &[])
        .await;
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .contains("problem="),
        "kept once"
    );

    // The nominee's page, from the text message.
    let token = app.latest_code_for("139****0322").unwrap();
    let (status, consent) = app.visitor().page(&format!("/consent/{token}")).await;
    assert_eq!(status, 200);
    assert!(consent.contains("王建国") && consent.contains("data-testid=\"consent-agree\""));
    let r = app
        .visitor()
        .post_form(&format!("/consent/{token}"), &[("agree", "yes")])
        .await;
    assert_eq!(
        r.headers()["location"],
        format!("/consent/{token}?done=agreed").as_str()
    );
    let (_, consent) = app
        .visitor()
        .page(&format!("/consent/{token}?done=agreed"))
        .await;
    assert!(consent.contains("data-testid=\"consent-used\""));
    let (status, _) = app.visitor().page("/consent/no-such-link").await;
    assert_eq!(status, 404);

    // A station operator may not review; a reviewer may.
    let operator = app.organizer("station-nom", Role::StationOperator).await;
    assert_eq!(operator.status("/console/nominations").await, 403);
    let (status, _) = operator
        .post(
            &format!("/console/nominations/{first}/review"),
            &[("revision", "0"), ("decision", "eligible")],
        )
        .await;
    assert_eq!(status, 403);
    let reviewer = app.organizer("reviewer-pages", Role::Reviewer).await;
    let (status, queue) = reviewer.page("/console/nominations").await;
    assert_eq!(status, 200);
    assert!(queue.contains("王建国"));
    let revision = || async {
        let c = app.demo_campaign().await;
        app.services
            .nominations
            .record(&c, NominationId(first))
            .await
            .unwrap()
            .unwrap()
            .revision
            .to_string()
    };
    let (status, to) = reviewer
        .post(
            &format!("/console/nominations/{first}/review"),
            &[
                ("revision", revision().await.as_str()),
                ("decision", "eligible"),
            ],
        )
        .await;
    assert_eq!(
        (status, to.as_str()),
        (
            303,
            format!("/console/nominations/{first}?done=recorded").as_str()
        )
    );
    let (_, detail) = reviewer
        .page(&format!("/console/nominations/{first}"))
        .await;
    assert!(detail.contains("data-testid=\"approve-form\""));
    let (status, to) = reviewer
        .post(
            &format!("/console/nominations/{first}/approve"),
            &[
                ("revision", revision().await.as_str()),
                ("number", "120"),
                ("name", "王建国"),
                ("story", "三十年守护弄堂。"),
            ],
        )
        .await;
    assert_eq!(
        (status, to.as_str()),
        (
            303,
            format!("/console/nominations/{first}?done=approved").as_str()
        )
    );

    // A committee's nomination, entered by the reviewer and marked as the committee's.
    let committee = reqwest::multipart::Form::new()
        .text("name", "刘建平")
        .text("community", here.0.to_string())
        .text("role", "secretary")
        .text("years", "20")
        .text("story", story());
    let r = reviewer
        .post_multipart("/console/nominations", committee)
        .await;
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert!(to.ends_with("?done=entered"), "{to}");
    let (_, queue) = reviewer.page("/console/nominations").await;
    assert!(
        queue.contains("刘建平") && queue.contains("（居委会推荐）"),
        "{queue}"
    );
    assert_eq!(app.audited("nomination.enter").await, 1);

    // The profile: the photo from the nomination, and two nominators.
    let (status, profile) = app.visitor().page("/nominees/120").await;
    assert_eq!(status, 200);
    assert!(profile.contains("推荐人数 2"), "{profile}");
    assert!(profile.contains("三十年守护弄堂"));
    assert!(
        profile.contains("/photos/"),
        "the nomination's photo became the nominee's"
    );
}

on_both_backends!(nominations_through_the_pages);

/// The demo taken back to its nomination phase
/// (`ALLEYVOTE_DEMO_STAGE=nomination`): nominations in every state for the
/// demo reviewer, the two that sound alike suggested as duplicates; loading
/// it again changes nothing.
async fn the_demo_has_nominations_in_review(app: TestApp) {
    use alleyvote::demo::ceremony::{load, DemoStage};
    load(&app.services, DemoStage::Nomination).await.unwrap();
    load(&app.services, DemoStage::Nomination).await.unwrap();
    let campaign = app.demo_campaign().await;
    assert_eq!(
        campaign.phase(Millis::now()),
        alleyvote_domain::Phase::Nomination
    );
    let queued = app
        .services
        .nominations
        .queue(&campaign, &Default::default())
        .await
        .unwrap();
    assert_eq!(queued.len(), 7, "once, not twice");
    let state = |name: &str| {
        queued
            .iter()
            .find(|q| q.record.name == name)
            .map(|q| q.record.state)
            .unwrap()
    };
    assert_eq!(state("李秀英"), NominationState::Eligible);
    assert_eq!(state("陈建华"), NominationState::NeedsInfo);
    assert_eq!(state("周小红"), NominationState::Ineligible);
    let zhang = queued.iter().find(|q| q.record.name == "张玮").unwrap();
    assert_eq!(zhang.duplicates.len(), 1, "张伟 is suggested");
    let li = queued.iter().find(|q| q.record.name == "李秀英").unwrap();
    assert_eq!(li.record.supporters, 3);
    assert!(li.record.consent.given());
    let shenhe = app
        .console_login("shenhe", alleyvote::demo::DEMO_ADMIN_PASSWORD)
        .await
        .expect("the demo reviewer signs in");
    let (status, page) = shenhe.page("/console/nominations").await;
    assert_eq!(status, 200);
    assert!(page.contains("张玮"));
    // Waiting: the two 张 and the two without a look-alike to decide, 李秀英
    // to approve; 陈建华's question is the committee's to answer.
    assert!(page.contains("待处理（5）"), "{page}");
    assert!(!page.contains(">陈建华<"));
    assert_eq!(
        page.matches("data-testid=\"queue-pick\"").count(),
        2,
        "王美华, 刘德明"
    );
}

on_both_backends!(the_demo_has_nominations_in_review);

/// The reviewers' queue, as an afternoon with many nominations needs it:
/// what waits by default (a question not answered yet does not), pages of
/// 25, a name search, a bulk "eligible" for new ones without a likely
/// duplicate (re-checked: a forged pick is skipped), "eligible and next",
/// and a merge taken only from the side-by-side view, after which the lead
/// shows the merged story.
async fn the_reviewers_queue_clears_an_afternoon(app: TestApp) {
    nominations_open(&app).await;
    let (here, _) = communities(&app).await;
    let campaign = app.demo_campaign().await;
    let mut ids = Vec::new();
    let surnames = ["赵", "钱", "孙", "李", "周", "吴", "郑", "王", "冯", "陈"];
    for (i, surname) in surnames.iter().enumerate() {
        let voter = app.voter(&format!("1380000{:04}", 900 + i)).await;
        for given in ["建国", "秀英", "志强"] {
            let (status, body) =
                nominate(&voter, &format!("{surname}{given}"), here, json!({})).await;
            assert_eq!(status, 201, "{body}");
            ids.push(id_of(&body));
        }
    }
    let late = app.voter("13800000990").await;
    let (status, body) = nominate(&late, "王建國", here, json!({ "different_person": true })).await;
    assert_eq!(status, 201, "{body}");
    let alike = id_of(&body);
    let reviewer = app.organizer("reviewer-queue", Role::Reviewer).await;
    let record = |id| {
        let app = &app;
        let campaign = &campaign;
        async move {
            app.services
                .nominations
                .record(campaign, id)
                .await
                .unwrap()
                .unwrap()
        }
    };
    // One asked a question, not answered yet: not waiting for a reviewer.
    let asked = ids[29];
    let (_, location) = reviewer
        .post(
            &format!("/console/nominations/{}/review", asked.0),
            &[
                ("revision", record(asked).await.revision.to_string()),
                ("decision", "ask".into()),
                ("question", "请补充任职证明。".into()),
            ],
        )
        .await;
    assert!(location.ends_with("done=recorded"), "{location}");

    // What waits, oldest first, 25 a page.
    let (status, page) = reviewer.page("/console/nominations").await;
    assert_eq!(status, 200);
    assert!(page.contains("待处理 30 条"), "30 waiting");
    assert!(page.contains("待处理（30）"));
    assert_eq!(page.matches("data-testid=\"queue-row\"").count(), 25);
    assert!(
        page.find("赵建国").unwrap() < page.find("赵秀英").unwrap(),
        "oldest first"
    );
    let (_, second) = reviewer.page("/console/nominations?page=2").await;
    assert_eq!(second.matches("data-testid=\"queue-row\"").count(), 5);
    let (_, everything) = reviewer.page("/console/nominations?state=all&page=2").await;
    assert!(
        everything.contains(">陈志强<"),
        "all shows the question waiting on the nominator"
    );
    let (_, found) = reviewer
        .page("/console/nominations?q=%E7%A7%80%E8%8B%B1")
        .await;
    assert_eq!(
        found.matches("data-testid=\"queue-row\"").count(),
        10,
        "秀英"
    );
    // The likely duplicates are not offered for bulk; the others are.
    assert_eq!(
        page.matches("data-testid=\"queue-pick\"").count(),
        24,
        "25 less 王建国, who has a likely duplicate"
    );

    // Bulk: three ticked, and a forged pick of a likely duplicate skipped.
    let mut picks: Vec<(&str, String)> = Vec::new();
    for id in [ids[0], ids[1], ids[2], alike] {
        picks.push(("pick", format!("{}:{}", id.0, record(id).await.revision)));
    }
    let (_, location) = reviewer.post("/console/nominations/bulk", &picks).await;
    assert!(location.ends_with("decided=3&skipped=1"), "{location}");
    for id in &ids[..3] {
        assert_eq!(record(*id).await.state, NominationState::Eligible);
    }
    assert_eq!(record(alike).await.state, NominationState::Submitted);
    assert_eq!(
        app.audited("nomination.decide").await,
        4,
        "the question and three, one each"
    );
    let (_, page) = reviewer.page("/console/nominations").await;
    assert!(page.contains("待处理 27 条"), "{page}");

    // Eligible and next: on to the next waiting, oldest first.
    let (_, location) = reviewer
        .post(
            &format!("/console/nominations/{}/review", ids[3].0),
            &[
                ("revision", record(ids[3]).await.revision.to_string()),
                ("decision", "eligible".into()),
                ("next", "1".into()),
            ],
        )
        .await;
    assert_eq!(
        location,
        format!("/console/nominations/{}?done=recorded", ids[4].0)
    );
    let (_, detail) = reviewer
        .page(&format!("/console/nominations/{}", ids[4].0))
        .await;
    assert!(detail.contains("accesskey=\"n\""), "a key for it");
    assert!(
        detail.contains(&format!("href=\"/console/nominations/{}\"", ids[5].0)),
        "skip to the next"
    );

    // A merge from the detail page goes to the side-by-side view first.
    let wang = ids[21];
    assert_eq!(record(wang).await.name, "王建国");
    let merge = |confirmed: &'static str| {
        let reviewer = reviewer.clone();
        async move {
            let revision = record(alike).await.revision.to_string();
            let (_, location) = reviewer
                .post(
                    &format!("/console/nominations/{}/review", alike.0),
                    &[
                        ("revision", revision),
                        ("decision", "merge".into()),
                        ("into", wang.0.to_string()),
                        ("confirmed", confirmed.into()),
                    ],
                )
                .await;
            location
        }
    };
    let location = merge("").await;
    assert_eq!(
        location,
        format!("/console/nominations/{}/compare/{}", alike.0, wang.0)
    );
    assert_eq!(
        record(alike).await.state,
        NominationState::Submitted,
        "not merged yet"
    );
    let (status, compare) = reviewer.page(&location).await;
    assert_eq!(status, 200);
    for side in ["compare-left", "compare-right", "compare-keep-right"] {
        assert!(
            compare.contains(&format!("data-testid=\"{side}\"")),
            "{side}"
        );
    }
    let (left, right) = (
        compare.find("data-testid=\"compare-left\"").unwrap(),
        compare.find("data-testid=\"compare-right\"").unwrap(),
    );
    assert!(
        compare[left..right].contains(story().as_str()),
        "the left story whole"
    );
    assert!(
        compare[right..].contains(story().as_str()),
        "the right story whole"
    );
    let location = merge("yes").await;
    assert_eq!(
        location,
        format!("/console/nominations/{}?done=merged", wang.0)
    );
    assert_eq!(record(alike).await.state, NominationState::Merged);
    let (_, lead) = reviewer
        .page(&format!("/console/nominations/{}", wang.0))
        .await;
    let merged = lead
        .find("data-testid=\"review-merged-story\"")
        .expect("shown on the lead");
    assert!(lead[merged..].contains("王建國") && lead[merged..].contains(story().as_str()));
    assert_eq!(record(wang).await.supporters, 2);

    // Undone from the lead's page while it is open: each stands again,
    // with its own nominator.
    assert!(lead[merged..].contains("data-testid=\"review-unmerge\""));
    let unmerge = || {
        let reviewer = reviewer.clone();
        async move {
            let revision = record(alike).await.revision.to_string();
            let (_, location) = reviewer
                .post(
                    &format!("/console/nominations/{}/review", alike.0),
                    &[("revision", revision), ("decision", "unmerge".into())],
                )
                .await;
            location
        }
    };
    assert_eq!(
        unmerge().await,
        format!("/console/nominations/{}?done=unmerged", alike.0)
    );
    let undone = record(alike).await;
    assert_eq!(
        (undone.state, undone.merged_into),
        (NominationState::Submitted, None)
    );
    assert_eq!((undone.supporters, record(wang).await.supporters), (1, 1));
    assert_eq!(app.audited("nomination.unmerge").await, 1);
    assert!(unmerge().await.contains("problem="), "once");
}

on_both_backends!(the_reviewers_queue_clears_an_afternoon);
