//! The hosted-link origin: the built app with SPA routing, the public API,
//! and the production headers on every answer.

use crate::html::{app_page_for, PageAsk, APP_ROUTES};
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use druo_core::route::{Route, API_PREFIX, CSP_REPORTS};
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

/// The hosted-link router: `/api/v1/…`, then static files, then the app.
pub fn router(state: AppState, limits: &crate::limits::Limits) -> Router {
    let router = Router::new()
        .nest(API_PREFIX, crate::public::router())
        .merge(crate::probes::router())
        .route(CSP_REPORTS, post(crate::reports::receive))
        .merge(link_page_forms())
        .fallback(static_or_app)
        // The HTML and API answers are made per request; the built assets
        // come precompressed from disk (scripts/build) and pass through.
        .layer(CompressionLayer::new().br(true).gzip(true));
    // The headers go outside the size and time limits, so a 408 or 413
    // carries them too.
    crate::limits::guard(router, limits)
        .layer(middleware::from_fn_with_state(state.clone(), headers))
        .with_state(state)
}

/// The link pages take the forms they post without their app
/// (`crate::forms`); a `GET` or `HEAD` of theirs is the page itself, and
/// any other method is refused.
fn link_page_forms() -> Router<AppState> {
    [Route::Connect, Route::Checkout]
        .into_iter()
        .filter_map(Route::path)
        .flat_map(|p| {
            let bare = p.trim_end_matches('/');
            [bare.to_string(), format!("{bare}/")]
        })
        .fold(Router::new(), |r, path| {
            r.route(
                &path,
                axum::routing::get(static_or_app)
                    .post(crate::forms::post)
                    .fallback(|| async { not_allowed(FORM_PAGE_METHODS) }),
            )
        })
}

/// The methods of a page of this origin (its app, its files, its 404).
const PAGE_METHODS: &str = "GET, HEAD";

/// The methods of a link page, which also takes its own forms.
const FORM_PAGE_METHODS: &str = "GET, HEAD, POST";

/// `405 Method Not Allowed`, naming the methods that are (`allow`). An
/// `OPTIONS` gets it too: no page here answers another origin's
/// preflight, and the rule is "anything else".
fn not_allowed(allow: &'static str) -> Response {
    let mut res = Response::new(Body::from("Method Not Allowed\n"));
    *res.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    let h = res.headers_mut();
    h.insert(header::ALLOW, HeaderValue::from_static(allow));
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    res
}

/// A page of this origin: a built file, else the app's page (a link page's
/// first screen rendered in), else its 404. `GET` and `HEAD` only. Who
/// asks decides what a link page does (`crate::preview::visit`): a
/// person's view may open the link; a `HEAD` or a prefetch gets the same
/// page and leaves it as it stands; a preview crawler gets the preview.
async fn static_or_app(State(s): State<AppState>, uri: Uri, req: Request) -> Response {
    use crate::preview::{self, Asked, Target, Visit};
    if !matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    ) {
        return not_allowed(PAGE_METHODS);
    }
    let visit = preview::visit(
        &Asked::from_request(req.method(), req.headers()),
        Target::Page,
    );
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
    let query = uri.query().unwrap_or("");
    let route = Route::from_path(path);
    if visit == Visit::Preview && is_app_route && matches!(route, Route::Connect | Route::Checkout)
    {
        return preview::answer(&s, route, query, &accept_language, status).await;
    }
    let ask = PageAsk {
        path,
        query,
        accept_language: &accept_language,
        posted: None,
    };
    let mut res = app_page_for(&s, ask, status, visit).await;
    if matches!(route, Route::Connect | Route::Checkout) {
        // A preview crawler gets another answer at this URL: no cache may
        // give one the other's.
        res.headers_mut()
            .append(header::VARY, HeaderValue::from_static("User-Agent"));
    }
    res
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

/// `Cross-Origin-Opener-Policy`, which `http` does not name.
const COOP: HeaderName = HeaderName::from_static("cross-origin-opener-policy");
/// `Cross-Origin-Resource-Policy`, likewise.
const CORP: HeaderName = HeaderName::from_static("cross-origin-resource-policy");
/// `Permissions-Policy`, likewise.
const PERMISSIONS_POLICY: HeaderName = HeaderName::from_static("permissions-policy");

/// Sets each header of `pairs` on `h`, replacing any value it had.
fn set_static<const N: usize>(h: &mut HeaderMap, pairs: [(HeaderName, &'static str); N]) {
    for (name, value) in pairs {
        h.insert(name, HeaderValue::from_static(value));
    }
}

async fn headers(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let mut res = next.run(req).await;
    let ok = res.status() == StatusCode::OK;
    let cache = if ok && is_hashed_asset(&path) && !path.starts_with(&format!("{API_PREFIX}/")) {
        "public, max-age=31536000, immutable"
    } else if ok && path.ends_with("/favicon.svg") {
        // Not hashed, so not for a year; but a page without its app loads
        // one page per step, and each would fetch it again (issue 24).
        "public, max-age=86400"
    } else {
        "no-store"
    };
    let policy = permissions_policy(Route::from_path(&path));
    set_static(
        res.headers_mut(),
        [
            (header::CACHE_CONTROL, cache),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "no-referrer"),
            (header::X_FRAME_OPTIONS, "DENY"),
            // Another site's window gets no handle on a link page (it
            // cannot read or navigate it), and its resources load into no
            // other site's page.
            (COOP, "same-origin"),
            (CORP, "same-origin"),
            (PERMISSIONS_POLICY, policy),
        ],
    );
    let h = res.headers_mut();
    // The endpoint a page's `report-to csp` names: over https only (see
    // `html::PolicyAsk::reporting_api`).
    let https = s.public_base.starts_with("https://");
    let endpoint = format!("csp=\"{}{CSP_REPORTS}\"", s.public_base);
    if let (true, Ok(v)) = (https, HeaderValue::from_str(&endpoint)) {
        h.insert("reporting-endpoints", v);
    }
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

/// The powerful features no page of this origin uses, denied to the
/// pages and to anything they could embed. Only features Chromium on
/// Linux knows are named: an unknown one is a console warning on every
/// page (`bluetooth` and `web-share` are, there; e2e `delivery` fails on
/// any warning).
macro_rules! denied_features {
    () => {
        "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), \
         fullscreen=(), gamepad=(), geolocation=(), gyroscope=(), hid=(), idle-detection=(), \
         local-fonts=(), magnetometer=(), microphone=(), midi=(), otp-credentials=(), \
         payment=(), picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), \
         serial=(), usb=(), xr-spatial-tracking=(), clipboard-read=()"
    };
}

/// The `Permissions-Policy`: the denied features, and writing to the
/// clipboard for the pages that copy: the theme studio (its JSON) and the
/// checkout (its receipt's words, where the browser has no share sheet).
fn permissions_policy(page: Route) -> &'static str {
    match page {
        Route::Studio | Route::Checkout => concat!(denied_features!(), ", clipboard-write=(self)"),
        _ => concat!(denied_features!(), ", clipboard-write=()"),
    }
}

/// The policy of every answer that is not the app's HTML (assets, API).
const STRICT_POLICY: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

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
}
