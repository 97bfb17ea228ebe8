//! What to do when a search finds nothing: the query did not match, check
//! the spelling, and the institution may not be supported yet.

use crate::i18n::{tr, use_fill};
use druo_core::i18n::Msg;
use leptos::prelude::*;

/// A status region, always in the page so screen readers announce the
/// help when it appears; it is filled only while `results` is empty.
pub fn no_match(query: RwSignal<String>, results: Memo<Vec<usize>>) -> impl IntoView {
    let fill = use_fill();
    view! {
        <div class="no-match" role="status">
            <Show when=move || results.with(Vec::is_empty)>
                <p class="no-match-title">{move || fill(Msg::NoBankMatches, &[("query", &query.get())])}</p>
                <ul class="no-match-help">
                    <li>{tr(Msg::NoMatchSpelling)}</li>
                    <li>{tr(Msg::NoMatchUnsupported)}</li>
                </ul>
            </Show>
        </div>
    }
}
