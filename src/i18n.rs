//! The page's current language as reactive context, and the translation
//! helper views use. Strings come only from `druo_core::i18n`.

use druo_core::i18n::Msg;
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
