//! `/nominate`: during the nomination phase, a signed-in resident puts a
//! community leader forward; everyone sees how many nominations each street
//! has received (never the names: nothing typed is public before review).

use alleyvote_domain::nomination::problem_message;
use alleyvote_domain::{Lang, Phase};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::form::NominationFields;
use super::model::NominatePageData;
use super::server_fns::load_nominate_page;
use crate::components::{Loading, NoCampaign, ServiceTrouble};
use crate::i18n::{date_time, set_status, use_lang};

#[component]
pub fn NominatePage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| load_nominate_page());
    view! {
        <Title text=lang.pick("推荐小巷总理", "Nominate")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(page)) => view! { <Nominate page/> }.into_any(),
                    Ok(None) => view! { <NoCampaign/> }.into_any(),
                    Err(_) => view! { <ServiceTrouble/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Nominate(page: NominatePageData) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let problem = move || {
        query.with(|q| q.get("problem")).map(|code| {
            set_status(400);
            view! { <p class="notice error" role="alert" data-testid="nominate-problem">{problem_message(lang, &code)}</p> }
        })
    };
    let open = page.phase == Phase::Nomination;
    let max = page
        .per_street
        .iter()
        .map(|(_, _, n)| *n)
        .max()
        .unwrap_or(0)
        .max(1);
    let total: u32 = page.per_street.iter().map(|(_, _, n)| *n).sum();
    let bars = page
        .per_street
        .iter()
        .map(|(zh, en, n)| {
            let pct = f64::from(*n) * 100.0 / f64::from(max);
            view! {
                <li class="row" data-testid="street-count">
                    <span class="who"><span class="name">{lang.pick(zh, en).to_string()}</span></span>
                    <span class="bar" aria-hidden="true"><span class="fill" style=format!("width:{pct:.1}%")></span></span>
                    <span class="votes">{*n}</span>
                </li>
            }
        })
        .collect_view();
    let state = if open {
        match lang {
            Lang::Zh => format!("推荐进行中，截止 {}", date_time(lang, page.closes_at)),
            Lang::En => format!(
                "Nominations are open until {}",
                date_time(lang, page.closes_at)
            ),
        }
    } else if page.phase == Phase::Upcoming {
        match lang {
            Lang::Zh => format!(
                "推荐还没有开始：{} 开始，{} 截止。",
                date_time(lang, page.opens_at),
                date_time(lang, page.closes_at)
            ),
            Lang::En => format!(
                "Nominations have not opened yet: they open {} and close {}.",
                date_time(lang, page.opens_at),
                date_time(lang, page.closes_at)
            ),
        }
    } else {
        match lang {
            Lang::Zh => format!(
                "推荐已于 {} 截止。现在：{}。",
                date_time(lang, page.closes_at),
                page.phase.label(lang)
            ),
            Lang::En => format!(
                "Nominations closed {}. Now: {}.",
                date_time(lang, page.closes_at),
                page.phase.label(lang)
            ),
        }
    };
    // Before nominations open there is nothing to count: no rows of zeros.
    let counts = (page.phase != Phase::Upcoming).then(|| view! {
        <section class="results card" data-testid="nominations-per-street">
            <h2>{lang.pick("各街道收到的推荐", "Nominations per street")}</h2>
            <p class="total">{lang.pick("共 ", "In all ")}<strong data-testid="nominations-total">{total}</strong>{lang.pick(" 条（审核前不公开姓名）", " (names stay private until review)")}</p>
            {(total > 0).then(|| view! { <ol class="board plain">{bars}</ol> })}
        </section>
    });
    let form = match (open, page.signed_in) {
        (true, true) if page.used >= page.limit => view! {
            <p class="notice" data-testid="nominate-used-up">{lang.pick("您的推荐次数已经用完了。", "You have used all your nominations.")}</p>
        }.into_any(),
        (true, true) => {
            let left = match lang {
                Lang::Zh => format!("您还可以推荐 {} 次（每人最多 {} 次）。", page.limit - page.used, page.limit),
                Lang::En => format!("You may nominate {} more (at most {} each).", page.limit - page.used, page.limit),
            };
            view! {
                <form method="post" action="/nominate" enctype="multipart/form-data" class="stack card" data-testid="nominate-form">
                    <h2>{lang.pick("推荐一位小巷总理", "Put a community leader forward")}</h2>
                    <p class="fine">{left}</p>
                    <NominationFields streets=page.streets.clone() committee=false similar_for=page.slug.clone()/>
                    <crate::LoadIslands/>
                    <p class="fine">{lang.pick(
                        "提交后，如果同一居民区已有人推荐了同一人，我们会请您选择：支持那条推荐，或保留您的推荐。推荐内容审核前不公开。",
                        "If someone in the same community has nominated the same person, you will be asked to support that one or keep yours. Nothing is public before review.",
                    )}</p>
                    <button type="submit" class="button primary" data-testid="nominate-submit">{lang.pick("提交推荐", "Send the nomination")}</button>
                </form>
            }.into_any()
        }
        (true, false) => view! {
            <p><a class="button primary" href="/login?next=%2Fnominate" data-testid="nominate-sign-in">{lang.pick("登录后推荐", "Sign in to nominate")}</a></p>
        }.into_any(),
        (false, _) => ().into_any(),
    };
    view! {
        <section class="hero">
            <h1>{lang.pick("推荐小巷总理", "Nominate a community leader")}</h1>
            <p class="lead">{lang.pick(&page.title_zh, &page.title_en).to_string()}</p>
            <p class="phase" class:open=open data-testid="nominate-state">{state}</p>
            <p><a href="/my/nominations" data-testid="my-nominations-link">{lang.pick("我的推荐", "My nominations")}</a></p>
        </section>
        {problem}
        {form}
        {counts}
    }
}
