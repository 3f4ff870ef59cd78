//! Nominees (administrators): the list with withdrawn ones marked and a
//! form for a new one. The form is multipart, so the photo travels with it;
//! it works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;

use super::fields::{NomineeFields, Problem};
use super::model::NomineeAdminRow;
use super::server_fns::load_console_nominees;
use crate::components::{Loading, NoCampaign};
use crate::console::{if_allowed, ConsoleNav, Outcome};
use crate::i18n::use_lang;

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
