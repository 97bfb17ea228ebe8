//! The hosted-link origin: the built app with SPA routing, the public API,
//! and the production headers on every answer.

use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use base64::Engine;
use druo_core::route::{link_slug, Route, API_PREFIX};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

/// Paths the app routes itself (core's page table); they answer
/// `index.html` with 200. Every other unknown path answers it with 404 so
/// the app shows "not found".
static APP_ROUTES: LazyLock<Vec<String>> = LazyLock::new(Route::app_paths);

/// The hosted-link router: `/api/v1/…`, then static files, then the app.
pub fn router(state: AppState) -> Router {
    Router::new()
        .nest(API_PREFIX, crate::public::router())
        .fallback(static_or_app)
        // The HTML and API answers are made per request; the built assets
        // come precompressed from disk (scripts/build) and pass through.
        .layer(CompressionLayer::new().br(true).gzip(true))
        .layer(middleware::from_fn_with_state(state.clone(), headers))
        .with_state(state)
}

async fn static_or_app(State(s): State<AppState>, uri: Uri, req: Request) -> Response {
    let path = uri.path();
    let is_app_route = APP_ROUTES.iter().any(|p| p == path);
    if !is_app_route && path != "/" && path != "/index.html" {
        let served = ServeDir::new(s.dist.as_ref())
            .precompressed_br()
            .precompressed_gzip()
            .append_index_html_on_directories(false)
            .oneshot(req)
            .await;
        let Ok(res) = served;
        if res.status() != StatusCode::NOT_FOUND {
            return res.map(Body::new);
        }
    }
    let status = if is_app_route {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    // The checkout page and the studio are builds of their own
    // (scripts/build), so neither weighs on a connect page; a dist without
    // one serves the root build, which shows what it can.
    let own = page_build(Route::from_path(path)).map(|dir| s.dist.join(dir).join("index.html"));
    let html_file = match own {
        Some(f) if tokio::fs::try_exists(&f).await.unwrap_or(false) => f,
        _ => s.dist.join("index.html"),
    };
    let preload = link_preload(path, uri.query().unwrap_or(""));
    match tokio::fs::read_to_string(html_file).await {
        // The CSP is computed from the very bytes served, so a rebuild of
        // the app under a running server can never desynchronise the hashes.
        Ok(html) => {
            let csp = policy_for(&html);
            let mut res = (
                status,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                html,
            )
                .into_response();
            if let Ok(v) = HeaderValue::from_str(&csp) {
                res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
            }
            if let Some(v) = preload.and_then(|p| HeaderValue::from_str(&p).ok()) {
                res.headers_mut().insert(header::LINK, v);
            }
            res
        }
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "The app is not built: run scripts/serve (or trunk build --release) first.\n",
        )
            .into_response(),
    }
}

/// The dist subdirectory holding `route`'s own build, for the pages that
/// have one (scripts/build); the rest use the root build.
fn page_build(route: Route) -> Option<&'static str> {
    match route {
        Route::Checkout => Some("checkout"),
        Route::Studio => Some("preview"),
        Route::Connect | Route::NotFound => None,
    }
}

/// `Link: rel=preload` for the API reads a link page starts with, so the
/// browser fetches them while the wasm downloads instead of after it ran:
/// the link, and the connect page's catalog or the checkout page's saved
/// accounts. The URLs are built exactly as the app's client builds them
/// (`api::connect_link` …), or the preloads would not be reused.
fn link_preload(path: &str, query: &str) -> Option<String> {
    let slug = link_slug(&druo_core::url::parse_query(query))?;
    let urls = Route::from_path(path).first_reads(&slug)?;
    let links: Vec<String> = urls
        .iter()
        .map(|u| format!("<{API_PREFIX}{u}>; rel=preload; as=fetch; crossorigin=anonymous"))
        .collect();
    Some(links.join(", "))
}

/// True for trunk's content-hashed file names (`name-0123456789abcdef.ext`
/// or `…_bg.wasm`): they never change, so they may be cached for a year.
fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let stem = file.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        // trunk prints the 64-bit hash without leading zeros.
        Some((_, h)) => (12..=16).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_hexdigit()),
        None => false,
    }
}

async fn headers(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let mut res = next.run(req).await;
    let cache = if path.starts_with(&format!("{API_PREFIX}/"))
        || !is_hashed_asset(&path)
        || res.status() != StatusCode::OK
    {
        "no-store"
    } else {
        "public, max-age=31536000, immutable"
    };
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(STRICT_POLICY),
        );
    }
    // link-server does not terminate TLS itself; when its links are served
    // over https (behind a TLS proxy), browsers must never use plain http.
    if s.public_base.starts_with("https://") {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    res
}

/// The policy of every answer that is not the app's HTML (assets, API).
const STRICT_POLICY: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The Content-Security-Policy for the app's HTML: scripts only from this
/// origin plus the exact inline scripts of `html`, by hash.
pub fn policy_for(html: &str) -> String {
    let hashes: Vec<String> = inline_scripts(html)
        .iter()
        .map(|s| {
            let digest = Sha256::digest(s.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'{}{}; style-src 'self'; \
         connect-src 'self'; img-src 'self' data:; font-src 'self'; manifest-src 'self'; \
         frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'none'",
        if hashes.is_empty() { "" } else { " " },
        hashes.join(" ")
    )
}

/// The bodies of `<script>` elements without a `src`.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let body_start = tag_end + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            out.push(&after[body_start..body_start + close]);
        }
        rest = &after[body_start + close..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_assets_are_recognised() {
        assert!(is_hashed_asset("/druo-link-0123456789abcdef.js"));
        assert!(is_hashed_asset("/druo-link-0123456789abcdef_bg.wasm"));
        assert!(is_hashed_asset("/main-0123456789abcdef.css"));
        assert!(
            is_hashed_asset("/main-8a12ef9dff8a489.css"),
            "15 digits: a leading zero dropped"
        );
        assert!(is_hashed_asset("/preview/druo-link-0123456789abcdef.js"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/favicon.svg"));
        assert!(!is_hashed_asset("/druo-link-xyz.js"));
    }

    #[test]
    fn link_pages_preload_their_link_read() {
        assert_eq!(
            link_preload("/connect/secure", "sl=ab%20c&lang=en_US").as_deref(),
            Some(
                "</api/v1/connect-links/ab%20c>; rel=preload; as=fetch; crossorigin=anonymous, \
                 </api/v1/institutions>; rel=preload; as=fetch; crossorigin=anonymous"
            )
        );
        assert_eq!(
            link_preload("/checkout/", "lang=es_CO&sl=xyz").as_deref(),
            Some(
                "</api/v1/checkout-links/xyz>; rel=preload; as=fetch; crossorigin=anonymous, \
                 </api/v1/checkout-links/xyz/accounts>; rel=preload; as=fetch; crossorigin=anonymous"
            )
        );
        // A hostile slug cannot break out of the header's <…>.
        let p = link_preload("/connect/secure", "sl=%3E%3B%20rel%3Dx%0D%0A").unwrap_or_default();
        assert!(
            p.starts_with("</api/v1/connect-links/%3E%3B%20rel%3Dx%0D%0A>;"),
            "{p}"
        );
        assert_eq!(link_preload("/connect/secure", "lang=en_US"), None);
        assert_eq!(link_preload("/connect/secure", "sl=%20"), None);
        assert_eq!(link_preload("/preview", "sl=abc"), None);
    }

    #[test]
    fn inline_scripts_are_found_and_external_ones_skipped() {
        let html = r#"<script src="/a.js"></script><script type="module">import x;</script><p><script>b()</script>"#;
        assert_eq!(inline_scripts(html), vec!["import x;", "b()"]);
        let csp = policy_for("");
        assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"));
    }
}
