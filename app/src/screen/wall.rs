//! `/screen`: the wall at the ceremony, read from 20 m. The title, the
//! count (online + paper, stations reported), then what the operator chose:
//! the QR code to vote, "counting…", the ranking with photos and bars, or
//! the winners revealed one by one (the last winner first). Chinese first;
//! sizes follow the screen's width, so a 3840 × 2160 wall shows the same
//! page twice as large. `/screen/rehearsal` is the operator's private copy.

use alleyvote_domain::screen::{Channel, ScreenEntry, ScreenMode, ScreenView};
use alleyvote_domain::Lang;
use leptos::prelude::*;
use leptos_meta::Title;

use super::server_fns::load_screen;
use crate::components::{Loading, NoCampaign, ServiceTrouble};
use crate::console::if_allowed;
use crate::i18n::use_lang;
use alleyvote_domain::organizer::Console;

#[component]
pub fn ScreenPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_screen(Channel::Public));
    view! {
        <Title text="十佳小巷总理 · 大屏"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Console::Open(Some(view))) => view! { <Wall initial=view stream="/screen/stream".to_string()/><crate::LoadIslands/> }.into_any(),
                    Ok(_) => view! { <NoCampaign/> }.into_any(),
                    Err(_) => view! { <ServiceTrouble/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn RehearsalScreenPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_screen(Channel::Rehearsal));
    view! {
        <Title text="彩排 · 大屏"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                if_allowed(data.await, "/screen/rehearsal", |view| match view {
                    Some(view) => view! { <Wall initial=view stream="/console/screen/stream?channel=rehearsal".to_string()/><crate::LoadIslands/> }.into_any(),
                    None => view! { <NoCampaign/> }.into_any(),
                })
            })}
        </Suspense>
    }
}

/// An island: it follows the screen's stream in the browser. A place
/// revealed while the wall watches gets its own full-screen card for a few
/// seconds (the first place a longer finale) before it joins the list; a
/// wall opened mid-reveal shows the list as it stands.
#[island]
fn Wall(initial: ScreenView, stream: String) -> impl IntoView {
    let lang = use_lang();
    let seen_revealed = StoredValue::new(initial.revealed);
    let view_now = RwSignal::new(initial);
    let connected = RwSignal::new(true);
    #[cfg(feature = "hydrate")]
    super::live::follow(stream, view_now, connected);
    #[cfg(not(feature = "hydrate"))]
    let _ = stream;
    // Lost connection: the last view stays, with a small marker.
    let offline = move || {
        (!connected.get()).then(|| {
            view! {
                <p class="wall-offline" data-testid="wall-offline">
                    {lang.pick("● 连接中断，正在重连（显示断线前的结果）", "● Connection lost, reconnecting (showing the last results)")}
                </p>
            }
        })
    };
    let screen = move || {
        let v = view_now.get();
        let arriving = v.mode == ScreenMode::Reveal && v.revealed > seen_revealed.get_value();
        seen_revealed.set_value(v.revealed);
        let card = arriving
            .then(|| v.entries.first().cloned())
            .flatten()
            .map(|e| view! { <RevealCard e/> });
        let title = lang.pick(&v.title_zh, &v.title_en).to_string();
        let count = v.total_online.zip(v.total_paper).map(|(online, paper)| {
            let text = match lang {
                Lang::Zh => format!("总票数 {}（网络 {online} · 纸质 {paper}）", online + paper),
                Lang::En => format!("Total {} (online {online} · paper {paper})", online + paper),
            };
            view! { <p class="wall-count" data-testid="wall-count">{text}</p> }
        });
        let stations = (v.stations_total > 0).then(|| match lang {
            Lang::Zh => format!(
                "投票点已报告 {} / {}",
                v.stations_reported, v.stations_total
            ),
            Lang::En => format!(
                "Stations reported {} / {}",
                v.stations_reported, v.stations_total
            ),
        });
        let body = match v.mode {
            ScreenMode::Waiting => view! {
                <div class="wall-waiting">
                    <p class="wall-lead">{lang.pick("评选即将揭晓", "The results are coming")}</p>
                    {v.voting_open.then(|| view! {
                        <figure class="wall-qr">
                            <img src="/qr.svg" alt=lang.pick("扫码投票", "Scan to vote")/>
                            <figcaption>{lang.pick("微信扫码，为身边的小巷总理投票", "Scan with WeChat to vote")}</figcaption>
                        </figure>
                    })}
                </div>
            }.into_any(),
            ScreenMode::Hidden => view! {
                <p class="wall-lead wall-counting" data-testid="wall-counting">{lang.pick("计票中……", "Counting…")}</p>
            }.into_any(),
            // The public's results are hidden: the wall says so, not a blank.
            ScreenMode::Live | ScreenMode::Frozen if v.entries.is_empty() => view! {
                <p class="wall-lead" data-testid="wall-empty">{lang.pick("计票结果暂不公开，请关注现场揭晓", "The count is not public yet; the results are revealed on stage")}</p>
            }.into_any(),
            ScreenMode::Live | ScreenMode::Frozen => {
                let rows = v.entries.iter().map(|e| view! { <Row e=e.clone() fresh=false/> }).collect_view();
                // The QR code has a column of its own: it covers no row.
                let qr = (v.voting_open && v.mode == ScreenMode::Live).then(|| view! {
                    <figure class="wall-qr-side" data-testid="wall-qr">
                        <img src="/qr.svg" alt=lang.pick("扫码投票", "Scan to vote")/>
                        <figcaption>{lang.pick("扫码投票", "Scan to vote")}</figcaption>
                    </figure>
                });
                let with_qr = qr.is_some();
                view! {
                    {(v.mode == ScreenMode::Frozen).then(|| view! { <p class="wall-tag">{lang.pick("定格", "Frozen")}</p> })}
                    <div class="wall-live" class:with-qr=with_qr>
                        <ol class="wall-board" data-testid="wall-board">{rows}</ol>
                        {qr}
                    </div>
                }.into_any()
            }
            ScreenMode::Reveal => {
                let newest = v.entries.first().map(|e| e.number);
                let rows = v
                    .entries
                    .iter()
                    .map(|e| view! { <Row e=e.clone() fresh=Some(e.number) == newest/> })
                    .collect_view();
                let lead = match (v.revealed, lang) {
                    (0, Lang::Zh) => format!("{} 位获奖者即将揭晓", v.winners),
                    (0, Lang::En) => format!("{} winners, revealed one by one", v.winners),
                    (_, Lang::Zh) => format!("已揭晓 {} / {}", v.revealed, v.winners),
                    (_, Lang::En) => format!("Revealed {} of {}", v.revealed, v.winners),
                };
                view! {
                    <p class="wall-tag" data-testid="wall-revealed" data-revealed=v.revealed>{lead}</p>
                    <ol class="wall-board reveal" data-testid="wall-board">{rows}</ol>
                }.into_any()
            }
        };
        let countdown = v.voting_closes.map(|closes| view! { <Countdown closes/> });
        // Who holds the award, and the ceremony's day: the wall's foot.
        let hosts = v.hosts(lang).to_string();
        let day = v.ceremony_at.map(|at| crate::i18n::date(lang, at));
        let foot = (!hosts.is_empty() || day.is_some()).then(|| {
            let line = [Some(hosts.clone()).filter(|h| !h.is_empty()), day.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · ");
            view! { <footer class="wall-foot" data-testid="wall-hosts">{line}</footer> }
        });
        view! {
            {v.rehearsal.then(|| view! { <p class="wall-rehearsal">{lang.pick("彩排 · 仅操作员可见", "Rehearsal · operator only")}</p> })}
            <header class="wall-head">
                <h1>{title}</h1>
                {count}
                {stations.map(|s| view! { <p class="wall-stations">{s}</p> })}
                {countdown}
                {v.correction.as_ref().map(|note| view! {
                    <p class="wall-correction" data-testid="wall-correction">{crate::publication::corrections::note_headline(lang, note)}</p>
                })}
            </header>
            {body}
            {foot}
            {card}
        }
        .into_any()
    };
    let mode = move || view_now.with(|v| v.mode.as_str());
    let rehearsal = move || view_now.with(|v| v.rehearsal);
    view! {
        <div class="wall" class:rehearsal=rehearsal data-testid="wall" data-mode=mode data-connected=move || connected.get().to_string()>
            {screen}
            {offline}
        </div>
    }
}

/// A place just revealed, on the whole wall for a few seconds; the first
/// place gets the finale. CSS animates it in and away (no flashing; still
/// with reduced motion).
#[component]
fn RevealCard(e: ScreenEntry) -> impl IntoView {
    let lang = use_lang();
    let finale = e.rank == 1;
    let photo = match e.photo_url.clone() {
        Some(url) => view! { <img class="reveal-photo" src=url alt=""/> }.into_any(),
        None => view! { <span class="reveal-photo initial" aria-hidden="true">{e.name.chars().next().map(String::from).unwrap_or_default()}</span> }.into_any(),
    };
    let place = match (lang, finale) {
        (Lang::Zh, true) => "第一名".to_string(),
        (Lang::En, true) => "First place".to_string(),
        (Lang::Zh, false) => format!("第{}名", e.rank),
        (Lang::En, false) => format!("Place {}", e.rank),
    };
    let votes = match lang {
        Lang::Zh => format!("{} 票", e.votes),
        Lang::En => format!("{} votes", e.votes),
    };
    view! {
        // The page patches one card in place from place to place: the
        // animation's name alternates so that each place starts it afresh.
        <div class="reveal-card" class:finale=finale class:alt=e.rank.is_multiple_of(2) data-testid="reveal-card" data-rank=e.rank role="status">
            <div class="reveal-inner">
                {finale.then(|| view! { <p class="reveal-crown">{lang.pick("十佳小巷总理", "Top Ten Alley Premier")}</p> })}
                <p class="reveal-place">{place}</p>
                {photo}
                <p class="reveal-name">{e.name.clone()}</p>
                <p class="reveal-sub">{e.number.to_string()}" · "{lang.pick(&e.community_zh, &e.community_en).to_string()}</p>
                {e.line.clone().map(|line| view! { <p class="reveal-line" data-testid="reveal-line">{line}</p> })}
                <p class="reveal-votes">{votes}</p>
            </div>
        </div>
    }
}

/// The time left to vote, counting down each second in the browser.
#[component]
fn Countdown(closes: alleyvote_domain::Millis) -> impl IntoView {
    let lang = use_lang();
    let now = RwSignal::new(now_ms());
    #[cfg(feature = "hydrate")]
    {
        if let Ok(handle) =
            set_interval_with_handle(move || now.set(now_ms()), std::time::Duration::from_secs(1))
        {
            on_cleanup(move || handle.clear());
        }
    }
    let text = move || {
        let left = ((closes.0 - now.get()) / 1000).max(0);
        let (d, h, m, s) = (left / 86_400, left / 3600 % 24, left / 60 % 60, left % 60);
        match (lang, d) {
            (Lang::Zh, 0) => format!("距投票截止 {h:02}:{m:02}:{s:02}"),
            (Lang::Zh, _) => format!("距投票截止 {d} 天 {h:02}:{m:02}:{s:02}"),
            (Lang::En, 0) => format!("Voting closes in {h:02}:{m:02}:{s:02}"),
            (Lang::En, _) => format!("Voting closes in {d} d {h:02}:{m:02}:{s:02}"),
        }
    };
    view! { <p class="wall-countdown" data-testid="wall-countdown">{text}</p> }
}

/// Now, in milliseconds: the browser's clock there, the server's here.
fn now_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        alleyvote_domain::Millis::now().0
    }
}

#[component]
fn Row(e: ScreenEntry, fresh: bool) -> impl IntoView {
    let lang = use_lang();
    let photo = match e.photo_url.clone() {
        Some(url) => view! { <img class="wall-photo" src=url alt=""/> }.into_any(),
        None => view! { <span class="wall-photo initial" aria-hidden="true">{e.name.chars().next().map(String::from).unwrap_or_default()}</span> }.into_any(),
    };
    let rank = match lang {
        Lang::Zh => format!("第{}名", e.rank),
        Lang::En => format!("No. {}", e.rank),
    };
    view! {
        <li class="wall-row" class:winner=e.winner class:fresh=fresh data-testid="wall-row" data-number=e.number.get() data-rank=e.rank>
            <span class="wall-rank">{rank}</span>
            {photo}
            <span class="wall-who">
                <span class="wall-name">{e.name.clone()}</span>
                <span class="wall-sub">{e.number.to_string()}" · "{lang.pick(&e.community_zh, &e.community_en).to_string()}</span>
            </span>
            <span class="wall-bar" aria-hidden="true"><span class="fill" style=format!("width:{:.1}%", f64::from(e.bar) / 10.0)></span></span>
            <span class="wall-votes">{e.votes}</span>
        </li>
    }
}
