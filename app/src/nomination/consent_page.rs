//! `/consent/{token}`: the page the nominee's text message links to. It says
//! who put them forward for what, and asks: agree, or decline. One answer
//! per link; the link expires after seven days.

use alleyvote_domain::nomination::{Consent, NominationDone};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::model::ConsentPageData;
use super::server_fns::load_consent_page;
use crate::components::{Loading, ServiceTrouble};
use crate::i18n::{set_status, use_lang};

#[component]
pub fn ConsentPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let token = params.with_untracked(|p| p.get("token").unwrap_or_default());
    let data = Resource::new(move || token.clone(), load_consent_page);
    view! {
        <Title text=lang.pick("确认推荐", "Your nomination")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <Consent page/> }.into_any(),
                    Err(_) => view! { <ServiceTrouble/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Consent(page: ConsentPageData) -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let token = params.with_untracked(|p| p.get("token").unwrap_or_default());
    let answered = query.with_untracked(|q| q.get("done"));
    let done = answered.map(|d| {
        let text = NominationDone::parse(&d).map_or_else(
            || NominationDone::unknown_message(lang),
            |d| d.message(lang),
        );
        view! { <p class="notice ok" role="status" data-testid="consent-outcome">{text}</p> }
    });
    let body = match page {
        ConsentPageData::Unknown => {
            set_status(404);
            view! { <p class="notice error" data-testid="consent-unknown">{lang.pick("这个链接无效。", "This link is not valid.")}</p> }.into_any()
        }
        ConsentPageData::Expired => {
            set_status(410);
            view! { <p class="notice error" data-testid="consent-expired">{lang.pick("这个链接已过期，请联系居委会书面确认。", "This link has expired; please confirm on paper with your community committee.")}</p> }.into_any()
        }
        ConsentPageData::Used => view! {
            <p class="notice" data-testid="consent-used">{lang.pick("这个链接已经使用过了。", "This link has been used already.")}</p>
        }.into_any(),
        ConsentPageData::Open { name, community_zh, community_en, role, story, consent } => {
            let asked = consent == Consent::Pending;
            view! {
                <section class="card" data-testid="consent-card">
                    <h2>{name}</h2>
                    <p class="fine">{lang.pick(&community_zh, &community_en).to_string()}" · "{role.label(lang)}</p>
                    <p>{story}</p>
                    <p class="fine">{consent.label(lang)}</p>
                </section>
                {asked.then(|| view! {
                    <p>{lang.pick(
                        "居民推荐您参加“十佳小巷总理”评选。如果您同意，审核通过后您的姓名、照片和事迹将公开展示。",
                        "Residents nominated you for the Top Ten Alley Premier award. If you agree, once reviewed your name, photo and story will be shown publicly.",
                    )}</p>
                    <form method="post" action=format!("/consent/{token}") class="inline">
                        <input type="hidden" name="agree" value="yes"/>
                        <button type="submit" class="button primary" data-testid="consent-agree">{lang.pick("我同意被推荐", "I agree")}</button>
                    </form>
                    <form method="post" action=format!("/consent/{token}") class="inline">
                        <input type="hidden" name="agree" value="no"/>
                        <button type="submit" class="button" data-testid="consent-decline">{lang.pick("谢谢，我婉拒", "No, thank you")}</button>
                    </form>
                })}
            }.into_any()
        }
    };
    view! {
        <h1>{lang.pick("十佳小巷总理 · 推荐确认", "Top Ten Alley Premier · your nomination")}</h1>
        {done}
        {body}
    }
}
