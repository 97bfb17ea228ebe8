//! The visible language switch: links that set `lang` in the URL and keep
//! every other parameter, so a shared or reloaded link keeps its language.

use crate::i18n::{use_lang, LangParam};
use crate::location::{use_navigate, use_url};
use druo_core::i18n::Msg;
use druo_core::Lang;
use leptos::prelude::*;

/// English / Español, each in its own language; the current one is marked.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let url = use_url();
    let navigate = use_navigate();
    let param = use_context::<LangParam>().map_or("lang", |p| p.0);
    let href = move |l: Lang| url.with(|u| u.href_with(&[(param, Some(l.code()))]));
    // A plain click switches in place (what the user typed stays); a
    // modified click (new tab, window) is left to the browser.
    let follow = move |ev: leptos::ev::MouseEvent, l: Lang| {
        if ev.button() == 0 && !(ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key()) {
            ev.prevent_default();
            navigate(&href(l), false);
        }
    };
    view! {
        <nav class="lang-switch" aria-label=move || Msg::LanguageLabel.text(lang.get())>
            {Lang::ALL
                .into_iter()
                .map(|l| {
                    view! {
                        <a
                            href=move || href(l)
                            hreflang=l.bcp47()
                            lang=l.bcp47()
                            aria-current=move || (lang.get() == l).then_some("true")
                            on:click=move |ev| follow(ev, l)
                        >
                            {Msg::LanguageName.text(l)}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}
