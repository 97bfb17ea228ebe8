//! The page's current language as reactive context, how a page chooses it
//! (the URL's `lang`, then the link's default), and the translation helpers
//! views use. Strings come only from `druo_core::i18n`.

use crate::location::use_url;
use druo_core::i18n::{fill, Msg};
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

/// The current language signal (English if no context was provided, as in
/// isolated component tests).
pub fn use_lang() -> RwSignal<Lang> {
    use_context::<LangContext>()
        .map(|c| c.0)
        .unwrap_or_else(|| RwSignal::new(Lang::default()))
}

/// A reactive translation of `msg` in the current language.
pub fn tr(msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || msg.text(lang.get())
}

/// A function that fills `msg`'s `{name}` placeholders in the current
/// language. It reads the language, so a view closure that calls it
/// follows the language switch. Taken at setup, like `tr`, because event
/// handlers and nested closures run outside the component's owner.
pub fn use_fill() -> impl Fn(Msg, &[(&str, &str)]) -> String + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move |msg, args| fill(msg.text(lang.get()), args)
}

/// Applies the URL's `lang` at once, before a link page has its link, so
/// the loading state already speaks the language the URL asks for.
pub fn follow_lang_param() {
    let url = use_url();
    let lang = use_lang();
    Effect::new(move |_| {
        if let Some(l) = url.with(|u| u.get("lang")) {
            lang.set(choose_lang(Some(&l), None));
        }
    });
}

/// Sets the display language from the URL's `lang`, else the link's
/// `default`, and keeps following the URL (the switch moves it).
pub fn follow_link_lang(default: Lang) {
    let lang = use_lang();
    let url = use_url();
    Effect::new(move |_| {
        let q = url.with(|u| u.get("lang"));
        lang.set(choose_lang(q.as_deref(), Some(default)));
    });
}
