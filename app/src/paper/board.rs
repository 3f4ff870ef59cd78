//! `/console/paper`: the station progress board. Every station of the
//! campaign by street, each sheet's state and whom it waits for; operators
//! open their stations' sheets from here. Administrators also set stations
//! up: campaign, community, address and hours, ballot stock, sheets, and the
//! campaign's paper rule.

use alleyvote_domain::paper::SheetState;
use alleyvote_domain::Lang;
use leptos::prelude::*;
use leptos_meta::Title;

use super::model::{BoardStation, PaperBoardData};
use super::server_fns::load_paper_board;
use crate::components::Loading;
use crate::console::{if_allowed, ConsoleNav, Outcome};
use crate::i18n::use_lang;
use crate::places::model::CommunityChoice;

#[component]
pub fn PaperBoardPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| load_paper_board());
    view! {
        <Title text=lang.pick("纸质选票", "Paper ballots")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                if_allowed(data.await, "/console/paper", |board| match board {
                    Some(board) => view! { <Board board/> }.into_any(),
                    None => view! { <p class="notice">{lang.pick("还没有评选。", "No campaign yet.")}</p> }.into_any(),
                })
            })}
        </Suspense>
    }
}

/// A state as a small coloured label.
#[component]
pub(crate) fn StateBadge(state: SheetState) -> impl IntoView {
    let lang = use_lang();
    view! {
        <span class=format!("badge state-{}", state.as_str()) data-state=state.as_str()>
            {state.label(lang)}
        </span>
    }
}

#[component]
fn Board(board: PaperBoardData) -> impl IntoView {
    let lang = use_lang();
    let csrf = board.who.csrf.clone();
    let manage = board.may_manage;
    let communities = board.communities.clone();
    let campaign_id = board.campaign_id;
    let progress = match lang {
        Lang::Zh => format!("已报告投票点 {} / {}", board.reported, board.total),
        Lang::En => format!("Stations reported: {} / {}", board.reported, board.total),
    };
    let rule_form = manage.then(|| {
        let csrf = csrf.clone();
        view! {
            <form method="post" action="/console/paper/rule" class="inline-form" data-testid="paper-rule-form">
                <input type="hidden" name="csrf" value=csrf/>
                <input type="hidden" name="slug" value=board.campaign_slug.clone()/>
                <label>{lang.pick("每张选票最多可选", "Most nominees one ballot may mark")}" "
                    <input name="max_marks" inputmode="numeric" size="4" value=board.rule.max_marks_per_ballot.to_string()/>
                </label>
                <button type="submit" class="button small">{lang.pick("保存", "Save")}</button>
            </form>
        }
    });
    let row = |s: BoardStation| {
        view! { <StationRow station=s csrf=csrf.clone() manage communities=communities.clone() campaign_id/> }
    };
    let streets = board
        .streets
        .into_iter()
        .map(|street| {
            let stations = street.stations.into_iter().map(row).collect_view();
            view! {
                <section class="board-street">
                    <h2>{lang.pick(&street.street_zh, &street.street_en).to_string()}</h2>
                    {stations}
                </section>
            }
        })
        .collect_view();
    let unplaced = (manage && !board.unplaced.is_empty()).then(|| {
        let rows = board.unplaced.into_iter().map(row).collect_view();
        view! {
            <section class="board-street">
                <h2>{lang.pick("尚未设置的投票点", "Stations not set up yet")}</h2>
                <p class="fine">{lang.pick("请为这些投票点选择本届评选和所在社区，并填写地址和开放时间。", "Choose this campaign and the community for these stations, and fill in the address and hours.")}</p>
                {rows}
            </section>
        }
    });
    view! {
        <ConsoleNav who=board.who.clone()/>
        <h1>{lang.pick("纸质选票", "Paper ballots")}</h1>
        <Outcome/>
        <p class="lead">{lang.pick(&board.title_zh, &board.title_en).to_string()}</p>
        <p class="progress" data-testid="stations-reported">{progress}</p>
        <p class="fine">
            {lang.pick(
                "每张计票单由两位不同的录入员分别录入；两次一致即确认并计入总票数，不一致时由协调员（管理员）核对照片后决定。",
                "Two different operators key every sheet; equal entries make it definitive and counted, differing ones go to a coordinator (an administrator), who decides with the photo.",
            )}
        </p>
        {rule_form}
        {streets}
        {unplaced}
    }
}

#[component]
fn StationRow(
    station: BoardStation,
    csrf: String,
    manage: bool,
    communities: Vec<CommunityChoice>,
    campaign_id: i64,
) -> impl IntoView {
    let lang = use_lang();
    let sheets = station
        .sheets
        .iter()
        .map(|sheet| {
            let href = format!("/console/paper/sheets/{}", sheet.id);
            // Another station's sheet is not the viewer's to open.
            let label = if station.mine {
                view! { <a href=href class="sheet-link">{sheet.label.clone()}</a> }.into_any()
            } else {
                view! { <span class="sheet-label">{sheet.label.clone()}</span> }.into_any()
            };
            view! {
                <li data-testid="board-sheet" data-sheet=sheet.id.to_string()>
                    {label}" "
                    <StateBadge state=sheet.state/>" "
                    <span class="fine">{sheet.state.waits_for(lang)}</span>
                    {sheet.has_photo.then_some(" 📷")}
                </li>
            }
        })
        .collect_view();
    let operators = if station.operators.is_empty() {
        lang.pick("未指派录入员", "No operator assigned")
            .to_string()
    } else {
        station.operators.join("、")
    };
    let details = format!(
        "{} · {} · {}",
        if station.community_zh.is_empty() {
            "—".to_string()
        } else {
            station.community_zh.clone()
        },
        if station.address.is_empty() {
            "—".to_string()
        } else {
            station.address.clone()
        },
        if station.opening_hours.is_empty() {
            "—".to_string()
        } else {
            station.opening_hours.clone()
        },
    );
    let received = match lang {
        Lang::Zh => format!("已领取空白选票 {} 张", station.ballots_received),
        Lang::En => format!("{} blank ballots received", station.ballots_received),
    };
    let manage_forms = manage.then(|| {
        let id = station.id;
        let chosen = station.community_id;
        let options = communities
            .iter()
            .map(|c| {
                view! { <option value=c.id.0.to_string() selected=Some(c.id.0) == chosen>{c.label.clone()}</option> }
            })
            .collect_view();
        view! {
            <details class="station-setup">
                <summary>{lang.pick("设置投票点", "Set up the station")}</summary>
                <form method="post" action=format!("/console/stations/{id}") class="stack" data-testid="station-details-form">
                    <input type="hidden" name="csrf" value=csrf.clone()/>
                    <input type="hidden" name="campaign" value=campaign_id.to_string()/>
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
                <form method="post" action=format!("/console/stations/{id}/stock") class="stack" data-testid="stock-form">
                    <input type="hidden" name="csrf" value=csrf.clone()/>
                    <label>{lang.pick("发放空白选票（张）", "Blank ballots handed over")}<input name="ballots" inputmode="numeric" required/></label>
                    <label>{lang.pick("起始编号（可选）", "First serial (optional)")}<input name="serial_from" maxlength="24"/></label>
                    <label>{lang.pick("结束编号（可选）", "Last serial (optional)")}<input name="serial_to" maxlength="24"/></label>
                    <button type="submit" class="button small">{lang.pick("登记", "Record")}</button>
                </form>
                <form method="post" action=format!("/console/stations/{id}/sheets") class="inline-form" data-testid="new-sheet-form">
                    <input type="hidden" name="csrf" value=csrf.clone()/>
                    <label>{lang.pick("新增计票单（如“第1天”“1号票箱”）", "New tally sheet (e.g. \"day 1\", \"box 1\")")}
                        <input name="label" maxlength="30" required/>
                    </label>
                    <button type="submit" class="button small">{lang.pick("新增", "Add")}</button>
                </form>
            </details>
        }
    });
    view! {
        <article class="board-station" class:mine=station.mine data-testid="board-station" data-station=station.id.to_string()>
            <h3>{station.name.clone()}</h3>
            <p class="fine">{details}</p>
            <p class="fine">{received}" · "{operators}</p>
            <ul class="board-sheets">{sheets}</ul>
            {manage_forms}
        </article>
    }
}
