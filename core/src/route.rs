//! Which page a path shows. The app has three destinations and a fallback;
//! this table replaces a client router (docs/performance.md: leptos_router
//! cost more bytes than everything it did for us), with every API path
//! and page URL both sides build.

use crate::url::percent_encode;

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

/// Each page and its canonical path: the one table the app's page choice,
/// the service's link URLs and its list of app routes all read.
const PAGES: [(Route, &str); 3] = [
    (Route::Connect, "/connect/secure"),
    (Route::Checkout, "/checkout/"),
    (Route::Studio, "/preview"),
];

impl Route {
    /// The page for `path`; a trailing slash is optional, case matters (as
    /// the service's routes do).
    pub fn from_path(path: &str) -> Route {
        let bare = |p: &str| match p.strip_suffix('/') {
            Some(rest) if !rest.is_empty() => rest.to_string(),
            _ => p.to_string(),
        };
        let p = bare(path);
        PAGES
            .iter()
            .find(|(_, canonical)| bare(canonical) == p)
            .map_or(Route::NotFound, |(r, _)| *r)
    }

    /// The page's canonical path (`None` for not-found).
    pub fn path(self) -> Option<&'static str> {
        PAGES.iter().find(|(r, _)| *r == self).map(|(_, p)| *p)
    }

    /// Every path the app answers itself: each page with and without its
    /// trailing slash.
    pub fn app_paths() -> Vec<String> {
        PAGES
            .iter()
            .flat_map(|(_, p)| {
                let bare = p.trim_end_matches('/');
                [bare.to_string(), format!("{bare}/")]
            })
            .collect()
    }

    /// The address of the link `slug` on this page, under `origin` (no
    /// trailing slash): what the merchant API calls a link's `url`.
    pub fn link_url(self, origin: &str, slug: &str) -> String {
        let path = self.path().unwrap_or("/");
        [origin, path, "?sl=", &percent_encode(slug)].concat()
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

/// Where the public API is mounted on the link origin.
pub const API_PREFIX: &str = "/api/v1";

/// Where browsers send Content-Security-Policy violation reports, on the
/// link origin (`report-uri` and the `Reporting-Endpoints` named `csp`).
pub const CSP_REPORTS: &str = "/csp-reports";

/// A load balancer's probes, answered on both of link-server's listeners.
pub mod probe_path {
    /// The process is alive and serving.
    pub const HEALTHZ: &str = "/healthz";
    /// The database answers: send traffic here.
    pub const READYZ: &str = "/readyz";
}

/// The public API paths (under [`API_PREFIX`]). Each is declared once as a
/// template: the service mounts the template itself as its axum route, and
/// the app fills it with [`fill`]. The `Link: rel=preload` header and the
/// app's reads build the same bytes, so the browser reuses the preloads.
pub mod api_path {
    /// The institution catalog.
    pub const INSTITUTIONS: &str = "/institutions";
    /// A connect link's public view.
    pub const CONNECT_LINK: &str = "/connect-links/{slug}";
    /// Submit an account to a connect link.
    pub const CONNECT_ACCOUNTS: &str = "/connect-links/{slug}/accounts";
    /// An account submitted on a connect link.
    pub const CONNECT_ACCOUNT: &str = "/connect-links/{slug}/accounts/{uuid}";
    /// Ask the institution again about a connect link's account.
    pub const CONNECT_ACCOUNT_REFRESH: &str = "/connect-links/{slug}/accounts/{uuid}/refresh";
    /// Finish a connect link's account's pending validation (the code).
    pub const CONNECT_ACCOUNT_AUTHENTICATE: &str =
        "/connect-links/{slug}/accounts/{uuid}/authenticate";
    /// A checkout link's public view.
    pub const CHECKOUT_LINK: &str = "/checkout-links/{slug}";
    /// The payer's verified accounts (GET) or a new one (POST).
    pub const CHECKOUT_ACCOUNTS: &str = "/checkout-links/{slug}/accounts";
    /// Ask the institution again about a payer's account.
    pub const CHECKOUT_ACCOUNT_REFRESH: &str = "/checkout-links/{slug}/accounts/{uuid}/refresh";
    /// Finish a payer's account's pending validation (the code).
    pub const CHECKOUT_ACCOUNT_AUTHENTICATE: &str =
        "/checkout-links/{slug}/accounts/{uuid}/authenticate";
    /// Pay a checkout link.
    pub const CHECKOUT_PAY: &str = "/checkout-links/{slug}/pay";
    /// A QR code (SVG) of a link page at a step: `?u=` the page's path and
    /// query (`crate::route::handoff_page`).
    pub const QR_CODE: &str = "/qr.svg";
}

/// Whether `path_and_query` is a link page a QR code may point at (issue
/// 27, "Continue on your phone"): a connect or checkout page of a link
/// (`sl=`), on this origin, short and plain, so the QR endpoint draws
/// nothing else.
pub fn handoff_page(path_and_query: &str) -> bool {
    let Some((path, query)) = path_and_query.split_once('?') else {
        return false;
    };
    path_and_query.len() <= 600
        && path_and_query.bytes().all(|b| b.is_ascii_graphic())
        && !path_and_query.contains('#')
        && matches!(Route::from_path(path), Route::Connect | Route::Checkout)
        && link_slug(&crate::url::parse_query(query)).is_some()
}

/// The merchant API's paths (on the API host), as the reference pages name
/// them. The list endpoints also answer with a trailing slash.
pub mod merchant_path {
    /// Create an end user.
    pub const END_USER_CREATE: &str = "/end-users/create";
    /// The institution catalog.
    pub const INSTITUTIONS: &str = "/institutions";
    /// Create a connect link.
    pub const CONNECT_LINK_CREATE: &str = "/connect/link/create";
    /// List connect links.
    pub const CONNECT_LINK_LIST: &str = "/connect/link/list";
    /// Create a checkout link.
    pub const CHECKOUT_LINK_CREATE: &str = "/checkout/link/create";
    /// List checkout links.
    pub const CHECKOUT_LINK_LIST: &str = "/checkout/link/list";
    /// Create and validate an account.
    pub const ACCOUNTS_VALIDATE: &str = "/accounts/validate";
    /// Finish an account's pending validation.
    pub const ACCOUNTS_AUTHENTICATE: &str = "/accounts/authenticate";
    /// Connect an account without a link.
    pub const ACCOUNTS_CONNECT: &str = "/accounts/connect";
    /// List accounts.
    pub const ACCOUNTS_LIST: &str = "/accounts/list";
    /// One account.
    pub const ACCOUNT: &str = "/accounts/{uuid}";
    /// Disconnect an account.
    pub const ACCOUNT_DISCONNECT: &str = "/accounts/{uuid}/disconnect";
    /// One connect link.
    pub const CONNECT_LINK: &str = "/connect/link/{uuid}";
    /// Expire a connect link.
    pub const CONNECT_LINK_EXPIRE: &str = "/connect/link/{uuid}/expire";
    /// One checkout link.
    pub const CHECKOUT_LINK: &str = "/checkout/link/{uuid}";
    /// One payment.
    pub const PAYMENT: &str = "/payments/{uuid}";
    /// One end user.
    pub const END_USER: &str = "/end-users/{uuid}";
    /// List end users.
    pub const END_USERS_LIST: &str = "/end-users/list";
    /// Register a webhook endpoint.
    pub const WEBHOOK_CREATE: &str = "/webhooks/create";
    /// List webhook endpoints.
    pub const WEBHOOK_LIST: &str = "/webhooks/list";
    /// One webhook endpoint (`DELETE` removes it).
    pub const WEBHOOK: &str = "/webhooks/{uuid}";
    /// Disable a webhook endpoint.
    pub const WEBHOOK_DISABLE: &str = "/webhooks/{uuid}/disable";
    /// Enable a webhook endpoint again.
    pub const WEBHOOK_ENABLE: &str = "/webhooks/{uuid}/enable";
    /// A webhook endpoint's delivery log.
    pub const WEBHOOK_DELIVERIES: &str = "/webhooks/{uuid}/deliveries";
    /// Send one delivery again.
    pub const WEBHOOK_REDELIVER: &str = "/webhooks/{uuid}/deliveries/{id}/redeliver";
}

/// `template` with each `{…}` placeholder replaced, in order, by the
/// percent-encoded value; a missing value leaves the segment empty.
pub fn fill(template: &str, values: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut values = values.iter();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
        out.push_str(&percent_encode(values.next().copied().unwrap_or("")));
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

impl Route {
    /// The API reads this page starts with, for the link `slug`: the link,
    /// then the catalog (connect) or the payer's accounts (checkout).
    pub fn first_reads(self, slug: &str) -> Option<[String; 2]> {
        match self {
            Route::Connect => Some([
                fill(api_path::CONNECT_LINK, &[slug]),
                api_path::INSTITUTIONS.to_string(),
            ]),
            Route::Checkout => Some([
                fill(api_path::CHECKOUT_LINK, &[slug]),
                fill(api_path::CHECKOUT_ACCOUNTS, &[slug]),
            ]),
            Route::Studio | Route::NotFound => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{api_path, fill, handoff_page, link_slug, Route};

    #[test]
    fn a_qr_code_points_only_at_a_link_page() {
        assert!(handoff_page(
            "/connect/secure?sl=abc123&step=details&lang=es_CO"
        ));
        assert!(handoff_page("/checkout/?sl=abc123"));
        for refused in [
            "/connect/secure",
            "/connect/secure?step=details",
            "/preview?sl=abc",
            "https://evil.example/connect/secure?sl=a",
            "//evil.example/connect/secure?sl=a",
            "/connect/secure?sl=a#x",
            "/connect/secure?sl=a b",
            "/connect/secure?sl=\u{e1}",
        ] {
            assert!(!handoff_page(refused), "{refused}");
        }
        assert!(!handoff_page(&format!(
            "/checkout/?sl=a&x={}",
            "y".repeat(600)
        )));
    }

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
    fn templates_fill_in_order_and_encode() {
        assert_eq!(
            fill(api_path::CONNECT_ACCOUNT_REFRESH, &["s l", "acc_1"]),
            "/connect-links/s%20l/accounts/acc_1/refresh"
        );
        assert_eq!(
            fill(api_path::CHECKOUT_PAY, &["x"]),
            "/checkout-links/x/pay"
        );
        assert_eq!(fill(api_path::INSTITUTIONS, &[]), "/institutions");
    }

    #[test]
    fn link_urls_and_app_paths_come_from_the_page_table() {
        assert_eq!(
            Route::Connect.link_url("http://h", "a b"),
            "http://h/connect/secure?sl=a%20b"
        );
        assert_eq!(
            Route::Checkout.link_url("http://h", "x"),
            "http://h/checkout/?sl=x"
        );
        let paths = Route::app_paths();
        for p in &paths {
            assert_ne!(Route::from_path(p), Route::NotFound, "{p}");
        }
        assert_eq!(paths.len(), 6);
        assert_eq!(Route::NotFound.path(), None);
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
