//! The two languages a link can be shown in, and the lenient parsing that
//! the reference pages' inconsistent forms require.

use serde::{Deserialize, Serialize};

/// A supported display language. Serialized canonically as `en_US` / `es_CO`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    /// English (United States); the default when a link names none.
    #[default]
    #[serde(rename = "en_US")]
    EnUs,
    /// Spanish (Colombia).
    #[serde(rename = "es_CO")]
    EsCo,
}

impl Lang {
    /// Every supported language, in display order.
    pub const ALL: [Lang; 2] = [Lang::EnUs, Lang::EsCo];

    /// The canonical code stored and emitted everywhere: `en_US` or `es_CO`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::EnUs => "en_US",
            Lang::EsCo => "es_CO",
        }
    }

    /// The BCP 47 tag for `<html lang>` and `Intl`: `en-US` or `es-CO`.
    pub fn bcp47(self) -> &'static str {
        match self {
            Lang::EnUs => "en-US",
            Lang::EsCo => "es-CO",
        }
    }

    /// The other language, used for intro-text fallback.
    pub fn other(self) -> Lang {
        match self {
            Lang::EnUs => Lang::EsCo,
            Lang::EsCo => Lang::EnUs,
        }
    }

    /// Parses `en_US`, `es_CO`, `en-us`, `es-co` in any letter case (and the
    /// bare `en` / `es` a `lang` query parameter may carry).
    pub fn parse(s: &str) -> Option<Lang> {
        let norm = s.trim().to_ascii_lowercase().replace('-', "_");
        match norm.as_str() {
            "en_us" | "en" => Some(Lang::EnUs),
            "es_co" | "es" => Some(Lang::EsCo),
            _ => None,
        }
    }
}

impl Lang {
    /// The first of the browser's preferred languages (`navigator.languages`,
    /// most preferred first) that we speak, by its primary subtag: any `es-*`
    /// is Spanish (es_CO), any `en-*` English.
    pub fn from_browser<S: AsRef<str>>(preferred: &[S]) -> Option<Lang> {
        preferred.iter().find_map(|tag| {
            let tag = tag.as_ref().trim();
            let primary = tag.split(['-', '_']).next().unwrap_or("");
            match primary.to_ascii_lowercase().as_str() {
                "es" => Some(Lang::EsCo),
                "en" => Some(Lang::EnUs),
                _ => None,
            }
        })
    }
}

/// Chooses the display language: the page's `lang` query parameter (set by
/// the visible switch) over the link's `default_language` over English.
pub fn choose_lang(query_lang: Option<&str>, link_default: Option<Lang>) -> Lang {
    query_lang
        .and_then(Lang::parse)
        .or(link_default)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_documented_form() {
        for s in ["en_US", "en-us", "EN-US", "en_us", " en_US "] {
            assert_eq!(Lang::parse(s), Some(Lang::EnUs), "{s}");
        }
        for s in ["es_CO", "es-co", "ES-CO", "es"] {
            assert_eq!(Lang::parse(s), Some(Lang::EsCo), "{s}");
        }
        for s in ["", "fr_FR", "es_MX", "english", "e s"] {
            assert_eq!(Lang::parse(s), None, "{s}");
        }
    }

    #[test]
    fn query_beats_link_default_beats_english() {
        assert_eq!(choose_lang(Some("es-co"), Some(Lang::EnUs)), Lang::EsCo);
        assert_eq!(choose_lang(Some("en"), Some(Lang::EsCo)), Lang::EnUs);
        assert_eq!(choose_lang(None, Some(Lang::EsCo)), Lang::EsCo);
        assert_eq!(choose_lang(Some("xx"), Some(Lang::EsCo)), Lang::EsCo);
        assert_eq!(choose_lang(None, None), Lang::EnUs);
    }

    #[test]
    fn browser_languages_pick_the_first_we_speak() {
        assert_eq!(Lang::from_browser(&["es-419", "en-US"]), Some(Lang::EsCo));
        assert_eq!(Lang::from_browser(&["fr-FR", "es-MX"]), Some(Lang::EsCo));
        assert_eq!(Lang::from_browser(&["en-GB", "es-CO"]), Some(Lang::EnUs));
        assert_eq!(Lang::from_browser(&["ES"]), Some(Lang::EsCo));
        assert_eq!(Lang::from_browser(&["fr", "de-DE"]), None);
        assert_eq!(Lang::from_browser::<&str>(&[]), None);
        // A tag that merely starts with the letters is another language.
        assert_eq!(Lang::from_browser(&["est", "eng"]), None);
    }

    #[test]
    fn serializes_canonically() {
        assert_eq!(serde_json::to_string(&Lang::EsCo).unwrap(), "\"es_CO\"");
        assert_eq!(Lang::EsCo.bcp47(), "es-CO");
    }
}
