//! Voter suppression: strangers asking for codes for a resident's number
//! from many addresses cannot stop the resident signing in.

use crate::support::{AppOptions, TestApp};

/// Asks for a code for `phone` as a client the operator's proxy saw at `seen`.
async fn code_from(app: &TestApp, phone: &str, seen: &str) -> u16 {
    app.code_forwarded(phone, seen).await
}

/// A stranger asks for a code first; the resident then signs in once from
/// home (which spends the stranger's code too, without making the
/// stranger's address one the number signed in from). Strangers at other
/// addresses take what they can (three each, the per-address allowance)
/// until the number's ceiling of seven: then neither the first stranger
/// (who has allowance left) nor a new one gets a code, but the resident at
/// home still gets their own.
async fn strangers_cannot_spend_a_residents_codes(app: TestApp) {
    let (phone, masked, home) = ("13800002222", "138****2222", "203.0.113.60");
    let first_stranger = "198.51.100.21";
    assert_eq!(code_from(&app, phone, first_stranger).await, 202);
    assert_eq!(code_from(&app, phone, home).await, 202);
    let code = app.latest_code_for(masked).unwrap();
    assert_eq!(app.submit_code(phone, &code).await.0, 201);

    let mut taken = Vec::new();
    for (stranger, tries) in [("198.51.100.22", 4), ("198.51.100.23", 3)] {
        for _ in 0..tries {
            taken.push(code_from(&app, phone, stranger).await);
        }
    }
    assert_eq!(taken, [202, 202, 202, 429, 202, 202, 429]);
    assert_eq!(code_from(&app, phone, first_stranger).await, 429);
    assert_eq!(code_from(&app, phone, "198.51.100.24").await, 429);

    assert_eq!(
        code_from(&app, phone, home).await,
        202,
        "home still gets a code"
    );
    let code = app.latest_code_for(masked).unwrap();
    assert_eq!(app.submit_code(phone, &code).await.0, 201);
}

on_both_backends!(strangers_cannot_spend_a_residents_codes, |db| AppOptions {
    extra: vec![
        ("ALLEYVOTE_TRUSTED_PROXIES", "1".to_string()),
        ("ALLEYVOTE_SMS_COOLDOWN_S", "0".to_string()),
        ("ALLEYVOTE_SMS_PER_NUMBER_PER_DAY", "3".to_string()),
        ("ALLEYVOTE_SMS_NUMBER_CEILING_PER_DAY", "7".to_string()),
    ],
    ..AppOptions::new(db)
});

/// Types a code for `phone` as a client the operator's proxy saw at `seen`.
async fn code_typed_from(app: &TestApp, phone: &str, code: &str, seen: &str) -> u16 {
    app.client
        .post(app.url("/api/v1/sessions"))
        .header("x-forwarded-for", seen)
        .json(&serde_json::json!({ "phone": phone, "code": code }))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// A wrong code other than `code` (same length, one digit changed).
fn wrong(code: &str, n: u32) -> String {
    let last = code
        .chars()
        .last()
        .and_then(|c| c.to_digit(10))
        .unwrap_or(0);
    let head: String = code.chars().take(code.len() - 1).collect();
    format!("{head}{}", (last + 1 + n % 9) % 10)
}

/// A stranger typing wrong codes for a resident's number does not spend
/// the code the resident is about to type; a guesser with many addresses
/// meets the number's daily ceiling of wrong tries, past which only an
/// address the number has signed in from may still try.
async fn wrong_codes_from_strangers_spend_nothing_of_the_residents(app: TestApp) {
    let (phone, masked, home) = ("13800002233", "138****2233", "203.0.113.70");
    // The resident has signed in from home before: home is known.
    assert_eq!(code_from(&app, phone, home).await, 202);
    let code = app.latest_code_for(masked).unwrap();
    assert_eq!(code_typed_from(&app, phone, &code, home).await, 201);

    // A new code for the resident; a stranger types five wrong ones, and a
    // sixth is refused for the stranger only.
    assert_eq!(code_from(&app, phone, home).await, 202);
    let code = app.latest_code_for(masked).unwrap();
    let stranger = "198.51.100.31";
    for n in 0..5 {
        assert_eq!(
            code_typed_from(&app, phone, &wrong(&code, n), stranger).await,
            400
        );
    }
    assert_eq!(
        code_typed_from(&app, phone, &code, stranger).await,
        429,
        "the stranger's tries are spent, even with the right code"
    );
    assert_eq!(
        code_typed_from(&app, phone, &code, home).await,
        201,
        "the resident's code still works"
    );

    // A guesser with many addresses: the ceiling (8 a day here) stops
    // every new address, the right code included ...
    assert_eq!(code_from(&app, phone, home).await, 202);
    let code = app.latest_code_for(masked).unwrap();
    let mut answers = Vec::new();
    for a in 0..3 {
        let seen = format!("198.51.100.{}", 40 + a);
        answers.push(code_typed_from(&app, phone, &wrong(&code, a), &seen).await);
    }
    assert_eq!(answers, [400; 3], "5 earlier + 3 wrong tries reach 8");
    assert_eq!(
        code_typed_from(&app, phone, &code, "198.51.100.50").await,
        429,
        "past the ceiling a new address may not try"
    );
    // ... but not the address the number signed in from.
    assert_eq!(code_typed_from(&app, phone, &code, home).await, 201);
}

on_both_backends!(
    wrong_codes_from_strangers_spend_nothing_of_the_residents,
    |db| AppOptions {
        extra: vec![
            ("ALLEYVOTE_TRUSTED_PROXIES", "1".to_string()),
            ("ALLEYVOTE_SMS_COOLDOWN_S", "0".to_string()),
            ("ALLEYVOTE_SMS_WRONG_CEILING_PER_DAY", "8".to_string()),
            ("ALLEYVOTE_RATE_IP_PER_MIN", "1000".to_string()),
        ],
        ..AppOptions::new(db)
    }
);
