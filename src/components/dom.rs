//! Small DOM helpers the components share: focus by selector, the
//! attribute that marks the meaningful paint, links the app takes over,
//! and whether the page is live.

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

/// Takes a plain click on a link for the app, which then moves itself
/// (no page load): a left click with no key held. A modified click (a new
/// tab or window) is left to the browser, which follows the link's
/// `href`, as it does before the app is live or without it.
pub fn take_click(ev: &leptos::ev::MouseEvent) -> bool {
    let plain =
        ev.button() == 0 && !(ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key());
    if plain {
        ev.prevent_default();
    }
    plain
}

/// False in the server's render and while hydrating, true once the page
/// is live (an Effect runs only in the browser, after hydration). What
/// only a live page wants (the bank options out of the tab order, since
/// the search box's arrows reach them; "Check again" hidden, since the
/// wait checks by itself) is set from it, after the page has hydrated.
pub fn use_live() -> leptos::prelude::ReadSignal<bool> {
    use leptos::prelude::*;
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    live.read_only()
}
