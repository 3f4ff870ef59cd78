//! The organizer console over HTTP, on both backends: who may do what (each
//! role against each action), CSRF, login throttling, sessions, and the
//! audit log that every change writes and a doctored row breaks.

use alleyvote_domain::organizer::Role;

use crate::support::{cli, temp_dir, Db, TestApp, PASSWORD};

/// A complete, valid campaign form for the demo campaign.
fn campaign_form(title: &str) -> Vec<(&'static str, String)> {
    vec![
        ("slug", "yangpu-2026".into()),
        ("title_zh", title.into()),
        ("title_en", "Test".into()),
        ("nomination_start", "2026-09-01T00:00".into()),
        ("review_start", "2026-10-01T00:00".into()),
        ("voting_start", "2026-11-01T09:00".into()),
        ("voting_end", "2026-12-20T18:00".into()),
        ("notice_end", "2026-12-27T18:00".into()),
        ("ceremony_at", "2027-01-01T14:00".into()),
        ("votes_per_day", "10".into()),
        ("per_nominee_per_day", "1".into()),
        ("results_visibility", "live".into()),
    ]
}

async fn account_count(app: &TestApp) -> usize {
    app.services.store.organizers().await.unwrap().len()
}

/// Each role against each console action: allowed ones work, the rest are 403
/// and change nothing.
async fn authorization_matrix(app: TestApp) {
    let roles = [
        ("boss", Role::Admin),
        ("checker", Role::Reviewer),
        ("station1", Role::StationOperator),
        ("screen1", Role::ScreenOperator),
    ];
    let mut sessions = Vec::new();
    for (name, role) in roles {
        sessions.push((role, app.organizer(name, role).await));
    }
    let target = app
        .services
        .store
        .organizers()
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.username == "screen1")
        .unwrap();
    for (i, (role, org)) in sessions.iter().enumerate() {
        let admin = *role == Role::Admin;
        let allowed = |yes: u16| if admin { yes } else { 403 };
        assert_eq!(
            org.status("/console").await,
            200,
            "{role:?} opens the console"
        );
        assert_eq!(
            org.status("/console/organizers").await,
            allowed(200),
            "{role:?}"
        );
        assert_eq!(org.status("/console/audit").await, allowed(200), "{role:?}");
        assert_eq!(org.status("/console/tally").await, allowed(200), "{role:?}");
        // Paper ballots: operators key (and see the board); only
        // administrators set stations up.
        let keys = admin || *role == Role::StationOperator;
        assert_eq!(
            org.status("/console/paper").await,
            if keys { 200 } else { 403 },
            "{role:?}"
        );
        assert_eq!(
            org.status("/console/audit.csv").await,
            allowed(200),
            "{role:?}"
        );
        for page in ["/console/nominees", "/console/places", "/console/campaign"] {
            assert_eq!(org.status(page).await, allowed(200), "{role:?} {page}");
        }
        let (status, _) = org
            .post("/console/nominees/1/status", &[("active", "on")])
            .await;
        assert_eq!(status, allowed(303), "{role:?} restoring a nominee");
        // The remaining forms, each with the session's token: 303 for the admin, 403 for the rest.
        let slug = format!("matrix-{i}");
        let station = format!("投票站{i}");
        let forms: Vec<(String, Vec<(&str, &str)>)> = vec![
            ("/console/campaigns".into(), vec![("slug", &slug)]),
            ("/console/stations".into(), vec![("name", &station)]),
            ("/console/streets/1".into(), vec![("name_zh", "定海路街道")]),
            (
                "/console/communities/1".into(),
                vec![("name_zh", "定海一居委")],
            ),
            ("/console/communities/1/remove".into(), vec![]),
            (
                format!("/console/organizers/{}/stations", target.id.0),
                vec![],
            ),
            (
                "/console/paper/rule".into(),
                vec![("slug", "yangpu-2026"), ("max_marks", "10")],
            ),
            ("/console/stations/1".into(), vec![("address", "长白路")]),
            ("/console/stations/1/stock".into(), vec![("ballots", "5")]),
            (
                "/console/stations/1/sheets".into(),
                vec![("label", "第1天")],
            ),
            (
                "/console/paper/sheets/1/resolve".into(),
                vec![("decision", "keep_first")],
            ),
            (
                "/console/paper/sheets/1/reopen".into(),
                vec![("reason", "抄错了数字")],
            ),
            (
                "/console/paper/sheets/1/photo-waiver".into(),
                vec![("reason", "相机故障，原件存档")],
            ),
            ("/console/stations/1/operators".into(), vec![]),
            // Last: it may remove station 1.
            ("/console/stations/1/remove".into(), vec![]),
        ];
        for (path, fields) in forms {
            let (status, location) = org.post(&path, &fields).await;
            assert_eq!(status, allowed(303), "{role:?} {path}: {location}");
        }
        for path in [
            "/console/nominees",
            "/console/nominees/1",
            "/console/places",
        ] {
            let form = reqwest::multipart::Form::new()
                .text("csv", "street_zh,street_en,community_zh,community_en\n")
                .text("number", "1");
            let status = org.post_multipart(path, form).await.status().as_u16();
            assert_eq!(status, allowed(303), "{role:?} {path}");
        }
        let before = account_count(&app).await;
        let username = format!("new{i}");
        let (status, location) = org
            .post(
                "/console/organizers",
                &[
                    ("username", username.as_str()),
                    ("role", "reviewer"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(status, allowed(303), "{role:?} creating an account");
        assert_eq!(
            account_count(&app).await,
            before + usize::from(admin),
            "{role:?}: {location}"
        );
        let (status, _) = org
            .post(
                &format!("/console/organizers/{}", target.id.0),
                &[("role", "reviewer"), ("active", "on")],
            )
            .await;
        assert_eq!(status, allowed(303), "{role:?} changing a role");
        assert_eq!(
            org.status("/console/campaign").await,
            allowed(200),
            "{role:?}"
        );
        let title = format!("评选 {i}");
        let (status, location) = org.post("/console/campaign", &campaign_form(&title)).await;
        assert_eq!(
            status,
            allowed(303),
            "{role:?} editing the campaign: {location}"
        );
        let stored = app
            .services
            .store
            .campaign("yangpu-2026")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.title_zh == title, admin, "{role:?}");
        let (status, _) = org.press("/console/logout-everywhere").await;
        assert_eq!(status, 303, "{role:?} may always sign out");
        let (status, _) = org.press("/console/logout").await;
        assert_ne!(status, 403, "{role:?}: already signed out everywhere");
    }
    // The admin's change took; the others' did not.
    let screen1 = app
        .services
        .store
        .organizers()
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.username == "screen1")
        .unwrap();
    assert_eq!(screen1.role, Role::Reviewer);

    // Without a session: pages send to the sign-in form, posts change nothing.
    let visitor = app.console_visitor();
    let r = visitor.get("/console/organizers").await;
    assert!(r.status().is_redirection(), "{}", r.status());
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/console/login"));
    let (status, location) = visitor
        .post_raw("/console/organizers", &[("username", "x")])
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/console/login?error=expired")
    );
}

on_both_backends!(authorization_matrix);

/// A form without the session's CSRF token is refused and changes nothing.
async fn csrf_is_required(app: TestApp) {
    let boss = app.organizer("boss", Role::Admin).await;
    let csrf = &boss.csrf;
    let before = account_count(&app).await;
    for bad in ["", "0000", &csrf[..csrf.len() - 1]] {
        let (status, _) = boss
            .post_raw(
                "/console/organizers",
                &[
                    ("csrf", bad),
                    ("username", "sneaky"),
                    ("role", "admin"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(status, 403, "csrf {bad:?}");
    }
    assert_eq!(account_count(&app).await, before);
    // Signing out needs it too: a cross-site form cannot end a session.
    let (status, _) = boss.post_raw("/console/logout", &[("csrf", "nope")]).await;
    assert_eq!(status, 403);
    assert_eq!(boss.status("/console").await, 200);
}

on_both_backends!(csrf_is_required);

/// Five wrong passwords hold the account back, even from the right one.
async fn logins_are_throttled(app: TestApp) {
    app.organizer("boss", Role::Admin).await;
    let refused = |username: &'static str, password: &'static str| {
        let app = &app;
        async move {
            app.console_login(username, password)
                .await
                .err()
                .expect("the login is refused")
        }
    };
    for _ in 0..5 {
        assert_eq!(
            refused("boss", "not the password").await,
            "/console/login?error=wrong"
        );
    }
    let held = refused("boss", PASSWORD).await;
    assert!(held.starts_with("/console/login?error=throttled"), "{held}");
    let (status, page) = app.get_text(&held).await;
    assert_eq!(status, 429);
    assert!(page.contains("登录失败次数太多"));
    // An unknown name is answered like a wrong password.
    assert_eq!(
        refused("nobody", PASSWORD).await,
        "/console/login?error=wrong"
    );
    // One address trying many names is held back too (20 failures), even for a real account.
    app.organizer("helper", Role::Reviewer).await;
    for i in 0..14 {
        app.console_login(&format!("guess{}", i % 4), "nope nope nope")
            .await
            .err()
            .expect("the login is refused");
    }
    let held = refused("helper", PASSWORD).await;
    assert!(held.starts_with("/console/login?error=throttled"), "{held}");
}

on_both_backends!(logins_are_throttled);

/// Login rotates the session; logout ends it; logout everywhere ends them all.
async fn sessions_end_when_told(app: TestApp) {
    let first = app.organizer("boss", Role::Admin).await;
    let second = app.console_login("boss", PASSWORD).await.unwrap();
    assert_ne!(first.token, second.token);
    let (status, location) = first.press("/console/logout").await;
    assert_eq!((status, location.as_str()), (303, "/console/login"));
    assert_ne!(first.status("/console/organizers").await, 200);
    assert_eq!(second.status("/console/organizers").await, 200);

    let third = app.console_login("boss", PASSWORD).await.unwrap();
    let (status, _) = third.press("/console/logout-everywhere").await;
    assert_eq!(status, 303);
    assert_ne!(second.status("/console/organizers").await, 200);
    assert_ne!(third.status("/console/organizers").await, 200);
}

on_both_backends!(sessions_end_when_told);

/// Every change is in the audit log, chained; the database refuses edits,
/// and an edit made around that is found by the verifier.
async fn audit_log_is_tamper_evident(app: TestApp) {
    let boss = app.organizer("boss", Role::Admin).await;
    boss.post(
        "/console/organizers",
        &[
            ("username", "helper"),
            ("role", "reviewer"),
            ("password", PASSWORD),
        ],
    )
    .await;
    let helper = app
        .services
        .store
        .organizers()
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.username == "helper")
        .unwrap();
    boss.post(
        &format!("/console/organizers/{}", helper.id.0),
        &[("role", "station_operator"), ("active", "on")],
    )
    .await;
    let chain = app.services.store.audit_chain().await.unwrap();
    let actions: Vec<&str> = chain.iter().map(|e| e.record.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "organizer.create",
            "organizer.login",
            "organizer.create",
            "organizer.update"
        ]
    );
    let update = &chain[3].record;
    assert_eq!(update.actor_name, "boss");
    assert!(update.before.as_deref().unwrap().contains("reviewer"));
    assert!(update
        .after
        .as_deref()
        .unwrap()
        .contains("station_operator"));
    assert_eq!(
        app.services.audit.verify().await.unwrap().unwrap().entries,
        4
    );
    assert!(chain.iter().all(|e| e.keyed));

    // The CSV export has every entry and its hash.
    let (_, csv) = boss.page("/console/audit.csv").await;
    assert_eq!(csv.lines().count(), 5, "{csv}");
    assert!(csv.contains("organizer.update"));
    // Filtered by who did it: the boss's login, creation and change, not the system's.
    let accounts = app.services.store.organizers().await.unwrap();
    let boss_id = accounts.iter().find(|o| o.username == "boss").unwrap().id.0;
    let (status, mine) = boss
        .page(&format!("/console/audit.csv?actor={boss_id}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(mine.lines().count(), 4, "{mine}");
    assert!(!mine.contains("\"system\""));
    let (_, listed) = boss
        .page(&format!("/console/audit?actor={boss_id}&action=organizer."))
        .await;
    assert_eq!(listed.matches("<code>organizer.").count(), 3);
    // Each entry reads as a sentence, its subject by name; the change folded away.
    assert!(listed.contains("boss 修改了账号或角色："), "{listed}");
    assert!(listed.contains("<details class=\"change\">"), "{listed}");
    // By day: today's are there, another day's are not.
    let w = alleyvote_domain::Millis::now().shanghai();
    let today = format!("{:04}-{:02}-{:02}", w.year, w.month, w.day);
    let (_, on_day) = boss
        .page(&format!(
            "/console/audit?actor={boss_id}&action=organizer.&day={today}"
        ))
        .await;
    assert_eq!(on_day.matches("<code>organizer.").count(), 3);
    let (_, other_day) = boss
        .page(&format!("/console/audit?actor={boss_id}&day=2020-01-01"))
        .await;
    assert!(
        other_day.contains("data-testid=\"audit-empty\""),
        "{other_day}"
    );
    let (_, csv_day) = boss.page("/console/audit.csv?day=2020-01-01").await;
    assert_eq!(csv_day.lines().count(), 1, "only the header: {csv_day}");

    // The database itself refuses to rewrite history...
    assert!(app
        .raw_sql("UPDATE audit_log SET actor_name = 'someone' WHERE seq = 3")
        .await
        .is_err());
    assert!(app
        .raw_sql("DELETE FROM audit_log WHERE seq = 2")
        .await
        .is_err());
    // ...and an edit made around the trigger (as the database's owner could) is found.
    let around = match app.db {
        Db::Postgres => {
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only; \
             UPDATE audit_log SET actor_name = 'someone' WHERE seq = 3"
        }
        Db::Sqlite => {
            "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor_name = 'someone' WHERE seq = 3"
        }
    };
    app.raw_sql(around).await.unwrap();
    let broken = app.services.audit.verify().await.unwrap().unwrap_err();
    assert_eq!(broken.seq, 3);

    // Whoever writes the table rehashes the edited entry and every one after
    // it, as the chain was before it was keyed (plain SHA-256): still found.
    let chain = app.services.store.audit_chain().await.unwrap();
    let mut prev = chain[1].hash;
    let mut forged = Vec::new();
    for e in chain.into_iter().skip(2) {
        let hash = alleyvote::audit::chain_hash(None, &prev, &e.record);
        forged.push((e.record.seq, prev, hash));
        prev = hash;
    }
    rewrite_hashes(&app, &forged).await;
    let broken = app.services.audit.verify().await.unwrap().unwrap_err();
    assert_eq!(
        (broken.seq, broken.why),
        (3, "not keyed, after keyed entries")
    );
    if app.db == Db::Postgres {
        assert!(
            app.raw_sql("TRUNCATE audit_log").await.is_err(),
            "TRUNCATE is refused too"
        );
    }

    // The whole chain rewritten unkeyed, as if it predated the key: starting
    // another instance does not seal it (that would make the forgery verify);
    // it stays broken until an operator seals it on purpose.
    rewrite_unkeyed(&app).await;
    let restarted = app.another_instance().await;
    assert!(restarted.services.audit.awaits_seal().await.unwrap());
    let broken = restarted
        .services
        .audit
        .verify()
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(
        (broken.seq, broken.why),
        (4, "not keyed, and no keyed entry follows")
    );
    let sealed = restarted
        .services
        .audit
        .seal_plain_entries(alleyvote_domain::Millis::now())
        .await
        .unwrap();
    assert_eq!(sealed, Some(4));
    let audit = &restarted.services.audit;
    assert_eq!(audit.verify().await.unwrap().unwrap().entries, 5);

    // Rewritten unkeyed again, and then an ordinary action appends a keyed
    // entry: that entry is no seal, so the chain still does not verify.
    rewrite_unkeyed(&app).await;
    restarted.organizer("clerk", Role::Reviewer).await;
    let broken = audit.verify().await.unwrap().unwrap_err();
    assert_eq!(
        (broken.seq, broken.why),
        (6, "keyed after unkeyed entries that no seal covers")
    );
}

/// Rehashes the whole chain as plain (unkeyed) entries, behind the app's back.
async fn rewrite_unkeyed(app: &TestApp) {
    let chain = app.services.store.audit_chain().await.unwrap();
    let mut prev = alleyvote::audit::GENESIS;
    let mut forged = Vec::new();
    for e in chain {
        let hash = alleyvote::audit::chain_hash(None, &prev, &e.record);
        forged.push((e.record.seq, prev, hash));
        prev = hash;
    }
    rewrite_hashes(app, &forged).await;
}

/// Sets entries' links and hashes as plain (unkeyed) ones, behind the app's back.
async fn rewrite_hashes(app: &TestApp, forged: &[(i64, [u8; 32], [u8; 32])]) {
    use sqlx::Connection;
    const REWRITE: &str =
        "UPDATE audit_log SET prev_hash = $1, hash = $2, keyed = FALSE WHERE seq = $3";
    // The same statements on whichever connection the backend has.
    macro_rules! rewrite_on {
        ($conn:ty) => {{
            let mut c = <$conn>::connect(&app.database_url).await.unwrap();
            for (seq, prev, hash) in forged {
                sqlx::query(REWRITE)
                    .bind(&prev[..])
                    .bind(&hash[..])
                    .bind(seq)
                    .execute(&mut c)
                    .await
                    .unwrap();
            }
        }};
    }
    match app.db {
        Db::Postgres => rewrite_on!(sqlx::PgConnection),
        Db::Sqlite => rewrite_on!(sqlx::SqliteConnection),
    }
}

on_both_backends!(audit_log_is_tamper_evident);

/// The commands: `admin create` makes an account that can sign in, and
/// `audit verify` says whether the chain holds.
#[tokio::test]
async fn admin_and_audit_commands() {
    let dir = temp_dir("cli");
    let db = dir.join("cli.db");
    let run = |args: &[&str], password: Option<&str>| {
        cli(
            &dir,
            &db,
            args,
            &[("ALLEYVOTE_ADMIN_PASSWORD", password.unwrap_or_default())],
        )
    };
    let made = run(
        &["admin", "create", "chief", "admin", "总负责人"],
        Some(PASSWORD),
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let weak = run(&["admin", "create", "weak", "admin"], Some("short"));
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("10"));
    let bad_role = run(&["admin", "create", "x1x", "king"], Some(PASSWORD));
    assert!(!bad_role.status.success());

    let ok = run(&["audit", "verify"], None);
    assert!(ok.status.success());
    let said = String::from_utf8_lossy(&ok.stdout).to_string();
    assert!(said.contains("intact: 1 entries"), "{said}");
    // The head, noted down elsewhere, is checked later.
    let head = said.trim().rsplit(' ').next().unwrap().to_string();
    assert!(head.starts_with("1:") && head.len() == 2 + 64, "{head}");
    assert!(run(&["audit", "verify", "--head", &head], None)
        .status
        .success());
    let other = format!("1:{}", "0".repeat(64));
    let refused = run(&["audit", "verify", "--head", &other], None);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not in the log as noted"));

    // A keyed chain has nothing to seal; the purge runs and says what it removed.
    let seal = run(&["audit", "seal"], None);
    assert!(seal.status.success());
    assert!(String::from_utf8_lossy(&seal.stdout).contains("nothing to seal"));
    let purge = run(&["purge"], None);
    assert!(
        purge.status.success(),
        "{}",
        String::from_utf8_lossy(&purge.stderr)
    );
    assert!(String::from_utf8_lossy(&purge.stdout).starts_with("removed: "));

    {
        use sqlx::Connection;
        let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        sqlx::raw_sql(
            "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET after_json = '{}' WHERE seq = 1",
        )
        .execute(&mut c)
        .await
        .unwrap();
    }
    let broken = run(&["audit", "verify"], None);
    assert!(!broken.status.success());
    assert!(
        String::from_utf8_lossy(&broken.stderr).contains("audit entry 1 is broken"),
        "{}",
        String::from_utf8_lossy(&broken.stderr)
    );
}

fn nominee_form(
    number: &str,
    name: &str,
    story: &str,
    photo: Option<(Vec<u8>, &str)>,
) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new()
        .text("number", number.to_string())
        .text("name", name.to_string())
        .text("community", "1")
        .text("story", story.to_string());
    if let Some((bytes, file)) = photo {
        form = form.part(
            "photo",
            reqwest::multipart::Part::bytes(bytes).file_name(file.to_string()),
        );
    }
    form
}

/// An admin adds a nominee with a photo and a story; the public list shows
/// them, the story's markup stays text, a bad photo is refused with a
/// sentence, and a withdrawn nominee leaves the public list.
async fn nominees_are_managed_with_photos(app: TestApp) {
    let boss = app.organizer("boss", Role::Admin).await;
    let story = "张阿姨**热心肠**。\n<script>alert('x')</script>";
    let r = boss
        .post_multipart(
            "/console/nominees",
            nominee_form(
                "31",
                "张阿姨",
                story,
                Some((crate::support::png(), "me.png")),
            ),
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        "/console/nominees?done=nominee_created"
    );

    let (_, list) = app.get_text("/nominees?q=31").await;
    assert!(
        list.contains("张阿姨"),
        "the new nominee is on the public list"
    );
    let photo_url = list
        .split("src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a photo on the card")
        .replace("&amp;", "&");
    assert!(photo_url.starts_with("/photos/"), "{photo_url}");
    let size_of = |url: String| {
        let app = &app;
        async move {
            let photo = app.get(&url).await;
            assert_eq!(photo.headers()["content-type"], "image/jpeg");
            let decoded = image::load_from_memory(&photo.bytes().await.unwrap()).unwrap();
            (decoded.width(), decoded.height())
        }
    };
    assert!(
        photo_url.contains("/card.jpg"),
        "the list shows the square crop"
    );
    assert_eq!(size_of(photo_url.clone()).await, (240, 240));
    assert_eq!(
        size_of(photo_url.replace("/card.jpg", "/full.jpg")).await,
        (300, 200),
        "smaller than the full size: kept"
    );

    let (_, profile) = app.get_text("/nominees/31").await;
    assert!(
        profile.contains("<strong>热心肠</strong>"),
        "simple emphasis"
    );
    // A link shared in a chat previews who, where, the story's start, and
    // the photo (an absolute address).
    assert!(
        profile.contains("property=\"og:description\" content=\"编号 031 · "),
        "og:description"
    );
    assert!(
        profile.contains("张阿姨热心肠。"),
        "the story's start, plain"
    );
    let full = photo_url
        .replace("/card.jpg", "/full.jpg")
        .replace('&', "&amp;");
    assert!(
        profile.contains(&format!(
            "property=\"og:image\" content=\"{}",
            app.url(&full)
        )),
        "og:image"
    );
    assert!(
        !profile.contains("<script>alert"),
        "markup from a story never runs"
    );
    assert!(profile.contains("&lt;script&gt;"));

    // A file that is not a photo: refused with its reason, nothing added.
    let before = app
        .services
        .store
        .nominee_records(alleyvote_domain::CampaignId(1))
        .await
        .unwrap()
        .len();
    let r = boss
        .post_multipart(
            "/console/nominees",
            nominee_form(
                "32",
                "李四",
                "",
                Some((b"<svg onload=alert(1)>".to_vec(), "x.svg")),
            ),
        )
        .await;
    assert_eq!(
        r.headers()["location"],
        "/console/nominees?problem=photo_format"
    );
    let (status, text) = boss.page("/console/nominees?problem=photo_format").await;
    assert_eq!(status, 400);
    assert!(text.contains("只能上传 JPEG、PNG 或 WebP 格式的照片"));
    let after = app
        .services
        .store
        .nominee_records(alleyvote_domain::CampaignId(1))
        .await
        .unwrap();
    assert_eq!(after.len(), before);

    // A number already taken is named, not a 500.
    let r = boss
        .post_multipart("/console/nominees", nominee_form("31", "重号", "", None))
        .await;
    assert_eq!(
        r.headers()["location"],
        "/console/nominees?problem=number_taken"
    );

    // Withdrawn: gone from the public list, still in the console.
    let id = after
        .iter()
        .find(|r| r.nominee.summary.number.get() == 31)
        .unwrap()
        .nominee
        .id
        .0;
    let (status, _) = boss
        .post(
            &format!("/console/nominees/{id}/status"),
            &[("active", "off")],
        )
        .await;
    assert_eq!(status, 303);
    let (_, list) = app.get_text("/nominees?q=31").await;
    assert!(!list.contains("张阿姨"));
    let actions: Vec<String> = app
        .services
        .store
        .audit_chain()
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.record.action)
        .collect();
    assert!(
        actions.ends_with(&[
            "nominee.create".into(),
            "nominee.photo".into(),
            "nominee.withdraw".into()
        ]),
        "{actions:?}"
    );

    // Other roles may not touch nominees.
    let other = app.organizer("checker", Role::Reviewer).await;
    let r = other
        .post_multipart("/console/nominees", nominee_form("40", "越权", "", None))
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(other.status("/console/nominees").await, 403);
}

on_both_backends!(nominees_are_managed_with_photos);

/// Streets and communities from CSV: a file with a bad line imports nothing
/// and names the line; a clean one adds what is new and keeps the rest.
async fn places_import_whole_or_not_at_all(app: TestApp) {
    let boss = app.organizer("boss", Role::Admin).await;
    let import = |text: &'static str| {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(text.as_bytes().to_vec()).file_name("places.csv"),
        );
        boss.post_multipart("/console/places", form)
    };
    let before = app.services.store.communities().await.unwrap().len();
    let r = import(
        "street_zh,street_en,community_zh,community_en\n\
         新江湾城街道,Xinjiangwancheng,新江湾社区,Xinjiangwan\n\
         ,No street,无街道社区,x\n",
    )
    .await;
    assert_eq!(
        r.headers()["location"],
        "/console/places?rejected=3:street_missing&count=1"
    );
    assert_eq!(
        app.services.store.communities().await.unwrap().len(),
        before,
        "nothing half-imported"
    );
    let (status, text) = boss
        .page("/console/places?rejected=3:street_missing&count=1")
        .await;
    assert_eq!(status, 400);
    assert!(text.contains("第 3 行：缺少街道名称"));

    let existing = app.services.store.communities().await.unwrap()[0].clone();
    let clean = format!(
        "street_zh,street_en,community_zh,community_en\n\
         {},x,{},x\n\
         江浦新街道,Jiangpu New,新江湾社区,Xinjiangwan\n\
         江浦新街道,Jiangpu New,尚景园,Shangjingyuan\n",
        existing.street_zh, existing.community.name_zh
    );
    let form = reqwest::multipart::Form::new().text("csv", clean);
    let r = boss.post_multipart("/console/places", form).await;
    assert_eq!(r.headers()["location"], "/console/places?added=1,2,1");
    assert_eq!(
        app.services.store.communities().await.unwrap().len(),
        before + 2
    );
    let last = app.last_audit().await;
    assert_eq!(last.record.action, "street.import");
    assert!(last
        .record
        .after
        .unwrap()
        .contains("\"communities_added\":2"));

    // Renaming and removing: names stay unique, a community in use stays.
    let all = app.services.store.communities().await.unwrap();
    let fresh = all
        .iter()
        .find(|c| c.community.name_zh == "尚景园")
        .unwrap()
        .clone();
    let sibling = all
        .iter()
        .find(|c| c.community.name_zh == "新江湾社区")
        .unwrap()
        .clone();
    let rename = |path: String, zh: &'static str| {
        let boss = &boss;
        async move { boss.post(&path, &[("name_zh", zh), ("name_en", "x")]).await }
    };
    let community = |id: i64| format!("/console/communities/{}", id);
    assert_eq!(
        rename(community(fresh.community.id.0), "新江湾社区")
            .await
            .1,
        "/console/places?error=taken"
    );
    assert_eq!(
        rename(community(fresh.community.id.0), "尚景苑").await.1,
        "/console/places?done=updated"
    );
    assert_eq!(
        rename(
            format!("/console/streets/{}", fresh.community.street_id.0),
            "江浦新路街道"
        )
        .await
        .1,
        "/console/places?done=updated"
    );
    let renamed = app
        .services
        .store
        .community(fresh.community.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            renamed.community.name_zh.as_str(),
            renamed.street_zh.as_str()
        ),
        ("尚景苑", "江浦新路街道")
    );
    // Demo nominees belong to the first community: it stays.
    let in_use = app.services.store.communities().await.unwrap()[0]
        .community
        .id
        .0;
    let (_, location) = boss
        .press(&format!("/console/communities/{in_use}/remove"))
        .await;
    assert_eq!(location, "/console/places?error=in_use");
    let (_, location) = boss
        .press(&format!(
            "/console/communities/{}/remove",
            sibling.community.id.0
        ))
        .await;
    assert_eq!(location, "/console/places?done=removed");
    assert!(app
        .services
        .store
        .community(sibling.community.id)
        .await
        .unwrap()
        .is_none());
    let last = app.last_audit().await;
    assert_eq!(last.record.action, "street.remove_community");

    let other = app.organizer("checker", Role::Reviewer).await;
    let (status, _) = other
        .post(
            &format!("/console/streets/{}", fresh.community.street_id.0),
            &[("name_zh", "越权")],
        )
        .await;
    assert_eq!(status, 403);
    let form = reqwest::multipart::Form::new().text(
        "csv",
        "street_zh,street_en,community_zh,community_en\n甲,a,乙,b\n",
    );
    let r = other.post_multipart("/console/places", form).await;
    assert_eq!(r.status(), 403);
    assert_eq!(
        app.services.store.communities().await.unwrap().len(),
        before + 1,
        "two imported, one removed, none by the reviewer"
    );
}

on_both_backends!(places_import_whole_or_not_at_all);

/// A new campaign from the console: a bad or taken address name is named,
/// a good one is created with the form's rules and written to the log.
async fn campaigns_are_created(app: TestApp) {
    let boss = app.organizer("boss", Role::Admin).await;
    let create = |slug: &'static str| {
        let mut form = campaign_form("2027年评选");
        // One value per field, as a browser sends it.
        form.retain(|(k, _)| !["slug", "votes_per_day"].contains(k));
        form.push(("slug", slug.to_string()));
        form.push(("votes_per_day", "5".into()));
        let boss = &boss;
        async move { boss.post("/console/campaigns", &form).await }
    };
    assert_eq!(
        create("Bad Slug").await,
        (303, "/console/campaign?new_problem=slug".to_string())
    );
    assert_eq!(
        create("yangpu-2026").await,
        (303, "/console/campaign?new_problem=slug_taken".to_string())
    );
    assert_eq!(
        create("yangpu-2027").await,
        (
            303,
            "/console/campaign?slug=yangpu-2027&done=created_campaign".to_string()
        )
    );
    let made = app
        .services
        .store
        .campaign("yangpu-2027")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (made.title_zh.as_str(), made.rules.votes_per_day()),
        ("2027年评选", 5)
    );
    let (status, text) = boss.page("/console/campaign?slug=yangpu-2027").await;
    assert_eq!(status, 200);
    assert!(text.contains("2027年评选"));
    let last = app.last_audit().await;
    assert_eq!(
        (last.record.action.as_str(), last.record.subject.as_str()),
        ("campaign.create", "campaign:yangpu-2027")
    );

    let other = app.organizer("screen1", Role::ScreenOperator).await;
    let (status, _) = other
        .post("/console/campaigns", &[("slug", "sneaky-one")])
        .await;
    assert_eq!(status, 403);
    assert!(app
        .services
        .store
        .campaign("sneaky-one")
        .await
        .unwrap()
        .is_none());
}

on_both_backends!(campaigns_are_created);

/// Polling stations, and the station operators who enter their ballots.
async fn stations_are_assigned_to_operators(app: TestApp) {
    let boss = app.organizer("boss", Role::Admin).await;
    for name in ["控江路投票站", "殷行投票站"] {
        let (_, location) = boss.post("/console/stations", &[("name", name)]).await;
        assert_eq!(location, "/console/organizers?done=updated");
    }
    let (_, location) = boss
        .post("/console/stations", &[("name", "殷行投票站")])
        .await;
    assert_eq!(location, "/console/organizers?error=taken");
    let operator = app.organizer("station1", Role::StationOperator).await;
    app.organizer("checker", Role::Reviewer).await;
    let accounts = app.services.store.organizers().await.unwrap();
    let id_of = |name: &str| accounts.iter().find(|o| o.username == name).unwrap().id.0;
    let stations = app.services.store.stations().await.unwrap();
    let (a, b) = (stations[0].id.to_string(), stations[1].id.to_string());
    let assign = |who: i64, picks: Vec<String>| {
        let boss = &boss;
        async move {
            let form: Vec<(&str, String)> = picks.into_iter().map(|p| ("station", p)).collect();
            boss.post(&format!("/console/organizers/{who}/stations"), &form)
                .await
                .1
        }
    };
    assert_eq!(
        assign(id_of("station1"), vec![a.clone(), b.clone()]).await,
        "/console/organizers?done=updated"
    );
    let assigned = |stations: &[alleyvote::stations::storage::Station]| {
        stations
            .iter()
            .filter(|s| s.operators.iter().any(|o| o.0 == id_of("station1")))
            .count()
    };
    assert_eq!(assigned(&app.services.store.stations().await.unwrap()), 2);
    assert_eq!(
        assign(id_of("station1"), vec![b.clone()]).await,
        "/console/organizers?done=updated"
    );
    assert_eq!(
        assigned(&app.services.store.stations().await.unwrap()),
        1,
        "the set is replaced"
    );
    // Only station operators, only known stations.
    assert_eq!(
        assign(id_of("checker"), vec![a.clone()]).await,
        "/console/organizers?error=invalid"
    );
    assert_eq!(
        assign(id_of("station1"), vec!["99999".into()]).await,
        "/console/organizers?error=invalid"
    );
    let (status, page_text) = boss.page("/console/organizers").await;
    assert_eq!(status, 200);
    assert!(page_text.contains("殷行投票站") && page_text.contains("station1"));
    let last = app.services.store.audit_chain().await.unwrap();
    let last = last
        .iter()
        .rev()
        .find(|e| e.record.action == "organizer.stations")
        .unwrap();
    assert_eq!(
        last.record.after.as_deref(),
        Some(format!("[{b}]").as_str())
    );
    // A form the page could not have sent is a readable 400 and changes nothing.
    let before = app.services.store.stations().await.unwrap();
    let (status, _) = boss
        .post(
            &format!("/console/organizers/{}/stations", id_of("station1")),
            &[("station", "殷行")],
        )
        .await;
    assert_eq!(status, 400, "a station that is not a number");
    let (status, _) = boss
        .post("/console/stations", &[("name", "甲"), ("name", "乙")])
        .await;
    assert_eq!(status, 400, "a field sent twice");
    assert_eq!(app.services.store.stations().await.unwrap(), before);
    let page = app
        .client
        .post(format!("{}/console/stations", app.base))
        .header(
            "cookie",
            format!("av_org={}", boss.token.as_deref().unwrap_or_default()),
        )
        .form(&[("csrf", boss.csrf.as_str()), ("name", "甲"), ("name", "乙")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("表单内容无法识别"), "{page}");
    // A station operator cannot hand out stations, not even to themselves.
    let (status, _) = operator
        .post(
            &format!("/console/organizers/{}/stations", id_of("station1")),
            &[("station", &a)],
        )
        .await;
    assert_eq!(status, 403);
}

on_both_backends!(stations_are_assigned_to_operators);

/// The recount page shows each nominee's two counts; a running tally
/// changed behind the app's back is marked, and the CLI fails on it too.
async fn the_recount_marks_a_doctored_tally(app: TestApp) {
    let boss = app.organizer("boss", Role::Admin).await;
    let voter = app.voter("13900000301").await;
    assert_eq!(voter.vote(2).await.0, 201);
    let (status, page) = boss.page("/console/tally").await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"data-agrees="true""#), "{page}");
    assert!(page.contains("一致"));

    app.raw_sql(
        "UPDATE nominee_tallies SET online_votes = online_votes + 5 \
         WHERE nominee_id = (SELECT id FROM nominees WHERE number = 2)",
    )
    .await
    .unwrap();
    let (_, page) = boss.page("/console/tally").await;
    assert!(page.contains(r#"data-agrees="false""#), "{page}");
    assert!(
        page.contains(r#"class="differs""#),
        "the nominee's row is marked"
    );
    assert!(page.contains("不一致"));
}

on_both_backends!(the_recount_marks_a_doctored_tally);

/// Two administrators demoting each other at the same moment leave one; the
/// refused one is told why.
async fn the_last_admin_stays(app: TestApp) {
    let ann = app.organizer("ann", Role::Admin).await;
    let bob = app.organizer("bob", Role::Admin).await;
    let accounts = app.services.store.organizers().await.unwrap();
    let id = |name: &str| accounts.iter().find(|o| o.username == name).unwrap().id.0;
    // Any other admin (the demo's, say) first steps down.
    for other in accounts
        .iter()
        .filter(|o| o.role == Role::Admin && o.username != "ann" && o.username != "bob")
    {
        let (status, _) = ann
            .post(
                &format!("/console/organizers/{}", other.id.0),
                &[("role", "reviewer"), ("active", "on")],
            )
            .await;
        assert_eq!(status, 303);
    }
    let (ann_path, bob_path) = (
        format!("/console/organizers/{}", id("bob")),
        format!("/console/organizers/{}", id("ann")),
    );
    let demote = [("role", "reviewer"), ("active", "on")];
    let (by_ann, by_bob) = tokio::join!(ann.post(&ann_path, &demote), bob.post(&bob_path, &demote));
    let admins = app
        .services
        .store
        .organizers()
        .await
        .unwrap()
        .into_iter()
        .filter(|o| o.role == Role::Admin && o.active)
        .count();
    assert_eq!(admins, 1, "{by_ann:?} {by_bob:?}");
    // One demotion went through; the other was refused: as the last admin's
    // (both passed the role check before either committed), or because its
    // author had just stopped being an admin.
    let answers = [by_ann, by_bob];
    let done = answers.iter().filter(|(_, l)| l.contains("done=")).count();
    let refused = answers
        .iter()
        .filter(|(status, l)| l.contains("error=last_admin") || *status == 403)
        .count();
    assert_eq!((done, refused), (1, 1), "{answers:?}");
}

on_both_backends!(the_last_admin_stays);
