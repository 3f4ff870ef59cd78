//! `/console/paper`: the station progress board. Every station of the
//! campaign by street, each sheet's state and whom it waits for; operators
//! open their stations' sheets from here. Administrators set the campaign's
//! paper rule here, and open each station's set-up page.

use alleyvote_domain::paper::SheetState;
use alleyvote_domain::Lang;
use leptos::prelude::*;
use leptos_meta::Title;

use super::model::{BoardStation, PaperBoardData};
use super::server_fns::load_paper_board;
use crate::components::Loading;
use crate::console::{if_allowed, ConsoleNav, Outcome};
use crate::i18n::use_lang;

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
        view! { <StationRow station=s manage/> }
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
fn StationRow(station: BoardStation, manage: bool) -> impl IntoView {
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
    // Administrators set a station up on its own page.
    let setup = manage.then(|| {
        view! {
            <p>
                <a class="button small" href=format!("/console/stations/{}", station.id) data-testid="station-setup-link">
                    {lang.pick("设置投票点：地点、录入员、选票、计票单 →", "Set up: place, operators, ballots, sheets →")}
                </a>
            </p>
        }
    });
    view! {
        <article class="board-station" class:mine=station.mine data-testid="board-station" data-station=station.id.to_string()>
            <h3>{station.name.clone()}</h3>
            <p class="fine">{details}</p>
            <p class="fine">{received}" · "{operators}</p>
            <ul class="board-sheets">{sheets}</ul>
            {setup}
        </article>
    }
}
