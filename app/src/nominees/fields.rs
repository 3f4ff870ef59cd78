//! What the new-nominee and edit forms share: the fields, the community
//! choice, and the problem a form's redirect names.

use alleyvote_domain::notice::NomineeProblem;
use alleyvote_domain::{CommunityId, Lang};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::i18n::{set_status, use_lang};
use crate::places::model::CommunityChoice;

fn problem_text(lang: Lang, code: &str) -> &'static str {
    NomineeProblem::parse(code).map_or_else(
        || NomineeProblem::unknown_message(lang),
        |p| p.message(lang),
    )
}

/// The problem a form's redirect names, as a notice.
#[component]
pub(super) fn Problem() -> impl IntoView {
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
pub(super) fn NomineeFields(
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
