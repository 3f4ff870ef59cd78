//! Sessions end when the resident signs out, and a new sign-in replaces the
//! session the client held. Printed ballot cards come with a printable page
//! whose QR codes open the card sign-in form, which works without JavaScript.

use reqwest::Method;
use serde_json::json;

use crate::support::{
    cli, set_cookie, spawn_app, spawn_app_with, temp_dir, AppOptions, Db, TestApp,
};

async fn signing_out_and_in_again(app: TestApp) {
    // The API: DELETE ends the session and clears the cookie.
    let voter = app.voter("13500000091").await;
    assert_eq!(voter.my_votes().await.0, 200);
    let r = voter
        .api(Method::DELETE, "/api/v1/sessions/current")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let cleared = set_cookie(r.headers(), "av_session").unwrap();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    assert_eq!(voter.my_votes().await.0, 401);

    // Signing in again while holding a session replaces it.
    let old = app.voter("13500000092").await;
    let (status, _, _) = app.request_code("13500000092").await;
    assert_eq!(status, 429, "the resend cooldown still holds");
    // Another resident signs in on the same browser: the old session ends.
    let (status, _, _) = app.request_code("13500000093").await;
    assert_eq!(status, 202);
    let code = app.latest_code_for("135****0093").unwrap();
    let r = old
        .browser(Method::POST, "/api/v1/sessions")
        .json(&json!({ "phone": "13500000093", "code": code }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let new: serde_json::Value = r.json().await.unwrap();
    let new = app.voter_with_token(new["token"].as_str().unwrap());
    assert_ne!(new.token(), old.token());
    assert_eq!(old.my_votes().await.0, 401, "the replaced session ended");
    assert_eq!(new.my_votes().await.0, 200);

    // The form: POST /logout ends the cookie's session and goes home.
    let r = new.browser(Method::POST, "/logout").send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/?signed_out=1");
    assert!(set_cookie(r.headers(), "av_session")
        .unwrap()
        .contains("Max-Age=0"));
    assert_eq!(new.my_votes().await.0, 401);
}

on_both_backends!(signing_out_and_in_again);

/// The page lists a sign-out button for a signed-in resident.
#[tokio::test]
async fn the_nominee_list_offers_signing_out() {
    let app = spawn_app(Db::Sqlite).await;
    let voter = app.voter("13500000094").await;
    let (_, html) = voter.page("/nominees").await;
    assert!(html.contains("action=\"/logout\""), "no sign-out form");
    assert!(html.contains("退出登录"));
}

/// `alleyvote ballot-codes … --cards` writes the CSV and the printable page;
/// a card's QR link opens the sign-in form filled in, and the form signs in.
#[tokio::test]
async fn printed_cards_sign_in_through_the_form() {
    let dir = temp_dir("cards");
    let db = dir.join("cards.db");
    // The command and the server must hash codes with the same key.
    let key = "0123456789abcdef0123456789abcdef-cards-test";
    let run = |args: &[&str]| {
        cli(
            &dir,
            &db,
            args,
            &[
                ("ALLEYVOTE_PUBLIC_URL", "https://vote.example.cn"),
                ("ALLEYVOTE_PHONE_HASH_KEY", key),
            ],
        )
    };
    assert!(run(&["demo"]).status.success());
    let missing = run(&["ballot-codes", "999999", "2"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no community with id 999999"));

    let page = dir.join("cards.html");
    let out = run(&["ballot-codes", "1", "3", "--cards", page.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    let codes: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(codes.len(), 3, "{csv}");
    let html = std::fs::read_to_string(&page).unwrap();
    assert_eq!(html.matches("<svg").count(), 3);
    for code in &codes {
        assert!(html.contains(code), "{code} is printed on its card");
    }

    let app = spawn_app_with(AppOptions {
        database_url: Some(format!("sqlite://{}", db.display())),
        demo: false,
        extra: vec![("ALLEYVOTE_PHONE_HASH_KEY", key.to_string())],
        ..AppOptions::new(Db::Sqlite)
    })
    .await;
    let raw = codes[0].replace('-', "");
    let (status, login) = app.get_text(&format!("/login?card={raw}")).await;
    assert_eq!(status, 200);
    assert!(
        login.contains(&format!("value=\"{raw}\"")),
        "the card code is filled in"
    );
    let form = [("card", codes[0]), ("next", "/nominees")];
    let r = app.post_form("/login/card", &form).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/nominees?signed_in=1");
    assert!(set_cookie(r.headers(), "av_session").is_some());
    // A used card is turned away with a sentence, not an error page.
    let r = app.post_form("/login/card", &form).await;
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/login?error=bad_card"), "{to}");
    let (status, html) = app.get_text(&to).await;
    assert_eq!(status, 400);
    assert!(html.contains("这张卡已经用过"));
}
