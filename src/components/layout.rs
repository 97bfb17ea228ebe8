//! The frame every page shares: a header naming who sent the link (with
//! the language switch on link pages), a content box, and the trust
//! footer. It matches the static shell in `index.html`, so the swap from
//! shell to app does not move anything on screen.

use crate::components::icon::{glyph, Icon};
use crate::components::lang_switch::LangSwitch;
use crate::components::offline::OfflineBanner;
use crate::i18n::{tr, use_fill};
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
    /// Who sent the link, named in the header and the trust line; a link
    /// page still loading shows a placeholder of the same height.
    #[prop(optional, into)]
    merchant: Option<String>,
    children: Children,
) -> impl IntoView {
    let with_aside = aside.is_some();
    let fill = use_fill();
    // One shape for every case (a link page loading, loaded, or a plain
    // message page), so the header never changes height or place.
    let loading = lang_switch && merchant.is_none();
    let name = merchant.unwrap_or_else(|| {
        if loading {
            String::new()
        } else {
            "DRUO".into()
        }
    });
    // A link page's merchant: its initial (upper case comes from the CSS:
    // Rust's Unicode case tables cost the wasm about 7 KB) and the trust
    // line's name; neither while loading or on a plain message page. Hidden, not left
    // out: optional views cost more code, and `:empty` cannot tell, as the
    // server writes an empty text as a space.
    let (initial, shared) = if lang_switch {
        (name.chars().take(1).collect(), name.clone())
    } else {
        (String::new(), String::new())
    };
    let (no_mark, no_line) = (initial.is_empty(), shared.is_empty());
    view! {
        <header class="brand-bar" class:wide=with_aside>
            <span class="sender" class:skeleton=loading>
                <span class="sender-mark" aria-hidden="true" hidden=no_mark>{initial}</span>
                <span class="sender-name">{name}</span>
            </span>
            {lang_switch.then(|| view! { <LangSwitch/> })}
        </header>
        {lang_switch.then(|| view! { <OfflineBanner/> })}
        <div class="frame" class:with-aside=with_aside>
            {aside.map(|a| a.run())}
            <main class="content-box" id="main">
                {children()}
            </main>
        </div>
        <footer class="trust" class:wide=with_aside>
            <p class="trust-main">{glyph(Icon::Lock)}{tr(Msg::SecuredBy)}</p>
            <p class="trust-more" hidden=no_line>{move || if shared.is_empty() { String::new() } else { fill(Msg::TrustShared, &[("merchant", &shared)]) }}</p>
        </footer>
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
