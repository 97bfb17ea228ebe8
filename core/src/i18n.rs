//! The locale catalog: every user-facing string of the link pages, in en_US
//! and es_CO. The `catalog!` macro makes a missing translation a compile
//! error; the tests catch empty or untranslated entries.

use crate::Lang;

macro_rules! catalog {
    ($($(#[$doc:meta])* $key:ident => ($en:expr, $es:expr),)*) => {
        /// A user-facing message.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg {
            $($(#[$doc])* $key,)*
        }

        impl Msg {
            /// Every message, for completeness tests.
            pub const ALL: &'static [Msg] = &[$(Msg::$key,)*];

            /// The message in `lang`.
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$key, Lang::EnUs) => $en,
                      (Msg::$key, Lang::EsCo) => $es,)*
                }
            }
        }
    };
}

catalog! {
    /// Document title suffix.
    BrandTitle => ("DRUO Link", "DRUO Link"),
    /// Shown while a link loads.
    Loading => ("Loading…", "Cargando…"),
    /// Header of the not-found page.
    NotFoundTitle => ("Link not found", "Enlace no encontrado"),
    /// Body of the not-found page.
    NotFoundBody => (
        "This link does not exist or is no longer available. Check the link you received or ask the company that sent it for a new one.",
        "Este enlace no existe o ya no está disponible. Revisa el enlace que recibiste o pide uno nuevo a la empresa que te lo envió."
    ),
    /// Connect page heading.
    ConnectTitle => ("Connect your bank account", "Conecta tu cuenta bancaria"),
    /// Checkout page heading.
    CheckoutTitle => ("Complete your payment", "Completa tu pago"),
    /// Theme studio heading.
    StudioTitle => ("Theme studio", "Estudio de temas"),
    /// Placeholder while a page is being built.
    UnderConstruction => (
        "This page is being prepared. Please try again soon.",
        "Esta página se está preparando. Inténtalo de nuevo pronto."
    ),
    /// Footer trust line.
    SecuredBy => ("Secured by DRUO", "Protegido por DRUO"),
    /// Accessible name of the language switch.
    LanguageLabel => ("Language", "Idioma"),
    /// The language's own name, for the switch.
    LanguageName => ("English", "Español"),
    /// "{merchant} uses DRUO…" prefix line: who sent the link.
    SentBy => ("Requested by", "Solicitado por"),
    /// Expired link heading.
    ExpiredTitle => ("This link has expired", "Este enlace ha expirado"),
    /// Expired link body; the merchant name follows.
    ExpiredBody => (
        "Ask the company that sent it for a new link:",
        "Pide un nuevo enlace a la empresa que te lo envió:"
    ),
    /// Completed link heading.
    CompletedTitle => ("This link was already used", "Este enlace ya fue utilizado"),
    /// Generic service error heading.
    ServiceErrorTitle => ("We could not load this page", "No pudimos cargar esta página"),
    /// Generic service error body.
    ServiceErrorBody => (
        "Check your connection and try again. Nothing you entered has been lost.",
        "Revisa tu conexión e inténtalo de nuevo. No se ha perdido nada de lo que escribiste."
    ),
    /// Retry button.
    Retry => ("Try again", "Intentar de nuevo"),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Entries that are the same word in both languages on purpose.
    const SAME_IN_BOTH: &[Msg] = &[Msg::BrandTitle];

    #[test]
    fn every_message_exists_in_both_languages() {
        assert!(!Msg::ALL.is_empty());
        for &m in Msg::ALL {
            for lang in Lang::ALL {
                let t = m.text(lang);
                assert!(!t.trim().is_empty(), "{m:?} is empty in {lang:?}");
                assert_eq!(t, t.trim(), "{m:?} has stray whitespace in {lang:?}");
            }
            if !SAME_IN_BOTH.contains(&m) {
                assert_ne!(
                    m.text(Lang::EnUs),
                    m.text(Lang::EsCo),
                    "{m:?} is not translated"
                );
            }
        }
    }

    #[test]
    fn spanish_uses_real_accents_not_ascii_fallbacks() {
        assert!(Msg::NotFoundBody.text(Lang::EsCo).contains("está"));
        assert_eq!(Msg::LanguageName.text(Lang::EsCo), "Español");
    }
}
