//! Accounts and roles (administrators only): create an account, change a
//! role, switch an account off. Every change lands in the audit log.

use alleyvote_domain::organizer::Role;
use leptos::prelude::*;
use leptos_meta::Title;

use super::model::OrganizerView;
use super::server_fns::load_console_organizers;
use crate::components::Loading;
use crate::console::{if_allowed, ConsoleNav, Outcome};
use crate::i18n::use_lang;
use crate::stations::StationOperators;

#[component]
fn RoleOptions(selected: Role) -> impl IntoView {
    let lang = use_lang();
    Role::ALL
        .into_iter()
        .map(|r| view! { <option value=r.as_str() selected=r == selected>{r.label(lang)}</option> })
        .collect_view()
}

#[component]
fn AccountRow(account: OrganizerView, csrf: String) -> impl IntoView {
    let lang = use_lang();
    let action = format!("/console/organizers/{}", account.id);
    let testid = format!("account-{}", account.username);
    view! {
        <tr data-testid=testid>
            <td>{account.username.clone()}</td>
            <td>{account.display_name.clone()}</td>
            <td colspan="2">
                <form method="post" action=action class="inline">
                    <input type="hidden" name="csrf" value=csrf/>
                    <select name="role" aria-label=lang.pick("角色", "Role")><RoleOptions selected=account.role/></select>
                    <label class="check">
                        <input type="checkbox" name="active" value="on" checked=account.active/>
                        {lang.pick("启用", "Active")}
                    </label>
                    <button type="submit" class="button small">{lang.pick("保存", "Save")}</button>
                </form>
            </td>
        </tr>
    }
}

#[component]
pub fn OrganizersPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| load_console_organizers());
    view! {
        <Title text=lang.pick("账号与角色", "Accounts and roles")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                if_allowed(data.await, "/console/organizers", |page| {
                    let csrf = page.who.csrf.clone();
                    let stations = view! { <StationOperators page=page.clone()/> };
                    let rows = page
                        .accounts
                        .into_iter()
                        .map(|a| view! { <AccountRow account=a csrf=csrf.clone()/> })
                        .collect_view();
                    view! {
                        <ConsoleNav who=page.who.clone()/>
                        <h1>{lang.pick("账号与角色", "Accounts and roles")}</h1>
                        <Outcome/>
                        <table class="console-table" data-testid="accounts">
                            <thead><tr>
                                <th>{lang.pick("用户名", "Username")}</th>
                                <th>{lang.pick("姓名", "Name")}</th>
                                <th colspan="2">{lang.pick("角色与状态", "Role and status")}</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                        <h2>{lang.pick("新建账号", "New account")}</h2>
                        <form method="post" action="/console/organizers" class="console-form" data-testid="new-account">
                            <input type="hidden" name="csrf" value=page.who.csrf.clone()/>
                            <label><span>{lang.pick("用户名（小写字母、数字）", "Username (lower-case letters, digits)")}</span>
                                <input type="text" name="username" required minlength="3" maxlength="32" autocapitalize="none"/></label>
                            <label><span>{lang.pick("姓名", "Name")}</span>
                                <input type="text" name="display_name" maxlength="64"/></label>
                            <label><span>{lang.pick("角色", "Role")}</span>
                                <select name="role"><RoleOptions selected=Role::StationOperator/></select></label>
                            <label><span>{lang.pick("初始密码（至少 10 个字符）", "First password (10 characters or more)")}</span>
                                <input type="password" name="password" required minlength="10" autocomplete="new-password"/></label>
                            <button type="submit" class="button primary">{lang.pick("创建账号", "Create the account")}</button>
                        </form>
                        {stations}
                    }
                    .into_any()
                })
            })}
        </Suspense>
    }
}
