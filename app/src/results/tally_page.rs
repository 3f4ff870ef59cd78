//! The recount (administrators): every nominee's running tally, which the
//! results show, beside a count of the vote records themselves. They must
//! agree; a difference is marked, and `alleyvote tally verify` prints the
//! same table and fails.

use leptos::prelude::*;
use leptos_meta::Title;

use super::model::TallyCheckView;
use super::server_fns::load_console_tally;
use crate::components::Loading;
use crate::console::{if_allowed, ConsoleNav};
use crate::i18n::use_lang;

#[component]
fn CampaignCheck(check: TallyCheckView) -> impl IntoView {
    let lang = use_lang();
    let agrees = check.agrees();
    let (running, recounted, running_paper, recounted_paper) = check.totals();
    let verdict = if agrees {
        lang.pick(
            "一致：实时计票与选票记录完全相符。",
            "Agrees: the running tally matches the records.",
        )
    } else {
        lang.pick(
            "不一致！请立即联系技术负责人。",
            "Differs! Tell the technical lead at once.",
        )
    };
    let rows = check
        .rows
        .into_iter()
        .map(|r| {
            let differs = !r.agrees();
            view! {
                <tr class:differs=differs>
                    <td>{r.number}</td>
                    <td>{r.name}</td>
                    <td class="num">{r.running}</td>
                    <td class="num">{r.recounted}</td>
                    <td class="num">{r.running_paper}</td>
                    <td class="num">{r.recounted_paper}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="tally-check" data-testid="tally-check" data-agrees=agrees.to_string()>
            <h2>{lang.pick(check.title_zh.as_str(), check.title_en.as_str()).to_string()}</h2>
            <p class=if agrees { "notice ok" } else { "notice error" } role="status">{verdict}</p>
            <table class="console-table">
                <thead><tr>
                    <th>{lang.pick("编号", "No.")}</th>
                    <th>{lang.pick("候选人", "Nominee")}</th>
                    <th class="num">{lang.pick("网络投票（实时）", "Online (running)")}</th>
                    <th class="num">{lang.pick("网络投票（记录）", "Online (records)")}</th>
                    <th class="num">{lang.pick("纸质选票（实时）", "Paper (running)")}</th>
                    <th class="num">{lang.pick("纸质选票（计票单）", "Paper (sheets)")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
                <tfoot><tr>
                    <td></td>
                    <td>{lang.pick("合计", "Total")}</td>
                    <td class="num">{running}</td>
                    <td class="num">{recounted}</td>
                    <td class="num">{running_paper}</td>
                    <td class="num">{recounted_paper}</td>
                </tr></tfoot>
            </table>
        </section>
    }
}

#[component]
pub fn TallyPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| load_console_tally());
    view! {
        <Title text=lang.pick("核对计票", "Recount")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                if_allowed(data.await, "/console/tally", |page| {
                    let checks = page
                        .campaigns
                        .into_iter()
                        .map(|c| view! { <CampaignCheck check=c/> })
                        .collect_view();
                    view! {
                        <ConsoleNav who=page.who.clone()/>
                        <h1>{lang.pick("核对计票", "Recount")}</h1>
                        <p class="fine">
                            {lang.pick("清点时间 ", "Recounted at ")}{page.at}". "
                            {lang.pick(
                                "结果页显示的是实时计票；这里把每位候选人的票数与选票记录逐条重新清点后对照。刷新页面即重新清点。",
                                "The results show the running tally; here each nominee's count is recounted from the vote records. Reload to recount.",
                            )}
                        </p>
                        {checks}
                    }
                    .into_any()
                })
            })}
        </Suspense>
    }
}
