//! The ranking as a bar chart: readable from the back of a hall, and on a phone.

use alleyvote_domain::ranking::Formula;
use alleyvote_domain::{Lang, ResultsSnapshot, ResultsStage};
use leptos::prelude::*;

use crate::i18n::{date_time, use_lang};

/// How the page keeps up with the count.
// Set only by the browser's code.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Following {
    /// As loaded: on the server, without JavaScript, or before the first
    /// message. The page says to reload it.
    AsLoaded,
    /// A stream brings each change.
    Live,
    /// No stream (refused or failing): the page asks every few seconds.
    Polling,
    /// Neither answers right now; the last count stays on the page.
    Offline,
}

impl Following {
    fn code(self) -> &'static str {
        match self {
            Following::AsLoaded => "as_loaded",
            Following::Live => "live",
            Following::Polling => "polling",
            Following::Offline => "offline",
        }
    }

    fn words(self, lang: Lang) -> &'static str {
        match self {
            Following::AsLoaded => lang.pick("刷新页面查看最新结果", "Reload for the latest count"),
            Following::Live => lang.pick("实时更新中", "Updating live"),
            Following::Polling => lang.pick("每 5 秒自动刷新", "Refreshing every 5 seconds"),
            Following::Offline => {
                lang.pick("连接中断，正在重试…", "Connection lost, trying again…")
            }
        }
    }
}

/// An island: it follows the live stream in the browser, or asks every few
/// seconds when it has none.
#[island]
pub fn ResultsBoard(initial: ResultsSnapshot) -> impl IntoView {
    let lang = use_lang();
    let snapshot = RwSignal::new(initial);
    // On the server and without JavaScript this stays as loaded: the page
    // says it shows the state at load time.
    let following = RwSignal::new(Following::AsLoaded);
    #[cfg(feature = "hydrate")]
    super::live::follow(snapshot, following);
    let published =
        move || snapshot.with(|s| matches!(s.state, ResultsStage::Notice | ResultsStage::Final));

    view! {
        <section class="results" data-testid="results-board">
            <p
                class="live-status"
                data-testid="live-status"
                data-following=move || following.get().code()
                class:on=move || following.get() == Following::Live && !published()
                class:polling=move || following.get() == Following::Polling && !published()
                role="status"
            >
                // Published results no longer move with votes: no "live" badge.
                {move || if published() {
                    lang.pick("公示结果 · 不再随投票变化", "Published results · votes no longer change them")
                } else {
                    following.get().words(lang)
                }}
            </p>
            {move || {
                let s = snapshot.get();
                let max = s.max_votes().max(1);
                let header = match s.state {
                    ResultsStage::Hidden => lang.pick("计票结果暂不公开，下面按编号列出全部候选人。", "Counts are not public yet; nominees are listed by number.").to_string(),
                    ResultsStage::Closed => lang.pick("投票已结束，计票结果正在审核，公示时公布。下面按编号列出全部候选人。", "Voting is over; the count is being reviewed and will be published for notice. Nominees are listed by number.").to_string(),
                    ResultsStage::Frozen => format!("{}{}", lang.pick("结果已冻结于 ", "Frozen at "), date_time(lang, s.as_of)),
                    ResultsStage::Notice => format!("{}{}", lang.pick("结果公示中 · 计票截至 ", "On public notice · counted as of "), date_time(lang, s.as_of)),
                    ResultsStage::Final => format!("{}{}", lang.pick("最终结果 · 计票截至 ", "Final results · counted as of "), date_time(lang, s.as_of)),
                    ResultsStage::Live => format!("{}{}", lang.pick("统计时间 ", "Counted at "), date_time(lang, s.as_of)),
                };
                let weighted = matches!(s.formula.rule.formula, Formula::Weighted { .. });
                let formula = view! {
                    <p class="formula fine" data-testid="results-formula">
                        {lang.pick(&s.formula.words_zh, &s.formula.words_en).to_string()}
                        {match lang {
                            Lang::Zh => format!(" · 前 {} 名当选", s.winners),
                            Lang::En => format!(" · the first {} win", s.winners),
                        }}
                    </p>
                };
                let lot = (!s.lot_pending.is_empty()).then(|| {
                    let tied = s.lot_pending.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(lang.pick("、", ", "));
                    view! {
                        <p class="notice" data-testid="lot-pending">
                            {lang.pick("当选名额线上并列，将由现场抽签决定：", "Tied at the winners' line, to be decided by a lot: ")}{tied}
                        </p>
                    }
                });
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
                    // What the count means: a station's paper ballots join
                    // the total once both keyings of all its sheets agree.
                    let missing = s.stations_reported < s.stations_total;
                    let text = match (lang, missing) {
                        (Lang::Zh, true) => format!("纸质投票点已报告 {} / {}：其余投票点的纸质选票还未计入总票数", s.stations_reported, s.stations_total),
                        (Lang::Zh, false) => format!("纸质投票点已报告 {} / {}：全部纸质选票已计入", s.stations_reported, s.stations_total),
                        (Lang::En, true) => format!("Polling stations reported: {} / {}; the others' paper ballots are not in the total yet", s.stations_reported, s.stations_total),
                        (Lang::En, false) => format!("Polling stations reported: {} / {}; every paper ballot is counted", s.stations_reported, s.stations_total),
                    };
                    view! {
                        <p class="stations-progress" data-testid="stations-progress">
                            {text}" · "<a href="/stations">{lang.pick("投票点在哪里", "Where they are")}</a>
                        </p>
                    }
                });
                let decided = matches!(s.state, ResultsStage::Notice | ResultsStage::Final);
                let last_winner = s.entries.iter().filter(|e| e.winner).count();
                let rows = s
                    .entries
                    .iter()
                    .enumerate()
                    .map(|(i, e)| {
                        let pct = e.votes.map(|v| (v as f64 * 100.0 / max as f64).max(0.5)).unwrap_or(0.0);
                        let winner = e.winner;
                        let tie = e.tie_break.map(|t| format!(" · {}", t.placed_below(lang)));
                        let score = weighted.then(|| e.score.clone()).flatten().map(|sc| match lang {
                            Lang::Zh => format!(" · 得分 {sc}"),
                            Lang::En => format!(" · score {sc}"),
                        });
                        let rank = e.rank.map(|r| r.to_string()).unwrap_or_default();
                        let votes = e.votes.map(|v| v.to_string()).unwrap_or_default();
                        let community = lang.pick(&e.community_zh, &e.community_en).to_string();
                        let split = e.online.zip(e.paper).filter(|(_, p)| *p > 0).map(|(o, p)| match lang {
                            Lang::Zh => format!(" · 网络 {o} · 纸质 {p}"),
                            Lang::En => format!(" · online {o} · paper {p}"),
                        });
                        // Published: the winners say so, and a line follows the last.
                        let elected = (decided && winner).then(|| view! {
                            <span class="elected" data-testid="elected">{lang.pick("当选", "Elected")}</span>
                        });
                        let line = (decided && i + 1 == last_winner && last_winner < s.entries.len()).then(|| {
                            let words = match lang {
                                Lang::Zh => format!("以上 {last_winner} 位当选"),
                                Lang::En => format!("The {last_winner} above are elected"),
                            };
                            view! { <li class="winners-line" data-testid="winners-line">{words}</li> }
                        });
                        view! {
                            <li class="row" class:winner=winner data-testid="result-row">
                                <span class="rank">{rank}</span>
                                <span class="who">
                                    <span class="name">{e.name.clone()}{elected}</span>
                                    <span class="sub">{e.number.to_string()}" · "{community}<span data-testid="result-split">{split}</span>{score}<span data-testid="result-tie">{tie}</span></span>
                                </span>
                                <span class="bar" aria-hidden="true"><span class="fill" style=format!("width:{pct:.1}%")></span></span>
                                <span class="votes" data-testid="result-votes">{votes}</span>
                            </li>
                            {line}
                        }
                    })
                    .collect_view();
                view! {
                    <p class="as-of" data-testid="results-state" data-state=format!("{:?}", s.state).to_lowercase()>{header}</p>
                    {formula}
                    {total}
                    {lot}
                    {stations}
                    <ol class="board">{rows}</ol>
                }
            }}
        </section>
    }
}
