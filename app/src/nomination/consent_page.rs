//! `/consent/{token}`: the page the nominee's text message links to. It says
//! who put them forward for what, and asks: agree, or decline. One answer
//! per link; the link expires after seven days.

use alleyvote_domain::nomination::{Consent, NominationDone};
use alleyvote_domain::Lang;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::model::{ConsentLink, ConsentPageData};
use super::server_fns::load_consent_page;
use crate::components::{Loading, ServiceTrouble};
use crate::i18n::{date_time, set_status, use_lang};

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

/// "Questions? Call …": under every state of the page, when given.
fn call_us(lang: Lang, hotline: Option<String>) -> impl IntoView {
    hotline.map(|h| {
        let tel = format!("tel:{}", h.replace([' ', '-'], ""));
        view! {
            <p class="hotline" data-testid="consent-hotline">
                {lang.pick("如有疑问，请致电组委会：", "Questions? Call the organisers: ")}
                <a href=tel class="button">{h}</a>
            </p>
        }
    })
}

#[component]
fn Consent(page: ConsentPageData) -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let token = params.with_untracked(|p| p.get("token").unwrap_or_default());
    let answered = query.with_untracked(|q| q.get("done"));
    let confirming = query.with_untracked(|q| q.get("confirm")).as_deref() == Some("decline");
    let done = answered.map(|d| {
        let text = NominationDone::parse(&d).map_or_else(
            || NominationDone::unknown_message(lang),
            |d| d.message(lang),
        );
        view! { <p class="notice ok" role="status" data-testid="consent-outcome">{text}</p> }
    });
    let action = format!("/consent/{token}");
    let body = match page.link {
        ConsentLink::Unknown => {
            set_status(404);
            view! { <p class="notice error" data-testid="consent-unknown">{lang.pick("这个链接无效。请核对短信里的链接，或致电组委会。", "This link is not valid. Check the link in the text, or call the organisers.")}</p> }.into_any()
        }
        ConsentLink::Expired => {
            set_status(410);
            view! { <p class="notice error" data-testid="consent-expired">{lang.pick("这个链接已过期，请联系居委会书面确认。", "This link has expired; please confirm on paper with your community committee.")}</p> }.into_any()
        }
        ConsentLink::Used { agreed, at } => {
            let when = date_time(lang, at);
            let said = match (agreed, lang) {
                (Some(true), Lang::Zh) => format!("您已于 {when} 同意被推荐。谢谢！"),
                (Some(false), Lang::Zh) => format!("您已于 {when} 婉拒了推荐。"),
                (None, Lang::Zh) => format!("您已于 {when} 回复过这个链接。"),
                (Some(true), Lang::En) => format!("You agreed on {when}. Thank you!"),
                (Some(false), Lang::En) => format!("You declined on {when}."),
                (None, Lang::En) => format!("You answered this link on {when}."),
            };
            view! {
                <p class="notice" data-testid="consent-used">{said}</p>
                <p class="fine">{lang.pick("每个链接只能回复一次。如需更改，请致电组委会或联系居委会。", "Each link answers once. To change your answer, call the organisers or your community committee.")}</p>
            }.into_any()
        }
        ConsentLink::Open {
            name,
            community_zh,
            community_en,
            role,
            story,
            consent,
        } => {
            let asked = consent == Consent::Pending;
            let choices = if confirming {
                view! {
                    <section class="card warn" data-testid="consent-confirm-decline">
                        <p><strong>{lang.pick("您确定要婉拒推荐吗？", "Do you really want to decline?")}</strong></p>
                        <p>{lang.pick("婉拒后您不会出现在候选人名单上，这个链接也不能再使用。", "You will not be on the list of nominees, and this link cannot be used again.")}</p>
                        <form method="post" action=action.clone() class="inline">
                            <input type="hidden" name="agree" value="no"/>
                            <input type="hidden" name="confirmed" value="yes"/>
                            <button type="submit" class="button" data-testid="consent-decline-confirmed">{lang.pick("确定婉拒", "Yes, decline")}</button>
                        </form>
                        <a href=action.clone() class="button primary">{lang.pick("返回，不婉拒", "Go back")}</a>
                    </section>
                }.into_any()
            } else {
                view! {
                    <form method="post" action=action.clone() class="inline">
                        <input type="hidden" name="agree" value="yes"/>
                        <button type="submit" class="button primary" data-testid="consent-agree">{lang.pick("我同意被推荐", "I agree")}</button>
                    </form>
                    <form method="post" action=action.clone() class="inline">
                        <input type="hidden" name="agree" value="no"/>
                        <button type="submit" class="button" data-testid="consent-decline">{lang.pick("谢谢，我婉拒", "No, thank you")}</button>
                    </form>
                }.into_any()
            };
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
                    {choices}
                })}
            }.into_any()
        }
    };
    view! {
        <h1>{lang.pick("十佳小巷总理 · 推荐确认", "Top Ten Alley Premier · your nomination")}</h1>
        {done}
        {body}
        {call_us(lang, page.hotline)}
    }
}
