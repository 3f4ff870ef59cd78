//! The dashboard reads itself again without a reload where JavaScript runs
//! (every minute, or at once from its button), so an organizer can leave the
//! page open all week. Only the overview is replaced; without JavaScript a
//! `<noscript>` refresh reloads the page instead.

use leptos::prelude::*;

use crate::i18n::use_lang;

/// How often the overview is read again, in seconds.
pub const REFRESH_S: u32 = 60;

#[island]
pub fn DashboardRefresh() -> impl IntoView {
    let lang = use_lang();
    // Bumped by the button; the loop below refreshes when it moves.
    let asked = RwSignal::new(0u32);
    let updated = RwSignal::new(None::<String>);
    // Set once the browser runs the island (effects run there only): until
    // then the button is a plain link.
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(follow(asked, updated));
    let said = move || match updated.get() {
        Some(at) => format!("{}{at}", lang.pick("已自动更新 ", "Updated ")),
        None => lang
            .pick("每分钟自动更新", "Updates every minute")
            .to_string(),
    };
    view! {
        <p class="dash-refresh fine" data-testid="dash-refresh" data-live=move || live.get().to_string() data-updated=move || updated.get().is_some().to_string()>
            <span aria-live="polite">{said}</span>" "
            // Without JavaScript a plain link reloads the page.
            <a href="/console" class="button small" data-testid="dash-refresh-now" on:click=move |ev| {
                ev.prevent_default();
                asked.update(|n| *n += 1);
            }>{lang.pick("立即刷新", "Refresh now")}</a>
        </p>
    }
}

#[cfg(feature = "hydrate")]
async fn follow(asked: RwSignal<u32>, updated: RwSignal<Option<String>>) {
    let mut seen = asked.get_untracked();
    let mut waited = 0;
    loop {
        crate::browser::sleep(1000).await;
        waited += 1;
        let now = asked.get_untracked();
        if waited < REFRESH_S && now == seen {
            continue;
        }
        (seen, waited) = (now, 0);
        if replace_overview().await {
            updated.set(Some(crate::browser::clock()));
        }
    }
}

/// Reads `/console` and puts its overview in place of this page's; `false`
/// when the page could not be read (offline, signed out): the old stays.
#[cfg(feature = "hydrate")]
async fn replace_overview() -> bool {
    let Some(got) = crate::browser::fetch_text("/console", &[("Accept", "text/html")], None).await
    else {
        return false;
    };
    if got.status != 200 {
        return false;
    }
    let Some(fresh) = overview_of(&got.text) else {
        return false;
    };
    let Some(old) = document()
        .query_selector("[data-testid=\"dashboard\"]")
        .ok()
        .flatten()
    else {
        return false;
    };
    old.set_outer_html(fresh);
    true
}

/// The overview's element in a whole page (found by its test id, whatever
/// the order of its attributes): it holds no section of its own, so it ends
/// at the first `</section>` after its start.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn overview_of(page: &str) -> Option<&str> {
    let id = page.find("data-testid=\"dashboard\"")?;
    let start = page[..id].rfind("<section")?;
    let end = id + page[id..].find("</section>")? + "</section>".len();
    Some(&page[start..end])
}

#[cfg(test)]
mod tests {
    use super::overview_of;

    #[test]
    fn the_overview_is_cut_from_the_whole_page() {
        let page = "<main><section data-testid=\"dashboard\" class=\"dashboard\"><article>1</article></section><section class=\"dash-tasks\">x</section></main>";
        assert_eq!(
            overview_of(page),
            Some("<section data-testid=\"dashboard\" class=\"dashboard\"><article>1</article></section>")
        );
        assert_eq!(overview_of("<main></main>"), None);
    }
}
