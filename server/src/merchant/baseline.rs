//! The headers every merchant API answer carries (OWASP Secure Headers
//! for an API; the link origin's own are `crate::web`'s): never sniffed,
//! cached, framed or rendered as a document, no referrer, not readable
//! cross-origin by a page's subresource, HSTS when served over https, and
//! JSON labelled as UTF-8.

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// The Content-Security-Policy of an answer that is data, not a page.
pub const POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// `Strict-Transport-Security` when the service is served over https.
pub const HSTS: &str = "max-age=63072000; includeSubDomains";

/// JSON's content type, with its charset.
pub const JSON_UTF8: &str = "application/json; charset=utf-8";

/// The middleware (`axum::middleware::from_fn_with_state`) over the whole
/// merchant router, fallback included.
pub async fn headers(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let https = s.public_base.starts_with("https://");
    apply(res.headers_mut(), https);
    res
}

/// Sets the baseline on `h`. Handlers and `crate::error` label JSON
/// `application/json`; it is labelled here once, for all of them.
fn apply(h: &mut HeaderMap, https: bool) {
    let bare_json = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if bare_json {
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_UTF8));
    }
    let set = |h: &mut HeaderMap, name, value| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::CACHE_CONTROL, "no-store");
    set(h, header::CONTENT_SECURITY_POLICY, POLICY);
    set(h, header::REFERRER_POLICY, "no-referrer");
    set(
        h,
        header::HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    );
    // link-server does not terminate TLS itself; behind a TLS proxy
    // (an https public base), clients must never fall back to http.
    if https {
        set(h, header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_gets_its_charset_and_other_types_are_left_alone() {
        for (given, want) in [
            ("application/json", JSON_UTF8),
            ("Application/JSON", JSON_UTF8),
            (JSON_UTF8, JSON_UTF8),
            ("text/plain; charset=utf-8", "text/plain; charset=utf-8"),
        ] {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(given));
            apply(&mut h, false);
            assert_eq!(h[header::CONTENT_TYPE], want, "{given}");
            assert!(!h.contains_key(header::STRICT_TRANSPORT_SECURITY));
        }
        let mut h = HeaderMap::new();
        apply(&mut h, true);
        assert_eq!(h[header::STRICT_TRANSPORT_SECURITY], HSTS);
        assert!(!h.contains_key(header::CONTENT_TYPE));
    }
}
