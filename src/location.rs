//! The page's URL as a signal, moved with the History API. This is all the
//! routing the app needs (three pages, chosen by path once; the query read
//! reactively for `lang` and the studio's state), in place of leptos_router,
//! which cost the link pages more bytes than anything it did for them
//! (docs/performance.md).

use druo_core::url::{parse_query, percent_encode};
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

    /// This URL's path and query with each of `set`'s keys replaced: set
    /// to the value, or removed for `None`. Every other parameter stays.
    pub fn href_with(&self, set: &[(&str, Option<&str>)]) -> String {
        let kept = self
            .query
            .iter()
            .filter(|(k, _)| !set.iter().any(|(s, _)| s == k));
        let added = set.iter().filter_map(|(k, v)| v.map(|v| (*k, v)));
        let parts: Vec<String> = kept
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain(added)
            .map(|(k, v)| [percent_encode(k), percent_encode(v)].join("="))
            .collect();
        match parts.is_empty() {
            true => self.path.clone(),
            false => [self.path.as_str(), "?", &parts.join("&")].concat(),
        }
    }
}

/// The browser's current URL (the one the server renders for, on the
/// server; empty outside a browser window).
pub fn current() -> Url {
    read()
}

/// The URL a server render is for, standing in for the window's.
#[derive(Clone, Debug)]
struct ServerUrl(Url);

/// Sets the URL the server renders the page for (`boot::provide_boot`).
pub fn provide_server_url(url: Url) {
    provide_context(ServerUrl(url));
}

fn read() -> Url {
    if !crate::browser::LIVE {
        return use_context::<ServerUrl>().map(|u| u.0).unwrap_or_default();
    }
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

/// Moves the page within its origin without reloading it, so what the
/// user typed stays. Taken at setup, because event handlers run outside
/// the component's owner.
#[derive(Clone, Copy)]
pub struct Navigator(Option<RwSignal<Url>>);

impl Navigator {
    /// Moves to `href` (same origin); `replace` edits the current history
    /// entry instead of adding one. A new entry remembers the one it was
    /// added after (its state), so [`Navigator::back_to`] knows when the
    /// entry before is where a page's own Back leads; an edited entry keeps
    /// what it remembered.
    pub fn go(&self, href: &str, replace: bool) {
        let Some(h) = web_sys::window().and_then(|w| w.history().ok()) else {
            return;
        };
        let moved = if replace {
            let kept = h.state().unwrap_or(wasm_bindgen::JsValue::NULL);
            h.replace_state_with_url(&kept, "", Some(href))
        } else {
            let from = wasm_bindgen::JsValue::from_str(&read().href_with(&[]));
            h.push_state_with_url(&from, "", Some(href))
        };
        if let (Ok(()), Some(url)) = (moved, self.0) {
            url.set(read());
        }
    }

    /// Sets (or, for `None`, removes) query parameters of the current URL,
    /// keeping the others.
    pub fn set_params(&self, set: &[(&str, Option<&str>)], replace: bool) {
        self.go(&read().href_with(set), replace);
    }

    /// Goes back to the current URL with `set`'s parameters, as a page's
    /// own Back button: when the entry before this one is that URL (we
    /// came from it), back in history, so the page's Back and the
    /// browser's agree (the caller hears the move as `popstate`); else
    /// (opened or reloaded here with no entry of ours before) the current
    /// entry is replaced. Returns whether it went back in history.
    pub fn back_to(&self, set: &[(&str, Option<&str>)]) -> bool {
        let target = read().href_with(set);
        let Some(h) = web_sys::window().and_then(|w| w.history().ok()) else {
            return false;
        };
        let came_from = h.state().ok().and_then(|s| s.as_string());
        if came_from.is_some_and(|from| same_place(&from, &target)) && h.back().is_ok() {
            return true;
        }
        self.go(&target, true);
        false
    }
}

/// Whether two same-origin hrefs name the same page and query (the
/// parameters in any order).
fn same_place(a: &str, b: &str) -> bool {
    let split = |s: &str| {
        let (path, query) = s.split_once('?').unwrap_or((s, ""));
        let mut q = parse_query(query);
        q.sort();
        (path.to_string(), q)
    };
    split(a) == split(b)
}

/// The page's navigator.
pub fn use_navigator() -> Navigator {
    Navigator(use_context::<Location>().map(|Location(url)| url))
}

/// A function that moves the page to `href`, as [`Navigator::go`].
pub fn use_navigate() -> impl Fn(&str, bool) + Copy + 'static {
    let n = use_navigator();
    move |href, replace| n.go(href, replace)
}
