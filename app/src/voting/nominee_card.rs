use alleyvote_domain::{Lang, NomineeSummary};
use leptos::prelude::*;

/// The nominee's photo, or the first character of the name in a circle.
#[component]
pub fn Portrait(nominee: NomineeSummary, #[prop(optional)] large: bool) -> impl IntoView {
    let class = if large { "portrait large" } else { "portrait" };
    // Lists show the small square crop; a profile the full photo.
    let url = if large {
        nominee.photo_url.clone()
    } else {
        nominee.thumbnail_url()
    };
    match url {
        Some(url) => {
            view! { <img class=class src=url alt=nominee.name.clone() loading="lazy"/> }.into_any()
        }
        None => {
            view! { <span class=class aria-hidden="true">{nominee.initial()}</span> }.into_any()
        }
    }
}

/// The anchor of a nominee's card in the list: a vote from the card comes
/// back to it.
pub fn card_anchor(number: alleyvote_domain::NomineeNumber) -> String {
    format!("nominee-{number}")
}

/// `vote_next`: where a vote from this card returns to, and the page's form
/// key; no vote button when `None`. `voted`: the voter's votes for this
/// nominee today (marked on the card).
#[component]
pub fn NomineeCard(
    nominee: NomineeSummary,
    lang: Lang,
    vote_next: Option<(String, String)>,
    #[prop(optional)] voted: u32,
) -> impl IntoView {
    let href = format!("/nominees/{}", nominee.number.get());
    let number = nominee.number.to_string();
    view! {
        <li class="card" class:voted=voted.gt(&0) id=card_anchor(nominee.number)>
            <a href=href data-testid="nominee-card">
                <Portrait nominee=nominee.clone()/>
                <span class="card-text">
                    <span class="number" data-testid="nominee-number">{lang.pick("编号 ", "No. ")}{number}</span>
                    <span class="name" data-testid="nominee-name">{nominee.name.clone()}</span>
                    <span class="where">{nominee.street(lang).to_string()}" · "{nominee.community(lang).to_string()}</span>
                    <super::vote::VotedTag votes=voted/>
                </span>
            </a>
            {vote_next.map(|(next, form_key)| view! { <super::vote::VoteButton number=nominee.number next form_key/> })}
        </li>
    }
}
