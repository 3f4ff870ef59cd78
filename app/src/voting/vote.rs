//! Voting from a page: a one-tap form, and the sentence that follows it.

use alleyvote_domain::notice::VoteRefused;
use alleyvote_domain::{Lang, NomineeNumber};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::i18n::use_lang;

/// Where a vote asked for before signing in goes back to, written so it
/// survives the trip through the login pages' `next` unchanged: letters
/// and digits only (hex), however often a hop decodes it.
pub fn carry_back(path: &str) -> String {
    path.bytes().map(|b| format!("{b:02x}")).collect()
}

/// The path [`carry_back`] wrote; `None` for anything else, or for a path
/// that would leave this site.
pub fn carried_back(hex: &str) -> Option<String> {
    if !hex.len().is_multiple_of(2) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
        .collect();
    String::from_utf8(bytes?)
        .ok()
        .filter(|p| p.starts_with('/') && !p.starts_with("//") && !p.contains(['\\', '\r', '\n']))
}

#[cfg(test)]
mod tests {
    use super::{carried_back, carry_back};

    #[test]
    fn the_way_back_survives_the_login_pages() {
        for path in [
            "/nominees#nominee-005",
            "/nominees?street=3&q=王#nominee-012",
            "/nominees/7",
        ] {
            let carried = carry_back(path);
            assert!(carried.bytes().all(|b| b.is_ascii_hexdigit()));
            assert_eq!(carried_back(&carried).as_deref(), Some(path));
        }
        assert_eq!(carried_back(&carry_back("//evil.example")), None);
        assert_eq!(carried_back(&carry_back("https://evil.example")), None);
        assert_eq!(carried_back("zz"), None);
        assert_eq!(carried_back("2f6"), None);
    }
}

/// A plain form post: works the same with or without JavaScript.
/// `label` replaces "投一票" (the confirmation names the nominee).
#[component]
pub fn VoteButton(
    number: NomineeNumber,
    next: String,
    form_key: String,
    #[prop(optional)] label: Option<String>,
) -> impl IntoView {
    let lang = use_lang();
    let (class, testid) = if label.is_some() {
        ("button primary vote confirm", "confirm-vote-button")
    } else {
        ("button primary vote", "vote-button")
    };
    let label = label.unwrap_or_else(|| lang.pick("投一票", "Vote").to_string());
    view! {
        <form method="post" action=format!("/nominees/{}/vote", number.get()) class="vote-form">
            <input type="hidden" name="next" value=next/>
            <input type="hidden" name="request_key" value=format!("{form_key}-{}", number.get())/>
            <button type="submit" class=class data-testid=testid>{label}</button>
        </form>
    }
}

/// "Voted today" on a nominee the voter gave a vote to today.
#[component]
pub fn VotedTag(votes: u32) -> impl IntoView {
    let lang = use_lang();
    (votes > 0).then(|| {
        let text = match (lang, votes) {
            (Lang::Zh, 1) => "✓ 今天已投".to_string(),
            (Lang::Zh, n) => format!("✓ 今天已投 {n} 票"),
            (Lang::En, 1) => "✓ Voted today".to_string(),
            (Lang::En, n) => format!("✓ {n} votes today"),
        };
        view! { <span class="voted-tag" data-testid="voted-tag">{text}</span> }
    })
}

fn refusal_text(lang: Lang, code: &str) -> &'static str {
    VoteRefused::parse(code).map_or_else(|| VoteRefused::unknown_message(lang), |r| r.message(lang))
}

/// What happened to the vote just cast, read from the redirect's query
/// string; `names` words the nominee voted for by number and name.
#[component]
pub fn VoteOutcome(names: Vec<(NomineeNumber, String)>) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    move || {
        query.with(|q| {
            if let (Some(number), Some(left)) = (q.get("voted"), q.get("left")) {
                let who = NomineeNumber::parse(&number).ok().and_then(|n| {
                    names
                        .iter()
                        .find(|(k, _)| *k == n)
                        .map(|(k, name)| (k.to_string(), name.clone()))
                });
                let text = match (lang, who) {
                    (Lang::Zh, Some((k, name))) => format!("投票成功！您已为 {k} 号 {name} 投出一票，今天还可以投 {left} 票。"),
                    (Lang::En, Some((k, name))) => format!("Your vote for No. {k} {name} is counted. You have {left} votes left today."),
                    (Lang::Zh, None) => format!("投票成功！您已为 {number} 号候选人投出一票，今天还可以投 {left} 票。"),
                    (Lang::En, None) => format!("Your vote for nominee {number} is counted. You have {left} votes left today."),
                };
                Some(view! { <p class="notice ok" role="status" data-testid="vote-ok">{text}</p> }.into_any())
            } else if let Some(code) = q.get("refused") {
                Some(view! { <p class="notice error" role="alert" data-testid="vote-refused">{refusal_text(lang, &code)}</p> }.into_any())
            } else if q.get("signed_in").is_some() && q.get("confirm").is_none() {
                Some(view! { <p class="notice ok" role="status" data-testid="signed-in">{lang.pick("登录成功，可以投票了。", "You are signed in and can vote.")}</p> }.into_any())
            } else {
                None
            }
        })
    }
}
