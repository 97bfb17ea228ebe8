//! A step's heading. When a step replaces another, focus moves to its
//! heading so screen readers announce it and keyboard users start there.

use leptos::html;
use leptos::prelude::*;

/// The `<h1>` of a step; takes focus on mount when `focus` is true.
#[component]
pub fn StepHeading(
    #[prop(into)] text: Signal<String>,
    #[prop(optional)] focus: bool,
) -> impl IntoView {
    let node = NodeRef::<html::H1>::new();
    Effect::new(move |_| {
        if focus {
            if let Some(h) = node.get() {
                let _ = h.focus();
            }
        }
    });
    view! {
        <h1 class="page-title" tabindex="-1" node_ref=node>
            {move || text.get()}
        </h1>
    }
}
