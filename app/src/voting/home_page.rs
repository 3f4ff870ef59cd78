use leptos::prelude::*;
use leptos_meta::Title;

use super::model::HomeData;
use super::server_fns::load_home;
use crate::components::{Loading, NoCampaign, ServiceTrouble};
use crate::i18n::{date, use_lang};

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| load_home());
    view! {
        <Title text=lang.pick("十佳小巷总理评选", "Top Ten Alley Premier")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(home) => view! { <Home home/> }.into_any(),
                    Err(_) => view! { <ServiceTrouble/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Home(home: HomeData) -> impl IntoView {
    let lang = use_lang();
    let Some(view) = home.campaign else {
        return view! { <NoCampaign/> }.into_any();
    };
    let c = view.campaign;
    let voting = view.phase == alleyvote_domain::Phase::Voting;
    let window = format!(
        "{} – {}",
        date(lang, c.phases.voting_start),
        date(lang, c.phases.voting_end.plus_ms(-1))
    );
    let rules = match lang {
        alleyvote_domain::Lang::Zh => format!(
            "每人每天可投 {} 票，每天每位候选人最多 {} 票。",
            c.rules.votes_per_day(),
            c.rules.per_nominee_per_day()
        ),
        alleyvote_domain::Lang::En => format!(
            "Each resident has {} votes a day, at most {} per nominee.",
            c.rules.votes_per_day(),
            c.rules.per_nominee_per_day()
        ),
    };
    view! {
        <section class="hero">
            <h1 data-testid="campaign-title">{c.title(lang).to_string()}</h1>
            <p class="phase" data-testid="campaign-phase" class:open=voting>{view.phase.label(lang)}</p>
            <p class="lead">{c.description(lang).to_string()}</p>
            <dl class="facts">
                <div><dt>{lang.pick("投票时间", "Voting")}</dt><dd data-testid="voting-window">{window}</dd></div>
                <div><dt>{lang.pick("投票规则", "Rules")}</dt><dd>{rules}</dd></div>
                <div><dt>{lang.pick("候选人", "Nominees")}</dt><dd>{home.nominee_count}</dd></div>
                <div><dt>{lang.pick("街道和镇", "Streets and towns")}</dt><dd>{home.street_count}</dd></div>
            </dl>
            {matches!(view.phase, alleyvote_domain::Phase::Nomination | alleyvote_domain::Phase::Review).then(|| view! {
                <a class="button primary" href="/nominate" data-testid="cta-nominate">
                    {if view.phase == alleyvote_domain::Phase::Nomination { lang.pick("推荐身边的小巷总理", "Nominate a community leader") } else { lang.pick("查看推荐情况", "See the nominations") }}
                </a>
            })}
            <a class="button primary" href="/nominees" data-testid="cta-vote">
                {if voting { lang.pick("查看候选人，去投票", "See the nominees and vote") } else { lang.pick("查看候选人", "See the nominees") }}
            </a>
            <a class="button" href="/results">{lang.pick("查看实时结果", "See the live results")}</a>
            <a class="button" href="/stations" data-testid="cta-stations">{lang.pick("到投票点投纸质选票", "Vote on paper at a polling station")}</a>
        </section>
    }
    .into_any()
}
