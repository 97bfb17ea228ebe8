//! `/preview`: the theme studio. Designers edit a theme and see the real
//! page components in any state, in a desktop and a 360 px frame, with the
//! contrast report the live page acts on. The URL is the whole state, so a
//! preview can be shared; "Copy JSON" gives the create-request fields.
//! No service is needed: every piece of data is built-in sample data.

mod edit;
mod frames;
mod import;
mod panel;
mod report;
pub mod sample;

use crate::components::lang_switch::LangSwitch;
use crate::i18n::tr;
use crate::location::{use_navigate, use_url};
use druo_core::i18n::{Msg, StudioMsg};
use druo_core::studio::StudioState;
use frames::frame;
use leptos::html;
use leptos::prelude::*;
use panel::panel;
use report::contrast;

/// The theme studio.
#[component]
pub fn StudioPage() -> impl IntoView {
    let url = use_url();
    let navigate = use_navigate();
    // The URL is the single source of truth.
    let state = Memo::new(move |_| {
        url.with(|u| StudioState::from_query(u.query.iter().map(|(k, v)| (k.as_str(), v.as_str()))))
    });
    // The studio's own language is the page's `lang` (else the browser's),
    // which the app already follows; the frames speak `plang` (frames.rs).
    let update = move |f: &dyn Fn(&mut StudioState)| {
        let mut s = state.get_untracked();
        f(&mut s);
        // The current path: `/preview` from link-server, `/preview/` from
        // a plain static server of dist/.
        let path = url.with_untracked(|u| u.path.clone());
        navigate(&format!("{path}?{}", s.to_query()), true);
    };
    let update = StoredValue::new_local(update);
    let set = move |f: &dyn Fn(&mut StudioState)| update.with_value(|u| u(f));

    // What re-mounts the frames: everything but the colours, which are
    // only CSS variables and change in place.
    let content = Memo::new(move |_| {
        state.with(|s| {
            let mut c = s.clone();
            c.colors.clear();
            c
        })
    });
    let resolved = Memo::new(move |_| state.with(|s| s.resolved()));
    let desktop = NodeRef::<html::Div>::new();
    let phone = NodeRef::<html::Div>::new();
    // The flows leave `<html>` alone here; each frame carries the theme,
    // so the panel keeps its own colours.
    Effect::new(move |_| {
        let r = resolved.get();
        for node in [desktop.get(), phone.get()].into_iter().flatten() {
            let style = web_sys::HtmlElement::style(&node);
            for (var, color) in &r.vars {
                let _ = style.set_property(var, &color.to_string());
            }
        }
    });

    let plang = move || state.with(|s| s.plang.bcp47());
    // The phone frame comes first: it always fits beside the panel, and
    // the desktop frame wraps below it where both do not fit (style/).
    view! {
        <div class="studio">
            <header class="brand-bar wide studio-header">
                <span class="brand">"DRUO"</span>
                <h1 class="studio-title">{tr(Msg::StudioTitle)}</h1>
                <LangSwitch/>
            </header>
            <div class="studio-body">
                {panel(state, set)}
                <section class="studio-preview">
                    <h2 class="subheading">{tr(StudioMsg::StudioContrast)}</h2>
                    {contrast(resolved, set)}
                    <div class="studio-frames">
                        <figure class="preview-frame phone">
                            <figcaption>{tr(StudioMsg::StudioPhone)}</figcaption>
                            <div class="preview-viewport" lang=plang node_ref=phone>{move || frame(&content.get(), false)}</div>
                        </figure>
                        <figure class="preview-frame desktop">
                            <figcaption>{tr(StudioMsg::StudioDesktop)}</figcaption>
                            <div class="preview-viewport" lang=plang node_ref=desktop>{move || frame(&content.get(), true)}</div>
                        </figure>
                    </div>
                </section>
            </div>
        </div>
    }
}
