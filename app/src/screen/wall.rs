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

/// An island: it follows the screen's stream in the browser.
#[island]
fn Wall(initial: ScreenView, stream: String) -> impl IntoView {
    let lang = use_lang();
    let view_now = RwSignal::new(initial);
    let connected = RwSignal::new(true);
    #[cfg(feature = "hydrate")]
    super::live::follow(stream, view_now, connected);
    #[cfg(not(feature = "hydrate"))]
    let _ = stream;
    move || {
        let v = view_now.get();
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
            ScreenMode::Live | ScreenMode::Frozen => {
                let rows = v.entries.iter().map(|e| view! { <Row e=e.clone() fresh=false/> }).collect_view();
                view! {
                    {(v.mode == ScreenMode::Frozen).then(|| view! { <p class="wall-tag">{lang.pick("定格", "Frozen")}</p> })}
                    <ol class="wall-board" data-testid="wall-board">{rows}</ol>
                    {(v.voting_open && v.mode == ScreenMode::Live).then(|| view! {
                        <img class="wall-qr-corner" src="/qr.svg" alt=lang.pick("扫码投票", "Scan to vote")/>
                    })}
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
        view! {
            <div class="wall" class:rehearsal=v.rehearsal data-testid="wall" data-mode=v.mode.as_str() data-connected=move || connected.get().to_string()>
                {v.rehearsal.then(|| view! { <p class="wall-rehearsal">{lang.pick("彩排 · 仅操作员可见", "Rehearsal · operator only")}</p> })}
                <header class="wall-head">
                    <h1>{title}</h1>
                    {count}
                    {stations.map(|s| view! { <p class="wall-stations">{s}</p> })}
                    {v.correction.as_ref().map(|note| view! {
                        <p class="wall-correction" data-testid="wall-correction">{crate::publication::corrections::note_headline(lang, note)}</p>
                    })}
                </header>
                {body}
            </div>
        }
        .into_any()
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
