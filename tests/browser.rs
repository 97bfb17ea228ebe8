//! Browser tests (wasm-bindgen-test in headless Chromium): each path
//! reaches its own page, and the localized not-found page, rendered by the
//! real components into a real DOM.

#![cfg(target_arch = "wasm32")]

use druo_core::i18n::Msg;
use druo_core::Lang;
use druo_link::components::message::NotFound;
use druo_link::App;
use leptos::prelude::*;
use wasm_bindgen_test::*;

mod common;

use common::{container, go, settle};

wasm_bindgen_test_configure!(run_in_browser);

fn heading(root: &web_sys::HtmlElement) -> String {
    root.query_selector("h1")
        .unwrap()
        .map(|h| h.text_content().unwrap_or_default())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
fn not_found_page_renders_its_localized_text() {
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), NotFound);
    assert_eq!(heading(&root), Msg::NotFoundTitle.text(Lang::EnUs));
    assert!(root
        .text_content()
        .unwrap()
        .contains(Msg::SecuredBy.text(Lang::EnUs)));
    drop(handle);
    assert_eq!(root.child_element_count(), 0, "unmounting removes the page");
}

/// Replaces `window.fetch` with one that never answers, so a page stays
/// in its loading state for as long as the test looks, and records the
/// path of every read in `window.__reads`; returns the original to
/// restore.
fn hold_fetch() -> wasm_bindgen::JsValue {
    let w: wasm_bindgen::JsValue = window().into();
    let original = js_sys::Reflect::get(&w, &"fetch".into()).unwrap();
    let never = js_sys::Function::new_with_args(
        "input",
        "const url = typeof input === 'string' ? input : input.url;
         window.__reads.push(new URL(url, location.href).pathname);
         return new Promise(() => {});",
    );
    js_sys::Reflect::set(&w, &"fetch".into(), &never).unwrap();
    forget_reads();
    original
}

fn restore_fetch(original: wasm_bindgen::JsValue) {
    js_sys::Reflect::set(&window().into(), &"fetch".into(), &original).unwrap();
}

fn forget_reads() {
    js_sys::Reflect::set(&window().into(), &"__reads".into(), &js_sys::Array::new()).unwrap();
}

/// The paths the page has read since `forget_reads`, sorted.
fn reads() -> Vec<String> {
    let list = js_sys::Reflect::get(&window().into(), &"__reads".into()).unwrap();
    let mut paths: Vec<String> = js_sys::Array::from(&list)
        .iter()
        .filter_map(|p| p.as_string())
        .collect();
    paths.sort();
    paths
}

/// What a path must show to prove it reached its own page.
enum Reaches {
    /// A link page: its frame and skeleton, and exactly its own reads.
    LinkPage(&'static [&'static str]),
    /// A page with this heading, and no reads.
    Heading(Msg),
}

#[wasm_bindgen_test]
async fn each_path_reaches_its_own_page() {
    const CONNECT: &[&str] = &["/api/v1/connect-links/abc", "/api/v1/institutions"];
    const CHECKOUT: &[&str] = &[
        "/api/v1/checkout-links/abc",
        "/api/v1/checkout-links/abc/accounts",
        "/api/v1/institutions",
    ];
    let studio = if cfg!(feature = "studio") {
        Msg::StudioTitle
    } else {
        Msg::NotFoundTitle
    };
    let cases = [
        ("/connect/secure?sl=abc", Reaches::LinkPage(CONNECT)),
        ("/checkout/?sl=abc", Reaches::LinkPage(CHECKOUT)),
        ("/checkout?sl=abc", Reaches::LinkPage(CHECKOUT)),
        // A link page without its link is not found, and reads nothing.
        ("/connect/secure", Reaches::Heading(Msg::NotFoundTitle)),
        ("/preview", Reaches::Heading(studio)),
        ("/no/such/page", Reaches::Heading(Msg::NotFoundTitle)),
        ("/", Reaches::Heading(Msg::NotFoundTitle)),
    ];
    let original = hold_fetch();
    for (path, want) in cases {
        forget_reads();
        go(path);
        let root = container();
        let handle = leptos::mount::mount_to(root.clone(), App);
        settle().await;
        match want {
            Reaches::LinkPage(own) => {
                assert_link_frame(&root, path);
                assert_eq!(reads(), own, "{path}");
            }
            Reaches::Heading(title) => {
                assert_eq!(heading(&root), title.text(Lang::EnUs), "{path}");
                assert_eq!(reads(), Vec::<String>::new(), "{path}");
            }
        }
        drop(handle);
    }
    restore_fetch(original);
}

/// A link page's frame (with its language switch) and its skeleton while
/// the link loads.
fn assert_link_frame(root: &web_sys::HtmlElement, path: &str) {
    assert!(
        root.query_selector(".lang-switch").unwrap().is_some(),
        "{path}"
    );
    assert!(
        root.query_selector("[aria-busy=true]").unwrap().is_some(),
        "{path}"
    );
}

#[wasm_bindgen_test]
async fn a_link_renders_its_page_while_it_loads() {
    // Without this, the test server's 404 can arrive before the checks.
    let original = hold_fetch();
    for path in [
        "/connect/secure?sl=abc&lang=es_CO",
        "/checkout/?sl=abc&lang=es_CO",
        "/checkout?sl=abc&lang=es_CO",
    ] {
        go(path);
        let root = container();
        let handle = leptos::mount::mount_to(root.clone(), App);
        settle().await;
        // The link page's frame and the skeleton, in the language the URL
        // asks for.
        assert_link_frame(&root, path);
        assert_eq!(
            document()
                .document_element()
                .unwrap()
                .get_attribute("lang")
                .as_deref(),
            Some("es-CO"),
            "{path}"
        );
        drop(handle);
    }
    restore_fetch(original);
}
