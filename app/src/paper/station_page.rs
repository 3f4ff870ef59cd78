//! `/console/stations/{id}`: one polling station set up in one place, for
//! administrators: where it is and when it opens, the campaign it serves,
//! who keys its sheets, the blank ballots handed over, its sheets (and a new
//! one), and — while none of its sheets was keyed — removing it. Every form
//! posts and comes back here with what happened.

use alleyvote_domain::Lang;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::board::StateBadge;
use super::model::StationPageData;
use super::server_fns::load_station_page;
use crate::components::Loading;
use crate::console::{if_allowed, ConsoleNav, Outcome};
use crate::i18n::{set_status, use_lang};

#[component]
pub fn StationPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_station_page(id).await,
            None => Ok(alleyvote_domain::organizer::Console::Open(None)),
        }
    });
    view! {
        <Title text=lang.pick("投票点设置", "Polling station")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let here = format!("/console/stations/{}", id().unwrap_or(0));
                if_allowed(data.await, &here, |page| match page {
                    Some(page) => view! { <Station page/> }.into_any(),
                    None => {
                        set_status(404);
                        view! {
                            <p class="notice error">{lang.pick("没有这个投票点。", "No such polling station.")}</p>
                            <p><a href="/console/paper">{lang.pick("← 返回投票点进度", "← Back to the stations")}</a></p>
                        }
                        .into_any()
                    }
                })
            })}
        </Suspense>
    }
}

#[component]
fn Station(page: StationPageData) -> impl IntoView {
    let lang = use_lang();
    let csrf = page.who.csrf.clone();
    let station = page.station.clone();
    let id = station.id;
    let chosen = station.community_id;
    let options = page
        .communities
        .iter()
        .map(|c| {
            view! { <option value=c.id.0.to_string() selected=Some(c.id.0) == chosen>{c.label.clone()}</option> }
        })
        .collect_view();
    // It serves the current campaign, or none; another campaign's station
    // keeps its campaign unless moved on purpose.
    let campaign_choice = {
        let current = page.current_campaign_id;
        let serving = page.campaign_id;
        let other = serving.filter(|c| Some(*c) != current);
        view! {
            <label>{lang.pick("所属评选", "Campaign")}
                <select name="campaign" data-testid="station-campaign">
                    {current.map(|c| view! {
                        <option value=c.to_string() selected=serving == Some(c)>{page.current_campaign_title.clone()}</option>
                    })}
                    {other.map(|c| view! {
                        <option value=c.to_string() selected=true>{lang.pick("另一届评选", "Another campaign")}" #"{c}</option>
                    })}
                    <option value="" selected=serving.is_none()>{lang.pick("（不参加评选）", "(none)")}</option>
                </select>
            </label>
        }
    };
    let operators = if page.operators.is_empty() {
        view! {
            <p class="fine">{lang.pick("还没有录入员账号。请先在“账号”页面创建角色为“录入员”的账号。", "No station operator accounts yet. Create accounts with the station operator role on the accounts page first.")}</p>
        }
        .into_any()
    } else {
        let boxes = page
            .operators
            .iter()
            .map(|o| {
                let inactive = (!o.active).then(|| view! { <span class="fine">{lang.pick("（已停用）", " (deactivated)")}</span> });
                view! {
                    <label class="check">
                        <input type="checkbox" name="operator" value=o.id.to_string() checked=o.assigned/>
                        {o.name.clone()}" "<span class="fine">{o.username.clone()}</span>{inactive}
                    </label>
                }
            })
            .collect_view();
        view! {
            <form method="post" action=format!("/console/stations/{id}/operators") class="stack" data-testid="station-operators-form">
                <input type="hidden" name="csrf" value=csrf.clone()/>
                <fieldset class="checks">
                    <legend>{lang.pick("在这个投票点录入计票单的录入员（两次录入须由两位不同的人完成）", "Operators who key this station's sheets (the two entries need two different people)")}</legend>
                    {boxes}
                </fieldset>
                <button type="submit" class="button small">{lang.pick("保存录入员", "Save the operators")}</button>
            </form>
        }
        .into_any()
    };
    let stock_rows = page
        .stock
        .iter()
        .map(|d| {
            let serials = if d.serial_from.is_empty() && d.serial_to.is_empty() {
                "—".to_string()
            } else {
                format!("{} – {}", d.serial_from, d.serial_to)
            };
            view! {
                <tr><td class="num">{d.ballots}</td><td>{serials}</td><td>{d.by.clone()}</td><td>{d.at.clone()}</td></tr>
            }
        })
        .collect_view();
    let stock_table = (!page.stock.is_empty()).then(|| {
        view! {
            <div class="table-wrap">
                <table class="data" data-testid="stock-history">
                    <thead><tr>
                        <th>{lang.pick("张数", "Ballots")}</th>
                        <th>{lang.pick("编号", "Serials")}</th>
                        <th>{lang.pick("登记人", "Recorded by")}</th>
                        <th>{lang.pick("时间", "When")}</th>
                    </tr></thead>
                    <tbody>{stock_rows}</tbody>
                </table>
            </div>
        }
    });
    let received = match lang {
        Lang::Zh => format!("共发放空白选票 {} 张", station.ballots_received),
        Lang::En => format!(
            "{} blank ballots handed over in all",
            station.ballots_received
        ),
    };
    let sheets = if station.sheets.is_empty() {
        view! { <p class="fine" data-testid="station-no-sheets">{lang.pick("还没有计票单。每天或每只票箱一张，在下面新增。", "No tally sheets yet. Add one per day or per box below.")}</p> }.into_any()
    } else {
        let items = station
            .sheets
            .iter()
            .map(|sheet| {
                view! {
                    <li data-testid="station-sheet">
                        <a href=format!("/console/paper/sheets/{}", sheet.id) class="sheet-link">{sheet.label.clone()}</a>" "
                        <StateBadge state=sheet.state/>" "
                        <span class="fine">{sheet.state.waits_for(lang)}</span>
                        {sheet.has_photo.then_some(" 📷")}" · "
                        <a href=format!("/console/paper/sheets/{}/print", sheet.id) class="fine">{lang.pick("打印", "Print")}</a>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="board-sheets">{items}</ul> }.into_any()
    };
    let remove = if page.removable {
        view! {
            <form method="post" action=format!("/console/stations/{id}/remove") class="stack" data-testid="station-remove-form">
                <input type="hidden" name="csrf" value=csrf.clone()/>
                <p class="fine">{lang.pick("这个投票点的计票单还没有任何录入或照片，可以删除（操作会记入操作记录）。", "None of this station's sheets was keyed or photographed: it can be removed (the audit log keeps a record).")}</p>
                <button type="submit" class="button danger">{lang.pick("删除这个投票点", "Remove this station")}</button>
            </form>
        }
        .into_any()
    } else {
        view! {
            <p class="fine" data-testid="station-kept">{lang.pick("这个投票点的计票单已有录入或照片，不能删除；不再使用时，可在上面把它移出本届评选。", "This station's sheets were keyed or photographed, so it stays; if it is no longer used, move it out of the campaign above.")}</p>
        }
        .into_any()
    };
    view! {
        <ConsoleNav who=page.who.clone()/>
        <p><a href="/console/paper">{lang.pick("← 返回投票点进度", "← Back to the stations")}</a></p>
        <h1 data-testid="station-name">{station.name.clone()}</h1>
        <Outcome/>
        <div class="station-sections">
            <section class="panel" data-testid="station-details">
                <h2>{lang.pick("地点与开放时间", "Place and hours")}</h2>
                <form method="post" action=format!("/console/stations/{id}") class="stack" data-testid="station-details-form">
                    <input type="hidden" name="csrf" value=csrf.clone()/>
                    {campaign_choice}
                    <label>{lang.pick("所在社区", "Community")}
                        <select name="community">
                            <option value="">{lang.pick("（未选择）", "(none)")}</option>
                            {options}
                        </select>
                    </label>
                    <label>{lang.pick("地址", "Address")}<input name="address" value=station.address.clone() maxlength="120"/></label>
                    <label>{lang.pick("开放时间", "Opening hours")}<input name="opening_hours" value=station.opening_hours.clone() maxlength="80"/></label>
                    <label>{lang.pick("通常投票人数（可选，用于提示异常）", "Usual turnout (optional, for warnings)")}
                        <input name="usual_turnout" inputmode="numeric" value=station.usual_turnout.map(|u| u.to_string()).unwrap_or_default()/>
                    </label>
                    <button type="submit" class="button small">{lang.pick("保存", "Save")}</button>
                </form>
            </section>
            <section class="panel" data-testid="station-operators">
                <h2>{lang.pick("录入员", "Operators")}</h2>
                {operators}
            </section>
            <section class="panel" data-testid="station-stock">
                <h2>{lang.pick("空白选票", "Blank ballots")}</h2>
                <p data-testid="station-received">{received}</p>
                {stock_table}
                <form method="post" action=format!("/console/stations/{id}/stock") class="stack" data-testid="stock-form">
                    <input type="hidden" name="csrf" value=csrf.clone()/>
                    <label>{lang.pick("本次发放空白选票（张）", "Blank ballots handed over now")}<input name="ballots" inputmode="numeric" required/></label>
                    <label>{lang.pick("起始编号（可选）", "First serial (optional)")}<input name="serial_from" maxlength="24"/></label>
                    <label>{lang.pick("结束编号（可选）", "Last serial (optional)")}<input name="serial_to" maxlength="24"/></label>
                    <button type="submit" class="button small">{lang.pick("登记", "Record")}</button>
                </form>
            </section>
            <section class="panel" data-testid="station-sheets">
                <h2>{lang.pick("计票单", "Tally sheets")}</h2>
                {sheets}
                <form method="post" action=format!("/console/stations/{id}/sheets") class="inline-form" data-testid="new-sheet-form">
                    <input type="hidden" name="csrf" value=csrf.clone()/>
                    <label>{lang.pick("新增计票单（如“第1天”“1号票箱”）", "New tally sheet (e.g. \"day 1\", \"box 1\")")}
                        <input name="label" maxlength="30" required/>
                    </label>
                    <button type="submit" class="button small">{lang.pick("新增", "Add")}</button>
                </form>
            </section>
            <section class="panel" data-testid="station-remove">
                <h2>{lang.pick("删除投票点", "Remove the station")}</h2>
                {remove}
            </section>
        </div>
    }
}
