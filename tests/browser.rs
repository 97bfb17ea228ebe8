//! Browser tests (wasm-bindgen-test in headless Chromium): the app shell's
//! routing and its localized not-found page, rendered by the real
//! components into a real DOM.

#![cfg(target_arch = "wasm32")]

use druo_core::i18n::Msg;
use druo_core::Lang;
use druo_link::pages::not_found::NotFound;
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

#[wasm_bindgen_test]
async fn router_sends_each_path_to_its_page() {
    let cases = [
        ("/connect/secure", Msg::NotFoundTitle),
        ("/checkout/", Msg::NotFoundTitle),
        ("/checkout", Msg::NotFoundTitle),
        ("/preview", Msg::StudioTitle),
        ("/no/such/page", Msg::NotFoundTitle),
        ("/", Msg::NotFoundTitle),
    ];
    for (path, want) in cases {
        go(path);
        let root = container();
        let handle = leptos::mount::mount_to(root.clone(), App);
        settle().await;
        assert_eq!(heading(&root), want.text(Lang::EnUs), "{path}");
        drop(handle);
    }
}

/// Replaces `window.fetch` with one that never answers, so a page stays
/// in its loading state for as long as the test looks; returns the
/// original to restore.
fn hold_fetch() -> wasm_bindgen::JsValue {
    let w: wasm_bindgen::JsValue = window().into();
    let original = js_sys::Reflect::get(&w, &"fetch".into()).unwrap();
    let never = js_sys::Function::new_no_args("return new Promise(() => {});");
    js_sys::Reflect::set(&w, &"fetch".into(), &never).unwrap();
    original
}

fn restore_fetch(original: wasm_bindgen::JsValue) {
    js_sys::Reflect::set(&window().into(), &"fetch".into(), &original).unwrap();
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
        // The link page's frame (with its language switch) and the
        // skeleton, in the language the URL asks for.
        assert!(
            root.query_selector(".lang-switch").unwrap().is_some(),
            "{path}"
        );
        assert!(
            root.query_selector("[aria-busy=true]").unwrap().is_some(),
            "{path}"
        );
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
