//! The audit log (administrators only): newest first, each entry in words
//! ("luru1 提交了录入：凤联投票点 · 第1天") with the change itself folded away,
//! filtered by kind of action, organizer and day, paged back, exported as CSV.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use alleyvote_domain::audit_words::{action_words, KINDS};

use super::model::{AuditQuery, AuditView};
use super::server_fns::load_console_audit;
use crate::components::Loading;
use crate::console::{if_allowed, ConsoleNav};
use crate::i18n::use_lang;

#[component]
fn Entry(entry: AuditView) -> impl IntoView {
    let lang = use_lang();
    let what = action_words(&entry.action, lang)
        .unwrap_or(entry.action.as_str())
        .to_string();
    let on = entry
        .subject_name
        .clone()
        .unwrap_or_else(|| entry.subject.clone());
    let sentence = if on.is_empty() {
        format!("{} {what}", entry.actor)
    } else {
        format!("{} {what}{}{on}", entry.actor, lang.pick("：", ": "))
    };
    let change = (entry.before.is_some() || entry.after.is_some()).then(|| {
        view! {
            <details class="change">
                <summary>{lang.pick("修改内容", "The change")}</summary>
                <p>{lang.pick("修改前：", "Before: ")}<code>{entry.before.clone().unwrap_or_else(|| "—".into())}</code></p>
                <p>{lang.pick("修改后：", "After: ")}<code>{entry.after.clone().unwrap_or_else(|| "—".into())}</code></p>
            </details>
        }
    });
    view! {
        <tr data-testid="audit-row" data-action=entry.action.clone()>
            <td class="num">{entry.seq}</td>
            <td class="when">{entry.at}</td>
            <td>
                <span class="audit-sentence" data-testid="audit-sentence">{sentence}</span>
                <span class="fine">" · "<code>{entry.action.clone()}</code>" · "{entry.subject.clone()}</span>
                {change}
            </td>
        </tr>
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let filter = move || {
        query.with(|q| AuditQuery {
            action: q.get("action").filter(|a| !a.is_empty()),
            actor: q.get("actor").and_then(|a| a.parse::<i64>().ok()),
            day: q.get("day").filter(|d| !d.is_empty()),
            before: q.get("before").and_then(|b| b.parse::<i64>().ok()),
        })
    };
    let data = Resource::new(filter, load_console_audit);
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
                    let actor_query = format!(
                        "{}{}",
                        page.actor.map(|a| format!("&actor={a}")).unwrap_or_default(),
                        page.day.as_ref().map(|d| format!("&day={d}")).unwrap_or_default()
                    );
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
                    let empty = page.entries.is_empty();
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
                            <label><span>{lang.pick("日期", "Day")}</span>
                                <input type="date" name="day" value=page.day.clone().unwrap_or_default() data-testid="audit-day"/></label>
                            <button type="submit" class="button small">{lang.pick("筛选", "Filter")}</button>
                            <a href=csv class="button small" data-testid="audit-csv">{lang.pick("导出 CSV", "Export CSV")}</a>
                        </form>
                        {empty.then(|| view! { <p class="notice" data-testid="audit-empty">{lang.pick("没有符合筛选条件的记录。", "No entry matches the filter.")}</p> })}
                        <table class="console-table audit-table" data-testid="audit-entries">
                            <thead><tr>
                                <th class="num">"#"</th>
                                <th>{lang.pick("时间", "When")}</th>
                                <th>{lang.pick("谁做了什么", "Who did what")}</th>
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
