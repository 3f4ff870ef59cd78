use alleyvote_domain::SearchQuery;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::model::NomineesData;
use super::nominee_card::{card_anchor, NomineeCard};
use super::server_fns::load_nominees;
use crate::components::{Loading, NoCampaign, ServiceTrouble};
use crate::i18n::{set_status, use_lang};

#[component]
pub fn NomineesPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let data = Resource::new(
        move || query.with(|q| (q.get("street"), q.get("q"))),
        |(street, q)| load_nominees(street, q),
    );
    view! {
        <Title text=lang.pick("候选人", "Nominees")/>
        <h1>{lang.pick("候选人", "Nominees")}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) => view! { <NomineeList list/> }.into_any(),
                    Err(_) => view! { <ServiceTrouble/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NomineeList(list: NomineesData) -> impl IntoView {
    let lang = use_lang();
    if list.campaign.is_none() {
        return view! { <NoCampaign/> }.into_any();
    }
    let query = use_query_map();
    let (street, q) = query.with_untracked(|m| {
        (
            m.get("street").unwrap_or_default(),
            m.get("q").unwrap_or_default(),
        )
    });
    let problem = list.problem.map(|p| {
        set_status(400);
        let text = p.message(lang);
        view! { <p class="notice error" role="alert" data-testid="search-problem">{text}</p> }
    });
    let options = list
        .streets
        .iter()
        .map(|s| {
            let id = s.id.0.to_string();
            let selected = id == street;
            view! { <option value=id selected=selected>{s.name(lang).to_string()}</option> }
        })
        .collect_view();
    let count = list.nominees.len();
    let searching = !street.is_empty() || !q.trim().is_empty();
    let summary = match lang {
        alleyvote_domain::Lang::Zh => format!("共 {count} 位候选人"),
        alleyvote_domain::Lang::En => format!("{count} nominees"),
    };
    let voting = list
        .campaign
        .as_ref()
        .is_some_and(|c| c.phase == alleyvote_domain::Phase::Voting);
    let here = if searching {
        format!("/nominees?street={}&q={}", street, q)
    } else {
        "/nominees".to_string()
    };
    let form_key = list.form_key.clone();
    let names: Vec<_> = list
        .nominees
        .iter()
        .map(|n| (n.number, n.name.clone()))
        .collect();
    let rules = list.campaign.as_ref().map(|c| c.campaign.rules);
    let me = list.me.clone();
    let cards = list
        .nominees
        .into_iter()
        .map(|n| {
            let voted = me.as_ref().map_or(0, |me| me.votes_for(n.number));
            // Signed out, the button leads through signing in; signed in,
            // it shows only while the vote would count.
            let may_vote = match (&me, &rules) {
                (Some(me), Some(rules)) => me.may_vote_for(rules, n.number),
                _ => true,
            };
            let back = format!("{here}#{}", card_anchor(n.number));
            let vote_next = (voting && may_vote).then(|| (back, form_key.clone()));
            view! { <NomineeCard nominee=n lang vote_next voted/> }
        })
        .collect_view();
    view! {
        // GET form: filters and search work without JavaScript and can be bookmarked.
        <form method="get" action="/nominees" class="search" role="search" data-testid="search-form">
            <label>
                <span>{lang.pick("街道 / 镇", "Street / town")}</span>
                <select name="street" data-testid="street-filter">
                    <option value="">{lang.pick("全部", "All")}</option>
                    {options}
                </select>
            </label>
            <label>
                <span>{lang.pick("姓名或编号", "Name or number")}</span>
                <input type="search" name="q" value=q maxlength=SearchQuery::MAX_CHARS.to_string()
                    placeholder=lang.pick("例如：王 或 12", "e.g. Wang or 12") data-testid="search-input"/>
            </label>
            <button type="submit" class="button primary" data-testid="search-submit">{lang.pick("查找", "Search")}</button>
        </form>
        {problem}
        <super::vote::VoteOutcome names/>
        {list.me.as_ref().map(|me| {
            let text = match lang {
                alleyvote_domain::Lang::Zh => format!("您今天还可以投 {} 票。", me.remaining),
                alleyvote_domain::Lang::En => format!("You have {} votes left today.", me.remaining),
            };
            view! {
                <div class="notice signed-in">
                    <p data-testid="votes-left">{text}</p>
                    // A plain form: signing out works without JavaScript.
                    <form method="post" action="/logout">
                        <button type="submit" class="button small" data-testid="sign-out">{lang.pick("退出登录", "Sign out")}</button>
                    </form>
                </div>
            }
        })}
        <p class="count" data-testid="nominee-count">{summary}</p>
        {(count == 0 && searching).then(|| view! {
            <p class="notice" data-testid="no-match">{lang.pick("没有找到符合条件的候选人。", "No nominee matches.")}" "<a href="/nominees">{lang.pick("显示全部", "Show all")}</a></p>
        })}
        <ul class="cards" data-testid="nominee-list">{cards}</ul>
    }
    .into_any()
}
