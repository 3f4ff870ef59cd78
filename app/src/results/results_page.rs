use leptos::prelude::*;
use leptos_meta::Title;

use super::results_board::ResultsBoard;
use crate::components::{Loading, NoCampaign, ServiceTrouble};
use crate::i18n::use_lang;
use crate::publication::corrections::CorrectionNotes;
use crate::publication::ObjectionsBox;
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
                        let notice = snapshot.notice;
                        let corrections = snapshot.corrections.clone();
                        view! {
                            <h1 data-testid="results-title">{title}</h1>
                            <CorrectionNotes notes=corrections/>
                            <ResultsBoard initial=snapshot/>
                            <crate::LoadIslands/>
                            {notice.map(|notice| view! {
                                <ObjectionsBox notice/>
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
