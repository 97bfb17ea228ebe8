//! The page's current language as reactive context, how a page chooses it
//! (the URL's `lang`, then the link's default, then the browser's), and the translation helpers
//! views use. Strings come only from `druo_core::i18n`.

use crate::location::use_url;
use druo_core::i18n::{fill, Text};
use druo_core::lang::choose_lang;
use druo_core::Lang;
use leptos::prelude::*;

/// The current display language, shared by every component.
#[derive(Clone, Copy)]
pub struct LangContext(pub RwSignal<Lang>);

/// Provides the language context (English until a page decides), and keeps
/// `<html lang>` in step with it.
pub fn provide_lang() -> RwSignal<Lang> {
    let lang = RwSignal::new(Lang::default());
    provide_context(LangContext(lang));
    Effect::new(move |_| {
        let l = lang.get();
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", l.bcp47());
        }
    });
    lang
}

/// The query parameter a language switch sets: `lang` on every page; the
/// studio's frames provide `plang`, their own language, so a frame's
/// switch changes the preview and not the studio around it.
#[derive(Clone, Copy)]
pub struct LangParam(pub &'static str);

/// The current language signal (English if no context was provided, as in
/// isolated component tests).
pub fn use_lang() -> RwSignal<Lang> {
    use_context::<LangContext>()
        .map(|c| c.0)
        .unwrap_or_else(|| RwSignal::new(Lang::default()))
}

/// A reactive translation of `msg` (of either catalog) in the current
/// language.
pub fn tr<M: Text>(msg: M) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || msg.text(lang.get())
}

/// A function that fills `msg`'s `{name}` placeholders in the current
/// language. It reads the language, so a view closure that calls it
/// follows the language switch. Taken at setup, like `tr`, because event
/// handlers and nested closures run outside the component's owner.
pub fn use_fill<M: Text>() -> impl Fn(M, &[(&str, &str)]) -> String + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move |msg, args| fill(msg.text(lang.get()), args)
}

/// The language a link asks for, once a link page has its link.
#[derive(Clone, Copy)]
struct LinkLang(RwSignal<Option<Lang>>);

/// The first of the browser's preferred languages we speak
/// (`navigator.languages`), if any.
fn browser_lang() -> Option<Lang> {
    if !crate::browser::LIVE {
        return Lang::from_browser(&crate::boot::use_boot()?.langs);
    }
    let langs = web_sys::window()?.navigator().languages();
    let tags: Vec<String> = langs.iter().filter_map(|v| v.as_string()).collect();
    Lang::from_browser(&tags)
}

/// Keeps the display language in step with the URL on every page: its
/// `lang`, else the link's language once a link page has one, else the
/// browser's languages, else English. Call once, below the location.
pub fn follow_url_lang() {
    let url = use_url();
    let lang = use_lang();
    let link = RwSignal::new(None);
    provide_context(LinkLang(link));
    let browser = browser_lang();
    let choose = move || {
        let q = url.with(|u| u.get("lang"));
        choose_lang(q.as_deref(), link.get().or(browser))
    };
    // Now, so the first render (the server's too: it runs no Effect) is in
    // the right language; then whenever the URL or the link changes it.
    lang.set(choose());
    // Only a change is written: every text and view in the language
    // follows this signal, and a hydrated page must not rebuild them.
    Effect::new(move |_| {
        let l = choose();
        if lang.get_untracked() != l {
            lang.set(l);
        }
    });
}

/// Sets the link's language, which the URL's `lang` still overrides; the
/// page shows it at once (the first render is the server's as well).
pub fn follow_link_lang(default: Lang) {
    if let Some(LinkLang(link)) = use_context::<LinkLang>() {
        link.set(Some(default));
        let q = use_url().with_untracked(|u| u.get("lang"));
        use_lang().set(choose_lang(q.as_deref(), Some(default)));
    }
}
