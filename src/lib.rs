//! DRUO Link: the hosted connect and checkout pages.
//!
//! `App` owns the router; pages live in `pages/`, reusable pieces in
//! `components/`, the one HTTP client in `api/`. Decisions (validation,
//! theme, language, redirects, expiry) come from `druo_core`.

pub mod api;
pub mod components;
pub mod i18n;
pub mod pages;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use wasm_bindgen::JsCast;

/// The whole app: the router and its four destinations.
#[component]
pub fn App() -> impl IntoView {
    i18n::provide_lang();
    view! {
        <Router>
            <Routes fallback=pages::not_found::NotFound>
                <Route path=path!("/connect/secure") view=pages::connect::ConnectPage/>
                <Route path=path!("/connect/secure/") view=pages::connect::ConnectPage/>
                <Route path=path!("/checkout") view=pages::checkout::CheckoutPage/>
                <Route path=path!("/checkout/") view=pages::checkout::CheckoutPage/>
                <Route path=path!("/preview") view=studio_page/>
            </Routes>
        </Router>
    }
}

/// `/preview`: the theme studio, or not found in a build without it.
fn studio_page() -> impl IntoView {
    #[cfg(feature = "studio")]
    return view! { <pages::studio::StudioPage/> };
    #[cfg(not(feature = "studio"))]
    return view! { <pages::not_found::NotFound/> };
}

/// Replaces the static shell inside `#app` (painted before the wasm ran)
/// with the live app; falls back to `<body>` if the shell is missing.
pub fn mount() {
    let doc = document();
    match doc
        .get_element_by_id("app")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        Some(root) => {
            // Clear the shell's skeleton; the app renders the real content.
            root.set_text_content(None);
            leptos::mount::mount_to(root, App).forget();
        }
        None => leptos::mount::mount_to_body(App),
    }
}
