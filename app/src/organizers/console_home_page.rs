//! The console's first page: who is signed in and where they may go.

use alleyvote_domain::organizer::Action;
use leptos::prelude::*;
use leptos_meta::Title;

use super::server_fns::load_console_home;
use crate::components::Loading;
use crate::console::{if_allowed, ConsoleNav, Outcome};
use crate::i18n::use_lang;

#[component]
pub fn ConsoleHomePage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| load_console_home());
    view! {
        <Title text=lang.pick("管理后台", "Console")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                if_allowed(data.await, "/console", |home| {
                    let count = match lang {
                        alleyvote_domain::Lang::Zh => format!("操作记录共 {} 条。", home.audit_entries),
                        alleyvote_domain::Lang::En => format!("{} entries in the audit log.", home.audit_entries),
                    };
                    let who = home.who.clone();
                    view! {
                        <ConsoleNav who=who.clone()/>
                        <h1>{lang.pick("管理后台", "Console")}</h1>
                        <Outcome/>
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
                                <li><a href="/console/audit">{lang.pick("查看和导出操作记录", "Read and export the audit log")}</a>" "<span class="fine">{count}</span></li>
                            })}
                            {who.may(Action::ViewAuditLog).then(|| view! {
                                <li><a href="/console/tally">{lang.pick("重新清点选票，核对实时计票", "Recount the votes against the running tally")}</a></li>
                            })}
                            <li><a href="/results">{lang.pick("查看实时结果", "See the live results")}</a></li>
                        </ul>
                    }
                    .into_any()
                })
            })}
        </Suspense>
    }
}
