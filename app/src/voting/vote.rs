//! Voting from a page: a one-tap form, and the sentence that follows it.

use alleyvote_domain::notice::VoteRefused;
use alleyvote_domain::{Lang, NomineeNumber};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::i18n::use_lang;

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
