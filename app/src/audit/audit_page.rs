//! The audit log (administrators only): newest first, filtered by kind of
//! action, paged back, exported as CSV.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::model::AuditView;
use super::server_fns::load_console_audit;
use crate::components::Loading;
use crate::console::{if_allowed, ConsoleNav};
use crate::i18n::use_lang;

/// The kinds of action the filter offers, by the prefix of their names.
const KINDS: [(&str, &str, &str); 5] = [
    ("", "全部", "All"),
    ("organizer.", "账号与登录", "Accounts and sign-ins"),
    ("campaign.", "评选设置", "Campaign settings"),
    ("nominee.", "候选人", "Nominees"),
    ("street.", "街道与社区", "Streets and communities"),
];

#[component]
fn Entry(entry: AuditView) -> impl IntoView {
    let change = match (&entry.before, &entry.after) {
        (None, None) => String::new(),
        (b, a) => format!(
            "{} → {}",
            b.as_deref().unwrap_or("—"),
            a.as_deref().unwrap_or("—")
        ),
    };
    view! {
        <tr>
            <td>{entry.seq}</td>
            <td>{entry.at}</td>
            <td>{entry.actor}</td>
            <td><code>{entry.action}</code></td>
            <td>{entry.subject}</td>
            <td class="change">{change}</td>
        </tr>
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let filter = move || {
        query.with(|q| {
            (
                q.get("action").filter(|a| !a.is_empty()),
                q.get("actor").and_then(|a| a.parse::<i64>().ok()),
                q.get("before").and_then(|b| b.parse::<i64>().ok()),
            )
        })
    };
    let data = Resource::new(filter, |(action, actor, before)| {
        load_console_audit(action, actor, before)
    });
    view! {
        <Title text=lang.pick("操作记录", "Audit log")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                if_allowed(data.await, "/console/audit", |page| {
                    let chosen = page.action.clone();
                    let options = KINDS
                        .iter()
                        .map(|(prefix, zh, en)| {
                            view! { <option value=*prefix selected=*prefix == chosen.as_str()>{lang.pick(zh, en)}</option> }
                        })
                        .collect_view();
                    let actor_query = page.actor.map(|a| format!("&actor={a}")).unwrap_or_default();
                    let actors = page
                        .actors
                        .iter()
                        .map(|(id, name)| {
                            view! { <option value=id.to_string() selected=page.actor == Some(*id)>{name.clone()}</option> }
                        })
                        .collect_view();
                    let csv = format!("/console/audit.csv?action={}{actor_query}", page.action);
                    let older = page.older.map(|seq| {
                        let href = format!("/console/audit?action={}{actor_query}&before={seq}", page.action);
                        view! { <a href=href class="button small">{lang.pick("更早的记录", "Older entries")}</a> }
                    });
                    let rows = page
                        .entries
                        .into_iter()
                        .map(|e| view! { <Entry entry=e/> })
                        .collect_view();
                    view! {
                        <ConsoleNav who=page.who.clone()/>
                        <h1>{lang.pick("操作记录", "Audit log")}</h1>
                        <p class="fine">{lang.pick(
                            "每条记录都带有上一条的哈希值，任何修改或删除都会被校验命令发现。",
                            "Each entry carries the hash of the one before it; the verify command detects any edit or deletion.",
                        )}</p>
                        <form method="get" action="/console/audit" class="console-filter">
                            <label><span>{lang.pick("类别", "Kind")}</span>
                                <select name="action" data-testid="audit-filter">{options}</select></label>
                            <label><span>{lang.pick("操作人", "Who")}</span>
                                <select name="actor" data-testid="audit-actor">
                                    <option value="">{lang.pick("全部", "Everyone")}</option>
                                    {actors}
                                </select></label>
                            <button type="submit" class="button small">{lang.pick("筛选", "Filter")}</button>
                            <a href=csv class="button small" data-testid="audit-csv">{lang.pick("导出 CSV", "Export CSV")}</a>
                        </form>
                        <table class="console-table" data-testid="audit-entries">
                            <thead><tr>
                                <th>"#"</th>
                                <th>{lang.pick("时间", "When")}</th>
                                <th>{lang.pick("操作人", "Who")}</th>
                                <th>{lang.pick("操作", "What")}</th>
                                <th>{lang.pick("对象", "On")}</th>
                                <th>{lang.pick("修改前 → 修改后", "Before → after")}</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                        {older}
                    }
                    .into_any()
                })
            })}
        </Suspense>
    }
}
