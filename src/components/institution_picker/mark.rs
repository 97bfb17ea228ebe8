//! An institution's mark: its short mark in a circle of its brand colour.

use druo_core::dto::Institution;
use leptos::prelude::*;

/// The mark, decorative (the institution's name is always next to it).
/// Colours are validated in core (`druo_core::brand`) and written as
/// custom properties through CSSOM, so data never reaches markup.
pub fn mark(i: &Institution) -> impl IntoView {
    let text = i.mark_text();
    // Three or four letters ("GNB", "BBVA") take a smaller size to fit.
    let long = text.chars().count() > 2;
    view! {
        <span
            class="mark"
            class:long=long
            aria-hidden="true"
            style:--mark-bg=i.mark_color().to_string()
            style:--mark-fg=i.mark_text_color().to_string()
        >
            {text.to_string()}
        </span>
    }
}
