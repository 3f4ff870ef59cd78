//! A request key names one request: its answer is given again to a retry of
//! that request, and to nothing else. Told through the store, on both backends.

use std::sync::Arc;

use alleyvote::campaigns::storage::CampaignSettings;
use alleyvote::demo::{self, DemoVotes};
use alleyvote::keyed_hashes::{VoterIdentity, VoterKind};
use alleyvote::nominees::storage::NomineeDetails;
use alleyvote::store::Store;
use alleyvote::voting::ballot::{Ballot, Channel, Outcome};
use alleyvote_domain::{Campaign, Millis, NomineeNumber, VoteRefusal, VoteRules, VoterId};

fn number(n: u32) -> NomineeNumber {
    NomineeNumber::new(n).unwrap()
}

async fn voter(store: &dyn Store, tag: &str, now: Millis) -> VoterId {
    use sha2::{Digest, Sha256};
    let identity = VoterIdentity {
        hash: Sha256::digest(tag.as_bytes()).into(),
        kind: VoterKind::Phone,
        masked: "138****0000".into(),
    };
    store.voter(&identity, now).await.unwrap()
}

fn ballot(campaign: &Campaign, voter: VoterId, nominee: u32, at: Millis, key: &str) -> Ballot {
    Ballot {
        campaign: campaign.id,
        rules: campaign.rules,
        voter,
        nominee: number(nominee),
        at,
        channel: Channel::Online,
        request_key: Some(key.to_string()),
    }
}

fn vote_id(outcome: &Outcome) -> i64 {
    outcome.as_ref().expect("counted").vote_id
}

async fn votes_today(store: &dyn Store, campaign: &Campaign, voter: VoterId, at: Millis) -> usize {
    store
        .votes_on(campaign.id, voter, at.shanghai_day())
        .await
        .unwrap()
        .len()
}

async fn keys_name_one_request(store: Arc<dyn Store>) {
    // Votes are decided by the database's clock: the story runs at today's.
    let before_any = Millis::now();
    let now = Millis::now();
    demo::load(&*store, now, DemoVotes::None).await.unwrap();
    let demo_campaign = store.campaign(demo::DEMO_SLUG).await.unwrap().unwrap();
    // A second campaign with a nominee numbered 1, voting at the same time.
    let settings = CampaignSettings {
        slug: "second".into(),
        title_zh: "第二个评选".into(),
        title_en: "A second selection".into(),
        description_zh: String::new(),
        description_en: String::new(),
        hosts_zh: String::new(),
        hosts_en: String::new(),
        hotline: None,
        phases: demo_campaign.phases,
        rules: VoteRules::new(3, 1).unwrap(),
        results_visibility: demo_campaign.results_visibility,
    };
    store.ensure_campaign(&settings, now).await.unwrap();
    let second = store.campaign("second").await.unwrap().unwrap();
    let streets = store.streets().await.unwrap();
    let community = store
        .ensure_community(streets[0].id, "和润苑", "Herun Garden")
        .await
        .unwrap();
    let details = NomineeDetails {
        number: number(1),
        name: "第二位".into(),
        community,
        photo_url: None,
        story: String::new(),
    };
    store
        .ensure_nominee(second.id, &details, now)
        .await
        .unwrap();
    let campaign = demo_campaign;
    let (a, b) = (
        voter(&*store, "a", now).await,
        voter(&*store, "b", now).await,
    );

    // The first answer, then the same answer to the same request again.
    let first = store
        .cast_vote(&ballot(&campaign, a, 1, now, "k"))
        .await
        .unwrap();
    let again = store
        .cast_vote(&ballot(&campaign, a, 1, now, "k"))
        .await
        .unwrap();
    assert_eq!(vote_id(&again), vote_id(&first));
    assert!(again.as_ref().unwrap().replayed);

    // The same key for another nominee: refused, and nothing counted.
    let reused = store
        .cast_vote(&ballot(&campaign, a, 2, now, "k"))
        .await
        .unwrap();
    assert_eq!(reused, Err(VoteRefusal::KeyReused));
    assert_eq!(votes_today(&*store, &campaign, a, now).await, 1);

    // The same key in another campaign, or from another voter: new votes.
    let elsewhere = store
        .cast_vote(&ballot(&second, a, 1, now, "k"))
        .await
        .unwrap();
    let other_voter = store
        .cast_vote(&ballot(&campaign, b, 1, now, "k"))
        .await
        .unwrap();
    let ids = [vote_id(&first), vote_id(&elsewhere), vote_id(&other_voter)];
    assert!(
        ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2],
        "{ids:?}"
    );

    // A commit whose answer was lost: the whole batch again (as the writer
    // retries it) replays every answer and counts nothing twice.
    let c = voter(&*store, "c", now).await;
    let batch: Vec<Ballot> = (3..=6)
        .map(|n| ballot(&campaign, c, n, now, &format!("srv:{n}")))
        .collect();
    let committed = store.cast_votes(&batch).await.unwrap();
    let retried = store.cast_votes(&batch).await.unwrap();
    for (before, after) in committed.iter().zip(&retried) {
        assert_eq!(vote_id(after), vote_id(before));
        assert!(after.as_ref().unwrap().replayed);
    }
    assert_eq!(votes_today(&*store, &campaign, c, now).await, 4);

    // A refusal replays on its day (another day is the batch's own test:
    // here the database's clock decides the day).
    let second_rules = second.rules; // 3 a day, 1 per nominee
    assert_eq!(second_rules.per_nominee_per_day(), 1);
    let d = voter(&*store, "d", now).await;
    store
        .cast_vote(&ballot(&second, d, 1, now, "first"))
        .await
        .unwrap()
        .unwrap();
    for _ in 0..2 {
        let refused = store
            .cast_vote(&ballot(&second, d, 1, now, "retry"))
            .await
            .unwrap();
        assert_eq!(refused, Err(VoteRefusal::AlreadyVoted));
    }

    // A refusal the campaign alone decided replays only while the campaign
    // is unchanged: the nominee added the same day, the retry counts ...
    let e = voter(&*store, "e", now).await;
    let unknown = store
        .cast_vote(&ballot(&second, e, 2, now, "unknown"))
        .await
        .unwrap();
    assert_eq!(unknown, Err(VoteRefusal::UnknownNominee));
    let details = NomineeDetails {
        number: number(2),
        name: "第二位之二".into(),
        ..details
    };
    store
        .ensure_nominee(second.id, &details, now)
        .await
        .unwrap();
    let counted = store
        .cast_vote(&ballot(&second, e, 2, now, "unknown"))
        .await
        .unwrap();
    assert!(counted.is_ok(), "{counted:?}");
    // ... and the vote closed early, then reopened the same day.
    let audit = || {
        alleyvote::audit::NewAuditEntry::new(
            alleyvote::audit::Actor::SYSTEM,
            alleyvote::audit::AuditAction::CampaignUpdate,
            "campaign second",
        )
    };
    let mut closed = settings.clone();
    closed.phases.voting_end = Millis(now.0 - 60_000);
    store
        .update_campaign(second.id, &closed, &audit(), now)
        .await
        .unwrap();
    let refused = store
        .cast_vote(&ballot(&second, e, 1, now, "closed"))
        .await
        .unwrap();
    assert_eq!(refused, Err(VoteRefusal::Closed));
    store
        .update_campaign(second.id, &settings, &audit(), now)
        .await
        .unwrap();
    let counted = store
        .cast_vote(&ballot(&second, e, 1, now, "closed"))
        .await
        .unwrap();
    assert!(counted.is_ok(), "reopened, the retry counts: {counted:?}");

    // Old answers are forgotten (the retention purge); none is older than
    // the story.
    let only_answers = |before| alleyvote::retention::Cutoffs {
        sms_codes_expired_before: Millis(0),
        sessions_expired_before: Millis(0),
        login_attempts_before: Millis(0),
        request_answers_before: before,
        notice_ended_before: Millis(0),
    };
    let none = store.purge(&only_answers(before_any)).await.unwrap();
    assert_eq!(none.request_answers, 0);
    let after_all = Millis(Millis::now().0 + 1_000);
    let forgotten = store.purge(&only_answers(after_all)).await.unwrap();
    assert_eq!(forgotten.request_answers, 11, "every answer kept");
    // A forgotten request is decided afresh: the rules still hold.
    let afresh = store
        .cast_vote(&ballot(&campaign, a, 1, now, "k"))
        .await
        .unwrap();
    assert_eq!(afresh, Err(VoteRefusal::AlreadyVoted));
}

on_both_backends!(keys_name_one_request, store);
