//! The visible language switch: links that set `lang` in the URL and keep
//! every other parameter, so a shared or reloaded link keeps its language.

use crate::i18n::use_lang;
use druo_core::i18n::Msg;
use druo_core::url::percent_encode;
use druo_core::Lang;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

/// English / Español, each in its own language; the current one is marked.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    let query = use_query_map();
    let href = move |l: Lang| {
        let q = query.get();
        let mut parts: Vec<String> = q
            .into_iter()
            .filter(|(k, _)| k != "lang")
            .map(|(k, v)| format!("{}={}", percent_encode(&k), percent_encode(&v)))
            .collect();
        parts.push(format!("lang={}", l.code()));
        format!("{}?{}", location.pathname.get(), parts.join("&"))
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
                        >
                            {Msg::LanguageName.text(l)}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}
