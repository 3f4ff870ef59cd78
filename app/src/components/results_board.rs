//! The ranking as a bar chart: readable from the back of a hall, and on a phone.

use alleyvote_domain::{ResultsSnapshot, ResultsVisibility};
use leptos::prelude::*;

use crate::i18n::{date_time, use_lang};

/// Ranks within this line are the award's winners.
const WINNERS: u32 = 10;

#[component]
pub fn ResultsBoard(initial: ResultsSnapshot) -> impl IntoView {
    let lang = use_lang();
    let snapshot = RwSignal::new(initial);
    // On the server and without JavaScript this stays false: the page says
    // it shows the state at load time.
    let live = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    crate::live::follow(snapshot, live);

    let status = move || {
        if live.get() {
            lang.pick("实时更新中", "Updating live")
        } else {
            lang.pick("刷新页面查看最新结果", "Reload for the latest count")
        }
    };
    view! {
        <section class="results" data-testid="results-board">
            <p class="live-status" data-testid="live-status" class:on=move || live.get()>{status}</p>
            {move || {
                let s = snapshot.get();
                let max = s.max_votes().max(1);
                let hidden = s.visibility == ResultsVisibility::Hidden;
                let frozen = s.visibility == ResultsVisibility::Frozen;
                let header = match (hidden, frozen) {
                    (true, _) => lang.pick("计票结果暂不公开，下面按编号列出全部候选人。", "Counts are not public yet; nominees are listed by number.").to_string(),
                    (false, true) => format!("{}{}", lang.pick("结果已冻结于 ", "Frozen at "), date_time(lang, s.as_of)),
                    (false, false) => format!("{}{}", lang.pick("统计时间 ", "Counted at "), date_time(lang, s.as_of)),
                };
                let total = s.total_votes.map(|t| {
                    view! {
                        <p class="total">
                            {lang.pick("总票数 ", "Total votes ")}
                            <strong data-testid="total-votes">{t}</strong>
                            <span class="fine">{lang.pick("（网络投票 + 纸质选票）", " (online + paper)")}</span>
                        </p>
                    }
                });
                let stations = (s.stations_total > 0).then(|| {
                    let text = match lang {
                        alleyvote_domain::Lang::Zh => format!("纸质投票点已报告 {} / {}", s.stations_reported, s.stations_total),
                        alleyvote_domain::Lang::En => format!("Polling stations reported: {} / {}", s.stations_reported, s.stations_total),
                    };
                    view! {
                        <p class="stations-progress" data-testid="stations-progress">
                            {text}" · "<a href="/stations">{lang.pick("投票点在哪里", "Where they are")}</a>
                        </p>
                    }
                });
                let rows = s
                    .entries
                    .iter()
                    .map(|e| {
                        let pct = e.votes.map(|v| (v as f64 * 100.0 / max as f64).max(0.5)).unwrap_or(0.0);
                        let winner = e.rank.is_some_and(|r| r <= WINNERS);
                        let rank = e.rank.map(|r| r.to_string()).unwrap_or_default();
                        let votes = e.votes.map(|v| v.to_string()).unwrap_or_default();
                        let community = lang.pick(&e.community_zh, &e.community_en).to_string();
                        let split = e.online.zip(e.paper).filter(|(_, p)| *p > 0).map(|(o, p)| match lang {
                            alleyvote_domain::Lang::Zh => format!(" · 网络 {o} · 纸质 {p}"),
                            alleyvote_domain::Lang::En => format!(" · online {o} · paper {p}"),
                        });
                        view! {
                            <li class="row" class:winner=winner data-testid="result-row">
                                <span class="rank">{rank}</span>
                                <span class="who">
                                    <span class="name">{e.name.clone()}</span>
                                    <span class="sub">{e.number.to_string()}" · "{community}<span data-testid="result-split">{split}</span></span>
                                </span>
                                <span class="bar" aria-hidden="true"><span class="fill" style=format!("width:{pct:.1}%")></span></span>
                                <span class="votes" data-testid="result-votes">{votes}</span>
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <p class="as-of">{header}</p>
                    {total}
                    {stations}
                    <ol class="board">{rows}</ol>
                }
            }}
        </section>
    }
}
