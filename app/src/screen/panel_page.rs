//! `/console/screen`: the screen operator's panel, on a laptop or a phone.
//! Two screens: the public wall and a private rehearsal screen that runs
//! the whole reveal with the real data while the wall stays hidden. For
//! the screen chosen: a button per mode, and in a reveal "next" with the
//! place it will reveal (shown here only) and "back". With JavaScript, the
//! → / Space / PageDown keys press "next" (a presentation clicker works)
//! and ← / PageUp press "back".

use alleyvote_domain::screen::{Channel, ScreenMode, ScreenRefusal};
use alleyvote_domain::Lang;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::model::ScreenPanelData;
use super::server_fns::load_screen_panel;
use crate::components::Loading;
use crate::console::{if_allowed, ConsoleNav};
use crate::i18n::{set_status, use_lang};

#[component]
pub fn ScreenPanelPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let channel = move || {
        query
            .with(|q| q.get("channel"))
            .and_then(|c| Channel::parse(&c))
            .unwrap_or(Channel::Public)
    };
    let data = Resource::new(channel, load_screen_panel);
    view! {
        <Title text=lang.pick("大屏控制", "Screen control")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                if_allowed(data.await, "/console/screen", |panel| match panel {
                    Some(panel) => view! { <Panel panel/> }.into_any(),
                    None => view! { <p class="notice">{lang.pick("还没有评选。", "No campaign yet.")}</p> }.into_any(),
                })
            })}
        </Suspense>
    }
}

fn outcome_text(lang: Lang, problem: &str) -> &'static str {
    ScreenRefusal::ALL
        .into_iter()
        .find(|r| r.code() == problem)
        .map(|r| r.message(lang))
        .unwrap_or(lang.pick(
            "另一位操作员刚刚操作过，请看最新状态。",
            "Another operator pressed first; look at the screen now.",
        ))
}

#[component]
fn Panel(panel: ScreenPanelData) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let confirm_csrf = panel.who.csrf.clone();
    let confirm_channel = panel.channel;
    let problem = move || {
        let (problem, wanted) = query.with(|q| (q.get("problem"), q.get("wanted")));
        problem.map(|p| {
            set_status(400);
            // Ending a reveal under way is asked, not refused.
            let confirm = (p == ScreenRefusal::RevealUnderway.code())
                .then_some(())
                .and(wanted.as_deref().and_then(ScreenMode::parse))
                .map(|mode| {
                    view! {
                        <form method="post" action="/console/screen/press" class="inline">
                            <input type="hidden" name="csrf" value=confirm_csrf.clone()/>
                            <input type="hidden" name="channel" value=confirm_channel.as_str()/>
                            <input type="hidden" name="command" value=mode.as_str()/>
                            <input type="hidden" name="confirm" value="yes"/>
                            <button type="submit" class="button danger" data-testid="confirm-switch">
                                {match lang {
                                    Lang::Zh => format!("确定切换到“{}”", mode.label(lang)),
                                    Lang::En => format!("Switch to “{}” anyway", mode.label(lang)),
                                }}
                            </button>
                        </form>
                        " "
                        <a href=format!("/console/screen?channel={}", confirm_channel.as_str()) class="button">{lang.pick("不切换，继续揭晓", "Stay with the reveal")}</a>
                    }
                });
            view! {
                <div class="notice error" role="alert" data-testid="screen-outcome">
                    <p>{outcome_text(lang, &p)}</p>
                    {confirm}
                </div>
            }
        })
    };
    let channel = panel.channel;
    let (shown, other) = match channel {
        Channel::Public => (&panel.public, Channel::Rehearsal),
        Channel::Rehearsal => (&panel.rehearsal, Channel::Public),
    };
    let csrf = panel.who.csrf.clone();
    let button = move |command: &'static str,
                       label: String,
                       id: Option<&'static str>,
                       current: bool| {
        view! {
            <form method="post" action="/console/screen/press" class="inline">
                <input type="hidden" name="csrf" value=csrf.clone()/>
                <input type="hidden" name="channel" value=channel.as_str()/>
                <input type="hidden" name="command" value=command/>
                <button type="submit" id=id class="button" class:current=current data-testid=format!("press-{command}")>{label}</button>
            </form>
        }
    };
    let modes = ScreenMode::ALL
        .into_iter()
        .map(|m| button(m.as_str(), m.label(lang).to_string(), None, shown.mode == m))
        .collect_view();
    // Mid-reveal, the other buttons ask first (the server refuses them
    // unconfirmed); the page says so beside them.
    let underway =
        shown.mode == ScreenMode::Reveal && shown.revealed > 0 && shown.revealed < shown.winners;
    let not_ready = match (&panel.reveal_ready, shown.mode) {
        (Err(why), mode) if mode != ScreenMode::Reveal => Some(view! {
            <p class="fine warn" data-testid="reveal-not-ready">{lang.pick("逐个揭晓暂不可用：", "The staged reveal is not available: ")}{why.message(lang)}</p>
        }),
        _ => None,
    };
    // Hiding the wall does not hide the phones' results page.
    let wall_quiet = matches!(panel.public.mode, ScreenMode::Hidden | ScreenMode::Waiting);
    let public_warning = (wall_quiet && panel.public_page.shows_counts()).then(|| view! {
        <p class="notice error" data-testid="public-counts-warning">
            {lang.pick(
                "注意：大屏没有显示票数，但会场里的手机打开“实时结果”仍能看到票数和排名。如需一起隐藏，请到 ",
                "Note: the wall shows no counts, but phones in the hall still see counts and ranks on the live results. To hide them too, set the results to hidden in ",
            )}
            <a href="/console/campaign">{lang.pick("评选设置", "the campaign settings")}</a>
            {lang.pick("。", ".")}
        </p>
    });
    let reveal = (shown.mode == ScreenMode::Reveal).then(|| {
        let next_text = shown.next.as_ref().map(|e| match lang {
            Lang::Zh => format!("下一位：第{}名 {}（{} 号）", e.rank, e.name, e.number),
            Lang::En => format!("Next: No. {} {} (no. {})", e.rank, e.name, e.number),
        });
        view! {
            <div class="card reveal-controls">
                <p data-testid="panel-revealed">{match lang {
                    Lang::Zh => format!("已揭晓 {} / {}", shown.revealed, shown.winners),
                    Lang::En => format!("Revealed {} of {}", shown.revealed, shown.winners),
                }}</p>
                <p class="next-preview" data-testid="panel-next">{next_text.unwrap_or_else(|| lang.pick("已全部揭晓", "All revealed").to_string())}</p>
                {button("next", lang.pick("揭晓下一位 →", "Reveal next →").to_string(), Some("press-next"), false)}
                {button("back", lang.pick("← 撤回一位", "← Take one back").to_string(), Some("press-back"), false)}
            </div>
        }
    });
    let title = match channel {
        Channel::Public => lang.pick("正在控制：会场大屏", "Controlling: the wall"),
        Channel::Rehearsal => lang.pick(
            "正在控制：彩排屏（仅操作员可见）",
            "Controlling: the rehearsal screen (operator only)",
        ),
    };
    let switch = match other {
        Channel::Public => lang.pick("切换到会场大屏", "Switch to the wall"),
        Channel::Rehearsal => lang.pick("切换到彩排屏", "Switch to rehearsal"),
    };
    view! {
        <ConsoleNav who=panel.who.clone()/>
        <h1>{lang.pick("大屏控制", "Screen control")}</h1>
        {problem}
        <section class="card screen-panel" data-testid="screen-panel" data-channel=channel.as_str()>
            <h2>{title}</h2>
            <p>{lang.pick("会场大屏：", "Wall: ")}<strong data-testid="public-mode">{panel.public.mode.label(lang)}</strong>
               {lang.pick(" · 彩排屏：", " · Rehearsal: ")}<strong data-testid="rehearsal-mode">{panel.rehearsal.mode.label(lang)}</strong>
               {lang.pick(" · 手机结果页：", " · Phones' results page: ")}<strong data-testid="public-page-state">{panel.public_page.label(lang)}</strong></p>
            {public_warning}
            // The reveal's buttons come first and stay in view on a laptop.
            {reveal}
            <div class="mode-buttons" class:guarded=underway data-guarded=underway.to_string()>{modes}</div>
            {underway.then(|| view! { <p class="fine">{lang.pick("揭晓进行中：切换到其他模式需要确认。", "A reveal is under way: switching to another mode asks first.")}</p> })}
            {not_ready}
            <p>
                <a href=format!("/console/screen?channel={}", other.as_str()) data-testid="switch-channel">{switch}</a>" · "
                <a href="/screen" target="_blank">{lang.pick("打开会场大屏", "Open the wall")}</a>" · "
                <a href="/screen/rehearsal" target="_blank">{lang.pick("打开彩排屏", "Open the rehearsal screen")}</a>
            </p>
            <KeysHint/>
            <crate::LoadIslands/>
        </section>
    }
    .into_any()
}

/// The keyboard hint. An island: in the browser it listens for the keys, and
/// says (to people and to tests) that they work once it does. "Pause"
/// stops the keys (and a clicker) while the host speaks; the buttons stay.
#[island]
fn KeysHint() -> impl IntoView {
    let lang = use_lang();
    let keys_on = RwSignal::new(false);
    let paused = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    {
        keys(paused);
        Effect::new(move |_| keys_on.set(true));
    }
    let state = move || match (keys_on.get(), paused.get()) {
        (false, _) => "false",
        (true, false) => "true",
        (true, true) => "paused",
    };
    view! {
        <p class="fine" data-testid="panel-keys" data-keys=state>
            {lang.pick("键盘：→ 或空格 揭晓下一位，← 撤回一位（翻页笔可用）。", "Keys: → or Space reveals the next, ← takes one back (clickers work).")}
            " "
            <button type="button" class="button small" data-testid="keys-pause" hidden=move || !keys_on.get()
                on:click=move |_| paused.update(|p| *p = !*p)>
                {move || if paused.get() { lang.pick("恢复翻页笔", "Resume the keys") } else { lang.pick("暂停翻页笔", "Pause the keys") }}
            </button>
        </p>
    }
}

/// → / Space / PageDown press "next"; ← / PageUp press "back"; nothing
/// while paused.
#[cfg(feature = "hydrate")]
fn keys(paused: RwSignal<bool>) {
    use wasm_bindgen::JsCast;
    let handle = window_event_listener(leptos::ev::keydown, move |e| {
        if paused.get_untracked() {
            return;
        }
        let id = match e.key().as_str() {
            "ArrowRight" | " " | "PageDown" => "press-next",
            "ArrowLeft" | "PageUp" => "press-back",
            _ => return,
        };
        let button = document()
            .get_element_by_id(id)
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(button) = button {
            e.prevent_default();
            button.click();
        }
    });
    on_cleanup(move || handle.remove());
}
