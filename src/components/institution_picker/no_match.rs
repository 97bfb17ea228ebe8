//! What to do when a search finds nothing: the query did not match, check
//! the spelling, and the institution may not be supported yet.

use crate::i18n::{use_fill, use_lang};
use druo_core::i18n::Msg;
use leptos::prelude::*;

/// A status region, always in the page so screen readers announce the
/// help when it appears; its two lines are filled only while `results` is
/// empty (text, not a mounted block: less code in the wasm).
pub fn no_match(query: RwSignal<String>, results: Memo<Vec<usize>>) -> impl IntoView {
    let fill = use_fill();
    let lang = use_lang();
    let empty = move || results.with(Vec::is_empty);
    view! {
        <div class="no-match" role="status">
            <p class="no-match-title">
                {move || empty().then(|| fill(Msg::NoBankMatches, &[("query", &query.get())]))}
            </p>
            <p class="hint">
                {move || empty().then(|| {
                    let l = lang.get();
                    [Msg::NoMatchSpelling.text(l), Msg::NoMatchUnsupported.text(l)].join(" ")
                })}
            </p>
        </div>
    }
}
