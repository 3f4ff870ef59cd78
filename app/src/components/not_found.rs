use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{set_status, use_lang};

#[component]
pub fn NotFound() -> impl IntoView {
    let lang = use_lang();
    set_status(404);
    view! {
        <Title text=lang.pick("页面不存在", "Page not found")/>
        <div class="notice" data-testid="not-found">
            <h1>{lang.pick("没有找到这个页面", "We could not find that page")}</h1>
            <p><a class="button" href="/">{lang.pick("回到首页", "Back to the home page")}</a></p>
        </div>
    }
}
