//! Abuse resistance over HTTP: forged client addresses, IPv6 prefixes.

use serde_json::json;

use crate::support::{AppOptions, TestApp};

/// Asks for a sign-in code as a client behind the operator's proxy, which
/// appended `seen` (the address it saw) to whatever the client sent.
async fn code_via_proxy(app: &TestApp, phone: &str, forged: &str, seen: &str) -> u16 {
    app.code_forwarded(phone, &format!("{forged}, {seen}"))
        .await
}

/// Behind one trusted proxy, a client that forges `X-Forwarded-For` is still
/// counted by the address the proxy saw; and a thousand addresses of one
/// IPv6 /64 are one client.
async fn forged_and_ipv6_addresses_share_one_limit(app: TestApp) {
    let mut statuses = Vec::new();
    for i in 0..8 {
        let forged = format!("198.51.100.{i}");
        statuses
            .push(code_via_proxy(&app, &format!("1380000{i:04}"), &forged, "203.0.113.7").await);
    }
    assert_eq!(statuses, [202, 202, 202, 429, 429, 429, 429, 429]);
    // Another client behind the same proxy has its own allowance.
    assert_eq!(
        code_via_proxy(&app, "13800009999", "1.2.3.4", "203.0.113.8").await,
        202
    );

    let mut accepted = 0;
    for i in 0..1000u32 {
        let addr = format!("2001:db8:5:6:{:x}:{:x}::1", i / 7, i);
        let status = code_via_proxy(&app, &format!("1370{i:07}"), "::1", &addr).await;
        assert!(status == 202 || status == 429, "{status}");
        accepted += u32::from(status == 202);
    }
    assert_eq!(accepted, 3, "one /64 is one client");
}

on_both_backends!(forged_and_ipv6_addresses_share_one_limit, |db| AppOptions {
    extra: vec![
        ("ALLEYVOTE_TRUSTED_PROXIES", "1".to_string()),
        ("ALLEYVOTE_SMS_PER_IP_PER_HOUR", "3".to_string()),
        ("ALLEYVOTE_RATE_IP_PER_MIN", "100000".to_string()),
    ],
    ..AppOptions::new(db)
});

/// One of this process's memory figures (`VmRSS`, `VmHWM`), in MiB (Linux).
fn memory_mib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kib| kib / 1024)
}

/// Starts the peak (`VmHWM`) over from the present (Linux): each test runs
/// in a process of its own (nextest), so the peak then is this burst's.
fn reset_peak_memory() {
    std::fs::write("/proc/self/clear_refs", "5").expect("reset the peak memory");
}

async fn console_login_as(app: &TestApp, user: &str, client: &str, password: &str) -> String {
    let r = app
        .client
        .post(app.url("/console/login"))
        .header("x-forwarded-for", client)
        .form(&[
            ("username", user),
            ("password", password),
            ("next", "/console"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    r.headers()["location"].to_str().unwrap().to_string()
}

/// From one address, a burst of logins for twenty different (unknown)
/// accounts: each unknown account costs a decoy check, so only the
/// address's rate stops it, before any check. Then 200 parallel
/// wrong-password logins for one account, each from its own address: no
/// more password checks run than the account's five failures allow, and the
/// server's peak memory stays bounded (each check costs about 19 MiB).
async fn a_console_login_burst_cannot_sink_the_server(app: TestApp) {
    use alleyvote_domain::organizer::Role;
    app.organizer("boss", Role::Admin).await;
    let checks = || app.services.organizers.guard.password_checks();

    let before = checks();
    let places = futures::future::join_all((0..20).map(|i| {
        let app = &app;
        async move { console_login_as(app, &format!("nobody{i}"), "192.0.2.99", "x").await }
    }))
    .await;
    let throttled = places
        .iter()
        .filter(|p| p.contains("error=throttled"))
        .count();
    assert!(checks() - before <= 10, "{} checks", checks() - before);
    assert!(throttled >= 10, "{throttled} throttled: {places:?}");

    reset_peak_memory();
    let (checks_before, resident_before) = (checks(), memory_mib("VmRSS:"));
    // All at once (joined in this task: the requests borrow the app).
    let places = futures::future::join_all((0..200).map(|i| {
        let client = format!("198.51.{}.{}", i / 200, i % 200 + 1);
        let app = &app;
        async move { console_login_as(app, "boss", &client, "wrong password").await }
    }))
    .await;
    let checked = checks() - checks_before;
    assert!(checked <= 5, "{checked} password checks for a limit of 5");
    assert!(places.iter().all(|p| p.contains("error=")), "{places:?}");
    assert!(places.iter().any(|p| p.contains("error=throttled")));
    let grown = memory_mib("VmHWM:").saturating_sub(resident_before);
    eprintln!("{checked} password checks; the peak memory was {grown} MiB above the start");
    assert!(grown < 200, "peak memory grew by {grown} MiB");

    // The account is held back now, even with the right password.
    let place = console_login_as(&app, "boss", "192.0.2.200", crate::support::PASSWORD).await;
    assert!(place.contains("error=throttled"), "{place}");
}

on_both_backends!(a_console_login_burst_cannot_sink_the_server, |db| {
    AppOptions {
        extra: vec![("ALLEYVOTE_TRUSTED_PROXIES", "1".to_string())],
        ..AppOptions::new(db)
    }
});

/// A client that never finishes its request's headers is cut off at the
/// header deadline, and the connection cap closes connections beyond it.
async fn slow_clients_are_cut_off(app: TestApp) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let mut buf = [0u8; 1024];
    let read = tokio::time::timeout(std::time::Duration::from_secs(20), slow.read(&mut buf))
        .await
        .expect("the server never cut the slow client off");
    let answered = String::from_utf8_lossy(&buf[..read.unwrap_or(0)]).to_string();
    assert!(
        answered.is_empty() || answered.starts_with("HTTP/1.1 408"),
        "{answered}"
    );
    let waited = started.elapsed();
    assert!(
        waited >= std::time::Duration::from_millis(900),
        "{waited:?}"
    );
    eprintln!("slow client cut off after {waited:?}");
}

on_both_backends!(slow_clients_are_cut_off, |db| AppOptions {
    extra: vec![("ALLEYVOTE_HEADER_TIMEOUT_MS", "1000".to_string())],
    ..AppOptions::new(db)
});

/// Opens `n` results streams from the test's one address: how many opened,
/// how many were refused with a time to try again.
async fn open_streams(app: &TestApp, n: usize) -> (Vec<reqwest::Response>, usize) {
    let stream = "/api/v1/campaigns/yangpu-2026/results/stream";
    let mut open = Vec::new();
    let mut refused = 0;
    for _ in 0..n {
        let r = app.get(stream).await;
        match r.status().as_u16() {
            200 => open.push(r),
            429 => {
                assert!(r.headers().contains_key("retry-after"));
                refused += 1;
            }
            other => panic!("a stream answered {other}"),
        }
    }
    (open, refused)
}

/// A hall of phones behind one Wi-Fi address: with the default caps, 300
/// of them each get a live stream.
async fn a_hall_behind_one_address_gets_its_streams(app: TestApp) {
    let (open, refused) = open_streams(&app, 300).await;
    assert_eq!((open.len(), refused), (300, 0));
}

on_both_backends!(a_hall_behind_one_address_gets_its_streams);

/// With a cap of twenty, a hundred streams from one address: the first
/// twenty open, the rest are told when to try again.
async fn streams_per_address_are_capped(app: TestApp) {
    let (open, refused) = open_streams(&app, 100).await;
    assert_eq!((open.len(), refused), (20, 80));
    // (A closed stream gives its place back: results/readers.rs tests it.)
}

on_both_backends!(streams_per_address_are_capped, |db| AppOptions {
    extra: vec![("ALLEYVOTE_STREAMS_PER_ADDRESS", "20".to_string())],
    ..AppOptions::new(db)
});

/// Every answer carries the security headers; a signed-in person's pages
/// are not cached by anyone between.
async fn security_headers_on_every_answer(app: TestApp) {
    for path in ["/", "/nominees", "/api/v1/campaigns", "/no-such-page"] {
        let r = app.get(path).await;
        let h = r.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(
            h["content-security-policy"], "frame-ancestors 'none'",
            "{path}"
        );
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        assert!(
            !h.contains_key("strict-transport-security"),
            "not in development"
        );
    }
    let voter = app.voter("13900000401").await;
    let (status, _) = voter.page("/nominees").await;
    assert_eq!(status, 200);
    let r = voter
        .browser(reqwest::Method::GET, "/nominees")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["cache-control"], "private, no-cache");
}

on_both_backends!(security_headers_on_every_answer);

/// Without a configured public address, a QR code names the request's own
/// host and is cached nowhere, so a forged host header cannot poison what
/// other residents are shown.
async fn qr_codes_are_not_cached_from_a_claimed_host(app: TestApp) {
    let r = app
        .client
        .get(app.url("/nominees/1/qr.svg"))
        .header("x-forwarded-host", "evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
}

on_both_backends!(qr_codes_are_not_cached_from_a_claimed_host);

/// With the public address configured, the code is the same for everyone
/// and may be cached.
async fn qr_codes_use_the_public_address(app: TestApp) {
    let plain = app.get("/nominees/1/qr.svg").await;
    assert_eq!(plain.headers()["cache-control"], "public, max-age=3600");
    let plain = plain.text().await.unwrap();
    let forged = app
        .client
        .get(app.url("/nominees/1/qr.svg"))
        .header("host", "evil.example")
        .header("x-forwarded-host", "evil.example")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(plain, forged, "the request's host changes nothing");
}

on_both_backends!(qr_codes_use_the_public_address, |db| AppOptions {
    extra: vec![(
        "ALLEYVOTE_PUBLIC_URL",
        "https://vote.example.cn".to_string()
    )],
    ..AppOptions::new(db)
});

/// Someone asking for codes for a resident's number, from other addresses,
/// cannot void the code the resident is typing; and the sign-in form has
/// the same address rate as every other sign-in path.
async fn a_stranger_cannot_void_a_residents_code(app: TestApp) {
    assert_eq!(
        code_via_proxy(&app, "13800001111", "", "203.0.113.50").await,
        202
    );
    let code = app
        .latest_code_for("138****1111")
        .expect("the resident's code");
    for i in 0..3 {
        let stranger = format!("198.51.100.{}", 10 + i);
        assert_eq!(
            code_via_proxy(&app, "13800001111", "", &stranger).await,
            202
        );
    }
    assert_ne!(app.latest_code_for("138****1111").unwrap(), code);
    let (status, _, body) = app.submit_code("13800001111", &code).await;
    assert_eq!(status, 201, "the first code still signs in: {body}");
}

on_both_backends!(a_stranger_cannot_void_a_residents_code, |db| AppOptions {
    extra: vec![
        ("ALLEYVOTE_TRUSTED_PROXIES", "1".to_string()),
        ("ALLEYVOTE_SMS_COOLDOWN_S", "0".to_string()),
    ],
    ..AppOptions::new(db)
});

/// The no-JavaScript sign-in form is rate limited per address like the rest.
async fn the_sign_in_form_is_rate_limited(app: TestApp) {
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let r = app
            .post_form(
                "/login/session",
                &[("phone", "13800002222"), ("code", "000000"), ("next", "/")],
            )
            .await;
        let place = r.headers()["location"].to_str().unwrap().to_string();
        statuses.push(place.contains("error=too_many") || place.contains("retry="));
    }
    assert_eq!(statuses, [false, false, false, true, true], "{statuses:?}");
}

on_both_backends!(the_sign_in_form_is_rate_limited, |db| AppOptions {
    extra: vec![("ALLEYVOTE_RATE_IP_PER_MIN", "3".to_string())],
    ..AppOptions::new(db)
});

/// The sign-in forms keep the phone number out of every address: the code
/// step shows the masked number, and the number itself rides in a cookie
/// only the login pages get, cleared at sign-in.
async fn no_phone_number_in_any_address(app: TestApp) {
    let sent = app
        .post_form(
            "/login/code",
            &[("phone", "13800003333"), ("next", "/nominees")],
        )
        .await;
    assert_eq!(sent.status(), 303);
    let place = sent.headers()["location"].to_str().unwrap().to_string();
    assert!(!place.contains("13800003333"), "{place}");
    assert!(
        place.contains("sent=1") && place.contains("to=138"),
        "{place}"
    );
    let cookie = crate::support::set_cookie(sent.headers(), "av_login_phone")
        .expect("the number in a cookie")
        .to_string();
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("Path=/login")
            && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let (status, page) = app.get_text(&place).await;
    assert_eq!(status, 200);
    assert!(page.contains("138****3333") && !page.contains("13800003333"));

    // A wrong code comes back to the code step, still without the number.
    let code = app.latest_code_for("138****3333").unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let value = crate::support::cookie_value(&cookie).to_string();
    let post = |code: &str| {
        app.client
            .post(app.url("/login/session"))
            .header("cookie", format!("av_login_phone={value}"))
            .form(&[("code", code), ("next", "/nominees")])
            .send()
    };
    let refused = post(wrong).await.unwrap();
    let place = refused.headers()["location"].to_str().unwrap().to_string();
    assert!(
        place.contains("error=") && !place.contains("13800003333"),
        "{place}"
    );
    let signed_in = post(&code).await.unwrap();
    assert_eq!(signed_in.status(), 303);
    let cleared = signed_in
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|c| c.starts_with("av_login_phone=") && c.contains("Max-Age=0"));
    assert!(cleared, "the number's cookie is cleared at sign-in");
    assert!(crate::support::set_cookie(signed_in.headers(), "av_session").is_some());
}

on_both_backends!(no_phone_number_in_any_address);

/// Production refuses to start with the demo data or the `log` SMS sender,
/// and says why (the binary itself, as an operator would start it).
#[test]
fn production_refuses_unsafe_settings_at_start() {
    let start = |extra: &[(&str, &str)]| {
        let key = "production-secret-key-of-more-than-32-chars";
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_alleyvote"));
        cmd.args(["migrate"])
            .env("ALLEYVOTE_ENV", "production")
            .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
            .env("ALLEYVOTE_SECRET_KEY", key)
            .env("ALLEYVOTE_PHONE_HASH_KEY", key)
            .env("ALLEYVOTE_PUBLIC_URL", "https://vote.example.cn")
            .env("ALLEYVOTE_SMS_SENDER", "http")
            .env("ALLEYVOTE_SMS_HTTP_URL", "https://sms.example.cn/send");
        for (k, v) in extra {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run alleyvote");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (code, said) = start(&[("ALLEYVOTE_DEMO_DATA", "true")]);
    assert_eq!(code, Some(2), "{said}");
    assert!(
        said.contains("ALLEYVOTE_DEMO_DATA") && said.contains("password is public"),
        "{said}"
    );
    let (code, said) = start(&[("ALLEYVOTE_SMS_SENDER", "log")]);
    assert_eq!(code, Some(2), "{said}");
    assert!(said.contains("`log` SMS sender"), "{said}");
    // With safe settings it gets past the configuration (and then cannot
    // reach this made-up database: a different failure, exit code 1).
    let (code, said) = start(&[]);
    assert_eq!(code, Some(1), "{said}");
    assert!(!said.contains("configuration error"), "{said}");
}

/// Wrong ballot-card codes are counted per address: past twenty in an hour
/// the address is held back, even with a right code.
async fn card_guessing_is_held_back(app: TestApp) {
    let mut statuses = Vec::new();
    for _ in 0..22 {
        let (status, _, _) = app
            .post_json("/api/v1/sessions", json!({ "ballot_code": "ABCDE-FGHJK" }))
            .await;
        statuses.push(status);
    }
    assert!(statuses[..20].iter().all(|&s| s == 400), "{statuses:?}");
    assert_eq!(statuses[20..], [400, 429], "{statuses:?}");
    let (status, headers, body) = app
        .post_json("/api/v1/sessions", json!({ "ballot_code": "ABCDE-FGHJK" }))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("rate_limited"))
    );
    assert!(headers.contains_key("retry-after"));
}

on_both_backends!(card_guessing_is_held_back, |db| AppOptions {
    extra: vec![("ALLEYVOTE_RATE_IP_PER_MIN", "100000".to_string())],
    ..AppOptions::new(db)
});

/// One device asking for codes for many numbers is capped (ten an hour).
async fn one_device_cannot_ask_for_many_numbers_codes(app: TestApp) {
    let first = app.get("/").await;
    let device = crate::support::set_cookie(first.headers(), "av_device")
        .map(|c| crate::support::cookie_value(c).to_string())
        .expect("a device id");
    let mut statuses = Vec::new();
    for i in 0..11 {
        let r = app
            .client
            .post(app.url("/api/v1/sms-codes"))
            .header("cookie", format!("av_device={device}"))
            .json(&json!({ "phone": format!("1360000{i:04}") }))
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
    }
    assert_eq!(statuses[..10], [202; 10], "{statuses:?}");
    assert_eq!(statuses[10], 429, "{statuses:?}");
}

on_both_backends!(one_device_cannot_ask_for_many_numbers_codes, |db| {
    AppOptions {
        extra: vec![("ALLEYVOTE_SMS_PER_DEVICE_PER_HOUR", "10".to_string())],
        ..AppOptions::new(db)
    }
});

/// The picture's answer the development outbox holds for a token.
/// Past the thresholds a code request needs the characters of a picture,
/// over the API and through the forms (no JavaScript): so a stranger's
/// script cannot spend a resident's daily codes.
async fn past_the_thresholds_a_picture_is_solved_first(app: TestApp) {
    // Over the API: two codes, then the third needs a picture.
    for _ in 0..2 {
        assert_eq!(app.request_code("13800004444").await.0, 202);
    }
    let (status, _, body) = app.request_code("13800004444").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("challenge_required"))
    );
    assert!(body["message"].as_str().unwrap().contains("图片"));
    let picture = app.get("/api/v1/sms-challenge").await;
    assert_eq!(picture.headers()["content-type"], "image/png");
    let token = picture.headers()["x-challenge-token"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(picture.bytes().await.unwrap().starts_with(b"\x89PNG"));
    let answer = app.challenge_answer(&token);
    let ask = |typed: &str| {
        app.post_json(
            "/api/v1/sms-codes",
            json!({ "phone": "13800004444", "challenge_token": token, "challenge_answer": typed }),
        )
    };
    let (status, _, body) = ask("wrong").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("challenge_failed"))
    );
    assert_eq!(ask(&answer).await.0, 202, "solved: the code is sent");
    assert_eq!(ask(&answer).await.0, 400, "a picture is answered once");

    // Through the forms, for another number.
    let form = |phone: &'static str, cookie: Option<String>, challenge: Option<String>| {
        let mut req = app.client.post(app.url("/login/code"));
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        let mut fields = vec![
            ("phone", phone.to_string()),
            ("next", "/nominees".to_string()),
        ];
        if let Some(c) = challenge {
            fields.push(("challenge", c));
        }
        req.form(&fields).send()
    };
    for _ in 0..2 {
        let r = form("13800005555", None, None).await.unwrap();
        assert!(r.headers()["location"].to_str().unwrap().contains("sent=1"));
    }
    let r = form("13800005555", None, None).await.unwrap();
    let place = r.headers()["location"].to_str().unwrap().to_string();
    assert!(place.contains("error=challenge_required"), "{place}");
    let (_, page) = app.get_text(&place).await;
    assert!(page.contains(r#"src="/login/challenge.png""#) && page.contains(r#"name="challenge""#));
    let picture = app.get("/login/challenge.png").await;
    assert_eq!(picture.headers()["cache-control"], "no-store");
    let cookie = crate::support::set_cookie(picture.headers(), "av_challenge")
        .expect("the picture's token in a cookie")
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("Path=/login"),
        "{cookie}"
    );
    let token = crate::support::cookie_value(&cookie).to_string();
    let answer = app.challenge_answer(&token);
    let r = form(
        "13800005555",
        Some(format!("av_challenge={token}")),
        Some(answer),
    )
    .await
    .unwrap();
    let place = r.headers()["location"].to_str().unwrap().to_string();
    assert!(
        place.contains("sent=1") && !place.contains("error="),
        "{place}"
    );
}

on_both_backends!(past_the_thresholds_a_picture_is_solved_first, |db| {
    AppOptions {
        extra: vec![
            ("ALLEYVOTE_SMS_COOLDOWN_S", "0".to_string()),
            ("ALLEYVOTE_SMS_CHALLENGE_AFTER_PER_NUMBER", "2".to_string()),
        ],
        ..AppOptions::new(db)
    }
});
