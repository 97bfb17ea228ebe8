//! The link pages answer `GET` and `HEAD` only, and only a person's view
//! opens a link: a `HEAD`, a prefetch and a link-preview crawler leave it
//! `CREATED`, and the crawler gets a preview page of its own that names
//! the merchant and nothing personal (`link_server::preview`).

use crate::common::writes::{END_USER, TENANT};
use crate::common::T;
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::json;

/// What a browser sends with a top-level navigation.
const NAVIGATE: [(&str, &str); 4] = [
    ("sec-fetch-mode", "navigate"),
    ("sec-fetch-dest", "document"),
    ("sec-fetch-site", "none"),
    ("sec-fetch-user", "?1"),
];

/// WhatsApp's preview crawler, as it names itself (no `Sec-Fetch-*`).
const WHATSAPP: &str = "WhatsApp/2.23.20.0 A";

/// What the end user's link must never show a crawler: the demo end
/// user's first name, last name, email and document; the checkout's
/// amount (2 000 000 centavos, however written), description, name and
/// reference.
const PERSONAL: &[&str] = &[
    "John",
    "Doe",
    "john.doe@example.com",
    "987654321",
    "2000000",
    "20.000",
    "20,000",
    "Policy renewal",
    "Order #42",
    "ORDER-42",
];

/// A link of `kind` (`connect` or `checkout`) in `lang`: its uuid and url.
async fn link(t: &T, kind: &str, lang: &str) -> (String, String) {
    let l = match kind {
        "connect" => t.connect_link(json!({ "default_language": lang })).await,
        _ => {
            let (s, v) = t
                .post(
                    "/checkout/link/create",
                    json!({
                        "existing_end_user_id": END_USER, "link_name": "Order #42",
                        "primary_reference": "ORDER-42", "default_language": lang,
                        "transaction": {"tenant_id": TENANT, "amount": 2_000_000,
                                        "description": "Policy renewal",
                                        "statement_descriptor": "NOVO* POLICY"}
                    }),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{v}");
            v["checkout_link"].clone()
        }
    };
    let url = l["url"].as_str().unwrap().to_string();
    assert!(url.starts_with(&t.link), "{url}");
    (l["uuid"].as_str().unwrap().to_string(), url)
}

/// The link's `delivery_status` as the merchant API reports it.
async fn delivery(t: &T, kind: &str, uuid: &str) -> String {
    let (s, v) = t.get(&format!("/{kind}/link/list?uuid={uuid}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v[format!("{kind}_links")][0]["delivery_status"]
        .as_str()
        .unwrap_or_else(|| panic!("no delivery_status: {v}"))
        .to_string()
}

/// `rb` with `headers`.
fn with(mut rb: RequestBuilder, headers: &[(&str, &str)]) -> RequestBuilder {
    for (k, v) in headers {
        rb = rb.header(*k, *v);
    }
    rb
}

/// Sends `rb`: its status, headers and body.
async fn send(rb: RequestBuilder) -> (StatusCode, reqwest::header::HeaderMap, String) {
    let r = rb.send().await.unwrap();
    let (status, headers) = (r.status(), r.headers().clone());
    (status, headers, r.text().await.unwrap())
}

/// The methods an `Allow` header names, however it spaces them.
fn allowed(h: &reqwest::header::HeaderMap) -> Vec<String> {
    h.get("allow")
        .map(|v| v.to_str().unwrap())
        .unwrap_or("")
        .split(',')
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn head_prefetch_and_preview_crawlers_leave_a_link_created_and_a_view_opens_it() {
    let t = T::new().await;
    for kind in ["connect", "checkout"] {
        let (uuid, url) = link(&t, kind, "es_CO").await;
        let slug = url.split("sl=").nth(1).unwrap().to_string();

        // HEAD: the page's answer without its body.
        let (s, h, body) = send(with(t.http.head(&url), &NAVIGATE)).await;
        assert_eq!(s, StatusCode::OK, "{kind} HEAD");
        assert!(body.is_empty(), "{kind} HEAD has a body: {body}");
        assert!(
            h["content-type"].to_str().unwrap().starts_with("text/html"),
            "{kind}"
        );
        assert_eq!(delivery(&t, kind, &uuid).await, "CREATED", "{kind} HEAD");

        // A prefetch and a prerender (speculation rules), and Chrome's
        // `<link rel=prefetch>`.
        for purpose in [
            ("sec-purpose", "prefetch"),
            ("sec-purpose", "prefetch;prerender"),
            ("purpose", "prefetch"),
        ] {
            let mut headers = NAVIGATE.to_vec();
            headers.push(purpose);
            let (s, _, _) = send(with(t.http.get(&url), &headers)).await;
            assert_eq!(s, StatusCode::OK, "{kind} {purpose:?}");
            assert_eq!(
                delivery(&t, kind, &uuid).await,
                "CREATED",
                "{kind} {purpose:?}"
            );
        }

        // The page in a frame, or fetched by a script, is not a view.
        let frame = [("sec-fetch-mode", "navigate"), ("sec-fetch-dest", "iframe")];
        send(with(t.http.get(&url), &frame)).await;
        assert_eq!(delivery(&t, kind, &uuid).await, "CREATED", "{kind} frame");

        // The API's read as a prefetch, and its HEAD.
        let api = format!("{}/api/v1/{kind}-links/{slug}", t.link);
        let (s, _, v) = send(t.http.get(&api).header("sec-purpose", "prefetch")).await;
        assert_eq!(s, StatusCode::OK, "{kind} API prefetch: {v}");
        assert_eq!(
            delivery(&t, kind, &uuid).await,
            "CREATED",
            "{kind} API prefetch"
        );
        let (s, _, _) = send(t.http.head(&api)).await;
        assert_eq!(s, StatusCode::OK, "{kind} API HEAD");
        assert_eq!(
            delivery(&t, kind, &uuid).await,
            "CREATED",
            "{kind} API HEAD"
        );

        // A preview crawler: its own page, naming the merchant and what the
        // link is for, and nothing personal.
        for ua in [
            WHATSAPP,
            "TelegramBot (like TwitterBot)",
            "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 \
             (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 \
             Facebot Twitterbot/1.0",
        ] {
            let (s, h, page) = send(t.http.get(&url).header("user-agent", ua)).await;
            assert_eq!(s, StatusCode::OK, "{kind} {ua}");
            let title = match kind {
                "connect" => "NOVO — conecta tu cuenta bancaria o billetera",
                _ => "NOVO — enlace de pago",
            };
            assert!(
                page.contains(&format!("<meta property=\"og:title\" content=\"{title}\">")),
                "{kind} {ua}: {page}"
            );
            assert!(page.contains("<meta property=\"og:site_name\" content=\"DRUO\">"));
            assert!(page.contains("<meta property=\"og:type\" content=\"website\">"));
            assert!(page.contains("<meta name=\"robots\" content=\"noindex"));
            assert!(!page.contains("<script"), "{kind}: a script in {page}");
            for personal in PERSONAL {
                assert!(!page.contains(personal), "{kind}: {personal} in {page}");
            }
            assert!(!page.contains(&slug), "{kind}: the slug in {page}");
            let csp = h["content-security-policy"].to_str().unwrap();
            assert!(csp.starts_with("default-src 'none'"), "{kind}: {csp}");
            assert!(!csp.contains("script-src"), "{kind}: {csp}");
            assert_eq!(h["cache-control"], "no-store", "{kind}");
            assert_eq!(delivery(&t, kind, &uuid).await, "CREATED", "{kind} {ua}");
        }

        // A person's view opens it.
        let (s, _, page) = send(with(t.http.get(&url), &NAVIGATE)).await;
        assert_eq!(s, StatusCode::OK, "{kind} view");
        assert!(
            !page.contains("og:title"),
            "{kind}: the preview for a person"
        );
        assert_eq!(delivery(&t, kind, &uuid).await, "OPENED", "{kind} view");
    }
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_api_read_of_the_app_opens_a_link() {
    let t = T::new().await;
    let (uuid, url) = link(&t, "connect", "en_US").await;
    let slug = url.split("sl=").nth(1).unwrap().to_string();
    let app = [
        ("sec-fetch-mode", "cors"),
        ("sec-fetch-dest", "empty"),
        ("sec-fetch-site", "same-origin"),
    ];
    let api = format!("{}/api/v1/connect-links/{slug}", t.link);
    let (s, _, _) = send(with(t.http.get(&api), &app)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(delivery(&t, "connect", &uuid).await, "OPENED");
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_preview_speaks_the_links_language_and_an_unknown_link_names_no_merchant() {
    let t = T::new().await;
    let (_, url) = link(&t, "connect", "en_US").await;
    let (_, _, page) = send(t.http.get(&url).header("user-agent", WHATSAPP)).await;
    assert!(
        page.contains("content=\"NOVO — connect your bank account or wallet\""),
        "{page}"
    );
    assert!(page.contains("<html lang=\"en-US\">"), "{page}");
    for path in [
        "/connect/secure?sl=no-such-link",
        "/checkout/?sl=no-such-link",
        "/connect/secure",
    ] {
        let (s, _, page) = send(
            t.http
                .get(format!("{}{path}", t.link))
                .header("user-agent", WHATSAPP),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert!(page.contains("og:title"), "{path}: {page}");
        assert!(!page.contains("NOVO"), "{path}: {page}");
        assert!(!page.contains("no-such-link"), "{path}: {page}");
    }
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_answer_get_and_head_only() {
    let t = T::new().await;
    let (uuid, url) = link(&t, "connect", "es_CO").await;
    let pages = [
        ("/", "GET, HEAD"),
        ("/index.html", "GET, HEAD"),
        ("/preview", "GET, HEAD"),
        ("/robots.txt", "GET, HEAD"),
        ("/app-0123456789abcdef.js", "GET, HEAD"),
        ("/no/such/page", "GET, HEAD"),
        ("/connect/secure", "GET, HEAD, POST"),
        ("/connect/secure/", "GET, HEAD, POST"),
        ("/checkout/", "GET, HEAD, POST"),
        ("/checkout", "GET, HEAD, POST"),
    ];
    for (path, allow) in pages {
        for method in ["PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"] {
            let m = Method::from_bytes(method.as_bytes()).unwrap();
            let (s, h, _) = send(t.http.request(m, format!("{}{path}", t.link))).await;
            assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            assert_eq!(h["allow"], allow, "{method} {path}");
        }
        // The methods it names are answered.
        let (s, _, _) = send(t.http.head(format!("{}{path}", t.link))).await;
        assert_ne!(s, StatusCode::METHOD_NOT_ALLOWED, "HEAD {path}");
    }
    // A refused method on a link's own page leaves the link as it stands.
    let (s, _, _) = send(t.http.put(&url)).await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(delivery(&t, "connect", &uuid).await, "CREATED");

    // The public API's routes refuse other methods with their own `Allow`.
    for (method, path, want) in [
        ("PUT", "/api/v1/connect-links/abc", vec!["GET", "HEAD"]),
        ("DELETE", "/api/v1/checkout-links/abc", vec!["GET", "HEAD"]),
        ("GET", "/api/v1/connect-links/abc/accounts", vec!["POST"]),
        ("PATCH", "/api/v1/institutions", vec!["GET", "HEAD"]),
    ] {
        let m = Method::from_bytes(method.as_bytes()).unwrap();
        let (s, h, body) = send(t.http.request(m, format!("{}{path}", t.link))).await;
        assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}: {body}");
        assert_eq!(allowed(&h), want, "{method} {path}");
    }
    t.stop().await;
}
