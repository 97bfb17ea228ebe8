//! Which page a path shows. The app has three destinations and a fallback;
//! this table replaces a client router (docs/performance.md: leptos_router
//! cost more bytes than everything it did for us).

/// A page of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// `/connect/secure`: connect a bank account.
    Connect,
    /// `/checkout/`: pay a transaction.
    Checkout,
    /// `/preview`: the theme studio.
    Studio,
    /// Anything else.
    NotFound,
}

impl Route {
    /// The page for `path`; a trailing slash is optional, case matters (as
    /// the service's routes do).
    pub fn from_path(path: &str) -> Route {
        let p = match path.strip_suffix('/') {
            Some(rest) if !rest.is_empty() => rest,
            _ => path,
        };
        match p {
            "/connect/secure" => Route::Connect,
            "/checkout" => Route::Checkout,
            "/preview" => Route::Studio,
            _ => Route::NotFound,
        }
    }
}

/// The link's slug: the first `sl` of the page's query, when not blank.
pub fn link_slug(query: &[(String, String)]) -> Option<String> {
    query
        .iter()
        .find(|(k, _)| k == "sl")
        .map(|(_, v)| v.clone())
        .filter(|v| !v.trim().is_empty())
}

/// The public API paths (under `/api/v1`) a link page reads. The app's
/// client and the service's `Link: rel=preload` header both build them
/// here, so the browser can reuse the preloaded answers: a byte of
/// difference would fetch everything twice.
pub mod api_path {
    use crate::url::percent_encode;

    /// A connect link.
    pub fn connect_link(slug: &str) -> String {
        ["/connect-links/", &percent_encode(slug)].concat()
    }

    /// The institution catalog.
    pub const INSTITUTIONS: &str = "/institutions";

    /// A checkout link.
    pub fn checkout_link(slug: &str) -> String {
        ["/checkout-links/", &percent_encode(slug)].concat()
    }

    /// The payer's verified accounts of a checkout link.
    pub fn checkout_accounts(slug: &str) -> String {
        [checkout_link(slug).as_str(), "/accounts"].concat()
    }
}

impl Route {
    /// The API reads this page starts with, for the link `slug`: the link,
    /// then the catalog (connect) or the payer's accounts (checkout).
    pub fn first_reads(self, slug: &str) -> Option<[String; 2]> {
        match self {
            Route::Connect => Some([
                api_path::connect_link(slug),
                api_path::INSTITUTIONS.to_string(),
            ]),
            Route::Checkout => Some([
                api_path::checkout_link(slug),
                api_path::checkout_accounts(slug),
            ]),
            Route::Studio | Route::NotFound => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{link_slug, Route};

    #[test]
    fn the_slug_is_the_first_non_blank_sl() {
        let q = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        assert_eq!(
            link_slug(&q(&[("lang", "en_US"), ("sl", "a b"), ("sl", "c")])).as_deref(),
            Some("a b")
        );
        assert_eq!(link_slug(&q(&[("sl", " ")])), None);
        assert_eq!(link_slug(&q(&[("lang", "en_US")])), None);
    }

    #[test]
    fn first_reads_encode_the_slug() {
        assert_eq!(
            Route::Connect.first_reads("a/b"),
            Some([
                "/connect-links/a%2Fb".to_string(),
                "/institutions".to_string()
            ])
        );
        assert_eq!(
            Route::Checkout.first_reads("x"),
            Some([
                "/checkout-links/x".to_string(),
                "/checkout-links/x/accounts".to_string()
            ])
        );
        assert_eq!(Route::Studio.first_reads("x"), None);
        assert_eq!(Route::NotFound.first_reads("x"), None);
    }

    #[test]
    fn every_documented_path_has_its_page() {
        for (path, want) in [
            ("/connect/secure", Route::Connect),
            ("/connect/secure/", Route::Connect),
            ("/checkout", Route::Checkout),
            ("/checkout/", Route::Checkout),
            ("/preview", Route::Studio),
            ("/preview/", Route::Studio),
            ("/", Route::NotFound),
            ("", Route::NotFound),
            ("/connect", Route::NotFound),
            ("/connect/secure//", Route::NotFound),
            ("/CHECKOUT", Route::NotFound),
            ("/checkout/x", Route::NotFound),
        ] {
            assert_eq!(Route::from_path(path), want, "{path:?}");
        }
    }
}
