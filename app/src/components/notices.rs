//! What a page shows instead of its content: the service is briefly
//! unavailable, still loading, or there is no campaign yet.

use leptos::prelude::*;

use crate::i18n::{set_status, use_lang};

/// What a page shows when the server could not answer: a sentence, and a 503.
#[component]
pub(crate) fn ServiceTrouble() -> impl IntoView {
    let lang = use_lang();
    set_status(503);
    view! {
        <div class="notice error" role="alert" data-testid="service-trouble">
            <p>{lang.pick("服务暂时不可用，请稍后再试。", "The service is briefly unavailable. Please try again shortly.")}</p>
        </div>
    }
}

#[component]
pub(crate) fn Loading() -> impl IntoView {
    let lang = use_lang();
    view! { <p class="loading">{lang.pick("加载中…", "Loading…")}</p> }
}

/// Shown where a campaign is needed and none is set up yet.
#[component]
pub(crate) fn NoCampaign() -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="notice" data-testid="no-campaign">
            <p>{lang.pick("本届评选尚未发布，敬请关注。", "This year's selection has not been announced yet.")}</p>
        </div>
    }
}
