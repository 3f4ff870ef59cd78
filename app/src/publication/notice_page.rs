//! `/results/notice`: the public notice (公示) on one A4 sheet for the
//! community notice boards: the ranked list with each channel's count, the
//! formula in words, the notice's dates, how to object, and a place for
//! the organizer's seal. Prints from any browser; no JavaScript needed.

use alleyvote_domain::publication::ResultsStage;
use alleyvote_domain::{Lang, ResultsSnapshot};
use leptos::prelude::*;
use leptos_meta::Title;

use super::corrections::CorrectionNotes;
use crate::components::{Loading, NoCampaign, ServiceTrouble};
use crate::i18n::{date, date_time, use_lang};
use crate::results::server_fns::load_results;

#[component]
pub fn PrintableNoticePage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| load_results());
    view! {
        <Title text=lang.pick("评选结果公示", "Public notice of the results")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(s)) if matches!(s.state, ResultsStage::Notice | ResultsStage::Final) => {
                        view! { <Notice s/> }.into_any()
                    }
                    Ok(Some(_)) => view! {
                        <p class="notice" data-testid="notice-not-yet">{lang.pick("结果尚未公示。", "The results are not on notice yet.")}</p>
                    }.into_any(),
                    Ok(None) => view! { <NoCampaign/> }.into_any(),
                    Err(_) => view! { <ServiceTrouble/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Notice(s: ResultsSnapshot) -> impl IntoView {
    let lang = use_lang();
    let title = lang.pick(&s.title_zh, &s.title_en).to_string();
    let dates = s.notice.as_ref().map(|n| match lang {
        // The end is midnight after the last day: the last day is the day before.
        Lang::Zh => format!(
            "公示期：{} 至 {}",
            date(lang, n.start),
            date(lang, n.end.plus_ms(-1))
        ),
        Lang::En => format!(
            "Notice period: {} to {}",
            date(lang, n.start),
            date(lang, n.end.plus_ms(-1))
        ),
    });
    let rows = s
        .entries
        .iter()
        .map(|e| {
            view! {
                <tr class:winner=e.winner data-testid="notice-row">
                    <td>{e.rank.map(|r| r.to_string()).unwrap_or_default()}</td>
                    <td>{e.number.to_string()}</td>
                    <td>{e.name.clone()}</td>
                    <td>{lang.pick(&e.street_zh, &e.street_en).to_string()}" "{lang.pick(&e.community_zh, &e.community_en).to_string()}</td>
                    <td class="num">{e.online.unwrap_or(0)}</td>
                    <td class="num">{e.paper.unwrap_or(0)}</td>
                    <td class="num">{e.score.clone().unwrap_or_default()}</td>
                    <td>{e.winner.then(|| lang.pick("当选", "Winner"))}{e.tie_break.map(|t| format!(" ({})", t.placed_below(lang)))}</td>
                </tr>
            }
        })
        .collect_view();
    let heading = match (s.state, lang) {
        (ResultsStage::Final, Lang::Zh) => "评选最终结果",
        (ResultsStage::Final, Lang::En) => "Final results",
        (_, Lang::Zh) => "评选结果公示",
        (_, Lang::En) => "Public notice of the results",
    };
    view! {
        <article class="print-notice" data-testid="printable-notice">
            <h1>{title}<br/>{heading}</h1>
            <p>{match lang {
                Lang::Zh => format!("经居民网上投票和各投票点纸质投票，按事先公布的规则（{}）计票，得票前 {} 名当选。现将结果公示如下：", s.formula.words_zh, s.winners),
                Lang::En => format!("Residents voted online and on paper at the polling stations. Counted by the rule published in advance ({}), the first {} win. The results are:", s.formula.words_en, s.winners),
            }}</p>
            <table class="data">
                <thead><tr>
                    <th>{lang.pick("名次", "Rank")}</th><th>{lang.pick("编号", "No.")}</th><th>{lang.pick("姓名", "Name")}</th>
                    <th>{lang.pick("街道社区", "Street, community")}</th>
                    <th>{lang.pick("网络投票", "Online")}</th><th>{lang.pick("纸质选票", "Paper")}</th>
                    <th>{lang.pick("得分", "Score")}</th><th></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <CorrectionNotes notes=s.corrections.clone()/>
            <super::UnreportedNote snapshot=s.clone()/>
            <p data-testid="notice-dates">{dates}</p>
            <p>{lang.pick(
                "公示期内如有异议，请登录本评选网站结果页提出，写明理由；也可向所在社区居委会书面反映。我们将逐条答复。",
                "During the notice, residents may object on the results page of this site, giving reasons, or in writing to their community committee. Every objection is answered.",
            )}</p>
            <p class="fine">{lang.pick("计票时间：", "Counted at: ")}{date_time(lang, s.as_of)}
                {match lang {
                    Lang::Zh => format!(" · 投票点报告 {} / {}", s.stations_reported, s.stations_total),
                    Lang::En => format!(" · stations reported {} / {}", s.stations_reported, s.stations_total),
                }}
            </p>
            <div class="seal" aria-label=lang.pick("盖章处", "Seal")>
                <p>{lang.pick("评选组织单位（盖章）", "Organizer (seal)")}</p>
                <p>{lang.pick("年　　月　　日", "Date:")}</p>
            </div>
            <p class="no-print"><a href="/results">{lang.pick("返回结果页", "Back to the results")}</a></p>
        </article>
    }
}
