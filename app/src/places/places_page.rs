//! Streets and communities (administrators): the list, and an import from a
//! CSV file or pasted text that is taken whole or not at all.

use alleyvote_domain::notice::ImportRejection;
use alleyvote_domain::Lang;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::server_fns::load_console_places;
use crate::components::Loading;
use crate::console::{if_allowed, ConsoleNav};
use crate::i18n::{set_status, use_lang};

fn reason_text(lang: Lang, reason: &str) -> &'static str {
    ImportRejection::parse(reason).map_or_else(
        || ImportRejection::unknown_message(lang),
        |r| r.message(lang),
    )
}

/// The import's outcome from the redirect: what was added, or every rejected line.
#[component]
fn ImportReport() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    move || {
        let (added, rejected, count) =
            query.with(|q| (q.get("added"), q.get("rejected"), q.get("count")));
        if let Some(added) = added {
            let n: Vec<u32> = added.split(',').filter_map(|x| x.parse().ok()).collect();
            let (s, c, a) = (
                n.first().copied().unwrap_or(0),
                n.get(1).copied().unwrap_or(0),
                n.get(2).copied().unwrap_or(0),
            );
            let text = match lang {
                Lang::Zh => format!("导入完成：新增街道 {s} 个、社区 {c} 个，已有 {a} 个保持不变。"),
                Lang::En => format!("Imported: {s} new streets, {c} new communities; {a} already there were left as they were."),
            };
            return Some(
                view! { <p class="notice ok" role="status" data-testid="import-report">{text}</p> }
                    .into_any(),
            );
        }
        rejected.map(|list| {
            set_status(400);
            let items = list
                .split(',')
                .filter_map(|item| item.split_once(':'))
                .map(|(line, reason)| {
                    let text = match lang {
                        Lang::Zh => format!("第 {line} 行：{}", reason_text(lang, reason)),
                        Lang::En => format!("Line {line}: {}", reason_text(lang, reason)),
                    };
                    view! { <li>{text}</li> }
                })
                .collect_view();
            let head = match lang {
                Lang::Zh => format!(
                    "有 {} 行不符合要求，整个文件都没有导入：",
                    count.unwrap_or_default()
                ),
                Lang::En => format!(
                    "{} lines were rejected, so nothing was imported:",
                    count.unwrap_or_default()
                ),
            };
            view! {
                <div class="notice error" role="alert" data-testid="import-report">
                    <p>{head}</p>
                    <ul>{items}</ul>
                </div>
            }
            .into_any()
        })
    }
}

/// A rename form: the Chinese and English names, saved together.
#[component]
fn RenameForm(action: String, zh: String, en: String, csrf: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <form method="post" action=action class="inline">
            <input type="hidden" name="csrf" value=csrf/>
            <input type="text" name="name_zh" value=zh required maxlength="40" aria-label=lang.pick("中文名称", "Chinese name")/>
            <input type="text" name="name_en" value=en maxlength="40" aria-label=lang.pick("英文名称", "English name")/>
            <button type="submit" class="button small">{lang.pick("改名", "Rename")}</button>
        </form>
    }
}

#[component]
fn StreetRow(street: super::model::StreetPlaces, csrf: String) -> impl IntoView {
    let lang = use_lang();
    let communities = street
        .communities
        .into_iter()
        .map(|(id, zh, en)| {
            let rename = format!("/console/communities/{id}");
            let remove = format!("/console/communities/{id}/remove");
            let testid = format!("community-{id}");
            view! {
                <li data-testid=testid>
                    <RenameForm action=rename zh=zh en=en csrf=csrf.clone()/>
                    <form method="post" action=remove class="inline">
                        <input type="hidden" name="csrf" value=csrf.clone()/>
                        <button type="submit" class="button small">{lang.pick("删除", "Remove")}</button>
                    </form>
                </li>
            }
        })
        .collect_view();
    let rename = format!("/console/streets/{}", street.id);
    view! {
        <tr>
            <td><RenameForm action=rename zh=street.street en=street.street_en csrf=csrf.clone()/></td>
            <td><ul class="places">{communities}</ul></td>
        </tr>
    }
}

#[component]
pub fn PlacesPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| load_console_places());
    view! {
        <Title text=lang.pick("街道与社区", "Streets and communities")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                if_allowed(data.await, "/console/places", |page| {
                    let csrf = page.who.csrf.clone();
                    let rows = page
                        .streets
                        .into_iter()
                        .map(|s| view! { <StreetRow street=s csrf=csrf.clone()/> })
                        .collect_view();
                    view! {
                        <ConsoleNav who=page.who.clone()/>
                        <h1>{lang.pick("街道与社区", "Streets and communities")}</h1>
                        <crate::console::Outcome/>
                        <ImportReport/>
                        <form method="post" action="/console/places" enctype="multipart/form-data" class="console-form" data-testid="places-import">
                            <input type="hidden" name="csrf" value=page.who.csrf.clone()/>
                            <p class="fine">{lang.pick(
                                "CSV 文件（UTF-8）：第一行为 street_zh,street_en,community_zh,community_en。已有的街道和社区保持不变；只要有一行不符合要求，整个文件都不会导入。",
                                "A CSV file (UTF-8) whose first line is street_zh,street_en,community_zh,community_en. Streets and communities already there stay as they are; if any line is rejected, nothing is imported.",
                            )}</p>
                            <label><span>{lang.pick("选择文件", "Choose a file")}</span>
                                <input type="file" name="file" accept=".csv,text/csv" data-testid="places-file"/></label>
                            <label><span>{lang.pick("或直接粘贴内容", "Or paste the lines")}</span>
                                <textarea name="csv" rows="6" data-testid="places-text"></textarea></label>
                            <button type="submit" class="button primary" data-testid="places-submit">{lang.pick("导入", "Import")}</button>
                        </form>
                        <table class="console-table" data-testid="places">
                            <thead><tr><th>{lang.pick("街道", "Street")}</th><th>{lang.pick("社区（改名，或删除没有候选人和投票卡的社区）", "Communities (rename, or remove one no nominee or card belongs to)")}</th></tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    }
                    .into_any()
                })
            })}
        </Suspense>
    }
}
