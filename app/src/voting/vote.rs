//! Voting from a page: a one-tap form, and the sentence that follows it.

use alleyvote_domain::notice::VoteRefused;
use alleyvote_domain::{Lang, NomineeNumber};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::i18n::use_lang;

/// A plain form post: works the same with or without JavaScript.
#[component]
pub fn VoteButton(number: NomineeNumber, next: String, form_key: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <form method="post" action=format!("/nominees/{}/vote", number.get()) class="vote-form">
            <input type="hidden" name="next" value=next/>
            <input type="hidden" name="request_key" value=format!("{form_key}-{}", number.get())/>
            <button type="submit" class="button primary vote" data-testid="vote-button">
                {lang.pick("投一票", "Vote")}
            </button>
        </form>
    }
}

fn refusal_text(lang: Lang, code: &str) -> &'static str {
    VoteRefused::parse(code).map_or_else(|| VoteRefused::unknown_message(lang), |r| r.message(lang))
}

/// What happened to the vote just cast, read from the redirect's query string.
#[component]
pub fn VoteOutcome() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    move || {
        query.with(|q| {
            if let (Some(number), Some(left)) = (q.get("voted"), q.get("left")) {
                let text = match lang {
                    Lang::Zh => format!("投票成功！您已为 {number} 号候选人投出一票，今天还可以投 {left} 票。"),
                    Lang::En => format!("Your vote for nominee {number} is counted. You have {left} votes left today."),
                };
                Some(view! { <p class="notice ok" role="status" data-testid="vote-ok">{text}</p> }.into_any())
            } else if let Some(code) = q.get("refused") {
                Some(view! { <p class="notice error" role="alert" data-testid="vote-refused">{refusal_text(lang, &code)}</p> }.into_any())
            } else if q.get("signed_in").is_some() {
                Some(view! { <p class="notice ok" role="status" data-testid="signed-in">{lang.pick("登录成功，可以投票了。", "You are signed in and can vote.")}</p> }.into_any())
            } else {
                None
            }
        })
    }
}
