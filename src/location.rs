//! The page's URL as a signal, moved with the History API. This is all the
//! routing the app needs (three pages, chosen by path once; the query read
//! reactively for `lang` and the studio's state), in place of leptos_router,
//! which cost the link pages more bytes than anything it did for them
//! (docs/performance.md).

use druo_core::url::parse_query;
use leptos::prelude::*;

/// Where the page is: its path and its query pairs, in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Url {
    /// `location.pathname`.
    pub path: String,
    /// `location.search`, decoded.
    pub query: Vec<(String, String)>,
}

impl Url {
    /// The first value of `key` in the query.
    pub fn get(&self, key: &str) -> Option<String> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }
}

/// The browser's current URL (empty outside a browser window).
fn read() -> Url {
    let Some(l) = web_sys::window().map(|w| w.location()) else {
        return Url::default();
    };
    Url {
        path: l.pathname().unwrap_or_default(),
        query: parse_query(&l.search().unwrap_or_default()),
    }
}

/// The URL signal the app shares, so every reader sees navigation.
#[derive(Clone, Copy)]
struct Location(RwSignal<Url>);

/// Provides the URL signal for the app below and keeps it in step with the
/// back and forward buttons. Returns it.
pub fn provide_location() -> ReadSignal<Url> {
    let url = RwSignal::new(read());
    let handle = window_event_listener(leptos::ev::popstate, move |_| url.set(read()));
    on_cleanup(move || handle.remove());
    provide_context(Location(url));
    url.read_only()
}

/// The URL signal; outside the app (a component mounted alone in a test)
/// a snapshot of the current URL.
pub fn use_url() -> Signal<Url> {
    match use_context::<Location>() {
        Some(Location(url)) => url.into(),
        None => Signal::stored(read()),
    }
}

/// A function that moves the page to `href` (same origin) without
/// reloading it, so what the user typed stays; `replace` edits the current
/// history entry instead of adding one. Taken at setup, because event
/// handlers run outside the component's owner.
pub fn use_navigate() -> impl Fn(&str, bool) + Copy + 'static {
    let location = use_context::<Location>();
    move |href, replace| {
        let Some(h) = web_sys::window().and_then(|w| w.history().ok()) else {
            return;
        };
        let moved = if replace {
            h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href))
        } else {
            h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href))
        };
        if let (Ok(()), Some(Location(url))) = (moved, location) {
            url.set(read());
        }
    }
}
