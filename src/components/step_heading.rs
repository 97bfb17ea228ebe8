//! A step's heading. When a step replaces another, focus moves to its
//! heading so screen readers announce it and keyboard users start there.

use crate::i18n::tr;
use druo_core::i18n::Msg;
use leptos::html;
use leptos::prelude::*;

/// The `<h1>` of a step, in the current language; takes focus on mount
/// when `focus` is true. `bank` fills a `{bank}` placeholder.
#[component]
pub fn StepHeading(
    title: Msg,
    #[prop(optional)] focus: bool,
    #[prop(optional, into)] bank: Option<Signal<String>>,
) -> impl IntoView {
    let fill = crate::i18n::use_fill();
    let plain = tr(title);
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
            {move || match bank {
                Some(b) => fill(title, &[("bank", &b.get())]),
                None => plain().to_string(),
            }}
        </h1>
    }
}
