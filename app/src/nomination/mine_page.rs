//! `/my/nominations`: each of the reader's nominations and supports with
//! where it stands, the reviewers' reason when declined and their question
//! when more is needed (answered here). Right after sending, likely
//! duplicates are offered: support one of them instead, or keep one's own.

use alleyvote_domain::nomination::{problem_message, NominationDone, NominationState};
use alleyvote_domain::Lang;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::model::{MyNominationRow, MyNominationsData};
use super::server_fns::load_my_nominations;
use crate::components::{Loading, NoCampaign, ServiceTrouble};
use crate::i18n::{set_status, use_lang};

#[component]
pub fn MyNominationsPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| load_my_nominations());
    view! {
        <Title text=lang.pick("我的推荐", "My nominations")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(page)) => view! { <Mine page/> }.into_any(),
                    Ok(None) => view! { <NoCampaign/> }.into_any(),
                    Err(_) => view! { <ServiceTrouble/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Mine(page: MyNominationsData) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let outcome = move || {
        query.with(|q| q.get("done")).map(|done| {
            let text = NominationDone::parse(&done).map_or_else(
                || NominationDone::unknown_message(lang),
                |d| d.message(lang),
            );
            view! { <p class="notice ok" role="status" data-testid="mine-outcome">{text}</p> }
        })
    };
    let problem = move || {
        query.with(|q| q.get("problem")).map(|code| {
            set_status(400);
            view! { <p class="notice error" role="alert" data-testid="mine-problem">{problem_message(lang, &code)}</p> }
        })
    };
    if !page.signed_in {
        return view! {
            <h1>{lang.pick("我的推荐", "My nominations")}</h1>
            <p><a class="button primary" href="/login?next=%2Fmy%2Fnominations" data-testid="mine-sign-in">{lang.pick("登录后查看", "Sign in to see them")}</a></p>
        }
        .into_any();
    }
    let rows = page
        .rows
        .into_iter()
        .map(|r| view! { <Row r/> })
        .collect_view();
    view! {
        <h1>{lang.pick("我的推荐", "My nominations")}</h1>
        {outcome}
        {problem}
        <ul class="plain stack" data-testid="my-nominations">{rows}</ul>
        {page.open.then(|| view! { <p><a class="button" href="/nominate">{lang.pick("再推荐一位", "Nominate someone else")}</a></p> })}
    }
    .into_any()
}

#[component]
fn Row(r: MyNominationRow) -> impl IntoView {
    let lang = use_lang();
    let id = r.id;
    let declined = matches!(
        r.state,
        NominationState::Ineligible | NominationState::DeclinedByNominee
    );
    let heading = if r.supported {
        match lang {
            Lang::Zh => format!("支持：{}", r.lead_name),
            Lang::En => format!("Supporting: {}", r.lead_name),
        }
    } else {
        r.name.clone()
    };
    let count = match lang {
        Lang::Zh => format!("推荐人数 {}", r.nominators),
        Lang::En => format!("Nominated by {}", r.nominators),
    };
    let merged = (r.state == NominationState::Merged).then(|| match lang {
        Lang::Zh => format!("已与“{}”的推荐合并，您仍计入推荐人。", r.lead_name),
        Lang::En => format!(
            "Merged with the nomination of {}; you still count among its nominators.",
            r.lead_name
        ),
    });
    let reason = r.reason.map(|reason| {
        view! {
            <p class="answer" data-testid="my-nomination-reason">
                {lang.pick("原因：", "Reason: ")}{reason.label(lang)}
                {(!r.reason_note.is_empty()).then(|| format!(" · {}", r.reason_note))}
            </p>
        }
    });
    let number = r.nominee_number.map(|n| {
        view! {
            <p><a href=format!("/nominees/{n}") data-testid="my-nomination-nominee">{match lang {
                Lang::Zh => format!("已成为 {n} 号候选人"),
                Lang::En => format!("Now nominee no. {n}"),
            }}</a></p>
        }
    });
    let ask = (r.state == NominationState::NeedsInfo).then(|| view! {
        <form method="post" action=format!("/my/nominations/{id}/answer") class="stack" data-testid="answer-form">
            <p class="answer">{lang.pick("审核员的问题：", "The reviewer asks: ")}{r.question.clone()}</p>
            <label>{lang.pick("您的补充", "Your answer")}
                <textarea name="answer" rows="3" required maxlength="500"></textarea>
            </label>
            <button type="submit" class="button">{lang.pick("提交补充", "Send the answer")}</button>
        </form>
    });
    let similar = (!r.similar.is_empty()).then(|| {
        let choices = r
            .similar
            .iter()
            .map(|s| {
                let about = s.about.clone().map(|a| view! {
                    <p class="fine" data-testid="similar-about">
                        {a.role.label(lang)}" · "{match lang { Lang::Zh => format!("任职 {} 年", a.years), Lang::En => format!("{} years", a.years) }}
                        <br/>{a.opening}
                    </p>
                });
                view! {
                    <li>
                        <p><strong>{s.name.clone()}</strong>" · "{s.likeness.label(lang)}</p>
                        {about}
                        <form method="post" action=format!("/my/nominations/{id}/join") class="inline">
                            <input type="hidden" name="lead" value=s.id.to_string()/>
                            <button type="submit" class="button" data-testid="join-button">{lang.pick("是同一人，改为支持这条推荐", "The same person: support this one instead")}</button>
                        </form>
                    </li>
                }
            })
            .collect_view();
        view! {
            <div class="card notice" data-testid="similar-box">
                <p>{lang.pick(
                    "同一居民区已有人推荐了可能是同一人的：支持那条推荐，推荐人数会加上您；如果是另一位，保留您的推荐即可。",
                    "Someone in the same community nominated what may be the same person: support that nomination and you count among its nominators; if it is someone else, keep yours.",
                )}</p>
                <ul class="plain">{choices}</ul>
                <form method="post" action=format!("/my/nominations/{id}/keep") class="inline">
                    <button type="submit" class="button primary" data-testid="keep-mine">{lang.pick("不是同一人，保留我的推荐", "Someone else: keep mine")}</button>
                </form>
            </div>
        }
    });
    view! {
        <li class="card" id=format!("n{id}") data-testid="my-nomination" data-state=r.state.as_str()>
            <h2>{heading}</h2>
            <p class="fine">{lang.pick(&r.community_zh, &r.community_en).to_string()}" · "{count}</p>
            <p class="phase" class:open=!declined data-testid="my-nomination-state">{r.state.label(lang)}</p>
            {merged.map(|m| view! { <p>{m}</p> })}
            {reason}
            {number}
            {ask}
            {similar}
        </li>
    }
}
