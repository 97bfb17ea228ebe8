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
use druo_link::boot::Preloaded;
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
        .merge(crate::probes::router())
        .fallback(static_or_app)
        // The HTML and API answers are made per request; the built assets
        // come precompressed from disk (scripts/build) and pass through.
        .layer(CompressionLayer::new().br(true).gzip(true))
        .layer(middleware::from_fn_with_state(state.clone(), headers))
        .with_state(state)
}

async fn static_or_app(State(s): State<AppState>, uri: Uri, req: Request) -> Response {
    let path = uri.path();
    let accept_language = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
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
    let query = uri.query().unwrap_or("");
    match tokio::fs::read_to_string(html_file).await {
        // The CSP is computed from the very bytes served, so a rebuild of
        // the app under a running server can never desynchronise the hashes.
        Ok(built) => {
            // A link page's first screen comes in this response, with the
            // link it was rendered from; else the page is served as built.
            let rendered = match is_app_route && s.render_pages {
                true => crate::page::first_screen(&s, path, query, &accept_language).await,
                false => None,
            };
            let html = rendered
                .as_ref()
                .and_then(|r| crate::page::write_into(&built, r))
                .unwrap_or(built);
            // The page carries its link: only the other first read is
            // preloaded.
            let preload = match &rendered {
                Some(r) if r.link == Preloaded::Missing => None,
                r => link_preload(path, query, r.is_some()),
            };
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
/// the link (unless the page carries it: `has_link`), and the connect
/// page's catalog or the checkout page's saved accounts. The URLs are built exactly as the app's client builds them
/// (`api::connect_link` …), or the preloads would not be reused.
fn link_preload(path: &str, query: &str, has_link: bool) -> Option<String> {
    let slug = link_slug(&druo_core::url::parse_query(query))?;
    let urls = Route::from_path(path).first_reads(&slug)?;
    let links: Vec<String> = urls
        .iter()
        .skip(usize::from(has_link))
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
    let hash = |s: &&str| {
        let digest = Sha256::digest(s.as_bytes());
        format!(
            " 'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest)
        )
    };
    let hashes = |tag: &str| -> String { inline_bodies(html, tag).iter().map(hash).collect() };
    // The theme's `<style>` (a server-rendered link page) is allowed by
    // its hash alone: still no 'unsafe-inline'. So are the `style`
    // attributes the render wrote (the institutions' brand colours, which
    // the browser sets through CSSOM): each exact value by its hash.
    let mut attrs = style_attributes(html);
    attrs.sort_unstable();
    attrs.dedup();
    let attrs: String = match attrs.is_empty() {
        true => String::new(),
        false => [" 'unsafe-hashes'".to_string()]
            .into_iter()
            .chain(attrs.iter().map(hash))
            .collect(),
    };
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'{}; style-src 'self'{}{attrs}; \
         connect-src 'self'; img-src 'self' data:; font-src 'self'; manifest-src 'self'; \
         frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'none'",
        hashes("script"),
        hashes("style"),
    )
}

/// The values of the `style="…"` attributes in `html` (none hold an
/// entity: a value with `&` is left out, and so stays blocked).
fn style_attributes(html: &str) -> Vec<&str> {
    html.split(" style=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(v, _)| v))
        .filter(|v| !v.contains('&'))
        .collect()
}

/// The bodies of the `<tag>` elements without a `src` (`script`, `style`),
/// leaving out data blocks (the link a rendered page carries): they never
/// run, so the policy allows no more than the scripts that do.
fn inline_bodies<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let attrs = &after[..tag_end];
        let body_start = tag_end + 1;
        let Some(end) = after[body_start..].find(&close) else {
            break;
        };
        if !attrs.contains(" src=") && !attrs.contains("type=\"application/json\"") {
            out.push(&after[body_start..body_start + end]);
        }
        rest = &after[body_start + end..];
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
            link_preload("/connect/secure", "sl=ab%20c&lang=en_US", false).as_deref(),
            Some(
                "</api/v1/connect-links/ab%20c>; rel=preload; as=fetch; crossorigin=anonymous, \
                 </api/v1/institutions>; rel=preload; as=fetch; crossorigin=anonymous"
            )
        );
        assert_eq!(
            link_preload("/checkout/", "lang=es_CO&sl=xyz", false).as_deref(),
            Some(
                "</api/v1/checkout-links/xyz>; rel=preload; as=fetch; crossorigin=anonymous, \
                 </api/v1/checkout-links/xyz/accounts>; rel=preload; as=fetch; crossorigin=anonymous"
            )
        );
        // A hostile slug cannot break out of the header's <…>.
        let p =
            link_preload("/connect/secure", "sl=%3E%3B%20rel%3Dx%0D%0A", false).unwrap_or_default();
        assert!(
            p.starts_with("</api/v1/connect-links/%3E%3B%20rel%3Dx%0D%0A>;"),
            "{p}"
        );
        assert_eq!(link_preload("/connect/secure", "lang=en_US", false), None);
        assert_eq!(link_preload("/connect/secure", "sl=%20", false), None);
        assert_eq!(link_preload("/preview", "sl=abc", false), None);
        // A page that carries its link preloads only the other read.
        assert_eq!(
            link_preload("/checkout/", "sl=xyz", true).as_deref(),
            Some("</api/v1/checkout-links/xyz/accounts>; rel=preload; as=fetch; crossorigin=anonymous")
        );
    }

    #[test]
    fn inline_scripts_are_found_and_external_ones_skipped() {
        let html = r#"<script src="/a.js"></script><script type="module">import x;</script><p><script>b()</script><script type="application/json" id="druo-link-data">{"a":1}</script>"#;
        assert_eq!(inline_bodies(html, "script"), vec!["import x;", "b()"]);
        let csp = policy_for("");
        assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"));
        // A theme's `<style>` is allowed by its hash, never by 'unsafe-inline'.
        let csp = policy_for("<style>:root{--a:#000000}</style>");
        let digest = Sha256::digest(b":root{--a:#000000}");
        let hash = base64::engine::general_purpose::STANDARD.encode(digest);
        assert!(
            csp.contains(&format!("style-src 'self' 'sha256-{hash}';")),
            "{csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        // A rendered style attribute is allowed by its exact value's hash.
        let csp = policy_for(r#"<span class="mark" style="--mark-bg:#DA0081;">N</span>"#);
        let digest = Sha256::digest(b"--mark-bg:#DA0081;");
        let hash = base64::engine::general_purpose::STANDARD.encode(digest);
        assert!(
            csp.contains(&format!(
                "style-src 'self' 'unsafe-hashes' 'sha256-{hash}';"
            )),
            "{csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert!(!policy_for("<p>none</p>").contains("unsafe-hashes"));
    }
}
