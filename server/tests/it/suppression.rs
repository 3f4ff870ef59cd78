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
