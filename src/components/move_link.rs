//! A move between a page's steps, written as a link so it works before
//! and without the app (issue 24): its `href` is the step's address, which
//! the server renders. Live, a plain click is the app's own move (no page
//! load, focus follows, a history entry); a modified click (a new tab) is
//! left to the browser.

use crate::components::dom::take_click;
use leptos::prelude::*;

/// A link to `href` that the live app follows itself with `on_move`.
#[component]
pub fn MoveLink(
    /// The step's address (`Place::href`).
    href: String,
    /// Its look: `button primary`, `button secondary` or `link-button`.
    class: &'static str,
    /// The app's own move.
    #[prop(into)]
    on_move: Callback<()>,
    /// An id, where focus or a test needs one.
    #[prop(optional)]
    id: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <a id=id class=class href=href on:click=move |ev| if take_click(&ev) { on_move.run(()) }>
            {children()}
        </a>
    }
}
