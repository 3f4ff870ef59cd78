//! Why the notice was published before every polling station reported, in
//! the administrator's words: on the results page and the printed notice.

use alleyvote_domain::{Lang, ResultsSnapshot};
use leptos::prelude::*;

use crate::i18n::use_lang;

/// The reason, while the published count still lacks a station (a
/// correction that brings the last station in makes it moot).
#[component]
pub fn UnreportedNote(snapshot: ResultsSnapshot) -> impl IntoView {
    let lang = use_lang();
    let missing = snapshot
        .stations_total
        .saturating_sub(snapshot.stations_reported);
    let reason = snapshot
        .notice
        .and_then(|n| n.unreported_reason)
        .filter(|_| missing > 0)?;
    Some(view! {
        <p class="notice warn unreported" data-testid="unreported-reason">
            <strong>{match lang {
                Lang::Zh => format!("{missing} 个投票点未报告，其纸质选票未计入本次公示。组织方说明："),
                Lang::En => format!("{missing} polling station(s) had not reported; their paper ballots are not in this notice. The organizers say: "),
            }}</strong>
            {reason}
        </p>
    })
}
