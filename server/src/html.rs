//! A page's HTML answer: the page's own build with, for a link page, its
//! first screen written in (`crate::page`), and a Content-Security-Policy
//! made from the very bytes served. The link origin's `GET`s of the app's
//! paths (`web`) and the pages' posted forms (`forms`) both answer with it.

use crate::state::AppState;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use druo_core::route::{link_slug, Route, API_PREFIX, CSP_REPORTS};
use druo_link::posted::Posted;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

/// Paths the app routes itself (core's page table); they answer
/// `index.html` with 200. Every other unknown path answers it with 404 so
/// the app shows "not found".
pub static APP_ROUTES: LazyLock<Vec<String>> = LazyLock::new(Route::app_paths);

/// What a page answer is made for.
pub struct PageAsk<'a> {
    /// The page's path.
    pub path: &'a str,
    /// Its query, without `?`.
    pub query: &'a str,
    /// The browser's `Accept-Language`.
    pub accept_language: &'a str,
    /// The form it answers, if any.
    pub posted: Option<Posted>,
}

/// A page's HTML answer with `status`: its own build with, for a link
/// page, its first screen written in, and the policy of those very bytes.
/// Read as a person's view (a posted form's answer is one).
pub async fn app_page(s: &AppState, ask: PageAsk<'_>, status: StatusCode) -> Response {
    app_page_for(s, ask, status, crate::preview::Visit::View).await
}

/// [`app_page`] for a request `crate::preview::visit` judged: the same
/// answer, but only a [`crate::preview::Visit::View`] moves the link it
/// renders from CREATED to OPENED.
pub async fn app_page_for(
    s: &AppState,
    ask: PageAsk<'_>,
    status: StatusCode,
    visit: crate::preview::Visit,
) -> Response {
    let PageAsk {
        path,
        query,
        accept_language,
        posted,
    } = ask;
    let is_app_route = APP_ROUTES.iter().any(|p| p == path);
    // The checkout page and the studio are builds of their own
    // (scripts/build), so neither weighs on a connect page; a dist without
    // one serves the root build, which shows what it can.
    let own = page_build(Route::from_path(path)).map(|dir| s.dist.join(dir).join("index.html"));
    let html_file = match own {
        Some(f) if tokio::fs::try_exists(&f).await.unwrap_or(false) => f,
        _ => s.dist.join("index.html"),
    };
    // The scripts the policy lets run are the ones the build listed
    // (`crate::inventory`), never whatever the served file holds: a script
    // written into it after the build does not run.
    let scripts = html_file
        .parent()
        .map(crate::inventory::script_hashes)
        .unwrap_or_default();
    match tokio::fs::read_to_string(&html_file).await {
        // The styles' hashes come from the very bytes served (a rendered
        // page's theme), so a rebuild under a running server never
        // desynchronises them.
        Ok(built) => {
            // A link page's first screen comes in this response, with the
            // link it was rendered from; else the page is served as built.
            let rendered = match is_app_route && s.render_pages {
                true => {
                    crate::page::first_screen(s, path, query, accept_language, posted, visit).await
                }
                false => None,
            };
            let html = rendered
                .as_ref()
                .and_then(|r| crate::page::write_into(&built, r))
                .unwrap_or(built);
            // A rendered page carries its reads: nothing is preloaded, so
            // the first screen's bytes are its HTML and CSS alone.
            let preload = match &rendered {
                Some(_) => None,
                None => link_preload(path, query),
            };
            let post_to = rendered.as_ref().and_then(|r| r.redirect_origin.as_deref());
            let ask = PolicyAsk {
                post_to,
                scripts: &scripts,
                reporting_api: s.public_base.starts_with("https://"),
            };
            let csp = policy_for(&html, &ask);
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

/// `Link: rel=preload` for the API reads a page the browser renders
/// starts with (a page link-server did not render carries none), so they
/// load while the wasm downloads instead of after it ran: the link, and
/// the connect page's catalog or the checkout page's saved accounts. The
/// URLs are built exactly as the app's client builds them
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

/// What a page's policy allows beyond its own bytes.
#[derive(Debug, Clone, Copy, Default)]
pub struct PolicyAsk<'a> {
    /// The origin the page's forms may send the person on to (the
    /// merchant's, where a finished link returns).
    pub post_to: Option<&'a str>,
    /// The `'sha256-…'` sources of the build's inline scripts
    /// (`crate::inventory`).
    pub scripts: &'a [String],
    /// Name the `Reporting-Endpoints` entry (`report-to csp`): only over
    /// https. Chromium then ignores `report-uri`, and over http (this
    /// machine's tests, a local run) it delivered no Reporting API report
    /// at all, so there `report-uri` alone carries them.
    pub reporting_api: bool,
}

/// The Content-Security-Policy for the app's HTML: scripts only from this
/// origin plus the inline scripts the build listed (`scripts`, the
/// `'sha256-…'` sources of `crate::inventory`), by hash. Its forms post
/// to this origin, whose answer may send the person on to `post_to` (the
/// merchant's origin, where a finished link returns). Trusted Types are
/// enforced with one named policy, `tachys`, which the page's first script
/// makes (index.html) for the view layer's templates (vendor/tachys); with
/// no default policy a plain string reaches no sink. Violations are reported to [`CSP_REPORTS`]
/// (`crate::reports`; see [`PolicyAsk::reporting_api`]).
pub fn policy_for(html: &str, ask: &PolicyAsk<'_>) -> String {
    let PolicyAsk {
        post_to,
        scripts,
        reporting_api,
    } = *ask;
    let hash = |s: &&str| {
        let digest = Sha256::digest(s.as_bytes());
        format!(
            " 'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest)
        )
    };
    let hashes = |tag: &str| -> String { inline_bodies(html, tag).iter().map(hash).collect() };
    let scripts: String = scripts.iter().map(|h| format!(" {h}")).collect();
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
         frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'self'{}; \
         require-trusted-types-for 'script'; trusted-types tachys; \
         report-uri {CSP_REPORTS}{}",
        scripts,
        hashes("style"),
        post_to.map(|o| format!(" {o}")).unwrap_or_default(),
        if reporting_api { "; report-to csp" } else { "" },
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
        let html = r#"<script src="/a.js"></script><script type="module">import x;</script><p><script>b()</script><script type="application/json" id="druo-link-data">{"a":1}</script>"#;
        assert_eq!(inline_bodies(html, "script"), vec!["import x;", "b()"]);
        let csp = policy_for("", &PolicyAsk::default());
        assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"));
        // A theme's `<style>` is allowed by its hash, never by 'unsafe-inline'.
        let csp = policy_for("<style>:root{--a:#000000}</style>", &PolicyAsk::default());
        let digest = Sha256::digest(b":root{--a:#000000}");
        let hash = base64::engine::general_purpose::STANDARD.encode(digest);
        assert!(
            csp.contains(&format!("style-src 'self' 'sha256-{hash}';")),
            "{csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        // A rendered style attribute is allowed by its exact value's hash.
        let csp = policy_for(
            r#"<span class="mark" style="--mark-bg:#DA0081;">N</span>"#,
            &PolicyAsk::default(),
        );
        let digest = Sha256::digest(b"--mark-bg:#DA0081;");
        let hash = base64::engine::general_purpose::STANDARD.encode(digest);
        assert!(
            csp.contains(&format!(
                "style-src 'self' 'unsafe-hashes' 'sha256-{hash}';"
            )),
            "{csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert!(!policy_for("<p>none</p>", &PolicyAsk::default()).contains("unsafe-hashes"));
        // Scripts: the build's inventory, never the served file's own.
        let scripts = ["'sha256-AAAA'".to_string()];
        let ask = PolicyAsk {
            scripts: &scripts,
            ..PolicyAsk::default()
        };
        let csp = policy_for("<script>evil()</script>", &ask);
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-AAAA';"),
            "{csp}"
        );
        let evil = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"evil()"));
        assert!(!csp.contains(&evil), "{csp}");
    }
}
