//! What a page rendered by link-server was rendered from, so the browser
//! builds the very same first screen over it (docs/architecture.md,
//! "Server rendering"). On the server a [`Boot`] stands in for what only a
//! browser knows (the URL, its languages); on both sides the link the
//! server read is provided once ([`provide_link`]): the server writes it
//! into `<script id="druo-link-data">` and the browser reads it back.
//!
//! Without that script (a static file host, or the studio) there is no
//! boot link and the pages read their link from the API as before.

use crate::location::Url;
use leptos::prelude::*;

/// The id of the `<script type="application/json">` holding the link the
/// server rendered with: the public API's JSON of it, or `null` when the
/// link does not exist.
pub const DATA_ID: &str = "druo-link-data";

/// What the server renders a page for, in place of the browser's window.
#[derive(Clone, Debug, Default)]
pub struct Boot {
    /// The page's URL.
    pub url: Url,
    /// The browser's preferred languages, most wanted first (from its
    /// `Accept-Language`, which mirrors `navigator.languages`).
    pub langs: Vec<String>,
}

/// The link a server-rendered page carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Preloaded {
    /// The public API's JSON of the link.
    Link(String),
    /// There is no such link: the page is "not found".
    Missing,
}

impl Preloaded {
    /// From the data script's text: `null` for a missing link.
    pub fn from_script(text: &str) -> Preloaded {
        match text.trim() {
            "null" => Preloaded::Missing,
            json => Preloaded::Link(json.to_string()),
        }
    }

    /// The link, typed; `None` if missing or not what the page reads (the
    /// page then reads it from the service). The browser parses with its
    /// own JSON; the server, which has no browser, with serde_json.
    pub fn read<L: serde::de::DeserializeOwned>(&self) -> Option<L> {
        let Preloaded::Link(json) = self else {
            return None;
        };
        #[cfg(feature = "ssr")]
        return serde_json::from_str(json).ok();
        #[cfg(not(feature = "ssr"))]
        return crate::api::parse_json(json).ok();
    }

    /// The data script's text, with `<`, `>` and `&` escaped so no string
    /// in the link can close the script or open a comment.
    pub fn to_script(&self) -> String {
        match self {
            Preloaded::Missing => "null".to_string(),
            Preloaded::Link(json) => json
                .replace('&', "\\u0026")
                .replace('<', "\\u003c")
                .replace('>', "\\u003e"),
        }
    }
}

/// A read a link page makes besides its link. A server-rendered page
/// carries the ones its first screen is built from, each in a
/// `<script type="application/json">` of its own, written like the link's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Carried {
    /// The catalog (`GET /institutions`).
    Institutions,
    /// The checkout payer's verified accounts.
    Accounts,
}

impl Carried {
    /// Every read a page may carry.
    pub const ALL: [Carried; 2] = [Carried::Institutions, Carried::Accounts];

    /// The id of its data block.
    pub fn id(self) -> &'static str {
        match self {
            Carried::Institutions => "druo-read-institutions",
            Carried::Accounts => "druo-read-accounts",
        }
    }
}

/// The reads a server-rendered page carries, each as the API's JSON.
#[derive(Clone, Copy)]
struct CarriedReads(StoredValue<Vec<(Carried, String)>>);

/// Provides the carried reads, each to be taken once ([`take_read`]).
pub fn provide_reads(reads: Vec<(Carried, String)>) {
    provide_context(CarriedReads(StoredValue::new(reads)));
}

/// The carried read `which`, typed, taken once: the page that asks first
/// is built from it; a later one (after a retry) reads the service.
pub fn take_read<T: serde::de::DeserializeOwned>(which: Carried) -> Option<T> {
    let reads = use_context::<CarriedReads>()?;
    let json = reads.0.try_update_value(|r| {
        let at = r.iter().position(|(w, _)| *w == which)?;
        Some(r.remove(at).1)
    })??;
    Preloaded::Link(json).read()
}

/// Provides `boot` to the app below (the server's render only).
pub fn provide_boot(boot: Boot) {
    crate::location::provide_server_url(boot.url.clone());
    provide_context(boot);
}

/// The server's stand-in for the browser, while the server renders.
pub fn use_boot() -> Option<Boot> {
    use_context::<Boot>()
}

/// The link a server-rendered page carries, taken once: the first link
/// page to ask renders from it; a later page (after a retry) reads the API.
pub fn take_link() -> Option<Preloaded> {
    let taken = use_context::<TakenLink>()?;
    taken.0.try_update_value(|l| l.take()).flatten()
}

/// True when the page was rendered by the server (on the server, and in
/// the browser over that page): its first screen must be built whole, at
/// once, as the server built it.
pub fn server_rendered() -> bool {
    use_context::<TakenLink>().is_some()
}

/// The boot link, to be taken once ([`take_link`]).
#[derive(Clone, Copy)]
struct TakenLink(StoredValue<Option<Preloaded>>);

/// Provides the boot link to be taken once by the page.
pub fn provide_link(link: Option<Preloaded>) {
    provide_context(TakenLink(StoredValue::new(link)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_script_cannot_be_closed_by_the_links_text() {
        let p = Preloaded::Link(r#"{"intro_text":"</script><!-- & -->"}"#.to_string());
        let s = p.to_script();
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        assert_eq!(
            s,
            r#"{"intro_text":"\u003c/script\u003e\u003c!-- \u0026 --\u003e"}"#
        );
        assert_eq!(Preloaded::from_script(" null "), Preloaded::Missing);
        assert_eq!(Preloaded::from_script(&s), Preloaded::Link(s.clone()));
    }
}
