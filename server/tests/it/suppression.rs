//! Voter suppression: strangers asking for codes for a resident's number
//! from many addresses cannot stop the resident signing in.

use serde_json::json;

use crate::support::{AppOptions, TestApp};

/// Asks for a code for `phone` as a client the operator's proxy saw at `seen`.
async fn code_from(app: &TestApp, phone: &str, seen: &str) -> u16 {
    app.client
        .post(app.url("/api/v1/sms-codes"))
        .header("x-forwarded-for", seen)
        .json(&json!({ "phone": phone }))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// The resident signed in once from home. Strangers at two other addresses
/// then take all they can (three each, the per-address allowance) and, with
/// the resident's one, reach the number's ceiling of seven: a third stranger
/// gets nothing, but the resident at home still gets their own codes.
async fn strangers_cannot_spend_a_residents_codes(app: TestApp) {
    let (phone, masked, home) = ("13800002222", "138****2222", "203.0.113.60");
    assert_eq!(code_from(&app, phone, home).await, 202);
    let code = app.latest_code_for(masked).unwrap();
    assert_eq!(app.submit_code(phone, &code).await.0, 201);

    let mut taken = Vec::new();
    for stranger in ["198.51.100.21", "198.51.100.22"] {
        for _ in 0..4 {
            taken.push(code_from(&app, phone, stranger).await);
        }
    }
    assert_eq!(taken, [202, 202, 202, 429, 202, 202, 202, 429]);
    assert_eq!(code_from(&app, phone, "198.51.100.23").await, 429);

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
