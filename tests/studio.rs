//! Browser tests of the theme studio in headless Chromium: editing a colour
//! applies it to both preview frames and the URL; an invalid value is
//! flagged and not applied.

#![cfg(target_arch = "wasm32")]

mod common;

use common::{container, go, settle, type_into};
use druo_link::App;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The studio at `path`, mounted and settled (its frames draw a tick after
/// the panel): the page's root, and the handle that keeps it mounted.
async fn open_studio(path: &str) -> (web_sys::HtmlElement, impl Sized) {
    go(path);
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), App);
    settle().await;
    settle().await;
    (root, handle)
}

/// The text of a field's error line (which is always there, empty while
/// the field is valid).
fn error_of(root: &web_sys::HtmlElement, selector: &str) -> String {
    let line = root.query_selector(selector).unwrap();
    line.expect("the error line").text_content().unwrap()
}

fn frames_var(root: &web_sys::HtmlElement, var: &str) -> Vec<String> {
    let list = root.query_selector_all(".preview-viewport").unwrap();
    (0..list.length())
        .map(|i| {
            let el: web_sys::HtmlElement = list.item(i).unwrap().dyn_into().unwrap();
            el.style().get_property_value(var).unwrap()
        })
        .collect()
}

#[wasm_bindgen_test]
async fn editing_a_colour_applies_it_and_invalid_values_are_flagged_not_applied() {
    let (root, _h) = open_studio("/preview?kind=connect&state=form&lang=en_US").await;
    assert_eq!(
        frames_var(&root, "--button-bg"),
        vec!["#1b2a4a", "#1b2a4a"],
        "defaults first"
    );
    // Two real forms, one per frame.
    assert_eq!(
        root.query_selector_all(".preview-viewport form.account-form")
            .unwrap()
            .length(),
        2
    );

    type_into(&root, "#color-button_color", "#0B5CAD");
    settle().await;
    settle().await;
    assert_eq!(frames_var(&root, "--button-bg"), vec!["#0b5cad", "#0b5cad"]);
    let search = window().location().search().unwrap();
    assert!(search.contains("button_color=%230B5CAD"), "{search}");
    let error = error_of(&root, "#color-button_color-error");
    assert_eq!(error, "");

    type_into(&root, "#color-button_color", "red;background:url(//x)");
    settle().await;
    settle().await;
    let error = error_of(&root, "#color-button_color-error");
    assert!(error.contains("#RGB or #RRGGBB"), "{error}");
    assert_eq!(
        frames_var(&root, "--button-bg"),
        vec!["#1b2a4a", "#1b2a4a"],
        "invalid: the default, never the text"
    );
    let json = root
        .query_selector("#studio-json")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(
        !json.contains("button_color"),
        "invalid colours are not copied: {json}"
    );

    // A failing pair shows in the contrast report with the adjustment.
    type_into(&root, "#color-button_text_color", "#1b2a4a");
    settle().await;
    settle().await;
    let report = root
        .query_selector("table.contrast")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(
        report.contains("Fail")
            && report.contains("The page shows this text in white so it stays readable.")
            && !report.contains("--button"),
        "{report}"
    );
}

/// Every frame's main heading, in order.
fn frame_headings(root: &web_sys::HtmlElement) -> Vec<String> {
    common::texts(root, ".preview-viewport h1")
}

#[wasm_bindgen_test]
async fn the_pending_preview_shows_what_each_page_shows_for_a_pending_account() {
    // Connect: the live wait for the bank's approval, named by bank.
    let (root, h) = open_studio("/preview?kind=connect&state=pending&lang=en_US").await;
    let headings = frame_headings(&root);
    assert_eq!(headings.len(), 2, "{headings:?}");
    assert!(
        headings
            .iter()
            .all(|t| t == "Approve the request in Banco de Bogotá"),
        "{headings:?}"
    );
    let text = root.text_content().unwrap();
    assert!(
        text.contains("Waiting for Banco de Bogotá to confirm"),
        "the live status line: {text}"
    );
    drop(h);

    // Checkout: the connector waits on its pending step.
    let (root, _h) = open_studio("/preview?kind=checkout&state=pending&lang=es_CO").await;
    let headings = frame_headings(&root);
    assert!(
        !headings.is_empty()
            && headings
                .iter()
                .all(|t| t == "Aprueba la solicitud en Banco de Bogotá"),
        "{headings:?}"
    );
}
