//! The frame every page shares: DRUO header, a content box, and the trust
//! footer. It matches the static shell in `index.html`, so the swap from
//! shell to app does not move anything on screen.

use crate::i18n::tr;
use druo_core::i18n::Msg;
use leptos::prelude::*;

/// Page frame with the DRUO header, a content box and the footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <header class="brand-bar">
            <span class="brand">"DRUO"</span>
        </header>
        <main class="content-box" id="main">
            {children()}
        </main>
        <footer class="trust">{tr(Msg::SecuredBy)}</footer>
    }
}
