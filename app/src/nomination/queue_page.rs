//! `/console/nominations`: the reviewers' queue, by street and state, each
//! nomination with its likely duplicates; and the form for entering a
//! community committee's nomination (marked as such).

use alleyvote_domain::nomination::{problem_message, NominationDone, NominationState};
use alleyvote_domain::Lang;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::form::NominationFields;
use super::model::{QueueQuery, ReviewQueueData, ReviewRow};
use super::server_fns::load_review_queue;
use crate::components::Loading;
use crate::console::{if_allowed, ConsoleNav};
use crate::i18n::{date_time, set_status, use_lang};

#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let filter = move || {
        query.with(|q| QueueQuery {
            street: q.get("street").and_then(|s| s.parse::<i64>().ok()),
            community: q.get("community").and_then(|s| s.parse::<i64>().ok()),
            state: q
                .get("state")
                .filter(|s| NominationState::parse(s).is_some()),
        })
    };
    let data = Resource::new(filter, load_review_queue);
    view! {
        <Title text=lang.pick("推荐审核", "Nominations")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                if_allowed(data.await, "/console/nominations", |page| match page {
                    Some(page) => view! { <Queue page/> }.into_any(),
                    None => view! { <p class="notice">{lang.pick("还没有评选。", "No campaign yet.")}</p> }.into_any(),
                })
            })}
        </Suspense>
    }
}

#[component]
fn Queue(page: ReviewQueueData) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let (street, community, state) =
        query.with_untracked(|q| (q.get("street"), q.get("community"), q.get("state")));
    let message = move || {
        let (done, problem) = query.with(|q| (q.get("done"), q.get("problem")));
        if let Some(code) = problem {
            set_status(400);
            return Some(view! { <p class="notice error" role="alert" data-testid="queue-problem">{problem_message(lang, &code)}</p> }.into_any());
        }
        done.map(|_| view! { <p class="notice ok" role="status" data-testid="queue-done">{NominationDone::Entered.message(lang)}</p> }.into_any())
    };
    let street_options = page
        .streets
        .iter()
        .map(|s| {
            let selected = street.as_deref() == Some(s.id.to_string().as_str());
            view! { <option value=s.id.to_string() selected=selected>{lang.pick(&s.name_zh, &s.name_en).to_string()}</option> }
        })
        .collect_view();
    let community_options = page
        .streets
        .iter()
        .map(|s| {
            let options = s
                .communities
                .iter()
                .map(|(id, zh, en)| {
                    let selected = community.as_deref() == Some(id.to_string().as_str());
                    view! { <option value=id.to_string() selected=selected>{lang.pick(zh, en).to_string()}</option> }
                })
                .collect_view();
            view! { <optgroup label=lang.pick(&s.name_zh, &s.name_en).to_string()>{options}</optgroup> }
        })
        .collect_view();
    let state_options = NominationState::ALL
        .into_iter()
        .map(|s| {
            let selected = state.as_deref() == Some(s.as_str());
            view! { <option value=s.as_str() selected=selected>{s.label(lang)}</option> }
        })
        .collect_view();
    let count = match lang {
        Lang::Zh => format!("共 {} 条", page.rows.len()),
        Lang::En => format!("{} nominations", page.rows.len()),
    };
    let empty = page.rows.is_empty();
    let rows = page
        .rows
        .into_iter()
        .map(|r| view! { <Row r/> })
        .collect_view();
    let csrf = page.who.csrf.clone();
    let entry = page.open.then(|| view! {
        <details class="card">
            <summary>{lang.pick("录入居委会推荐", "Enter a community committee's nomination")}</summary>
            <form method="post" action="/console/nominations" enctype="multipart/form-data" class="stack" data-testid="committee-form">
                <input type="hidden" name="csrf" value=csrf/>
                <NominationFields streets=page.streets.clone() committee=true/>
                <button type="submit" class="button primary">{lang.pick("录入", "Enter it")}</button>
            </form>
        </details>
    });
    view! {
        <ConsoleNav who=page.who.clone()/>
        <h1>{lang.pick("推荐审核", "Nominations")}</h1>
        {message}
        <form method="get" action="/console/nominations" class="console-filter filters">
            <label>{lang.pick("街道", "Street")}
                <select name="street"><option value="">{lang.pick("全部", "All")}</option>{street_options}</select>
            </label>
            <label>{lang.pick("居民区", "Community")}
                <select name="community"><option value="">{lang.pick("全部", "All")}</option>{community_options}</select>
            </label>
            <label>{lang.pick("状态", "State")}
                <select name="state"><option value="">{lang.pick("全部", "All")}</option>{state_options}</select>
            </label>
            <button type="submit" class="button">{lang.pick("筛选", "Filter")}</button>
        </form>
        <p class="fine" data-testid="queue-count">{count}</p>
        {empty.then(|| view! {
            <p class="notice" data-testid="queue-empty">{lang.pick(
                "没有符合筛选条件的推荐。换一个街道、居民区或状态试试，或选“全部”。",
                "No nomination matches the filter. Try another street, community or state, or choose “All”.",
            )}</p>
        })}
        <table class="console-table" data-testid="queue">
            <thead><tr>
                <th>{lang.pick("被推荐人", "Nominee")}</th>
                <th>{lang.pick("居民区", "Community")}</th>
                <th>{lang.pick("状态", "State")}</th>
                <th>{lang.pick("本人确认", "Consent")}</th>
                <th>{lang.pick("推荐人数", "Nominators")}</th>
                <th>{lang.pick("可能重复", "Likely duplicates")}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {entry}
    }
}

#[component]
fn Row(r: ReviewRow) -> impl IntoView {
    let lang = use_lang();
    let similar = r
        .similar
        .iter()
        .map(|s| view! { <a href=format!("/console/nominations/{}", s.id)>{format!("{} ({})", s.name, s.likeness.label(lang))}</a>" " })
        .collect_view();
    let who = if r.committee {
        lang.pick("（居委会推荐）", " (committee)")
    } else {
        ""
    };
    view! {
        <tr data-testid="queue-row" data-state=r.state.as_str()>
            <td><a href=format!("/console/nominations/{}", r.id) data-testid="queue-open">{r.name.clone()}</a>{who}
                <span class="fine">" "{date_time(lang, r.created_at)}</span></td>
            <td>{lang.pick(&r.street_zh, &r.street_en).to_string()}" · "{lang.pick(&r.community_zh, &r.community_en).to_string()}</td>
            <td>{r.state.label(lang)}</td>
            <td>{r.consent.label(lang)}</td>
            <td>{r.nominators}</td>
            <td data-testid="queue-similar">{similar}</td>
        </tr>
    }
}
