//! DRUO Link: the hosted connect and checkout pages.
//!
//! `App` picks the page from the path (`druo_core::route::Route`; the URL
//! itself is a signal in `location`, with no client router); pages live in
//! `pages/`, reusable pieces in `components/`, the one HTTP client in
//! `api/`. Decisions (validation, theme, language, redirects, expiry) come
//! from `druo_core`.

// The studio's view type is deep; rendered to HTML (the `ssr` feature,
// which native test builds turn on with the studio) its layout needs more
// than the default 128 levels.
#![recursion_limit = "256"]

#[cfg(all(feature = "ssr", feature = "hydrate"))]
compile_error!(
    "`ssr` renders on the server and `hydrate` in the browser: build each side with its own"
);

pub mod api;
pub mod boot;
pub mod browser;
pub mod components;
pub mod i18n;
pub mod location;
pub mod pages;
pub mod posted;
#[cfg(feature = "ssr")]
pub mod ssr;

use druo_core::route::Route;
use druo_core::shell;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The whole app: the page the path names. A page is built again only
/// when the path changes, never for a query change (language, studio).
#[component]
pub fn App() -> impl IntoView {
    i18n::provide_lang();
    let url = location::provide_location();
    i18n::follow_url_lang();
    let route = Memo::new(move |_| url.with(|u| Route::from_path(&u.path)));
    move || match route.get() {
        Route::Connect => connect_page().into_any(),
        Route::Checkout => checkout_page().into_any(),
        Route::Studio => studio_page().into_any(),
        Route::NotFound => view! { <components::message::NotFound/> }.into_any(),
    }
}

/// `/connect/secure`: the connect page, or not found in a build without
/// it (the checkout page's own build).
fn connect_page() -> impl IntoView {
    #[cfg(feature = "connect")]
    return view! { <pages::connect::ConnectPage/> };
    #[cfg(not(feature = "connect"))]
    return view! { <components::message::NotFound/> };
}

/// `/checkout/`: the checkout page, or not found in a build without it
/// (the connect page's own build).
fn checkout_page() -> impl IntoView {
    #[cfg(feature = "checkout")]
    return view! { <pages::checkout::CheckoutPage/> };
    #[cfg(not(feature = "checkout"))]
    return view! { <components::message::NotFound/> };
}

/// `/preview`: the theme studio, or not found in a build without it.
fn studio_page() -> impl IntoView {
    #[cfg(feature = "studio")]
    return view! { <pages::studio::StudioPage/> };
    #[cfg(not(feature = "studio"))]
    return view! { <components::message::NotFound/> };
}

/// Makes `#app` live: the first screen the server rendered is hydrated
/// (taken over as it is, from the link the page carries, with what the
/// person did on it carried over), or, in a build without hydration,
/// built again over it; the static shell's skeleton is replaced. Falls
/// back to `<body>` if `#app` is missing.
pub fn mount() {
    let doc = document();
    let link = doc
        .get_element_by_id(boot::DATA_ID)
        .and_then(|e| e.text_content())
        .map(|t| boot::Preloaded::from_script(&t));
    // A page link-server rendered is hydrated in builds that can, unless
    // Back or Forward moved its URL off the served screen before now
    // (index.html): then the step the URL names is built, from the same
    // carried link. The studio's build rebuilds it (and the static shell
    // is replaced).
    let moved = call_page_script(shell::MOVED, None).is_some_and(|m| m.as_bool() == Some(true));
    let hydrate = cfg!(feature = "hydrate") && link.is_some() && !moved;
    let reads: Vec<_> = boot::Carried::ALL
        .into_iter()
        .filter_map(|r| Some((r, doc.get_element_by_id(r.id())?.text_content()?)))
        .collect();
    let app = move || {
        boot::provide_link(link.clone());
        boot::provide_reads(reads.clone());
        view! { <App/> }
    };
    match doc
        .get_element_by_id("app")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        Some(root) => {
            // index.html's script copies the server's screen (for a
            // rebuild, sets it aside; else the shell is cleared), then puts
            // back on the live screen what was typed before the app was
            // live, and focus. (Nothing, after a move before live.) A tap
            // before live was a real link or form: it needs no replay.
            let before = call_page_script(shell::ASIDE, Some(&hydrate.into()))
                .filter(|b| !b.is_null() && !b.is_undefined());
            if before.is_none() {
                root.set_text_content(None);
            }
            #[cfg(feature = "hydrate")]
            if hydrate {
                // The server's nodes stay: the app takes them over.
                leptos::mount::hydrate_from(root, app).forget();
            } else {
                leptos::mount::mount_to(root, app).forget();
            }
            #[cfg(not(feature = "hydrate"))]
            leptos::mount::mount_to(root, app).forget();
            if let Some(before) = before {
                call_page_script(shell::REPLAY, Some(&before));
            }
        }
        None => {
            leptos::mount::mount_to_body(app);
        }
    }
    mark_live();
}

/// Calls `window[f.name](arg)`, a function of index.html's inline script
/// (the contract: `druo_core::shell`), if the page defines it; its answer.
fn call_page_script(
    f: shell::PageFn,
    arg: Option<&wasm_bindgen::JsValue>,
) -> Option<wasm_bindgen::JsValue> {
    let f = js_sys::Reflect::get(&window(), &f.name.into()).ok()?;
    let f = f.dyn_into::<js_sys::Function>().ok()?;
    let arg = arg.cloned().unwrap_or(wasm_bindgen::JsValue::UNDEFINED);
    f.call1(&wasm_bindgen::JsValue::NULL, &arg).ok()
}

/// Marks the moment the page answers input (`performance.mark`), which
/// scripts/bench compares with a static copy's first render.
fn mark_live() {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(LIVE_MARK);
    }
}

/// The name of the mark [`mount`] sets once the app is live.
pub const LIVE_MARK: &str = "druo-live";
