use leptos::prelude::*;
use leptos_meta::Title;

use super::results_board::ResultsBoard;
use crate::components::{Loading, NoCampaign, ServiceTrouble};
use crate::i18n::use_lang;
use crate::publication::corrections::CorrectionNotes;
use crate::publication::{ObjectionsBox, UnreportedNote};
use crate::results::server_fns::load_results;

#[component]
pub fn ResultsPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| load_results());
    view! {
        <Title text=lang.pick("实时结果", "Live results")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(snapshot)) => {
                        let title = lang.pick(&snapshot.title_zh, &snapshot.title_en).to_string();
                        let notice = snapshot.notice.clone();
                        let corrections = snapshot.corrections.clone();
                        let nominees: Vec<crate::publication::NomineeChoice> = snapshot
                            .entries
                            .iter()
                            .map(|e| (e.number, e.name.clone(), e.rank))
                            .collect();
                        // On notice: first of all, until when and how to object.
                        let banner = notice
                            .clone()
                            .filter(|_| snapshot.state == alleyvote_domain::ResultsStage::Notice)
                            .map(|n| view! {
                                <p class="notice notice-banner" data-testid="notice-banner">
                                    <strong>{lang.pick("结果公示中：", "On public notice: ")}</strong>
                                    {lang.pick("如有异议，请在 ", "objections are heard until ")}
                                    <strong>{crate::i18n::date_time(lang, n.end)}</strong>
                                    {lang.pick(" 前提出。", ".")}" "
                                    <a href="#objections">{lang.pick("怎样提出异议", "How to object")}</a>
                                    <br/>
                                    <span class="fine">{lang.pick(
                                        "公示：评选结果先公开一段时间，请大家核对；对计票或当选人有意见的，可以提出异议，组织方会逐条答复。",
                                        "A public notice: the results are shown for a while so anyone can check them; objections to the count or a winner are answered one by one.",
                                    )}</span>
                                </p>
                            });
                        view! {
                            <h1 data-testid="results-title">{title}</h1>
                            {banner}
                            <UnreportedNote snapshot=snapshot.clone()/>
                            <CorrectionNotes notes=corrections/>
                            <ResultsBoard initial=snapshot/>
                            <crate::LoadIslands/>
                            {notice.map(|notice| view! {
                                <ObjectionsBox notice nominees=nominees.clone()/>
                                <p><a href="/results/notice" data-testid="printable-notice-link">{lang.pick("打印公示（A4）", "Printable notice (A4)")}</a></p>
                            })}
                        }
                        .into_any()
                    }
                    Ok(None) => view! { <NoCampaign/> }.into_any(),
                    Err(_) => view! { <ServiceTrouble/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
