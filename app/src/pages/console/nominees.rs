//! Nominees (administrators): the list with withdrawn ones marked, a form for
//! a new one, and each one's edit page with its photo. The forms are
//! multipart, so the photo travels with them; they work without JavaScript.

use alleyvote_domain::notice::NomineeProblem;
use alleyvote_domain::{CommunityId, Lang};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{if_allowed, ConsoleNav, Outcome};
use crate::i18n::{set_status, use_lang};
use crate::model::{CommunityChoice, NomineeAdminRow, NomineeEditData};
use crate::pages::{Loading, NoCampaign, NotFound};
use crate::server_fns::{load_console_nominee, load_console_nominees};

fn problem_text(lang: Lang, code: &str) -> &'static str {
    NomineeProblem::parse(code).map_or_else(
        || NomineeProblem::unknown_message(lang),
        |p| p.message(lang),
    )
}

/// The problem a form's redirect names, as a notice.
#[component]
fn Problem() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    move || {
        query.with(|q| q.get("problem")).map(|code| {
            set_status(400);
            view! { <p class="notice error" role="alert" data-testid="console-problem">{problem_text(lang, &code)}</p> }
        })
    }
}

#[component]
fn CommunitySelect(choices: Vec<CommunityChoice>, selected: Option<CommunityId>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <select name="community" required data-testid="nominee-community">
            <option value="">{lang.pick("请选择", "Choose")}</option>
            {choices
                .into_iter()
                .map(|c| view! { <option value=c.id.to_string() selected=Some(c.id) == selected>{c.label}</option> })
                .collect_view()}
        </select>
    }
}

/// The fields a new and an edited nominee share.
#[component]
fn NomineeFields(
    number: u16,
    name: String,
    community: Option<CommunityId>,
    story: String,
    communities: Vec<CommunityChoice>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <label><span>{lang.pick("编号", "Number")}</span>
            <input type="number" name="number" min="1" max="999" value=number.to_string() required data-testid="nominee-number"/></label>
        <label><span>{lang.pick("姓名", "Name")}</span>
            <input type="text" name="name" value=name required maxlength="40" data-testid="nominee-name"/></label>
        <label><span>{lang.pick("所在社区", "Community")}</span>
            <CommunitySelect choices=communities selected=community/></label>
        <label><span>{lang.pick("事迹介绍（空一行分段，**加粗**）", "Story (blank line between paragraphs, **bold**)")}</span>
            <textarea name="story" rows="8" maxlength="5000" data-testid="nominee-story">{story}</textarea></label>
        <label><span>{lang.pick("照片（JPEG、PNG 或 WebP，8 MB 以内）", "Photo (JPEG, PNG or WebP, up to 8 MB)")}</span>
            <input type="file" name="photo" accept="image/jpeg,image/png,image/webp" data-testid="nominee-photo"/></label>
    }
}

#[component]
fn Row(row: NomineeAdminRow) -> impl IntoView {
    let lang = use_lang();
    let edit = format!("/console/nominees/{}", row.id);
    let testid = format!("admin-nominee-{}", row.number);
    view! {
        <tr data-testid=testid class:withdrawn=!row.active>
            <td>{row.number}</td>
            <td><a href=edit>{row.name}</a></td>
            <td>{row.place}</td>
            <td>{if row.photo_url.is_some() { lang.pick("有", "Yes") } else { "—" }}</td>
            <td>{if row.active { lang.pick("参评", "Active") } else { lang.pick("已退出", "Withdrawn") }}</td>
        </tr>
    }
}

#[component]
pub fn NomineesAdminPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| load_console_nominees());
    view! {
        <Title text=lang.pick("候选人管理", "Nominees")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                if_allowed(data.await, "/console/nominees", |page| {
                    if page.campaign.is_none() {
                        return view! { <ConsoleNav who=page.who.clone()/><NoCampaign/> }.into_any();
                    }
                    let rows = page.nominees.into_iter().map(|row| view! { <Row row/> }).collect_view();
                    view! {
                        <ConsoleNav who=page.who.clone()/>
                        <h1>{lang.pick("候选人管理", "Nominees")}</h1>
                        <Outcome/>
                        <Problem/>
                        <table class="console-table" data-testid="admin-nominees">
                            <thead><tr>
                                <th>{lang.pick("编号", "No.")}</th>
                                <th>{lang.pick("姓名", "Name")}</th>
                                <th>{lang.pick("街道 · 社区", "Street · community")}</th>
                                <th>{lang.pick("照片", "Photo")}</th>
                                <th>{lang.pick("状态", "Status")}</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                        <h2>{lang.pick("新增候选人", "New nominee")}</h2>
                        <form method="post" action="/console/nominees" enctype="multipart/form-data" class="console-form" data-testid="new-nominee">
                            <input type="hidden" name="csrf" value=page.who.csrf.clone()/>
                            <NomineeFields number=page.next_number name=String::new() community=None story=String::new() communities=page.communities/>
                            <button type="submit" class="button primary" data-testid="nominee-save">{lang.pick("添加候选人", "Add the nominee")}</button>
                        </form>
                    }
                    .into_any()
                })
            })}
        </Suspense>
    }
}

#[component]
fn EditNominee(n: NomineeEditData) -> impl IntoView {
    let lang = use_lang();
    let action = format!("/console/nominees/{}", n.id);
    let status_action = format!("/console/nominees/{}/status", n.id);
    let public = format!("/nominees/{}", n.number);
    let photo = n
        .photo_url
        .clone()
        .map(|url| view! { <img class="portrait large" src=url alt=n.name.clone()/> });
    let (toggle_to, toggle_label) = if n.active {
        (
            "off",
            lang.pick(
                "退出评选（已投的票保留在记录中）",
                "Withdraw (votes already cast stay on record)",
            ),
        )
    } else {
        ("on", lang.pick("恢复参评", "Restore"))
    };
    view! {
        <h1>{format!("{} · {}", n.number, n.name)}</h1>
        <Outcome/>
        <Problem/>
        <p><a href=public>{lang.pick("查看公开页面", "See the public page")}</a></p>
        {photo}
        <form method="post" action=action enctype="multipart/form-data" class="console-form" data-testid="edit-nominee">
            <input type="hidden" name="csrf" value=n.who.csrf.clone()/>
            <NomineeFields number=n.number name=n.name.clone() community=Some(n.community) story=n.story.clone() communities=n.communities.clone()/>
            <button type="submit" class="button primary">{lang.pick("保存", "Save")}</button>
        </form>
        <form method="post" action=status_action class="console-form">
            <input type="hidden" name="csrf" value=n.who.csrf.clone()/>
            <input type="hidden" name="active" value=toggle_to/>
            <button type="submit" class="button" data-testid="nominee-status">{toggle_label}</button>
        </form>
    }
}

#[component]
pub fn NomineeAdminPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = move || {
        params
            .with(|p| p.get("id"))
            .and_then(|id| id.parse::<i64>().ok())
    };
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_console_nominee(id).await,
            None => Ok(crate::model::Console::Open(None)),
        }
    });
    view! {
        <Title text=lang.pick("编辑候选人", "Edit a nominee")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                if_allowed(data.await, "/console/nominees", |found| match found {
                    Some(n) => view! { <ConsoleNav who=n.who.clone()/><EditNominee n/> }.into_any(),
                    None => view! { <NotFound/> }.into_any(),
                })
            })}
        </Suspense>
    }
}
