//! `/console/nominations/{id}/compare/{other}`: two likely duplicates side
//! by side — names, places, roles, both stories whole — and the merge
//! either way. The merge is taken only from here, so it is always decided
//! with both stories read.

use alleyvote_domain::organizer::Action;
use alleyvote_domain::Lang;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::model::{CompareData, ReviewRow};
use super::server_fns::load_review_compare;
use crate::components::Loading;
use crate::console::{if_allowed, ConsoleNav};
use crate::i18n::{date_time, set_status, use_lang};

#[component]
pub fn CompareNominationsPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let (id, other) = params.with_untracked(|p| {
        let n = |k| p.get(k).and_then(|i| i.parse::<i64>().ok()).unwrap_or(0);
        (n("id"), n("other"))
    });
    let data = Resource::new(
        move || (id, other),
        |(id, other)| load_review_compare(id, other),
    );
    view! {
        <Title text=lang.pick("比较两条推荐", "Compare two nominations")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                if_allowed(data.await, &format!("/console/nominations/{id}/compare/{other}"), |page| match page {
                    Some(page) => view! { <Compare page/> }.into_any(),
                    None => {
                        set_status(404);
                        view! { <p class="notice error">{lang.pick("没有这两条推荐。", "There are no such nominations.")}</p> }.into_any()
                    }
                })
            })}
        </Suspense>
    }
}

/// One side: everything a reviewer weighs, the story whole.
fn side(lang: Lang, r: &ReviewRow, testid: &'static str) -> impl IntoView {
    view! {
        <article class="card compare-side" data-testid=testid>
            <h2><a href=format!("/console/nominations/{}", r.id)>{format!("#{} {}", r.id, r.name)}</a></h2>
            <p class="fine">{lang.pick(&r.street_zh, &r.street_en).to_string()}" · "{lang.pick(&r.community_zh, &r.community_en).to_string()}</p>
            <p class="fine">{r.role.label(lang)}" · "{match lang { Lang::Zh => format!("任职 {} 年", r.years), Lang::En => format!("{} years", r.years) }}
                " · "{match lang { Lang::Zh => format!("推荐人数 {}", r.nominators), Lang::En => format!("{} nominators", r.nominators) }}</p>
            <p class="fine">{r.state.label(lang)}" · "{r.consent.label(lang)}" · "{date_time(lang, r.created_at)}</p>
            <p class="story">{r.story.clone()}</p>
        </article>
    }
}

#[component]
fn Compare(page: CompareData) -> impl IntoView {
    let lang = use_lang();
    let may = page.who.may(Action::ReviewNominations) && page.open;
    let (left, right) = (page.left, page.right);
    let csrf = page.who.csrf.clone();
    // Merging `from` into `into`: the form `from`'s page would post, confirmed.
    let merge = move |from: &ReviewRow, into: &ReviewRow, testid: &'static str| {
        let label = match lang {
            Lang::Zh => format!("保留 #{} {}，把 #{} 并入它", into.id, into.name, from.id),
            Lang::En => format!(
                "Keep #{} {}, merge #{} into it",
                into.id, into.name, from.id
            ),
        };
        view! {
            <form method="post" action=format!("/console/nominations/{}/review", from.id) class="inline">
                <input type="hidden" name="csrf" value=csrf.clone()/>
                <input type="hidden" name="revision" value=from.revision.to_string()/>
                <input type="hidden" name="decision" value="merge"/>
                <input type="hidden" name="into" value=into.id.to_string()/>
                <input type="hidden" name="confirmed" value="yes"/>
                <button type="submit" class="button" data-testid=testid>{label}</button>
            </form>
        }
    };
    let both_open = left.state.is_open() && right.state.is_open();
    let actions = (may && both_open).then(|| view! {
        <section class="card" data-testid="compare-merge">
            <h2>{lang.pick("是同一个人吗？", "The same person?")}</h2>
            <p class="fine">{lang.pick(
                "合并后，被并入的推荐的事迹和推荐人都保留在保留的那一条上，推荐人会收到告知。保留的那一条审核完成前，可以在它的页面上撤销合并。",
                "Merged, the other nomination's story and nominators stay on the one kept, and its nominators are told. Until the kept one is decided, the merge can be undone on its page.",
            )}</p>
            <div class="compare-actions">
                {merge(&right, &left, "compare-keep-left")}
                {merge(&left, &right, "compare-keep-right")}
                <a class="button" href=format!("/console/nominations/{}", left.id)>{lang.pick("不是同一个人，返回", "Not the same person: back")}</a>
            </div>
        </section>
    });
    view! {
        <ConsoleNav who=page.who.clone()/>
        <p><a href="/console/nominations">{lang.pick("← 推荐审核", "← Nominations")}</a></p>
        <h1>{lang.pick("比较两条推荐", "Compare two nominations")}</h1>
        <div class="compare">
            {side(lang, &left, "compare-left")}
            {side(lang, &right, "compare-right")}
        </div>
        {actions}
    }
}
