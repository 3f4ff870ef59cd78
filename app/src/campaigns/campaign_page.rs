//! The campaign's settings: titles, the phases' dates (Shanghai time), the
//! vote rules and whether the results are live, hidden or frozen.

use alleyvote_domain::notice::CampaignProblem;
use alleyvote_domain::{Campaign, Lang, ResultsVisibility};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::forms;
use super::server_fns::load_console_campaign;
use crate::components::{Loading, NoCampaign};
use crate::console::{if_allowed, ConsoleNav, Outcome};
use crate::i18n::{set_status, use_lang};

fn problem_text(lang: Lang, code: &str) -> &'static str {
    CampaignProblem::parse(code).map_or_else(
        || CampaignProblem::unknown_message(lang),
        |p| p.message(lang),
    )
}

/// The settings form: editing `campaign`, or (when `new`) a new campaign
/// starting from its dates and rules, with an address name of its own.
#[component]
fn CampaignForm(campaign: Campaign, csrf: String, #[prop(optional)] new: bool) -> impl IntoView {
    let lang = use_lang();
    let p = campaign.phases;
    let dates = forms::CampaignForm::PHASE_FIELDS
        .into_iter()
        .zip([
            (lang.pick("提名开始", "Nominations open"), p.nomination_start),
            (lang.pick("审核开始", "Review starts"), p.review_start),
            (lang.pick("投票开始", "Voting opens"), p.voting_start),
            (lang.pick("投票结束", "Voting closes"), p.voting_end),
            (lang.pick("公示结束", "Public notice ends"), p.notice_end),
            (lang.pick("颁奖典礼", "Ceremony"), p.ceremony_at),
        ])
        .map(|(name, (label, at))| {
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
    let (action, testid) = if new {
        ("/console/campaigns", "new-campaign-form")
    } else {
        ("/console/campaign", "campaign-form")
    };
    let slug = if new {
        view! {
            <label><span>{lang.pick("网址名（小写字母、数字、短横线，之后不能修改）", "Address name (lower-case letters, digits, dashes; fixed once made)")}</span>
                <input type="text" name="slug" required minlength="3" maxlength="40" pattern="[a-z0-9][a-z0-9-]+[a-z0-9]" placeholder="yangpu-2027"/></label>
        }
        .into_any()
    } else {
        view! { <input type="hidden" name="slug" value=campaign.slug.clone()/> }.into_any()
    };
    let (title_zh, title_en, description_zh, description_en) = if new {
        Default::default()
    } else {
        (
            campaign.title_zh.clone(),
            campaign.title_en.clone(),
            campaign.description_zh.clone(),
            campaign.description_en.clone(),
        )
    };
    let (hosts_zh, hosts_en, hotline) = if new {
        Default::default()
    } else {
        (
            campaign.hosts_zh.clone(),
            campaign.hosts_en.clone(),
            campaign
                .hotline
                .as_ref()
                .map_or(String::new(), |h| h.as_str().to_string()),
        )
    };
    view! {
        <form method="post" action=action class="console-form" data-testid=testid>
            <input type="hidden" name="csrf" value=csrf/>
            {slug}
            <label><span>{lang.pick("中文标题", "Title (Chinese)")}</span>
                <input type="text" name="title_zh" value=title_zh required maxlength="100"/></label>
            <label><span>{lang.pick("英文标题", "Title (English)")}</span>
                <input type="text" name="title_en" value=title_en maxlength="150"/></label>
            <label><span>{lang.pick("中文介绍", "Description (Chinese)")}</span>
                <textarea name="description_zh" rows="4" maxlength="2000">{description_zh}</textarea></label>
            <label><span>{lang.pick("英文介绍", "Description (English)")}</span>
                <textarea name="description_en" rows="4" maxlength="3000">{description_en}</textarea></label>
            <label><span>{lang.pick("主办与承办单位（显示在大屏和公示上，如“主办：…　承办：…”）", "Hosts (shown on the big screen and the notice, e.g. \"Hosted by …\")")}</span>
                <input type="text" name="hosts_zh" value=hosts_zh maxlength="120"/></label>
            <label><span>{lang.pick("主办与承办单位（英文）", "Hosts (English)")}</span>
                <input type="text" name="hosts_en" value=hosts_en maxlength="200"/></label>
            <label><span>{lang.pick("组委会电话（写在每条短信和确认页上，方便老人核实，如 021-6543 2100）", "Organisers' telephone (in every text and on the consent page, so people can check; e.g. 021-6543 2100)")}</span>
                <input type="tel" name="hotline" value=hotline maxlength="20" inputmode="tel"/></label>
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
            <button type="submit" class="button primary" data-testid=if new { "campaign-create" } else { "campaign-save" }>
                {if new { lang.pick("创建评选", "Create the campaign") } else { lang.pick("保存设置", "Save the settings") }}
            </button>
        </form>
    }
}

#[component]
pub fn CampaignPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let slug = move || query.with(|q| q.get("slug"));
    let data = Resource::new(slug, load_console_campaign);
    view! {
        <Title text=lang.pick("评选设置", "Campaign settings")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                if_allowed(data.await, "/console/campaign", |page| {
                    let problem = |key: &str| {
                        query.with(|q| q.get(key)).map(|code| {
                            set_status(400);
                            view! { <p class="notice error" role="alert" data-testid="console-outcome">{problem_text(lang, &code)}</p> }
                        })
                    };
                    let (edit_problem, new_problem) = (problem("problem"), problem("new_problem"));
                    let chosen = page.campaign.as_ref().map(|c| c.slug.clone()).unwrap_or_default();
                    let list = page
                        .campaigns
                        .iter()
                        .map(|(slug, title)| {
                            let href = format!("/console/campaign?slug={slug}");
                            let current = (*slug == chosen).then_some("page");
                            view! { <li><a href=href aria-current=current>{format!("{title}（{slug}）")}</a></li> }
                        })
                        .collect_view();
                    let (form, new_form) = match page.campaign {
                        Some(c) => (
                            view! { <CampaignForm campaign=c.clone() csrf=page.who.csrf.clone()/> }.into_any(),
                            view! { <CampaignForm campaign=c csrf=page.who.csrf.clone() new=true/> }.into_any(),
                        ),
                        None => (view! { <NoCampaign/> }.into_any(), view! { <p></p> }.into_any()),
                    };
                    view! {
                        <ConsoleNav who=page.who.clone()/>
                        <h1>{lang.pick("评选设置", "Campaign settings")}</h1>
                        <Outcome/>
                        <ul class="console-tasks" data-testid="campaigns">{list}</ul>
                        {edit_problem}
                        {form}
                        <h2>{lang.pick("新建一届评选", "A new campaign")}</h2>
                        {new_problem}
                        {new_form}
                    }
                    .into_any()
                })
            })}
        </Suspense>
    }
}
