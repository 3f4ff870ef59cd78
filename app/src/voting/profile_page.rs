use alleyvote_domain::NomineeNumber;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use super::model::ProfileData;
use super::nominee_card::Portrait;
use super::server_fns::load_nominee;
use super::vote::{VoteButton, VoteOutcome};
use crate::components::{Loading, NotFound, ServiceTrouble};
use crate::i18n::use_lang;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let params = use_params_map();
    let number = move || {
        params
            .with(|p| p.get("number"))
            .and_then(|n| NomineeNumber::parse(&n).ok())
    };
    let data = Resource::new(number, |number| async move {
        match number {
            Some(n) => load_nominee(n).await,
            None => Ok(None),
        }
    });
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(profile)) => view! { <Profile profile/> }.into_any(),
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(_) => view! { <ServiceTrouble/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Profile(profile: ProfileData) -> impl IntoView {
    let lang = use_lang();
    let n = profile.nominee.summary.clone();
    let number = n.number.get();
    let share_path = format!("/nominees/{number}");
    let qr = format!("/nominees/{number}/qr.svg");
    // The story is plain text with `**bold**`: paragraphs of text nodes, so
    // nothing typed into it can become markup or script.
    let paragraphs = alleyvote_domain::nominee::story_paragraphs(&profile.nominee.story)
        .into_iter()
        .map(|spans| {
            let spans = spans
                .into_iter()
                .map(|s| {
                    if s.strong {
                        view! { <strong>{s.text}</strong> }.into_any()
                    } else {
                        s.text.into_any()
                    }
                })
                .collect_view();
            view! { <p>{spans}</p> }
        })
        .collect_view();
    let title = format!(
        "{} · {}",
        n.name,
        lang.pick("十佳小巷总理候选人", "Alley Premier nominee")
    );
    view! {
        <Title text=title.clone()/>
        <Meta property="og:title" content=title/>
        <article class="profile" data-testid="profile">
            <header class="profile-head">
                <Portrait nominee=n.clone() large=true/>
                <div>
                    <p class="number big" data-testid="profile-number">{lang.pick("编号 ", "No. ")}{n.number.to_string()}</p>
                    <h1 data-testid="profile-name">{n.name.clone()}</h1>
                    <p class="where" data-testid="profile-community">{n.street(lang).to_string()}" · "{n.community(lang).to_string()}</p>
                    {profile.nominators.map(|count| view! {
                        <p class="nominators" data-testid="profile-nominators">{match lang {
                            alleyvote_domain::Lang::Zh => format!("推荐人数 {count}"),
                            alleyvote_domain::Lang::En => format!("Nominated by {count}"),
                        }}</p>
                    })}
                </div>
            </header>
            <VoteOutcome/>
            {(profile.campaign.phase == alleyvote_domain::Phase::Voting).then(|| view! { <VoteButton number=n.number next=share_path.clone() form_key=profile.form_key.clone()/> })}
            <section class="story" data-testid="profile-story">
                <h2>{lang.pick("事迹", "Their work")}</h2>
                {paragraphs}
            </section>
            <section class="share">
                <h2>{lang.pick("分享给邻居", "Share with neighbours")}</h2>
                <img class="qr" src=qr alt=lang.pick("本页二维码", "QR code of this page") width="180" height="180" data-testid="profile-qr"/>
                <p>{lang.pick("用微信扫一扫，或复制链接：", "Scan with WeChat, or copy the link:")}</p>
                <p><a href=share_path.clone() data-testid="share-link">{share_path.clone()}</a></p>
            </section>
            <p><a class="button" href="/nominees">{lang.pick("返回候选人列表", "Back to all nominees")}</a></p>
        </article>
    }
}
