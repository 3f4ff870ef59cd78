//! A nominee's edit page (administrators), with its photo, and the switch
//! that withdraws or restores the nominee.

use alleyvote_domain::organizer::Console;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::fields::{NomineeFields, Problem};
use super::model::NomineeEditData;
use super::server_fns::load_console_nominee;
use crate::components::{Loading, NotFound};
use crate::console::{if_allowed, ConsoleNav, Outcome};
use crate::i18n::use_lang;

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
            None => Ok(Console::Open(None)),
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
