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

#[cfg(test)]
mod tests {
    use super::Route;

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
