//! `/console/nominations`: the reviewers' queue, by street and state, each
//! nomination with its likely duplicates; and the form for entering a
//! community committee's nomination (marked as such).

use alleyvote_domain::nomination::queue::{Order, Show};
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
            state: q.get("state"),
            q: q.get("q").filter(|s| !s.trim().is_empty()),
            sort: q.get("sort"),
            page: q.get("page").and_then(|s| s.parse::<usize>().ok()),
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

/// The queue's address with one part of the query changed.
fn queue_href(query: &[(&str, String)], key: &str, value: &str) -> String {
    let mut parts: Vec<String> = query
        .iter()
        .filter(|(k, v)| *k != key && *k != "page" && !v.is_empty())
        .map(|(k, v)| format!("{k}={}", urlencoding::encode(v)))
        .collect();
    if !value.is_empty() {
        parts.push(format!("{key}={}", urlencoding::encode(value)));
    }
    if parts.is_empty() {
        "/console/nominations".into()
    } else {
        format!("/console/nominations?{}", parts.join("&"))
    }
}

#[component]
fn Queue(page: ReviewQueueData) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let kept: Vec<(&str, String)> = query.with_untracked(|q| {
        ["street", "community", "state", "q", "sort"]
            .into_iter()
            .map(|k| (k, q.get(k).unwrap_or_default()))
            .collect()
    });
    let value = |k: &str| {
        kept.iter()
            .find(|(key, _)| *key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let (street, community, state, search, sort) = (
        value("street"),
        value("community"),
        Show::parse(Some(&value("state"))),
        value("q"),
        Order::parse(Some(&value("sort"))),
    );
    let message = move || {
        let (done, problem) = query.with(|q| (q.get("done"), q.get("problem")));
        if let Some(code) = problem {
            set_status(400);
            return Some(view! { <p class="notice error" role="alert" data-testid="queue-problem">{problem_message(lang, &code)}</p> }.into_any());
        }
        let bulk = query.with(|q| {
            q.get("decided")
                .and_then(|d| d.parse::<usize>().ok())
                .zip(q.get("skipped").and_then(|d| d.parse::<usize>().ok()))
        });
        if let Some((decided, skipped)) = bulk {
            let text = match lang {
                Lang::Zh => format!(
                    "已将 {decided} 条标为资格审核通过{}",
                    if skipped > 0 {
                        format!("；{skipped} 条已有变化或有疑似重复，未处理，请逐条查看。")
                    } else {
                        "。".into()
                    }
                ),
                Lang::En => format!(
                    "{decided} found eligible{}",
                    if skipped > 0 {
                        format!("; {skipped} changed meanwhile or have a likely duplicate: look at each.")
                    } else {
                        ".".into()
                    }
                ),
            };
            return Some(view! { <p class="notice ok" role="status" data-testid="queue-bulk-done">{text}</p> }.into_any());
        }
        done.map(|code| view! { <p class="notice ok" role="status" data-testid="queue-done">{NominationDone::parse(&code).map_or_else(|| NominationDone::unknown_message(lang), |d| d.message(lang))}</p> }.into_any())
    };
    let street_options = page
        .streets
        .iter()
        .map(|s| {
            let selected = street == s.id.to_string();
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
                    let selected = community == id.to_string();
                    view! { <option value=id.to_string() selected=selected>{lang.pick(zh, en).to_string()}</option> }
                })
                .collect_view();
            view! { <optgroup label=lang.pick(&s.name_zh, &s.name_en).to_string()>{options}</optgroup> }
        })
        .collect_view();
    let state_options = NominationState::ALL
        .into_iter()
        .map(|s| {
            let selected = state == Show::State(s);
            view! { <option value=s.as_str() selected=selected>{s.label(lang)}</option> }
        })
        .collect_view();
    let sort_options = Order::ALL
        .into_iter()
        .map(|o| view! { <option value=o.code() selected={o == sort}>{o.label(lang)}</option> })
        .collect_view();
    let count = match (lang, state) {
        (Lang::Zh, Show::Waiting) => format!("待处理 {} 条", page.total),
        (Lang::En, Show::Waiting) => format!("{} waiting", page.total),
        (Lang::Zh, _) => format!("共 {} 条", page.total),
        (Lang::En, _) => format!("{} nominations", page.total),
    };
    let tabs = view! {
        <nav class="queue-tabs" aria-label=lang.pick("推荐列表", "Queues")>
            <a href=queue_href(&kept, "state", "") class:current={state == Show::Waiting} data-testid="queue-tab-waiting">
                {match lang { Lang::Zh => format!("待处理（{}）", page.waiting), Lang::En => format!("Waiting ({})", page.waiting) }}
            </a>
            <a href=queue_href(&kept, "state", "all") class:current={state == Show::All} data-testid="queue-tab-all">{lang.pick("全部", "All")}</a>
        </nav>
    };
    let pager = (page.pages > 1).then(|| {
        let at = |p: usize| {
            let base = queue_href(&kept, "page", "");
            let join = if base.contains('?') { '&' } else { '?' };
            format!("{base}{join}page={p}")
        };
        view! {
            <nav class="pager" data-testid="queue-pager">
                {(page.page > 1).then(|| view! { <a class="button" rel="prev" href=at(page.page - 1)>{lang.pick("上一页", "Previous")}</a> })}
                <span>{match lang { Lang::Zh => format!("第 {} / {} 页", page.page, page.pages), Lang::En => format!("Page {} of {}", page.page, page.pages) }}</span>
                {(page.page < page.pages).then(|| view! { <a class="button" rel="next" href=at(page.page + 1) data-testid="queue-next-page">{lang.pick("下一页", "Next")}</a> })}
            </nav>
        }
    });
    let empty = page.rows.is_empty();
    let may_decide = page.open;
    let bulk_rows = page
        .rows
        .iter()
        .filter(|r| r.state == NominationState::Submitted && r.similar.is_empty())
        .count();
    let rows = page
        .rows
        .into_iter()
        .map(|r| view! { <Row r may_decide/> })
        .collect_view();
    let csrf = page.who.csrf.clone();
    let entry = page.open.then(|| {
        let csrf = csrf.clone();
        view! {
            <details class="card">
                <summary>{lang.pick("录入居委会推荐", "Enter a community committee's nomination")}</summary>
                <form method="post" action="/console/nominations" enctype="multipart/form-data" class="stack" data-testid="committee-form">
                    <input type="hidden" name="csrf" value=csrf/>
                    <NominationFields streets=page.streets.clone() committee=true/>
                    <button type="submit" class="button primary">{lang.pick("录入", "Enter it")}</button>
                </form>
            </details>
        }
    });
    let bulk_button = (may_decide && bulk_rows > 0).then(|| view! {
        <p class="bulk">
            <button type="submit" class="button" data-testid="queue-bulk-eligible">{lang.pick("将勾选的标为资格审核通过", "Find the ticked ones eligible")}</button>
            <span class="fine">{lang.pick(" 只有没有疑似重复的新推荐可以勾选；每一条都单独记入审计日志。", " Only new nominations without a likely duplicate can be ticked; each is audited on its own.")}</span>
        </p>
    });
    view! {
        <ConsoleNav who=page.who.clone()/>
        <h1>{lang.pick("推荐审核", "Nominations")}</h1>
        {message}
        {tabs}
        <form method="get" action="/console/nominations" class="console-filter filters queue-filter" data-testid="queue-filter">
            <label>{lang.pick("姓名", "Name")}
                <input type="search" name="q" value=search placeholder=lang.pick("输入姓名中的字", "Part of a name") data-testid="queue-search"/>
            </label>
            <label>{lang.pick("街道", "Street")}
                <select name="street" onchange="this.form.submit()"><option value="">{lang.pick("全部", "All")}</option>{street_options}</select>
            </label>
            <label>{lang.pick("居民区", "Community")}
                <select name="community" onchange="this.form.submit()"><option value="">{lang.pick("全部", "All")}</option>{community_options}</select>
            </label>
            <label>{lang.pick("状态", "State")}
                <select name="state" onchange="this.form.submit()">
                    <option value="waiting" selected={state == Show::Waiting}>{lang.pick("待处理", "Waiting")}</option>
                    <option value="all" selected={state == Show::All}>{lang.pick("全部", "All")}</option>
                    {state_options}
                </select>
            </label>
            <label>{lang.pick("排序", "Order")}
                <select name="sort" onchange="this.form.submit()">{sort_options}</select>
            </label>
            <button type="submit" class="button">{lang.pick("查找", "Find")}</button>
        </form>
        <p class="fine" data-testid="queue-count">{count}</p>
        {empty.then(|| view! {
            <p class="notice" data-testid="queue-empty">{match state {
                Show::Waiting => lang.pick(
                    "没有等待审核的推荐了。要查看已处理的，请选“全部”。",
                    "Nothing is waiting for a reviewer. To see the decided ones, choose “All”.",
                ),
                _ => lang.pick(
                    "没有符合筛选条件的推荐。换一个街道、居民区或状态试试，或选“全部”。",
                    "No nomination matches the filter. Try another street, community or state, or choose “All”.",
                ),
            }}</p>
        })}
        <form method="post" action="/console/nominations/bulk" data-testid="queue-bulk-form">
            <input type="hidden" name="csrf" value=csrf/>
            <table class="console-table" data-testid="queue">
                <thead><tr>
                    <th><span class="visually-hidden">{lang.pick("勾选", "Pick")}</span></th>
                    <th>{lang.pick("被推荐人", "Nominee")}</th>
                    <th>{lang.pick("居民区", "Community")}</th>
                    <th>{lang.pick("状态", "State")}</th>
                    <th>{lang.pick("本人确认", "Consent")}</th>
                    <th>{lang.pick("推荐人数", "Nominators")}</th>
                    <th>{lang.pick("可能重复", "Likely duplicates")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
            {bulk_button}
        </form>
        {pager}
        {entry}
    }
}

/// The first line of a story, cut to fit a row.
fn opening(story: &str) -> String {
    let line = story.lines().next().unwrap_or_default();
    let mut cut: String = line.chars().take(36).collect();
    if line.chars().count() > 36 {
        cut.push('…');
    }
    cut
}

#[component]
fn Row(r: ReviewRow, may_decide: bool) -> impl IntoView {
    let lang = use_lang();
    let similar = r
        .similar
        .iter()
        .map(|s| view! {
            <a href=format!("/console/nominations/{}/compare/{}", r.id, s.id) data-testid="queue-compare">{format!("{} ({})", s.name, s.likeness.label(lang))}</a>" "
        })
        .collect_view();
    let who = if r.committee {
        lang.pick("（居委会推荐）", " (committee)")
    } else {
        ""
    };
    let pickable = may_decide && r.state == NominationState::Submitted && r.similar.is_empty();
    let pick = pickable.then(|| view! {
        <input type="checkbox" name="pick" value=format!("{}:{}", r.id, r.revision) data-testid="queue-pick"
            aria-label=format!("{} {}", lang.pick("勾选", "Pick"), r.name)/>
    });
    view! {
        <tr data-testid="queue-row" data-state=r.state.as_str()>
            <td>{pick}</td>
            <td><a href=format!("/console/nominations/{}", r.id) data-testid="queue-open">{r.name.clone()}</a>{who}
                <span class="fine">" "{date_time(lang, r.created_at)}</span>
                <br/><span class="fine" data-testid="queue-opening">{opening(&r.story)}</span></td>
            <td>{lang.pick(&r.street_zh, &r.street_en).to_string()}" · "{lang.pick(&r.community_zh, &r.community_en).to_string()}</td>
            <td>{r.state.label(lang)}{(r.state == NominationState::NeedsInfo && !r.answer.is_empty()).then(|| lang.pick("（已回复）", " (answered)"))}</td>
            <td>{r.consent.label(lang)}</td>
            <td>{r.nominators}</td>
            <td data-testid="queue-similar">{similar}</td>
        </tr>
    }
}
