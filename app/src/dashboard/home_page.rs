//! `/console`: the dashboard, then the tasks the account may do.

use alleyvote_domain::organizer::Action;
use alleyvote_domain::Lang;
use leptos::prelude::*;
use leptos_meta::Title;

use super::chart::HourlyChart;
use super::model::{DashboardData, Overview};
use super::refresh::{DashboardRefresh, REFRESH_S};
use super::server_fns::load_dashboard;
use crate::components::Loading;
use crate::console::{if_allowed, ConsoleNav, Outcome};
use crate::i18n::{date_time, use_lang};

#[component]
pub fn ConsoleHomePage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| load_dashboard());
    view! {
        <Title text=lang.pick("管理后台", "Console")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                if_allowed(data.await, "/console", |home| view! { <Home home/> }.into_any())
            })}
        </Suspense>
    }
}

#[component]
fn Home(home: DashboardData) -> impl IntoView {
    let lang = use_lang();
    let who = home.who.clone();
    // With JavaScript the overview reads itself again in place; without,
    // the browser reloads the page (a form being filled lives elsewhere).
    let overview = home.overview.clone().map(|o| {
        view! {
            <noscript><meta http-equiv="refresh" content=REFRESH_S.to_string()/></noscript>
            <DashboardRefresh/>
            <OverviewView o/>
            <crate::LoadIslands/>
        }
    });
    let count = match lang {
        Lang::Zh => format!("操作记录共 {} 条。", home.audit_entries),
        Lang::En => format!("{} entries in the audit log.", home.audit_entries),
    };
    view! {
        <ConsoleNav who=who.clone()/>
        <h1>{lang.pick("管理后台", "Console")}</h1>
        <Outcome/>
        {overview}
        <section class="dash-tasks">
            <h2>{lang.pick("常用操作", "Tasks")}</h2>
            <ul class="console-tasks" data-testid="console-tasks">
                {who.may(Action::ManageOrganizers).then(|| view! {
                    <li><a href="/console/organizers">{lang.pick("管理工作人员账号和角色", "Manage organizer accounts and roles")}</a></li>
                })}
                {who.may(Action::EditCampaign).then(|| view! {
                    <li><a href="/console/campaign">{lang.pick("设置评选的时间、规则和结果公开方式", "Set the campaign's dates, rules and results")}</a></li>
                })}
                {who.may(Action::EditNominees).then(|| view! {
                    <li><a href="/console/nominees">{lang.pick("添加和编辑候选人", "Add and edit nominees")}</a></li>
                })}
                {who.may(Action::ManageStreets).then(|| view! {
                    <li><a href="/console/places">{lang.pick("管理街道和社区（可从 CSV 导入）", "Manage streets and communities (CSV import)")}</a></li>
                })}
                {who.may(Action::ViewAuditLog).then(|| view! {
                    <li><a href="/console/audit">{lang.pick("查看和导出操作记录", "Read and export the audit log")}</a>" "<span class="fine">{count.clone()}</span></li>
                })}
                {who.may(Action::ViewAuditLog).then(|| view! {
                    <li><a href="/console/tally">{lang.pick("重新清点选票，核对实时计票", "Recount the votes against the running tally")}</a></li>
                })}
                <li><a href="/results">{lang.pick("查看实时结果", "See the live results")}</a></li>
            </ul>
        </section>
    }
}

#[component]
fn OverviewView(o: Overview) -> impl IntoView {
    let lang = use_lang();
    let h = &o.hourly;
    let today = h.total_today();
    let yesterday = h.yesterday_by_now();
    let versus = match lang {
        Lang::Zh => format!("今天已收到 {today} 票；昨天同一时刻 {yesterday} 票"),
        Lang::En => format!("{today} votes today; {yesterday} by this time yesterday"),
    };
    let phase = match (o.next, lang) {
        (Some((next, at)), Lang::Zh) => format!(
            "当前阶段：{} · 下一阶段：{}（{}）",
            o.phase.label(lang),
            next.label(lang),
            date_time(lang, at)
        ),
        (Some((next, at)), Lang::En) => format!(
            "Now: {} · next: {} ({})",
            o.phase.label(lang),
            next.label(lang),
            date_time(lang, at)
        ),
        (None, _) => format!(
            "{}{}",
            lang.pick("当前阶段：", "Now: "),
            o.phase.label(lang)
        ),
    };
    let reported =
        o.stations_total as usize - o.stations_waiting.len().min(o.stations_total as usize);
    let stations = match lang {
        Lang::Zh => format!("投票点已报告 {reported} / {}", o.stations_total),
        Lang::En => format!("Stations reported {reported} / {}", o.stations_total),
    };
    let waiting = (!o.stations_waiting.is_empty()).then(|| {
        view! { <p class="fine" data-testid="dash-stations-waiting">{lang.pick("尚未报告：", "Not yet: ")}{o.stations_waiting.join(lang.pick("、", ", "))}</p> }
    });
    let sheets = if o.sheets_to_decide.is_empty() {
        view! { <p class="fine">{lang.pick("没有等待协调员处理的计票单。", "No sheet waits for a coordinator.")}</p> }.into_any()
    } else {
        let list = o
            .sheets_to_decide
            .iter()
            .map(|s| view! { <li><a href=format!("/console/paper/sheets/{}", s.id)>{s.station.clone()}" · "{s.label.clone()}</a></li> })
            .collect_view();
        view! { <ul class="dash-list">{list}</ul> }.into_any()
    };
    let nominations = match lang {
        Lang::Zh => format!("{} 份推荐等待审核", o.nominations_to_review),
        Lang::En => format!("{} nominations wait for review", o.nominations_to_review),
    };
    let sms = match lang {
        Lang::Zh => format!("今天短信验证码发送失败 {} 次", o.sms_failed_today),
        Lang::En => format!("{} sign-in texts failed today", o.sms_failed_today),
    };
    let sms_list = (!o.sms_failures.is_empty()).then(|| {
        let items = o
            .sms_failures
            .iter()
            .map(|f| view! { <li>{date_time(lang, f.at)}" · "{f.number.clone()}" · "<span class="fine">{f.reason.clone()}</span></li> })
            .collect_view();
        view! {
            <ul class="dash-list" data-testid="dash-sms-failures">{items}</ul>
            <p class="fine">{lang.pick("失败较多时，请检查短信网关账户与余额；居民可改用投票卡登录。", "If many fail, check the SMS gateway account and balance; residents can sign in with a ballot card meanwhile.")}</p>
        }
    });
    view! {
        <section class="dashboard" data-testid="dashboard">
            <p class="dash-phase" data-testid="dash-phase"><strong>{lang.pick(&o.title_zh, &o.title_en).to_string()}</strong>" · "{phase}</p>
            <div class="dash-grid">
                <article class="card dash-votes">
                    <h2>{lang.pick("每小时票数", "Votes per hour")}</h2>
                    <p class="dash-big" data-testid="dash-today" data-today=today data-yesterday=yesterday>{versus}</p>
                    <HourlyChart hourly=o.hourly.clone()/>
                    <p class="fine" data-testid="dash-as-of">{lang.pick("统计于 ", "As of ")}{date_time(lang, o.as_of)}</p>
                </article>
                <article class="card">
                    <h2><a href="/console/paper">{lang.pick("纸质投票点", "Polling stations")}</a></h2>
                    <p class="dash-big" data-testid="dash-stations">{stations}</p>
                    {waiting}
                    <h3>{lang.pick("等待协调员的计票单", "Sheets waiting for a coordinator")}</h3>
                    <div data-testid="dash-sheets">{sheets}</div>
                </article>
                <article class="card">
                    <h2><a href="/console/nominations">{lang.pick("推荐审核", "Nominations")}</a></h2>
                    <p class="dash-big" data-testid="dash-nominations">{nominations}</p>
                </article>
                <article class="card" class:dash-alert={o.sms_failed_today > 0}>
                    <h2>{lang.pick("短信验证码", "Sign-in texts")}</h2>
                    <p class="dash-big" data-testid="dash-sms" data-failed=o.sms_failed_today>{sms}</p>
                    {sms_list}
                </article>
            </div>
        </section>
    }
}
