//! The page a link-preview crawler gets instead of the app ([`answer`]);
//! who is a crawler is decided with every other kind of visit in
//! `crate::visit`, whose names this module passes on.
//!
//! A crawler is the messaging company's server, not the person: it gets a
//! page of its own that names the merchant and what the link is for, and
//! nothing personal (no name, amount, description, email or document).

use crate::public::common::{read_view_visit, PageLink};
use crate::state::AppState;
use crate::store::checkout_links::CheckoutLinkRow;
use crate::store::connect_links::ConnectLinkRow;
pub use crate::visit::{visit, Asked, Target, Visit, CRAWLERS};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use druo_core::dto::LinkState;
use druo_core::i18n::{fill, PreviewMsg};
use druo_core::lang::choose_lang;
use druo_core::route::{link_slug, Route};
use druo_core::url::parse_query;
use druo_core::Lang;
use druo_link::components::link_flow::PublicLink;

/// What a preview card says: the page's language, and for an open link,
/// its kind and its merchant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// The card's language.
    pub lang: Lang,
    /// The page (connect or checkout) and the merchant's name, when the
    /// link is open; else the card names neither.
    pub link: Option<(Route, String)>,
}

/// The preview page of the link page at `route` with `query`, answered
/// with `status`. The link is read without marking it; only an open link's
/// merchant and kind are told.
pub async fn answer(
    s: &AppState,
    route: Route,
    query: &str,
    accept_language: &str,
    status: StatusCode,
) -> Response {
    let q = parse_query(query);
    let read = match (route, link_slug(&q)) {
        (Route::Connect, Some(slug)) => about::<ConnectLinkRow>(s, slug).await,
        (Route::Checkout, Some(slug)) => about::<CheckoutLinkRow>(s, slug).await,
        _ => None,
    };
    let url_lang = q.iter().find(|(k, _)| k == "lang").map(|(_, v)| v.as_str());
    let browser = Lang::from_browser(&crate::page::accept_languages(accept_language));
    let card = Card {
        lang: choose_lang(url_lang, read.as_ref().map(|(_, l)| *l).or(browser)),
        link: read.map(|(merchant, _)| (route, merchant)),
    };
    let mut res = (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html(&card),
    )
        .into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(POLICY),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        "x-robots-tag",
        HeaderValue::from_static("noindex, nofollow"),
    );
    // The same URL answers a person with the page: no cache may give one
    // the other's answer.
    h.append(header::VARY, HeaderValue::from_static("User-Agent"));
    res
}

/// The preview page's policy: it loads nothing and runs nothing.
pub const POLICY: &str = "default-src 'none'; style-src 'none'; img-src 'none'; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The merchant's name and the link's language, for an open link at
/// `slug`; `None` for anything else (unknown, expired, used, unreadable).
async fn about<L>(s: &AppState, slug: String) -> Option<(String, Lang)>
where
    L: PageLink,
    L::View: PublicLink,
{
    let view = read_view_visit::<L>(s, slug, Visit::Preview).await.ok()?;
    let (state, merchant, _, _) = view.facts();
    (state == LinkState::Open).then(|| (merchant, view.language()))
}

/// The preview page for `card`: its Open Graph tags, the same words as a
/// heading and a line, and nothing else (no script, no style, no image).
pub fn html(card: &Card) -> String {
    let lang = card.lang;
    let (title, body) = match &card.link {
        Some((Route::Checkout, merchant)) => (
            fill(
                PreviewMsg::PreviewCheckoutTitle.text(lang),
                &[("merchant", merchant.as_str())],
            ),
            PreviewMsg::PreviewCheckoutBody.text(lang),
        ),
        Some((_, merchant)) => (
            fill(
                PreviewMsg::PreviewConnectTitle.text(lang),
                &[("merchant", merchant.as_str())],
            ),
            PreviewMsg::PreviewConnectBody.text(lang),
        ),
        None => (
            PreviewMsg::PreviewGenericTitle.text(lang).to_string(),
            PreviewMsg::PreviewGenericBody.text(lang),
        ),
    };
    let (title, body) = (escape(&title), escape(body));
    let locale = lang.bcp47().replace('-', "_");
    format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <title>{title}</title>\
         <meta name=\"robots\" content=\"noindex, nofollow\">\
         <meta name=\"description\" content=\"{body}\">\
         <meta property=\"og:type\" content=\"website\">\
         <meta property=\"og:site_name\" content=\"DRUO\">\
         <meta property=\"og:title\" content=\"{title}\">\
         <meta property=\"og:description\" content=\"{body}\">\
         <meta property=\"og:locale\" content=\"{locale}\">\
         <meta name=\"twitter:card\" content=\"summary\">\
         </head><body><h1>{title}</h1><p>{body}</p></body></html>",
        lang.bcp47()
    )
}

/// `text` safe in HTML text and in a quoted attribute.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderMap, Method};

    const CHROME: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
                          Chrome/126.0.0.0 Safari/537.36";
    const IMESSAGE: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 \
                            (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 \
                            facebookexternalhit/1.1 Facebot Twitterbot/1.0";

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        map
    }

    fn asked(method: &Method, pairs: &[(&'static str, &str)]) -> Visit {
        visit(&Asked::from_request(method, &headers(pairs)), Target::Page)
    }

    fn api(pairs: &[(&'static str, &str)]) -> Visit {
        visit(
            &Asked::from_request(&Method::GET, &headers(pairs)),
            Target::Api,
        )
    }

    const NAVIGATE: [(&str, &str); 4] = [
        ("user-agent", CHROME),
        ("sec-fetch-mode", "navigate"),
        ("sec-fetch-dest", "document"),
        ("sec-fetch-site", "none"),
    ];

    #[test]
    fn a_top_level_get_is_a_view_and_a_head_never_is() {
        assert_eq!(asked(&Method::GET, &NAVIGATE), Visit::View);
        // Without fetch metadata (an older browser, curl): taken at its word.
        assert_eq!(asked(&Method::GET, &[("user-agent", CHROME)]), Visit::View);
        assert_eq!(asked(&Method::GET, &[]), Visit::View);
        assert_eq!(asked(&Method::HEAD, &NAVIGATE), Visit::Peek);
        assert_eq!(asked(&Method::HEAD, &[]), Visit::Peek);
        assert_eq!(asked(&Method::POST, &NAVIGATE), Visit::Peek);
    }

    #[test]
    fn prefetches_and_prerenders_are_not_views() {
        for purpose in [
            ("sec-purpose", "prefetch"),
            ("sec-purpose", "prefetch;prerender"),
            ("sec-purpose", "prefetch;anonymous-client-ip"),
            ("purpose", "prefetch"),
            ("x-purpose", "preview"),
            ("x-moz", "prefetch"),
        ] {
            let mut h = NAVIGATE.to_vec();
            h.push(purpose);
            assert_eq!(asked(&Method::GET, &h), Visit::Peek, "{purpose:?}");
            assert_eq!(api(&[purpose]), Visit::Peek, "{purpose:?}");
        }
        assert_eq!(
            asked(&Method::GET, &[("sec-purpose", "something-else")]),
            Visit::View
        );
    }

    #[test]
    fn a_frame_or_a_script_fetching_the_page_is_not_a_view() {
        let frame = [("sec-fetch-mode", "navigate"), ("sec-fetch-dest", "iframe")];
        assert_eq!(asked(&Method::GET, &frame), Visit::Peek);
        let fetch = [("sec-fetch-mode", "no-cors"), ("sec-fetch-dest", "empty")];
        assert_eq!(asked(&Method::GET, &fetch), Visit::Peek);
        // The app's own read of its link is a fetch, and is the view.
        let app = [
            ("sec-fetch-mode", "cors"),
            ("sec-fetch-dest", "empty"),
            ("sec-fetch-site", "same-origin"),
        ];
        assert_eq!(api(&app), Visit::View);
    }

    #[test]
    fn preview_crawlers_get_the_preview_and_never_open_a_link() {
        for ua in [
            "WhatsApp/2.23.20.0 A",
            "TelegramBot (like TwitterBot)",
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            IMESSAGE,
            "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
            "Slack-ImgProxy (+https://api.slack.com/robots)",
            "Twitterbot/1.0",
            "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
            "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
            "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        ] {
            let h = [("user-agent", ua)];
            assert_eq!(asked(&Method::GET, &h), Visit::Preview, "{ua}");
            assert_eq!(asked(&Method::HEAD, &h), Visit::Preview, "{ua}");
            assert_eq!(api(&h), Visit::Peek, "{ua}");
        }
        // A browser sends fetch metadata: whatever its user agent says, it
        // gets its page.
        let browser = [
            ("user-agent", "Mozilla/5.0 … WhatsApp"),
            ("sec-fetch-mode", "navigate"),
            ("sec-fetch-dest", "document"),
        ];
        assert_eq!(asked(&Method::GET, &browser), Visit::View);
        assert!(Visit::View.marks_opened());
        assert!(!Visit::Peek.marks_opened() && !Visit::Preview.marks_opened());
    }

    #[test]
    fn the_preview_names_the_merchant_and_the_purpose_only() {
        let card = Card {
            lang: Lang::EsCo,
            link: Some((Route::Checkout, "NOVO <&> \"SAS\"".into())),
        };
        let page = html(&card);
        assert!(
            page.contains(
                "<meta property=\"og:title\" content=\"NOVO &lt;&amp;&gt; &quot;SAS&quot; — enlace de pago\">"
            ),
            "{page}"
        );
        assert!(page.contains("<html lang=\"es-CO\">"), "{page}");
        assert!(page.contains("content=\"es_CO\""), "{page}");
        assert!(page.contains("<meta name=\"robots\" content=\"noindex, nofollow\">"));
        assert!(page.contains("og:site_name\" content=\"DRUO\""));
        assert!(!page.contains("<script") && !page.contains("<style") && !page.contains("<img"));
        let connect = html(&Card {
            lang: Lang::EnUs,
            link: Some((Route::Connect, "NOVO".into())),
        });
        assert!(
            connect.contains("content=\"NOVO — connect your bank account or wallet\""),
            "{connect}"
        );
        let generic = html(&Card {
            lang: Lang::EnUs,
            link: None,
        });
        assert!(
            generic.contains("content=\"DRUO — secure link\""),
            "{generic}"
        );
        assert!(!generic.contains("NOVO"));
    }
}
