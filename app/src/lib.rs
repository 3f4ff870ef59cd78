//! Alley Vote's pages. Server-rendered (every page reads fully without
//! JavaScript, and every form is a plain HTML form), with a few islands the
//! wasm bundle brings to life: the live results, the big screen, the screen
//! panel's keys, the paper entry form's checks and the nomination form's
//! likely duplicates. Nothing else ships to the browser, so a resident's
//! phone downloads only what those islands need.

// The pages' view types nest deeply; the release hydrate build needs more room.
#![recursion_limit = "256"]

// The capabilities, a folder each (the shape docs/architecture.md describes).
pub mod audit;
pub mod campaigns;
pub mod dashboard;
pub mod jury;
pub mod nomination;
pub mod nominees;
pub mod organizers;
pub mod paper;
pub mod places;
pub mod publication;
pub mod results;
pub mod screen;
pub mod signin;
pub mod stations;
pub mod voting;

// What every page shares.
#[cfg(feature = "hydrate")]
mod browser;
pub mod components;
pub mod console;
pub mod cookies;
pub mod form_fields;
#[cfg(feature = "ssr")]
pub mod port;

#[cfg(test)]
mod form_drift;
mod i18n;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

pub use i18n::request_lang;

/// Stands beside an island, in the same branch of the page, once per page:
/// it loads the wasm bundle that brings the page's islands to life. A page
/// without an island (the home page, the list, a profile) loads no script
/// at all; `server/tests/it/http.rs` checks, page by page, that a page
/// loads the bundle exactly when its HTML holds an island, and once.
#[component]
pub fn LoadIslands() -> impl IntoView {
    use_context::<LeptosOptions>().map(|options| view! { <HydrationScripts options islands=true/> })
}

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = request_lang();
    let large = i18n::request_large_text();
    // For the pages' `LoadIslands`.
    provide_context(options.clone());
    view! {
        <!DOCTYPE html>
        <html lang=lang.code() class=large.then_some("large-text")>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#b71c1c"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                // Its name carries its content's hash when the build made one.
                <HashedStylesheet options=options.clone() id="leptos"/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(request_lang());

    // Every route renders completely before the first byte is sent, so a
    // phone without JavaScript gets the whole page, not a loading placeholder.
    view! {
        <Router>
            <components::Layout>
                <Routes fallback=|| view! { <components::NotFound/> }>
                    <Route path=path!("/") view=voting::HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/nominees") view=voting::NomineesPage ssr=SsrMode::Async/>
                    <Route path=path!("/nominees/:number") view=voting::ProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/results") view=results::ResultsPage ssr=SsrMode::Async/>
                    <Route path=path!("/results/notice") view=publication::PrintableNoticePage ssr=SsrMode::Async/>
                    <Route path=path!("/screen") view=screen::ScreenPage ssr=SsrMode::Async/>
                    <Route path=path!("/screen/rehearsal") view=screen::RehearsalScreenPage ssr=SsrMode::Async/>
                    <Route path=path!("/stations") view=paper::StationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=signin::LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/nominate") view=nomination::NominatePage ssr=SsrMode::Async/>
                    <Route path=path!("/my/nominations") view=nomination::MyNominationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/consent/:token") view=nomination::ConsentPage ssr=SsrMode::Async/>
                    <Route path=path!("/console/nominations") view=nomination::ReviewQueuePage ssr=SsrMode::Async/>
                    <Route path=path!("/console/nominations/:id") view=nomination::NominationReviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/console/nominations/:id/compare/:other") view=nomination::CompareNominationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/console") view=dashboard::ConsoleHomePage ssr=SsrMode::Async/>
                    <Route path=path!("/console/login") view=organizers::ConsoleLoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/console/organizers") view=organizers::OrganizersPage ssr=SsrMode::Async/>
                    <Route path=path!("/console/audit") view=audit::AuditPage ssr=SsrMode::Async/>
                    <Route path=path!("/console/tally") view=results::TallyPage ssr=SsrMode::Async/>
                    <Route path=path!("/console/campaign") view=campaigns::CampaignPage ssr=SsrMode::Async/>
                    <Route path=path!("/console/nominees") view=nominees::NomineesAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/console/places") view=places::PlacesPage ssr=SsrMode::Async/>
                    <Route path=path!("/console/nominees/:id") view=nominees::NomineeAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/console/paper") view=paper::PaperBoardPage ssr=SsrMode::Async/>
                    <Route path=path!("/console/results") view=publication::ResultsConsolePage ssr=SsrMode::Async/>
                    <Route path=path!("/console/screen") view=screen::ScreenPanelPage ssr=SsrMode::Async/>
                    <Route path=path!("/console/jury") view=jury::JuryPage ssr=SsrMode::Async/>
                    <Route path=path!("/console/paper/sheets/:id") view=paper::SheetPage ssr=SsrMode::Async/>
                    <Route path=path!("/console/stations/:id") view=paper::StationPage ssr=SsrMode::Async/>
                    <Route path=path!("/console/paper/sheets/:id/print") view=paper::PrintSheetPage ssr=SsrMode::Async/>
                </Routes>
            </components::Layout>
        </Router>
    }
}
