//! The organizer console's shell, around every console page: plain forms
//! that post to the server (they work without JavaScript), each carrying the
//! session's CSRF token. The server checks the session and the role on every
//! page and every form; the pages only hide what the role may not do. Here:
//! the console's navigation, the outcome a form's redirect names, and what a
//! page shows when its reader may not see it.

pub mod forms;

use alleyvote_domain::notice::{ConsoleError, Done};
use alleyvote_domain::organizer::{Action, Console};
use alleyvote_domain::Lang;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::ServiceTrouble;
use crate::i18n::{set_status, use_lang};
use crate::organizers::model::ConsoleMe;

/// Shows a console page's data, or sends the reader to sign in, or says no.
pub(crate) fn if_allowed<T>(
    loaded: Result<Console<T>, ServerFnError>,
    here: &str,
    show: impl FnOnce(T) -> AnyView,
) -> AnyView {
    match loaded {
        Ok(Console::Open(data)) => show(data),
        Ok(Console::SignIn) => {
            let to = format!("/console/login?next={}", here);
            #[cfg(feature = "ssr")]
            leptos_axum::redirect(&to);
            view! { <SignInFirst to/> }.into_any()
        }
        Ok(Console::Forbidden) => view! { <Forbidden/> }.into_any(),
        Err(_) => view! { <ServiceTrouble/> }.into_any(),
    }
}

/// Said where the server's redirect to the sign-in form cannot be followed.
#[component]
fn SignInFirst(to: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="notice" data-testid="console-sign-in-first">
            <p>{lang.pick("请先登录管理后台。", "Please sign in to the console first.")}" "
                <a href=to>{lang.pick("去登录", "Sign in")}</a></p>
        </div>
    }
}

#[component]
fn Forbidden() -> impl IntoView {
    let lang = use_lang();
    set_status(403);
    view! {
        <div class="notice error" role="alert" data-testid="console-forbidden">
            <p>{lang.pick("您的账号没有这项权限。如需使用，请联系管理员。", "Your account may not do this. Ask an administrator if you need it.")}</p>
            <p><a href="/console">{lang.pick("回到管理后台首页", "Back to the console")}</a></p>
        </div>
    }
}

/// A sentence for the outcome a form's redirect carries (`?done=` or `?error=`).
fn outcome_text(lang: Lang, done: Option<String>, error: Option<String>) -> Option<(bool, String)> {
    if let Some(d) = done {
        let text = Done::parse(&d).map_or_else(|| Done::unknown_message(lang), |d| d.message(lang));
        return Some((true, text.to_string()));
    }
    error.map(|e| {
        let text = ConsoleError::parse(&e)
            .map_or_else(|| ConsoleError::unknown_message(lang), |e| e.message(lang));
        (false, text.to_string())
    })
}

/// The notice for the outcome in the query string, if any.
#[component]
pub(crate) fn Outcome() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    move || {
        let (done, error) = query.with(|q| (q.get("done"), q.get("error")));
        outcome_text(lang, done, error).map(|(ok, text)| {
            if !ok {
                set_status(400);
            }
            view! {
                <p class=if ok { "notice ok" } else { "notice error" } role="status" data-testid="console-outcome">{text}</p>
            }
        })
    }
}

/// The console's own navigation and the sign-out forms.
#[component]
pub(crate) fn ConsoleNav(who: ConsoleMe) -> impl IntoView {
    let lang = use_lang();
    // The menu marks where the organizer is (a sheet is under 纸质选票).
    let path = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    let current = move |href: &str| -> Option<&'static str> {
        let here = if href == "/console" {
            path == "/console"
        } else {
            path == href || path.starts_with(&format!("{href}/"))
        };
        here.then_some("page")
    };
    let csrf = who.csrf.clone();
    let csrf2 = who.csrf.clone();
    let greeting = match lang {
        Lang::Zh => format!("{}（{}）", who.me.display_name, who.me.role.label(lang)),
        Lang::En => format!("{} ({})", who.me.display_name, who.me.role.label(lang)),
    };
    view! {
        <nav class="console-nav" aria-label=lang.pick("管理后台", "Console")>
            <p class="who" data-testid="console-who">{greeting}</p>
            <a href="/console" aria-current=current("/console")>{lang.pick("后台首页", "Console home")}</a>
            {who.may(Action::ManageOrganizers).then(|| view! {
                <a href="/console/organizers" aria-current=current("/console/organizers") data-testid="nav-organizers">{lang.pick("账号与角色", "Accounts and roles")}</a>
            })}
            {who.may(Action::EditCampaign).then(|| view! {
                <a href="/console/campaign" aria-current=current("/console/campaign") data-testid="nav-campaign">{lang.pick("评选设置", "Campaign")}</a>
            })}
            {who.may(Action::EditNominees).then(|| view! {
                <a href="/console/nominees" aria-current=current("/console/nominees") data-testid="nav-nominees">{lang.pick("候选人", "Nominees")}</a>
            })}
            {who.may(Action::ManageStreets).then(|| view! {
                <a href="/console/places" aria-current=current("/console/places") data-testid="nav-places">{lang.pick("街道与社区", "Streets")}</a>
            })}
            {who.may(Action::ReviewNominations).then(|| view! {
                <a href="/console/nominations" aria-current=current("/console/nominations") data-testid="nav-nominations">{lang.pick("推荐审核", "Nominations")}</a>
            })}
            {who.may(Action::EnterPaperBallots).then(|| view! {
                <a href="/console/paper" aria-current=current("/console/paper") data-testid="nav-paper">{lang.pick("纸质选票", "Paper ballots")}</a>
            })}
            {who.may(Action::AnswerObjections).then(|| view! {
                <a href="/console/results" aria-current=current("/console/results") data-testid="nav-results">{lang.pick("结果发布", "Results")}</a>
            })}
            <a href="/console/jury" aria-current=current("/console/jury") data-testid="nav-jury">{lang.pick("评委评分", "Jury")}</a>
            {who.may(Action::ControlScreen).then(|| view! {
                <a href="/console/screen" aria-current=current("/console/screen") data-testid="nav-screen">{lang.pick("大屏控制", "Screen")}</a>
            })}
            {who.may(Action::ViewAuditLog).then(|| view! {
                <a href="/console/audit" aria-current=current("/console/audit") data-testid="nav-audit">{lang.pick("操作记录", "Audit log")}</a>
            })}
            {who.may(Action::ViewAuditLog).then(|| view! {
                <a href="/console/tally" aria-current=current("/console/tally") data-testid="nav-tally">{lang.pick("核对计票", "Recount")}</a>
            })}
            <form method="post" action="/console/logout" class="inline">
                <input type="hidden" name="csrf" value=csrf/>
                <button type="submit" class="button small" data-testid="console-logout">{lang.pick("退出", "Sign out")}</button>
            </form>
            <form method="post" action="/console/logout-everywhere" class="inline">
                <input type="hidden" name="csrf" value=csrf2/>
                <button type="submit" class="button small">{lang.pick("在所有设备上退出", "Sign out everywhere")}</button>
            </form>
        </nav>
    }
}
