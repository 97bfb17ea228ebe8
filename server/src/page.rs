//! A link page's first screen in its first response: the link read as the
//! public API reads it, rendered by the app's own components
//! (`druo_link::ssr`), written into the page's build (`index.html`) with
//! the link's language and theme, and the reads it was built from; the
//! browser then hydrates that screen from the link and reads the page
//! carries (docs/architecture.md, "Server rendering").

use crate::public::checkout::read_accounts;
use crate::public::common::{read_view_visit, to_json, PageLink};
use crate::public::read_institutions;
use crate::state::AppState;
use crate::store::checkout_links::CheckoutLinkRow;
use crate::store::connect_links::ConnectLinkRow;
use crate::visit::Visit;
use axum::http::StatusCode;
use druo_core::dto::{PublicCheckoutLink, PublicConnectLink};
use druo_core::lang::choose_lang;
use druo_core::route::{link_slug, Route};
use druo_core::url::parse_query;
use druo_core::Lang;
use druo_link::boot::{Carried, Preloaded, DATA_ID};
use druo_link::components::link_flow::PublicLink;
use druo_link::location::Url;
use druo_link::posted::{Posted, Serving};
use druo_link::ssr::{render, PageRequest};

/// A first screen, ready to write into the page.
#[derive(Debug)]
pub struct Rendered {
    /// The app's HTML: what goes inside `#app`.
    pub app: String,
    /// The page's language.
    pub lang: Lang,
    /// The merchant's theme as one CSS rule, when the link has one.
    pub theme: Option<String>,
    /// The link the screen was rendered from.
    pub link: Preloaded,
    /// The other reads it was rendered from, as the API answers them.
    pub reads: Vec<(Carried, String)>,
    /// The screen waits for the institution: without its app the page
    /// reloads itself.
    pub refresh: bool,
    /// The page answers a form posted without the app: it goes out as
    /// HTML alone (nothing to hydrate; its links and forms lead on).
    pub answers_post: bool,
    /// The origin of the link's `redirect_url`, where a form's answer may
    /// send the person (the page's `form-action` names it).
    pub redirect_origin: Option<String>,
}

/// The first screen of the link page at `path`, or `None` when the server
/// leaves the page to the browser: not a link page, or the link could not
/// be read (the browser then shows its error with Retry). Only a `visit`
/// that is a person's view (`crate::visit::visit`) moves the link from
/// CREATED to OPENED; a `HEAD` or a prefetch gets the same screen and
/// leaves the link as it stands.
pub async fn first_screen(
    s: &AppState,
    path: &str,
    query: &str,
    accept_language: &str,
    posted: Option<Posted>,
    visit: Visit,
) -> Option<Rendered> {
    let url = Url {
        path: path.to_string(),
        query: parse_query(query),
    };
    let route = Route::from_path(path);
    let slug = link_slug(&url.query);
    let url_lang = url.get("lang");
    let langs = accept_languages(accept_language);
    let browser = Lang::from_browser(&langs);
    let (link, link_lang, theme, redirect_origin) = match (route, slug.clone()) {
        (Route::Connect, Some(slug)) => {
            read::<ConnectLinkRow, PublicConnectLink>(s, slug, visit).await?
        }
        (Route::Checkout, Some(slug)) => {
            read::<CheckoutLinkRow, PublicCheckoutLink>(s, slug, visit).await?
        }
        // A link page without a slug is "not found"; the rest are not
        // link pages.
        (Route::Connect | Route::Checkout, None) => (Preloaded::Missing, None, None, None),
        (Route::Studio | Route::NotFound, _) => return None,
    };
    let lang = choose_lang(url_lang.as_deref(), link_lang.or(browser));
    let reads = match (&link, route, slug) {
        (Preloaded::Link(_), Route::Connect | Route::Checkout, Some(slug)) => {
            carried_reads(s, route, slug).await
        }
        _ => Vec::new(),
    };
    let answers_post = posted.is_some();
    let serving = Serving {
        posted,
        // Fresh for each render: the forms of one page view are one
        // logical submit each.
        key: uuid::Uuid::new_v4().to_string(),
        ..Serving::default()
    };
    let page = render(PageRequest {
        url,
        langs,
        link: link.clone(),
        reads: reads.clone(),
        serving,
    });
    Some(Rendered {
        app: page.html,
        lang,
        theme,
        link,
        reads,
        refresh: page.refresh,
        answers_post,
        redirect_origin,
    })
}

/// The reads a link page's screens are built from besides the link: the
/// catalog (the connector's steps), and on a checkout the payer's
/// accounts, which decide its first step. One that fails is left to the
/// browser, which reads it as before.
async fn carried_reads(s: &AppState, route: Route, slug: String) -> Vec<(Carried, String)> {
    let mut reads = Vec::new();
    if let Some(json) = read_institutions(s)
        .await
        .ok()
        .and_then(|l| to_json(&l).ok())
    {
        reads.push((Carried::Institutions, json));
    }
    if route == Route::Checkout {
        if let Some(json) = read_accounts(s, slug)
            .await
            .ok()
            .and_then(|l| to_json(&l).ok())
        {
            reads.push((Carried::Accounts, json));
        }
    }
    reads
}

/// The link at `slug` as its page reads it.
type Read = (Preloaded, Option<Lang>, Option<String>, Option<String>);

/// The link at `slug` as its page reads it for `visit`: the API's JSON,
/// the link's language, its theme and its redirect's origin; missing for a
/// 404; `None` on any other error.
async fn read<L, V>(s: &AppState, slug: String, visit: Visit) -> Option<Read>
where
    L: PageLink<View = V>,
    V: PublicLink + serde::Serialize,
{
    match read_view_visit::<L>(s, slug, visit).await {
        Ok(link) => {
            // Read typed once: the page carries its JSON, and its theme
            // and language come from the same value.
            let json = to_json(&link).ok()?;
            let theme = druo_core::theme::css_rule(link.theme_vars());
            let origin = link
                .redirect_url()
                .and_then(|u| druo_core::url::parse_http_url(u).ok())
                .map(|u| u.origin())
                // Only what a policy source may hold.
                .filter(|o| {
                    o.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b".-:/[]".contains(&b))
                });
            Some((Preloaded::Link(json), Some(link.language()), theme, origin))
        }
        Err(e) if e.status == StatusCode::NOT_FOUND => Some((Preloaded::Missing, None, None, None)),
        Err(_) => None,
    }
}

/// The language tags of an `Accept-Language` header, in its order (the
/// browser writes them most wanted first, as `navigator.languages`).
pub fn accept_languages(header: &str) -> Vec<String> {
    header
        .split(',')
        .filter_map(|part| part.split(';').next())
        .map(str::trim)
        .filter(|t| !t.is_empty() && *t != "*")
        .map(str::to_string)
        .collect()
}

/// `template` (a page build's `index.html`) with `r` written in: the app's
/// HTML in place of the static shell inside `#app` (whose notices, for a
/// page whose code fails or cannot run, do not apply: this page works
/// without its code); the link's data after `#app`; `<html lang>`; the
/// theme's `<style>` last in `<head>`, after the stylesheet it overrides;
/// a reload every few seconds without JavaScript while the screen waits
/// for the institution. A page that answers a post goes without any
/// script. `None` when the template is not in the expected form (the page
/// is then served as built).
pub fn write_into(template: &str, r: &Rendered) -> Option<String> {
    let open = ["<div id=\"app\">", "<div id=app>"]
        .iter()
        .find_map(|tag| template.find(tag).map(|at| at + tag.len()))?;
    // The shell ends at the last `</div>` before the first script after it.
    let scripts = template[open..]
        .find("<script")
        .map_or(template.len(), |i| open + i);
    let close = open + template[open..scripts].rfind("</div>")?;
    let block = |id: &str, p: &Preloaded| {
        format!(
            "<script type=\"application/json\" id=\"{id}\">{}</script>",
            p.to_script()
        )
    };
    let data: String = match r.answers_post {
        true => String::new(),
        false => std::iter::once(block(DATA_ID, &r.link))
            .chain(
                r.reads
                    .iter()
                    .map(|(which, json)| block(which.id(), &Preloaded::Link(json.clone()))),
            )
            .collect(),
    };
    let mut page = [
        &template[..open],
        r.app.as_str(),
        "</div>",
        &data,
        &template[close + "</div>".len()..],
    ]
    .concat();
    page = set_html_lang(&page, r.lang.bcp47())?;
    if r.answers_post {
        page = without_scripts(&page);
    }
    let mut head = String::new();
    if let Some(css) = &r.theme {
        head.push_str(&format!("<style>{css}</style>"));
    }
    if r.refresh {
        head.push_str(&format!(
            "<noscript><meta http-equiv=\"refresh\" content=\"{WAIT_REFRESH_SECS}\"></noscript>"
        ));
    }
    let at = page.find("</head>")?;
    page.insert_str(at, &head);
    Some(page)
}

/// How often a page that waits for the institution reloads itself without
/// JavaScript.
pub const WAIT_REFRESH_SECS: u32 = 5;

/// `page` without any `<script>` element.
fn without_scripts(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    let mut rest = page;
    while let Some(at) = rest.find("<script") {
        out.push_str(&rest[..at]);
        rest = rest[at..]
            .find("</script>")
            .map_or("", |end| &rest[at + end + "</script>".len()..]);
    }
    out.push_str(rest);
    out
}

/// `page` with its `<html lang="…">` set to `lang`.
fn set_html_lang(page: &str, lang: &str) -> Option<String> {
    let start = page.find("<html")?;
    let end = start + page[start..].find('>')?;
    Some([&page[..start], "<html lang=\"", lang, "\"", &page[end..]].concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "<!doctype html><html lang=es-CO><head><title>x</title></head><body>\
        <div id=app><header></header><main class=content-box id=main aria-busy=true>\
        <div data-load-pending></div><div data-load-failed hidden role=alert><p>no</p></div>\
        <noscript><p>js</p></noscript></main><footer></footer></div>\
        <script>hold()</script></body></html>";

    fn rendered() -> Rendered {
        Rendered {
            app: "<header>H</header><main class=\"content-box\" id=\"main\"><h1>Hi</h1></main>"
                .into(),
            lang: Lang::EnUs,
            theme: Some(":root{--a:#000000}".into()),
            link: Preloaded::Link(r#"{"t":"</script>"}"#.into()),
            reads: vec![(Carried::Accounts, r#"{"accounts":[]}"#.into())],
            refresh: false,
            answers_post: false,
            redirect_origin: None,
        }
    }

    #[test]
    fn the_first_screen_replaces_the_shell_and_its_notices() {
        let page = write_into(TEMPLATE, &rendered()).unwrap_or_default();
        assert_eq!(
            page,
            "<!doctype html><html lang=\"en-US\"><head><title>x</title>\
             <style>:root{--a:#000000}</style></head><body>\
             <div id=app><header>H</header><main class=\"content-box\" id=\"main\">\
             <h1>Hi</h1></main></div>\
             <script type=\"application/json\" id=\"druo-link-data\">{\"t\":\"\\u003c/script\\u003e\"}</script>\
             <script type=\"application/json\" id=\"druo-read-accounts\">{\"accounts\":[]}</script>\
             <script>hold()</script></body></html>"
        );
    }

    #[test]
    fn a_page_that_answers_a_post_has_no_script_and_a_wait_reloads_itself() {
        let r = Rendered {
            answers_post: true,
            refresh: true,
            theme: None,
            ..rendered()
        };
        let page = write_into(TEMPLATE, &r).unwrap_or_default();
        assert!(!page.contains("<script"), "{page}");
        assert!(
            page.contains(
                "<noscript><meta http-equiv=\"refresh\" content=\"5\"></noscript></head>"
            ),
            "{page}"
        );
        assert!(page.contains("<h1>Hi</h1>"), "{page}");
    }

    #[test]
    fn accept_language_keeps_the_browsers_order() {
        assert_eq!(
            accept_languages("es-CO,es;q=0.9, en-US;q=0.8,*;q=0.1"),
            ["es-CO", "es", "en-US"]
        );
        assert!(accept_languages("").is_empty());
    }
}
