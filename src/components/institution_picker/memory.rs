//! The bank search survives a reload: what the person was typing is kept
//! for the tab (sessionStorage, per link) and put back once the page is
//! live. Only the search text, and never a search that looks like a
//! number (`druo_core::search::keepable_search`): nothing of the account.

use druo_core::search::keepable_search;
use leptos::prelude::*;

/// Keeps `query` for this tab and link, and puts a kept search back when
/// the picker opens empty (after a reload). In the studio, which has no
/// link in its URL, nothing is kept.
pub fn remember_search(query: RwSignal<String>) {
    let Some(key) = key() else { return };
    Effect::new(move |opened: Option<()>| {
        let q = query.get();
        if opened.is_none() && q.is_empty() {
            // A server-rendered page shows the picker empty; the kept
            // search comes back after hydration, so both renders agree.
            if let Some(kept) = read(&key).filter(|k| !k.is_empty()) {
                query.set(kept);
            }
        } else {
            // A number typed into the search is dropped, not kept.
            let kept = if keepable_search(&q) { q.as_str() } else { "" };
            write(&key, kept);
        }
    });
}

/// The storage key of this link's search, if the URL names a link.
fn key() -> Option<String> {
    let slug =
        crate::location::use_url().with_untracked(|u| druo_core::route::link_slug(&u.query))?;
    Some(["druo-search:", &slug].concat())
}

/// The tab's storage; none where the browser refuses it (private modes).
fn storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

/// The kept value of `key`, if any.
fn read(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Keeps `value` under `key` for the tab.
fn write(key: &str, value: &str) {
    if let Some(s) = storage() {
        // A full or refused storage only costs the convenience.
        let _ = s.set_item(key, value);
    }
}
