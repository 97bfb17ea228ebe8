//! Small DOM helpers the components share: names unique per instance,
//! focus by selector, and the attribute that marks the meaningful paint.

/// A name unique to one component instance, for radio groups: two
/// instances on one page (the studio's frames) must not share a group.
pub fn unique_name(prefix: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!("{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// `elementtiming="meaningful"` (spread it onto an element: `{..meaningful()}`):
/// marks the text whose paint is the page's meaningful render, which
/// `scripts/bench` reads through the Element Timing API. The view macro has
/// no name for this attribute, hence the spread.
pub fn meaningful(
) -> leptos::tachys::html::attribute::custom::CustomAttr<&'static str, &'static str> {
    leptos::tachys::html::attribute::custom::custom_attribute("elementtiming", "meaningful")
}

/// Moves focus to the first element `selector` matches, now (the element
/// is on the page already: focus never moves later, under typing).
pub fn focus_first(selector: &'static str) {
    use wasm_bindgen::JsCast;
    let el = leptos::prelude::document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = el {
        let _ = el.focus();
    }
}
