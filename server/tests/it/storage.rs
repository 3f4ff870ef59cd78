//! One story through the `Store` trait, told against SQLite and PostgreSQL.

use std::sync::Arc;

use alleyvote::demo::{self, DemoVotes};
use alleyvote::keyed_hashes::{VoterIdentity, VoterKind};
use alleyvote::nominees::storage::NomineeDetails;
use alleyvote::store::Store;
use alleyvote::voting::ballot::{Ballot, Channel};
use alleyvote_domain::{
    Millis, NomineeFilter, NomineeNumber, SearchQuery, VoteRefusal, VoteRules, VoterId,
};

use crate::support::{counts, race, temp_dir};

fn number(n: u32) -> NomineeNumber {
    NomineeNumber::new(n).unwrap()
}

struct Sha256Digest;

impl Sha256Digest {
    fn digest(tag: &str) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        Sha256::digest(tag.as_bytes()).into()
    }
}

fn identity(tag: &str) -> VoterIdentity {
    use sha2::{Digest, Sha256};
    VoterIdentity {
        hash: Sha256::digest(tag.as_bytes()).into(),
        kind: VoterKind::Phone,
        masked: "138****0000".into(),
    }
}

async fn story(store: Arc<dyn Store>) {
    // Votes are decided by the database's clock, so the story runs at today's.
    let now = Millis::now();

    // Setting up: loading the demo twice gives the same campaign, streets and nominees.
    let first = demo::load(&*store, now, DemoVotes::None).await.unwrap();
    let again = demo::load(&*store, now, DemoVotes::None).await.unwrap();
    assert_eq!((first.nominees, again.nominees), (30, 30));
    let streets = store.streets().await.unwrap();
    assert_eq!(streets.len(), 12);
    assert_eq!(streets[0].name_zh, "定海路街道");
    let campaign = store
        .campaign(demo::DEMO_SLUG)
        .await
        .unwrap()
        .expect("demo campaign");
    assert_eq!(store.campaigns().await.unwrap().len(), 1);
    assert!(store.campaign("nope").await.unwrap().is_none());

    // A number already taken in the campaign keeps its first nominee.
    let community = store
        .ensure_community(streets[0].id, "和润苑", "Herun Garden")
        .await
        .unwrap();
    let found = store.community(community).await.unwrap().unwrap();
    assert_eq!(
        (found.community.name_zh.as_str(), found.street_zh.as_str()),
        ("和润苑", "定海路街道")
    );
    assert!(store
        .community(alleyvote_domain::CommunityId(999_999))
        .await
        .unwrap()
        .is_none());
    let dup = NomineeDetails {
        number: number(1),
        name: "冒名者".into(),
        community,
        photo_url: None,
        story: String::new(),
    };
    store.ensure_nominee(campaign.id, &dup, now).await.unwrap();
    let one = store
        .nominee(campaign.id, number(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(one.summary.name, "张秀英");
    assert!(one.story.contains("\n\n"), "stories keep their paragraphs");
    assert!(store
        .nominee(campaign.id, number(31))
        .await
        .unwrap()
        .is_none());

    // Finding nominees: by street, by a piece of the name, by number.
    let all = store
        .nominees(campaign.id, &NomineeFilter::default())
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|n| n.number.get()).collect::<Vec<_>>(),
        (1..=30).collect::<Vec<u16>>()
    );
    let first_street = store
        .nominees(
            campaign.id,
            &NomineeFilter {
                street: Some(streets[0].id),
                query: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(first_street.len(), 3);
    assert!(first_street.iter().all(|n| n.street_zh == "定海路街道"));
    let by_name = store
        .nominees(
            campaign.id,
            &NomineeFilter {
                street: None,
                query: Some(SearchQuery::Name("建".into())),
            },
        )
        .await
        .unwrap();
    assert!(!by_name.is_empty());
    assert!(by_name.iter().all(|n| n.name.contains('建')));
    let by_number = store
        .nominees(
            campaign.id,
            &NomineeFilter {
                street: None,
                query: Some(SearchQuery::Number(number(12))),
            },
        )
        .await
        .unwrap();
    assert_eq!(by_number.len(), 1);
    assert_eq!(by_number[0].number.get(), 12);
    let wildcard = store
        .nominees(
            campaign.id,
            &NomineeFilter {
                street: None,
                query: Some(SearchQuery::Name("%".into())),
            },
        )
        .await
        .unwrap();
    assert!(wildcard.is_empty(), "search text is matched literally");

    // Voters: the same identity is the same voter.
    let alice = store.voter(&identity("alice"), now).await.unwrap();
    assert_eq!(store.voter(&identity("alice"), now).await.unwrap(), alice);
    let bob = store.voter(&identity("bob"), now).await.unwrap();
    assert_ne!(alice, bob);

    // Voting by the rules: one vote per nominee per day, three a day here
    // (the campaign's rules as stored decide, whatever a ballot carries).
    let rules = VoteRules::new(3, 1).unwrap();
    set_rules(&*store, &campaign, rules, now).await;
    let ballot = |voter: VoterId, n: u32, at: Millis| Ballot {
        campaign: campaign.id,
        rules,
        voter,
        nominee: number(n),
        at,
        channel: Channel::Online,
        request_key: None,
    };
    let receipt = store
        .cast_vote(&ballot(alice, 1, now))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(receipt.remaining_today, 2);
    assert_eq!(
        store.cast_vote(&ballot(alice, 1, now)).await.unwrap(),
        Err(VoteRefusal::AlreadyVoted)
    );
    assert_eq!(
        store.cast_vote(&ballot(alice, 99, now)).await.unwrap(),
        Err(VoteRefusal::UnknownNominee)
    );
    assert_eq!(
        store
            .cast_vote(&ballot(alice, 2, now))
            .await
            .unwrap()
            .unwrap()
            .remaining_today,
        1
    );
    assert_eq!(
        store
            .cast_vote(&ballot(alice, 3, now))
            .await
            .unwrap()
            .unwrap()
            .remaining_today,
        0
    );
    assert_eq!(
        store.cast_vote(&ballot(alice, 4, now)).await.unwrap(),
        Err(VoteRefusal::DailyQuotaUsed)
    );
    let today = now.shanghai_day();
    assert_eq!(
        store
            .votes_on(campaign.id, alice, today)
            .await
            .unwrap()
            .iter()
            .map(|n| n.get())
            .collect::<Vec<_>>(),
        vec![1, 2, 3]
    );

    // When the day turns is the database clock's business: the batch's
    // tests (voting/batch.rs) and the domain's (clock.rs) tell midnight.

    // The running tally matches a count of the records.
    let tally = store.tally(campaign.id).await.unwrap();
    let votes = |rows: &[alleyvote_domain::TallyRow], n: u16| {
        rows.iter().find(|r| r.number.get() == n).unwrap().online
    };
    assert_eq!(
        (
            votes(&tally.rows, 1),
            votes(&tally.rows, 2),
            votes(&tally.rows, 4)
        ),
        (1, 1, 0)
    );
    let recount = store
        .tally_as_of(campaign.id, Millis(i64::MAX))
        .await
        .unwrap();
    assert_eq!(counts(&tally.rows), counts(&recount));
    // (A minute before the story began: the votes are all later.)
    let earlier = store
        .tally_as_of(campaign.id, Millis(now.0 - 60_000))
        .await
        .unwrap();
    assert_eq!(votes(&earlier, 1), 0, "the frozen view ignores later votes");

    // Races: 50 identical votes at once count once.
    let racer = store.voter(&identity("racer"), now).await.unwrap();
    let outcomes = race((0..50).map(|_| {
        let store = store.clone();
        let b = ballot(racer, 7, now);
        async move { store.cast_vote(&b).await }
    }))
    .await;
    let mut counted = 0;
    for outcome in outcomes {
        match outcome {
            Ok(Ok(_)) => counted += 1,
            Ok(Err(VoteRefusal::AlreadyVoted)) => {}
            other => panic!("unexpected outcome {other:?}"),
        }
    }
    assert_eq!(counted, 1);

    // Races: a quota of 10 spread over 30 nominees at once gives exactly 10.
    let wide = VoteRules::new(10, 1).unwrap();
    set_rules(&*store, &campaign, wide, now).await;
    let spender = store.voter(&identity("spender"), now).await.unwrap();
    let outcomes = race((1..=30).map(|n| {
        let store = store.clone();
        let b = Ballot {
            rules: wide,
            ..ballot(spender, n, now)
        };
        async move { store.cast_vote(&b).await }
    }))
    .await;
    let mut ok = 0;
    for outcome in outcomes {
        match outcome {
            Ok(Ok(_)) => ok += 1,
            Ok(Err(VoteRefusal::DailyQuotaUsed)) => {}
            other => panic!("unexpected outcome {other:?}"),
        }
    }
    assert_eq!(ok, 10);
    assert_eq!(
        store
            .votes_on(campaign.id, spender, today)
            .await
            .unwrap()
            .len(),
        10
    );

    // Group commit: a batch is decided in arrival order and committed as one.
    set_rules(&*store, &campaign, rules, now).await;
    let carol = store.voter(&identity("carol"), now).await.unwrap();
    let dave = store.voter(&identity("dave"), now).await.unwrap();
    let keyed = |voter: VoterId, n: u32, key: &str| Ballot {
        request_key: Some(key.into()),
        ..ballot(voter, n, now)
    };
    let outcomes = store
        .cast_votes(&[
            ballot(carol, 1, now),
            ballot(carol, 1, now),
            ballot(dave, 1, now),
            keyed(carol, 2, "k1"),
            keyed(carol, 2, "k1"),
            ballot(carol, 99, now),
            ballot(carol, 3, now),
            ballot(carol, 4, now),
        ])
        .await
        .unwrap();
    let codes: Vec<String> = outcomes
        .iter()
        .map(|o| match o {
            Ok(r) if r.replayed => format!("again{}", r.remaining_today),
            Ok(r) => format!("ok{}", r.remaining_today),
            Err(e) => e.code().to_string(),
        })
        .collect();
    assert_eq!(
        codes,
        [
            "ok2",
            "already_voted",
            "ok2",
            "ok1",
            "again1",
            "unknown_nominee",
            "ok0",
            "daily_quota_used"
        ]
    );
    let retry = store
        .cast_vote(&keyed(carol, 2, "k1"))
        .await
        .unwrap()
        .unwrap();
    assert!(retry.replayed, "a later retry gets the first answer");
    assert_eq!(
        Some(retry.vote_id),
        outcomes[3].as_ref().ok().map(|r| r.vote_id)
    );
    assert_eq!(
        store
            .votes_on(campaign.id, carol, today)
            .await
            .unwrap()
            .len(),
        3
    );

    // Concurrent batches over the same voters, in opposite orders, neither
    // deadlock nor overrun: 20 voters try 40 votes each against a quota of 10.
    set_rules(&*store, &campaign, wide, now).await;
    let mut crowd = Vec::new();
    for i in 0..20 {
        crowd.push(
            store
                .voter(&identity(&format!("crowd{i}")), now)
                .await
                .unwrap(),
        );
    }
    let batches = race((0..8u32).map(|round| {
        let mut voters = crowd.clone();
        if round % 2 == 1 {
            voters.reverse();
        }
        let batch: Vec<Ballot> = voters
            .iter()
            .flat_map(|&v| {
                (1..=5u32).map(move |n| Ballot {
                    rules: wide,
                    ..ballot(v, n + round + 1, now)
                })
            })
            .collect();
        let store = store.clone();
        async move { store.cast_votes(&batch).await }
    }))
    .await;
    let mut counted = 0;
    for batch in batches {
        for outcome in batch.unwrap() {
            match outcome {
                Ok(_) => counted += 1,
                Err(VoteRefusal::DailyQuotaUsed | VoteRefusal::AlreadyVoted) => {}
                other => panic!("unexpected outcome {other:?}"),
            }
        }
    }
    assert_eq!(counted, 20 * 10);
    for v in &crowd {
        assert_eq!(
            store.votes_on(campaign.id, *v, today).await.unwrap().len(),
            10
        );
    }
    assert_eq!(
        counts(&store.tally(campaign.id).await.unwrap().rows),
        counts(
            &store
                .tally_as_of(campaign.id, Millis(i64::MAX))
                .await
                .unwrap()
        )
    );

    // A retried request (same key) gets the first answer and counts nothing new.
    let retrier = store.voter(&identity("retrier"), now).await.unwrap();
    let keyed = |n: u32, key: &str| Ballot {
        request_key: Some(key.to_string()),
        ..ballot(retrier, n, now)
    };
    let first = store.cast_vote(&keyed(9, "k-1")).await.unwrap().unwrap();
    let before = store.tally(campaign.id).await.unwrap();
    let again = store.cast_vote(&keyed(9, "k-1")).await.unwrap().unwrap();
    assert_eq!(
        (again.vote_id, again.remaining_today, again.replayed),
        (first.vote_id, first.remaining_today, true)
    );
    assert_eq!(
        store.tally(campaign.id).await.unwrap(),
        before,
        "a replay counts nothing, and changes no version"
    );
    assert_eq!(
        store.cast_vote(&keyed(9, "k-2")).await.unwrap(),
        Err(VoteRefusal::AlreadyVoted)
    );
    assert_eq!(
        store.cast_vote(&keyed(9, "k-2")).await.unwrap(),
        Err(VoteRefusal::AlreadyVoted)
    );
    // Racing retries of one key: one vote, every answer the same.
    let answers = race((0..20).map(|_| {
        let store = store.clone();
        let b = keyed(10, "k-3");
        async move { store.cast_vote(&b).await.unwrap() }
    }))
    .await;
    let receipts: Vec<_> = answers.iter().map(|a| a.clone().unwrap()).collect();
    assert!(
        receipts.iter().all(|r| r.vote_id == receipts[0].vote_id),
        "{answers:?}"
    );
    assert_eq!(
        receipts.iter().filter(|r| !r.replayed).count(),
        1,
        "exactly one answer is the original"
    );
    assert_eq!(
        store
            .votes_on(campaign.id, retrier, today)
            .await
            .unwrap()
            .len(),
        2
    );

    results_only_move_forward(&*store, &campaign, wide, now).await;

    // Printed ballot codes: each one makes one voter, once, whatever races.
    let card = |tag: &str| VoterIdentity {
        hash: Sha256Digest::digest(tag),
        kind: VoterKind::BallotCode,
        masked: "CARD-*****".into(),
    };
    let minted = alleyvote::audit::NewAuditEntry::new(
        alleyvote::audit::Actor::SYSTEM,
        alleyvote::audit::AuditAction::BallotCodesMint,
        format!("community:{}", community.0),
    )
    .after(serde_json::json!({ "count": 2 }));
    store
        .add_ballot_codes(
            community,
            &[card("card-1").hash, card("card-2").hash],
            &minted,
            now,
        )
        .await
        .unwrap();
    let logged = store.audit_chain().await.unwrap().pop().unwrap();
    assert_eq!(
        (
            logged.record.action.as_str(),
            logged.record.after.as_deref()
        ),
        ("ballot_codes.mint", Some(r#"{"count":2}"#)),
        "minting is in the audit log, with the codes"
    );
    let winners: Vec<_> = race((0..10).map(|_| {
        let store = store.clone();
        async move {
            store
                .redeem_ballot_code(&card("card-1"), now)
                .await
                .unwrap()
        }
    }))
    .await
    .into_iter()
    .flatten()
    .collect();
    assert_eq!(winners.len(), 1, "a card is spent once");
    assert!(store
        .redeem_ballot_code(&card("card-1"), now)
        .await
        .unwrap()
        .is_none());
    assert!(store
        .redeem_ballot_code(&card("no-such-card"), now)
        .await
        .unwrap()
        .is_none());
    let other = store
        .redeem_ballot_code(&card("card-2"), now)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(other, winners[0]);

    organizers(store.clone(), now).await;
    retention(&*store, now).await;
    store.ping().await.unwrap();
}

/// The purge removes exactly what is past its keeping period.
async fn retention(store: &dyn Store, now: Millis) {
    use alleyvote::organizers::storage::AttemptLimits;
    use alleyvote::retention::{Purged, RetentionPolicy};
    use alleyvote::signin::storage::{NewSmsCode, SmsFailure};
    use alleyvote_domain::signin::SmsLimits;
    let long_ago = Millis(now.0 - 10 * 86_400_000);
    for (tag, at) in [("old", long_ago), ("new", now)] {
        let code = NewSmsCode {
            phone_hash: Sha256Digest::digest(&format!("purge-phone-{tag}")),
            address_hash: Sha256Digest::digest(&format!("purge-address-{tag}")),
            code_hash: Sha256Digest::digest(&format!("purge-code-{tag}")),
            now: at,
        };
        store
            .issue_sms_code(&code, &SmsLimits::default(), false)
            .await
            .unwrap()
            .unwrap();
        let voter = store
            .voter(&identity(&format!("purge-{tag}")), at)
            .await
            .unwrap();
        store
            .create_session(
                &Sha256Digest::digest(&format!("purge-session-{tag}")),
                voter,
                at,
                Millis(at.0 + 86_400_000),
            )
            .await
            .unwrap();
        let limits = AttemptLimits {
            per_account: 5,
            per_address: 5,
        };
        let address = Sha256Digest::digest(&format!("purge-login-{tag}"));
        let attempt = store
            .begin_login_attempt("purge", &address, Millis(at.0 - 60_000), limits, at)
            .await
            .unwrap()
            .unwrap();
        store.fail_login_attempt(attempt).await.unwrap();
        store
            .record_sms_failure(&SmsFailure {
                at,
                number_masked: "139****0001".into(),
                reason: format!("gateway timeout ({tag})"),
            })
            .await
            .unwrap();
    }
    // Today's failed send is counted and listed; not the old one.
    let (count, latest) = store
        .sms_failures_since(Millis(now.0 - 60_000), 5)
        .await
        .unwrap();
    assert_eq!(count, 1);
    assert_eq!(latest[0].reason, "gateway timeout (new)");
    // Everything else in this story is from today: only the old ones go,
    // with a policy of one day for each kind.
    let day = RetentionPolicy {
        sms_codes_days: 1,
        expired_sessions_days: 1,
        login_attempts_days: 1,
        request_answers_days: 1,
        after_notice_days: 1,
    };
    let purged = alleyvote::retention::purge(store, &day, now).await.unwrap();
    assert_eq!(
        purged,
        Purged {
            sms_codes: 1,
            wrong_tries: 0,
            sessions: 1,
            organizer_sessions: 0,
            login_attempts: 1,
            sms_failures: 1,
            request_answers: 0,
            nominee_phones: 0,
            objection_contacts: 0,
            consent_links: 0,
        }
    );
    let again = alleyvote::retention::purge(store, &day, now).await.unwrap();
    assert_eq!(again.total(), 0, "nothing twice");
    let live = store
        .session_voter(&Sha256Digest::digest("purge-session-new"), now)
        .await
        .unwrap();
    assert!(live.is_some(), "a live session stays");
}

/// The tally's version grows with each committed change; a freeze copies
/// the tally once, and later votes leave the copy alone.
async fn results_only_move_forward(
    store: &dyn Store,
    campaign: &alleyvote_domain::Campaign,
    rules: VoteRules,
    now: Millis,
) {
    use alleyvote::results::storage::ResultsState;
    use alleyvote_domain::ResultsVisibility::{Frozen, Live};
    let voter = store.voter(&identity("freezer"), now).await.unwrap();
    let vote = |n: u32| Ballot {
        campaign: campaign.id,
        rules,
        voter,
        nominee: number(n),
        at: now,
        channel: Channel::Online,
        request_key: None,
    };
    let v0 = store.tally(campaign.id).await.unwrap().version;
    store.cast_vote(&vote(20)).await.unwrap().unwrap();
    let v1 = store.tally(campaign.id).await.unwrap();
    assert!(v1.version > v0, "{} then {}", v0, v1.version);
    // A refused vote changes nothing, not even the version.
    assert!(store.cast_vote(&vote(20)).await.unwrap().is_err());
    assert_eq!(store.tally(campaign.id).await.unwrap(), v1);

    set_campaign(store, campaign, rules, Frozen, now).await;
    let state = store.results_state(campaign.id).await.unwrap().unwrap();
    assert_eq!(state.visibility, Frozen);
    assert!(state.frozen_at.is_some());
    assert_eq!(store.frozen_tally(campaign.id).await.unwrap(), v1);
    store.cast_vote(&vote(21)).await.unwrap().unwrap();
    let after = store.tally(campaign.id).await.unwrap();
    assert!(after.version > v1.version);
    assert_eq!(
        store.frozen_tally(campaign.id).await.unwrap(),
        v1,
        "later votes leave the frozen tally alone"
    );
    // Saving the frozen campaign again keeps the first copy and instant.
    set_campaign(store, campaign, rules, Frozen, now).await;
    assert_eq!(store.frozen_tally(campaign.id).await.unwrap(), v1);
    assert_eq!(
        store.results_state(campaign.id).await.unwrap().unwrap(),
        state
    );
    // Unfreezing forgets it.
    set_campaign(store, campaign, rules, Live, now).await;
    assert_eq!(
        store.results_state(campaign.id).await.unwrap().unwrap(),
        ResultsState {
            visibility: Live,
            frozen_at: None,
            publication: None,
            objections: (0, 0),
            screen_revision: 0,
        }
    );
    let forgotten = store.frozen_tally(campaign.id).await.unwrap();
    assert_eq!(forgotten.version, 0);
    assert!(forgotten.rows.iter().all(|r| r.online == 0));
    assert!(store
        .results_state(alleyvote_domain::CampaignId(999_999))
        .await
        .unwrap()
        .is_none());
}

/// Changes a campaign's vote rules in the database, as an organizer would.
async fn set_rules(
    store: &dyn Store,
    campaign: &alleyvote_domain::Campaign,
    rules: VoteRules,
    now: Millis,
) {
    set_campaign(store, campaign, rules, campaign.results_visibility, now).await;
}

async fn set_campaign(
    store: &dyn Store,
    campaign: &alleyvote_domain::Campaign,
    rules: VoteRules,
    visibility: alleyvote_domain::ResultsVisibility,
    now: Millis,
) {
    use alleyvote::audit::{AuditAction, NewAuditEntry};
    use alleyvote::campaigns::storage::CampaignSettings;
    let settings = CampaignSettings {
        slug: campaign.slug.clone(),
        title_zh: campaign.title_zh.clone(),
        title_en: campaign.title_en.clone(),
        description_zh: String::new(),
        description_en: String::new(),
        hosts_zh: String::new(),
        hosts_en: String::new(),
        hotline: None,
        phases: campaign.phases,
        rules,
        results_visibility: visibility,
    };
    let audit = NewAuditEntry {
        actor: None,
        actor_name: "test".into(),
        action: AuditAction::CampaignUpdate,
        subject: campaign.slug.clone(),
        before: None,
        after: None,
    };
    store
        .update_campaign(campaign.id, &settings, &audit, now)
        .await
        .unwrap();
}

/// Organizer accounts, their sessions' timeouts, failed logins, and the
/// audit entries each change writes in its own transaction.
async fn organizers(store: Arc<dyn Store>, now: Millis) {
    use alleyvote::audit::NewAuditEntry;
    // The entries the story wrote before (its campaign rule changes).
    let base = store.audit_chain().await.unwrap().len();
    use alleyvote::organizers::storage::{NewOrganizer, OrganizerSession};
    use alleyvote_domain::organizer::{Role, Username};
    let entry = |action: alleyvote::audit::AuditAction| NewAuditEntry {
        actor: None,
        actor_name: "system".into(),
        action,
        subject: String::new(),
        before: None,
        after: Some(serde_json::json!({ "n": 1 })),
    };
    let new = NewOrganizer {
        username: Username::parse("wang.li").unwrap(),
        display_name: "王力".into(),
        role: Role::Reviewer,
        password_hash: "$argon2id$placeholder".into(),
    };
    let id = store
        .create_organizer(
            &new,
            &entry(alleyvote::audit::AuditAction::OrganizerCreate),
            now,
        )
        .await
        .unwrap();
    assert!(matches!(
        store
            .create_organizer(
                &new,
                &entry(alleyvote::audit::AuditAction::OrganizerCreate),
                now
            )
            .await,
        Err(alleyvote::storage::StoreError::Duplicate(_))
    ));
    let login = store.organizer_login("wang.li").await.unwrap().unwrap();
    assert_eq!(
        (login.organizer.id, login.organizer.role),
        (id, Role::Reviewer)
    );
    assert_eq!(login.password_hash, "$argon2id$placeholder");
    assert!(store.organizer_login("nobody").await.unwrap().is_none());

    // Login attempts are recorded before the check; failures count per name
    // (after its last success) and per address within the window; once
    // either has used up its allowance, no attempt is recorded at all.
    use alleyvote::organizers::storage::AttemptLimits;
    let address = Sha256Digest::digest("10.0.0.9");
    let since = Millis(now.0 - 60_000);
    let limits = AttemptLimits {
        per_account: 3,
        per_address: 5,
    };
    for _ in 0..3 {
        let attempt = store
            .begin_login_attempt("wang.li", &address, since, limits, now)
            .await
            .unwrap()
            .expect("within the limits");
        store.fail_login_attempt(attempt).await.unwrap();
    }
    // An hour-old failure is outside the window.
    let old = store
        .begin_login_attempt("other", &address, since, limits, Millis(now.0 - 3_600_000))
        .await
        .unwrap()
        .unwrap();
    store.fail_login_attempt(old).await.unwrap();
    assert_eq!(
        store
            .login_failures("wang.li", &address, since)
            .await
            .unwrap(),
        (3, 3)
    );
    assert_eq!(
        store
            .begin_login_attempt("wang.li", &address, since, limits, now)
            .await
            .unwrap(),
        None,
        "the account has used its failures"
    );
    // Racing attempts cannot pass the limit together: two places are left
    // for this address, and one attempt still being checked takes one.
    let checking = store
        .begin_login_attempt("someone", &address, since, limits, now)
        .await
        .unwrap()
        .unwrap();
    let raced = race((0..10).map(|i| {
        let store = store.clone();
        async move {
            store
                .begin_login_attempt(&format!("racer{i}"), &address, since, limits, now)
                .await
                .unwrap()
        }
    }))
    .await;
    assert_eq!(raced.iter().filter(|a| a.is_some()).count(), 1, "{raced:?}");
    for attempt in raced.into_iter().flatten() {
        store.fail_login_attempt(attempt).await.unwrap();
    }

    // A session: alive until idle or past its end; a login resets the
    // account's count (its failures are kept), not the address's.
    let session = OrganizerSession {
        organizer: login.organizer.clone(),
        csrf_token: "csrf-1".into(),
    };
    let token = Sha256Digest::digest("org-token");
    let end = Millis(now.0 + 3_600_000);
    let other_address = Sha256Digest::digest("10.0.0.10");
    let attempt = store
        .begin_login_attempt(
            "wang.li",
            &other_address,
            since,
            AttemptLimits {
                per_account: 4,
                per_address: 5,
            },
            now,
        )
        .await
        .unwrap()
        .expect("a fourth attempt under a limit of four");
    store
        .start_organizer_session(
            &token,
            &session,
            end,
            attempt,
            &entry(alleyvote::audit::AuditAction::OrganizerLogin),
            now,
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .login_failures("wang.li", &address, since)
            .await
            .unwrap(),
        (0, 5)
    );
    let _ = checking;
    let earlier = Millis(now.0 - 1);
    assert_eq!(
        store.organizer_session(&token, now, earlier).await.unwrap(),
        Some(session.clone())
    );
    assert!(
        store
            .organizer_session(&token, now, Millis(now.0 + 1))
            .await
            .unwrap()
            .is_none(),
        "idle too long"
    );
    assert!(
        store
            .organizer_session(&token, end, earlier)
            .await
            .unwrap()
            .is_none(),
        "past its absolute end"
    );

    // Deactivating the account ends its sessions.
    assert!(store
        .update_organizer(
            id,
            Role::Reviewer,
            false,
            &entry(alleyvote::audit::AuditAction::OrganizerUpdate),
            now,
        )
        .await
        .unwrap());
    assert!(store
        .organizer_session(&token, now, earlier)
        .await
        .unwrap()
        .is_none());
    assert!(!store.organizers().await.unwrap()[0].active);

    // Every change above wrote one chained entry.
    let chain = store.audit_chain().await.unwrap();
    let actions: Vec<&str> = chain.iter().map(|e| e.record.action.as_str()).collect();
    assert_eq!(
        actions[base..],
        ["organizer.create", "organizer.login", "organizer.update"]
    );
    let head = alleyvote::audit::verify(
        &crate::support::test_audit_key(),
        chain.into_iter().map(|e| e.link()),
    )
    .unwrap();
    assert_eq!(head.entries as usize, base + 3);
    let seq = store
        .append_audit(&entry(alleyvote::audit::AuditAction::CampaignUpdate), now)
        .await
        .unwrap();
    assert_eq!(seq as usize, base + 4);
    let newest = store
        .audit_entries(&alleyvote::audit::storage::AuditFilter {
            action_prefix: Some("organizer.".into()),
            limit: 2,
            ..Default::default()
        })
        .await
        .unwrap();
    let seqs: Vec<i64> = newest.iter().map(|e| e.record.seq).collect();
    let base = base as i64;
    assert_eq!(
        seqs,
        [base + 3, base + 2],
        "newest first, filtered, limited"
    );
}

on_both_backends!(story, store);

/// A migration that cannot apply stops start-up, and the error says why.
#[tokio::test]
async fn a_failed_migration_stops_start_up_with_the_reason() {
    use alleyvote::config::{Config, Vars};
    let dir = temp_dir("bad-migration");
    let path = dir.join("bad.db");
    // A database that already holds a conflicting table.
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=rwc", path.display()))
        .await
        .unwrap();
    sqlx::query("CREATE TABLE streets (x INTEGER)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let url = format!("sqlite://{}", path.display());
    let data = dir.to_string_lossy().to_string();
    let vars = Vars::from_pairs([
        ("DATABASE_URL", url.as_str()),
        ("ALLEYVOTE_DATA_DIR", data.as_str()),
        ("ALLEYVOTE_DEMO_DATA", "false"),
    ]);
    let config = Config::load(&vars).unwrap();
    let err = alleyvote::build(&config)
        .await
        .err()
        .expect("start-up must fail");
    let text = err.to_string();
    assert!(text.contains("migration failed"), "{text}");
    assert!(text.contains("streets"), "{text}");
}
