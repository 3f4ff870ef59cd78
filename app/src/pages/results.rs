use leptos::prelude::*;
use leptos_meta::Title;

use super::{Loading, NoCampaign, ServiceTrouble};
use crate::components::ResultsBoard;
use crate::i18n::use_lang;
use crate::server_fns::load_results;

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
                        view! {
                            <h1 data-testid="results-title">{title}</h1>
                            <ResultsBoard initial=snapshot/>
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
