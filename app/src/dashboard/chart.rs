//! Votes per hour as a picture: plain SVG drawn on the server from the
//! domain's geometry (`dashboard::Hourly::chart`). No charting crate: two
//! rectangles an hour, a line and a few labels are smaller written out than
//! a dependency, and the page stays readable without JavaScript.

use alleyvote_domain::dashboard::Hourly;
use alleyvote_domain::Lang;
use leptos::prelude::*;

use crate::i18n::use_lang;

const WIDTH: u32 = 720;
const HEIGHT: u32 = 180;
/// Room for the hour labels under the bars and the scale above them.
const BELOW: u32 = 22;
const ABOVE: u32 = 16;

#[component]
pub fn HourlyChart(hourly: Hourly) -> impl IntoView {
    let lang = use_lang();
    let chart = hourly.chart(WIDTH, HEIGHT);
    let bars = chart
        .bars
        .iter()
        .map(|b| {
            let title = match lang {
                Lang::Zh => format!("{:02}:00–{:02}:00 网络 {} · 纸质 {}", b.hour, b.hour + 1, b.online, b.paper),
                Lang::En => format!("{:02}:00–{:02}:00 online {} · paper {}", b.hour, b.hour + 1, b.online, b.paper),
            };
            view! {
                <g class:to-come=b.to_come data-hour=b.hour data-online=b.online data-paper=b.paper>
                    <title>{title}</title>
                    <rect class="online" x=format!("{:.1}", b.x) y=format!("{:.1}", b.online_y + f64::from(ABOVE)) width=format!("{:.1}", b.width) height=format!("{:.1}", b.online_height)/>
                    <rect class="paper" x=format!("{:.1}", b.x) y=format!("{:.1}", b.paper_y + f64::from(ABOVE)) width=format!("{:.1}", b.width) height=format!("{:.1}", b.paper_height)/>
                </g>
            }
        })
        .collect_view();
    let line = chart
        .yesterday_line
        .iter()
        .map(|(x, y)| format!("{x:.1},{:.1}", y + f64::from(ABOVE)))
        .collect::<Vec<_>>()
        .join(" ");
    let hours = [0u32, 6, 12, 18, 23]
        .into_iter()
        .map(|h| {
            let x = f64::from(WIDTH) / 24.0 * (f64::from(h) + 0.5);
            view! { <text class="axis" x=format!("{x:.1}") y=HEIGHT + ABOVE + 16 text-anchor="middle">{format!("{h}:00")}</text> }
        })
        .collect_view();
    let scale = match lang {
        Lang::Zh => format!("每小时最多 {} 票", chart.scale),
        Lang::En => format!("top: {} votes an hour", chart.scale),
    };
    let label = lang.pick(
        "今天每小时的票数（深色：网络，浅色：纸质），虚线为昨天",
        "Votes per hour today (dark: online, light: paper); the dashed line is yesterday",
    );
    view! {
        <svg class="hourly-chart" data-testid="hourly-chart" viewBox=format!("0 0 {WIDTH} {}", HEIGHT + ABOVE + BELOW)
            role="img" aria-label=label>
            <text class="axis" x="0" y="11">{scale}</text>
            <line class="base" x1="0" x2=WIDTH y1=HEIGHT + ABOVE y2=HEIGHT + ABOVE/>
            {bars}
            <polyline class="yesterday" points=line/>
            {hours}
        </svg>
    }
}
