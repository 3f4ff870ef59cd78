//! The frame of every page: the award's name, the three places a resident
//! goes, and the language switch.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::use_lang;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    let here = move || {
        let search = location.search.get();
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{}", location.pathname.get(), search)
        }
    };
    let other = lang.other();
    let large = crate::i18n::request_large_text();
    // The tab of the section this page is in (a profile is in 候选人).
    let path = location.pathname.get_untracked();
    let current = |tab: &str| -> Option<&'static str> {
        let here = match path.as_str() {
            "/" => "/",
            p if p.starts_with("/nominees") => "/nominees",
            p if p.starts_with("/results") => "/results",
            _ => "",
        };
        (here == tab).then_some("page")
    };
    // The big screen is a kiosk: no site frame around the wall.
    if path.starts_with("/screen") {
        return view! { <main class="kiosk">{children()}</main> }.into_any();
    }
    // The console is a workplace of its own: no residents' tabs to tap away
    // from a half-keyed sheet, and the laptop's width for the work.
    let console = path == "/console" || path.starts_with("/console/");
    view! {
        <header class="top">
            <a href=if console { "/console" } else { "/" } class="brand" data-testid="brand">
                <span class="brand-mark" aria-hidden="true">"巷"</span>
                <span>{lang.pick("十佳小巷总理", "Top Ten Alley Premiers")}</span>
                {console.then(|| view! { <span class="brand-console">{lang.pick("管理后台", "Console")}</span> })}
            </a>
            // Plain forms: larger text and the language switch work without JavaScript.
            <div class="switches">
            <form method="post" action="/text-size" class="lang-switch">
                <input type="hidden" name="size" value=if large { "normal" } else { "large" }/>
                <input type="hidden" name="next" value=here/>
                <button type="submit" data-testid="text-size-switch" aria-pressed=if large { "true" } else { "false" }>
                    {if large { lang.pick("标准字", "Normal text") } else { lang.pick("大字", "Large text") }}
                </button>
            </form>
            <form method="post" action="/lang" class="lang-switch">
                <input type="hidden" name="lang" value=if other == alleyvote_domain::Lang::En { "en" } else { "zh" }/>
                <input type="hidden" name="next" value=here/>
                <button type="submit" data-testid="lang-switch" lang=other.code()>
                    {lang.pick("English", "中文")}
                </button>
            </form>
            </div>
        </header>
        {(!console).then(|| view! {
            <nav class="tabs" aria-label=lang.pick("主要栏目", "Main sections") data-testid="public-tabs">
                <a href="/" aria-current=current("/") data-testid="nav-home">{lang.pick("首页", "Home")}</a>
                <a href="/nominees" aria-current=current("/nominees") data-testid="nav-nominees">{lang.pick("候选人", "Nominees")}</a>
                <a href="/results" aria-current=current("/results") data-testid="nav-results">{lang.pick("实时结果", "Live results")}</a>
            </nav>
        })}
        <main class=if console { "page console-page" } else { "page" }>{children()}</main>
        <footer class="foot">
            <p>{lang.pick("杨浦区“十佳小巷总理”评选", "Yangpu District Top Ten Alley Premier selection")}</p>
        </footer>
    }
    .into_any()
}
