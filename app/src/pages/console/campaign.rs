//! The campaign's settings: titles, the phases' dates (Shanghai time), the
//! vote rules and whether the results are live, hidden or frozen.

use alleyvote_domain::{Campaign, Lang, ResultsVisibility};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{gate, ConsoleNav, Outcome};
use crate::i18n::{set_status, use_lang};
use crate::pages::{Loading, NoCampaign};
use crate::server_fns::load_console_campaign;

fn problem_text(lang: Lang, code: &str) -> &'static str {
    match code {
        "title" => lang.pick("请填写中文标题。", "Please give the Chinese title."),
        "dates" => lang.pick("请为每个阶段填写正确的日期和时间。", "Please give a real date and time for every phase."),
        "order" => lang.pick(
            "各阶段的时间必须依次排列：提名、审核、投票开始、投票结束、公示结束、颁奖。",
            "The phases must follow each other: nomination, review, voting opens, voting closes, notice ends, ceremony.",
        ),
        "rules" => lang.pick(
            "每人每天可投 1 到 100 票，给同一位候选人的票数不能超过每天的票数。",
            "Votes a day must be 1 to 100, and votes per nominee no more than that.",
        ),
        "visibility" => lang.pick("请选择结果公开方式。", "Please choose how the results show."),
        _ => lang.pick("有一项内容太长了，请缩短后再保存。", "Something is too long; please shorten it."),
    }
}

#[component]
fn CampaignForm(campaign: Campaign, csrf: String) -> impl IntoView {
    let lang = use_lang();
    let p = campaign.phases;
    let dates = [
        (
            "nomination_start",
            lang.pick("提名开始", "Nominations open"),
            p.nomination_start,
        ),
        (
            "review_start",
            lang.pick("审核开始", "Review starts"),
            p.review_start,
        ),
        (
            "voting_start",
            lang.pick("投票开始", "Voting opens"),
            p.voting_start,
        ),
        (
            "voting_end",
            lang.pick("投票结束", "Voting closes"),
            p.voting_end,
        ),
        (
            "notice_end",
            lang.pick("公示结束", "Public notice ends"),
            p.notice_end,
        ),
        (
            "ceremony_at",
            lang.pick("颁奖典礼", "Ceremony"),
            p.ceremony_at,
        ),
    ]
    .into_iter()
    .map(|(name, label, at)| {
        view! {
            <label><span>{label}</span>
                <input type="datetime-local" name=name value=at.to_local_input() required/></label>
        }
    })
    .collect_view();
    let visibility = [
        (ResultsVisibility::Live, lang.pick("实时公开", "Live")),
        (ResultsVisibility::Hidden, lang.pick("隐藏票数", "Counts hidden")),
        (ResultsVisibility::Frozen, lang.pick("冻结在当前时刻", "Frozen as of now")),
    ]
    .into_iter()
    .map(|(v, label)| view! { <option value=v.as_str() selected=v == campaign.results_visibility>{label}</option> })
    .collect_view();
    view! {
        <form method="post" action="/console/campaign" class="console-form" data-testid="campaign-form">
            <input type="hidden" name="csrf" value=csrf/>
            <input type="hidden" name="slug" value=campaign.slug.clone()/>
            <label><span>{lang.pick("中文标题", "Title (Chinese)")}</span>
                <input type="text" name="title_zh" value=campaign.title_zh.clone() required maxlength="100"/></label>
            <label><span>{lang.pick("英文标题", "Title (English)")}</span>
                <input type="text" name="title_en" value=campaign.title_en.clone() maxlength="150"/></label>
            <label><span>{lang.pick("中文介绍", "Description (Chinese)")}</span>
                <textarea name="description_zh" rows="4" maxlength="2000">{campaign.description_zh.clone()}</textarea></label>
            <label><span>{lang.pick("英文介绍", "Description (English)")}</span>
                <textarea name="description_en" rows="4" maxlength="3000">{campaign.description_en.clone()}</textarea></label>
            <fieldset>
                <legend>{lang.pick("各阶段时间（上海时间）", "Phases (Shanghai time)")}</legend>
                {dates}
            </fieldset>
            <fieldset>
                <legend>{lang.pick("投票规则", "Vote rules")}</legend>
                <label><span>{lang.pick("每人每天可投票数", "Votes per voter per day")}</span>
                    <input type="number" name="votes_per_day" min="1" max="100" value=campaign.rules.votes_per_day().to_string() required/></label>
                <label><span>{lang.pick("每天给同一位候选人最多投票数", "Most votes per nominee per day")}</span>
                    <input type="number" name="per_nominee_per_day" min="1" max="100" value=campaign.rules.per_nominee_per_day().to_string() required/></label>
            </fieldset>
            <label><span>{lang.pick("结果公开方式", "Results")}</span>
                <select name="results_visibility">{visibility}</select></label>
            <button type="submit" class="button primary" data-testid="campaign-save">{lang.pick("保存设置", "Save the settings")}</button>
        </form>
    }
}

#[component]
pub fn CampaignPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let data = Resource::new(|| (), |_| load_console_campaign());
    view! {
        <Title text=lang.pick("评选设置", "Campaign settings")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                gate(data.await, "/console/campaign", |page| {
                    let problem = query.with(|q| q.get("problem")).map(|code| {
                        set_status(400);
                        view! { <p class="notice error" role="alert" data-testid="console-outcome">{problem_text(lang, &code)}</p> }
                    });
                    let form = match page.campaign {
                        Some(c) => view! { <CampaignForm campaign=c csrf=page.who.csrf.clone()/> }.into_any(),
                        None => view! { <NoCampaign/> }.into_any(),
                    };
                    view! {
                        <ConsoleNav who=page.who.clone()/>
                        <h1>{lang.pick("评选设置", "Campaign settings")}</h1>
                        <Outcome/>
                        {problem}
                        {form}
                    }
                    .into_any()
                })
            })}
        </Suspense>
    }
}
