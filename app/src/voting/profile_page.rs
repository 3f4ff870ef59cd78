use alleyvote_domain::NomineeNumber;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::model::ProfileData;
use super::nominee_card::Portrait;
use super::server_fns::load_nominee;
use super::vote::{VoteButton, VoteOutcome, VotedTag};
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
    let voting = profile.campaign.phase == alleyvote_domain::Phase::Voting;
    let rules = profile.campaign.campaign.rules;
    let voted = profile.me.as_ref().map_or(0, |me| me.votes_for(n.number));
    let may_vote = profile
        .me
        .as_ref()
        .is_none_or(|me| me.may_vote_for(&rules, n.number));
    // Back from signing in with a vote asked for: name it, one button.
    let query = use_query_map();
    let (confirm, back) = query.with_untracked(|q| {
        let back = q
            .get("back")
            .and_then(|b| super::vote::carried_back(&b))
            .unwrap_or_else(|| share_path.clone());
        (q.get("confirm").is_some(), back)
    });
    let confirmation = (confirm && voting && profile.me.is_some()).then(|| {
        let who = match lang {
            alleyvote_domain::Lang::Zh => format!("{} 号 {}", n.number, n.name),
            alleyvote_domain::Lang::En => format!("No. {} {}", n.number, n.name),
        };
        let body = if may_vote {
            let label = match lang {
                alleyvote_domain::Lang::Zh => format!("确认投给 {}", n.name),
                alleyvote_domain::Lang::En => format!("Vote for {}", n.name),
            };
            view! {
                <p class="confirm-ask">{lang.pick("登录成功。请确认您要投票给：", "You are signed in. Confirm your vote for:")}</p>
                <p class="confirm-who"><Portrait nominee=n.clone()/><span data-testid="confirm-who">{who}</span></p>
                <VoteButton number=n.number next=back.clone() form_key=profile.form_key.clone() label/>
                <p><a href=back.clone() data-testid="confirm-cancel">{lang.pick("不投了，返回", "Not now, go back")}</a></p>
            }
            .into_any()
        } else {
            view! {
                <p class="confirm-ask" data-testid="confirm-who">{who}</p>
                <p data-testid="confirm-spent">{lang.pick(
                    "您今天已经为这位候选人投过票，或今天的票已经投完了。",
                    "You have voted for this nominee today, or have no votes left today.",
                )}</p>
                <p><a class="button" href=back.clone()>{lang.pick("返回", "Go back")}</a></p>
            }
            .into_any()
        };
        view! { <section class="notice confirm-vote" data-testid="confirm-vote">{body}</section> }
    });
    let confirming = confirmation.is_some();
    // What a link shared in a chat shows: who, where, and the story's start.
    let opening = profile.nominee.opening(80);
    let description = match lang {
        alleyvote_domain::Lang::Zh => format!(
            "编号 {} · {} · {}。{}",
            n.number,
            n.street(lang),
            n.community(lang),
            opening
        ),
        alleyvote_domain::Lang::En => format!(
            "No. {} · {} · {}. {}",
            n.number,
            n.street(lang),
            n.community(lang),
            opening
        ),
    };
    // The photo; without one, a card drawn with the number (the name is
    // the link's title beside it).
    let card = format!("/nominees/{}/card.png", n.number.get());
    let image = crate::i18n::request_origin()
        .map(|origin| format!("{origin}{}", n.photo_url.clone().unwrap_or(card)));
    let names = vec![(n.number, n.name.clone())];
    let left = profile.me.as_ref().map(|me| match lang {
        alleyvote_domain::Lang::Zh => format!("您今天还可以投 {} 票。", me.remaining),
        alleyvote_domain::Lang::En => format!("You have {} votes left today.", me.remaining),
    });
    view! {
        <Title text=title.clone()/>
        <Meta property="og:title" content=title/>
        <Meta property="og:description" content=description.clone()/>
        <Meta name="description" content=description/>
        {image.map(|url| view! { <Meta property="og:image" content=url/> })}
        <article class="profile" data-testid="profile">
            {confirmation}
            <header class="profile-head">
                <Portrait nominee=n.clone() large=true/>
                <div>
                    <p class="number big" data-testid="profile-number">{lang.pick("编号 ", "No. ")}{n.number.to_string()}</p>
                    <h1 data-testid="profile-name">{n.name.clone()}</h1>
                    <p class="where" data-testid="profile-community">{n.street(lang).to_string()}" · "{n.community(lang).to_string()}</p>
                    <VotedTag votes=voted/>
                    {profile.nominators.map(|count| view! {
                        <p class="nominators" data-testid="profile-nominators">{match lang {
                            alleyvote_domain::Lang::Zh => format!("推荐人数 {count}"),
                            alleyvote_domain::Lang::En => format!("Nominated by {count}"),
                        }}</p>
                    })}
                </div>
            </header>
            <VoteOutcome names/>
            {(voting && !confirming).then(|| left.map(|text| view! { <p data-testid="votes-left">{text}</p> }))}
            {(voting && may_vote && !confirming).then(|| view! { <VoteButton number=n.number next=share_path.clone() form_key=profile.form_key.clone()/> })}
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
