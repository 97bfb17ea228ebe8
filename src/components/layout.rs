//! The frame every page shares: DRUO header (with the language switch on
//! link pages), a content box, and the trust footer. It matches the static
//! shell in `index.html`, so the swap from shell to app does not move
//! anything on screen.

use crate::components::lang_switch::LangSwitch;
use crate::components::offline::OfflineBanner;
use crate::i18n::tr;
use druo_core::i18n::Msg;
use leptos::prelude::*;

/// Page frame with the DRUO header, a content box and the footer.
#[component]
pub fn Layout(
    /// Show the language switch and the offline banner: on for the link
    /// pages, off for the plain message pages (not found, service error).
    #[prop(optional)]
    lang_switch: bool,
    /// A sidebar beside the content box (the checkout summary).
    #[prop(optional, into)]
    aside: Option<ViewFn>,
    children: Children,
) -> impl IntoView {
    let with_aside = aside.is_some();
    view! {
        <header class="brand-bar" class:wide=with_aside>
            <span class="brand">"DRUO"</span>
            {lang_switch.then(|| view! { <LangSwitch/> })}
        </header>
        {lang_switch.then(|| view! { <OfflineBanner/> })}
        <div class="frame" class:with-aside=with_aside>
            {aside.map(|a| a.run())}
            <main class="content-box" id="main">
                {children()}
            </main>
        </div>
        <footer class="trust">{tr(Msg::SecuredBy)}</footer>
    }
}

/// The loading state: the same skeleton as the static shell.
#[component]
pub fn Skeleton() -> impl IntoView {
    view! {
        <div aria-busy="true">
            <div class="skeleton skeleton-title"></div>
            <div class="skeleton skeleton-line"></div>
            <div class="skeleton skeleton-line short"></div>
            <div class="skeleton skeleton-block"></div>
            <p class="visually-hidden" role="status">{tr(Msg::Loading)}</p>
        </div>
    }
}
