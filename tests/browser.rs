//! Browser tests (wasm-bindgen-test in headless Chromium): the app shell's
//! routing and its localized not-found page, rendered by the real
//! components into a real DOM.

#![cfg(target_arch = "wasm32")]

use druo_core::i18n::Msg;
use druo_core::Lang;
use druo_link::pages::not_found::NotFound;
use druo_link::App;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh container in the test page's body.
fn container() -> web_sys::HtmlElement {
    let doc = document();
    let div = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&div).unwrap();
    div.dyn_into().unwrap()
}

/// Sets the page URL without reloading, as a user arriving on a link would.
fn go(path: &str) {
    window()
        .history()
        .unwrap()
        .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
        .unwrap();
}

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

/// Lets the reactive system run (routes render after the first tick), then
/// waits for a frame.
async fn settle() {
    leptos::task::tick().await;
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[wasm_bindgen_test]
async fn router_sends_each_path_to_its_page() {
    let cases = [
        ("/connect/secure?sl=abc", Msg::ConnectTitle),
        ("/checkout/?sl=abc", Msg::CheckoutTitle),
        ("/checkout?sl=abc", Msg::CheckoutTitle),
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
