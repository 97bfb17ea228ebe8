//! The link origin's Content-Security-Policy report endpoint
//! (`core::route::CSP_REPORTS`): browsers post a violation there, by the
//! policy's `report-uri` (`application/csp-report`, one report) or its
//! `report-to csp` (`application/reports+json`, a batch). Each report
//! becomes one `csp_report` line in the security log (`crate::seclog`).
//!
//! Anyone can post here, so the endpoint is cheap and bounded: a body
//! over [`BODY_MAX`] is `413`, at most [`BATCH_MAX`] reports of a batch are
//! logged, each client address gets [`PER_MINUTE`] posts a minute
//! (counted in this process's memory: reports are not worth a database
//! write, and a flood must not take the writer from the payments), and
//! what is logged is the directive, the blocked resource's origin and the
//! page's path: never a query (the `sl` slug opens a link), a script
//! sample or a document's text.

use crate::rate::{client_addr, client_bucket};
use crate::seclog::Event;
use crate::state::AppState;
use axum::body::to_bytes;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{LazyLock, Mutex};
use std::time::Instant;

/// Largest report body read.
pub const BODY_MAX: usize = 16 * 1024;
/// Most reports of one batch that are logged.
pub const BATCH_MAX: usize = 10;
/// Posts a client may make a minute.
pub const PER_MINUTE: f64 = 30.0;
/// Clients remembered at once; past it the oldest half is forgotten.
const CLIENTS_MAX: usize = 10_000;

/// A client's bucket: the posts it has left, as of when.
type Bucket = (f64, Instant);

/// Token buckets per client (`rate::client_bucket`: an address, or an
/// IPv6 client's /64), in this process.
static BUCKETS: LazyLock<Mutex<HashMap<String, Bucket>>> = LazyLock::new(Default::default);

/// `POST /csp-reports`: logs the reports and answers `204`.
pub async fn receive(State(s): State<AppState>, req: Request) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let client = client_addr(peer, req.headers(), &s.trusted_proxies);
    if !take_token(client, Instant::now()) {
        return StatusCode::TOO_MANY_REQUESTS.into_response();
    }
    let kind = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            let v = v.split(';').next().unwrap_or("").trim();
            v.to_ascii_lowercase()
        })
        .unwrap_or_default();
    if !matches!(
        kind.as_str(),
        "application/csp-report" | "application/reports+json" | "application/json"
    ) {
        return StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response();
    }
    let Ok(body) = to_bytes(req.into_body(), BODY_MAX).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let Ok(json) = serde_json::from_slice::<Value>(&body) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let reports = read_reports(&json);
    if reports.is_empty() {
        return StatusCode::BAD_REQUEST.into_response();
    }
    for r in reports.iter().take(BATCH_MAX) {
        s.seclog.record(
            Event::CspReport,
            &[
                ("directive", &r.directive),
                ("blocked", &r.blocked),
                ("page", &r.page),
                ("source", &r.source),
                ("line", &r.line),
                ("disposition", &r.disposition),
            ],
        );
    }
    StatusCode::NO_CONTENT.into_response()
}

/// Takes a post from `client`'s bucket at `now`; false when it is empty.
fn take_token(client: Option<IpAddr>, now: Instant) -> bool {
    let mut buckets = BUCKETS.lock().unwrap_or_else(|p| p.into_inner());
    if buckets.len() >= CLIENTS_MAX {
        let mut ages: Vec<Instant> = buckets.values().map(|(_, at)| *at).collect();
        ages.sort_unstable();
        let cut = ages[ages.len() / 2];
        buckets.retain(|_, (_, at)| *at > cut);
    }
    let (tokens, at) = buckets
        .entry(client_bucket(client))
        .or_insert((PER_MINUTE, now));
    let refill = now.duration_since(*at).as_secs_f64() * PER_MINUTE / 60.0;
    *tokens = (*tokens + refill).min(PER_MINUTE);
    *at = now;
    if *tokens >= 1.0 {
        *tokens -= 1.0;
        true
    } else {
        false
    }
}

/// What a report says, cut to what may be logged.
#[derive(Debug, PartialEq, Eq)]
struct Report {
    directive: String,
    blocked: String,
    page: String,
    source: String,
    line: String,
    disposition: String,
}

/// The reports in a `report-uri` body (`{"csp-report":{…}}`) or a
/// Reporting API batch (`[{"type":"csp-violation","body":{…}}]`).
fn read_reports(json: &Value) -> Vec<Report> {
    if let Some(r) = json.get("csp-report") {
        return vec![report(r, LEGACY)];
    }
    json.as_array()
        .map(|batch| {
            batch
                .iter()
                .filter(|r| r.get("type").and_then(Value::as_str) == Some("csp-violation"))
                .filter_map(|r| r.get("body"))
                .map(|b| report(b, REPORTING))
                .collect()
        })
        .unwrap_or_default()
}

/// The field names of one report format.
struct Names {
    directive: [&'static str; 2],
    blocked: &'static str,
    page: &'static str,
    source: &'static str,
    line: &'static str,
}

const LEGACY: Names = Names {
    directive: ["effective-directive", "violated-directive"],
    blocked: "blocked-uri",
    page: "document-uri",
    source: "source-file",
    line: "line-number",
};

const REPORTING: Names = Names {
    directive: ["effectiveDirective", "effectiveDirective"],
    blocked: "blockedURL",
    page: "documentURL",
    source: "sourceFile",
    line: "lineNumber",
};

fn report(r: &Value, n: Names) -> Report {
    let text = |k: &str| match r.get(k) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(x)) => x.to_string(),
        _ => String::new(),
    };
    let directive = n
        .directive
        .iter()
        .map(|k| text(k))
        .find(|d| !d.is_empty())
        .unwrap_or_default();
    // The violated directive of a `report-uri` report may carry its
    // sources (`script-src 'self' …`): its name is enough.
    let directive = directive
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_string();
    let line = text(n.line);
    let disposition = text("disposition");
    Report {
        directive: keyword(&directive),
        blocked: without_path(&text(n.blocked)),
        page: path_only(&text(n.page)),
        source: path_only(&text(n.source)),
        // What a browser sends, or nothing: the log holds no free text.
        line: match line.bytes().all(|b| b.is_ascii_digit()) && line.len() <= 9 {
            true => line,
            false => String::new(),
        },
        disposition: match disposition.as_str() {
            "enforce" | "report" => disposition,
            _ => String::new(),
        },
    }
}

/// A URL's path, without its query or fragment (a link page's query
/// holds the slug that opens the link).
fn path_only(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.find('/').map_or("", |i| &rest[i..]);
    path.split(['?', '#']).next().unwrap_or("").to_string()
}

/// A blocked resource as its origin (`https://x.example`, without any
/// user or password), its scheme alone for anything but http(s)
/// (`data:`, `blob:`), or the keyword the browser gives (`inline`,
/// `eval`, `trusted-types-sink`, `wasm-eval`).
fn without_path(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest))
            if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") =>
        {
            let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
            let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            format!("{}://{}", scheme.to_ascii_lowercase(), keyword_chars(host))
        }
        Some((scheme, _)) => format!("{}:", keyword(scheme)),
        None => keyword(url.split([':', '?', '#', ' ']).next().unwrap_or("")),
    }
}

/// A directive, scheme or keyword: letters, digits and `-` only, so no
/// free text reaches the log.
fn keyword(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

/// A host: what a host may hold (letters, digits, `.`, `-`, `:`, `[`,
/// `]`), nothing else.
fn keyword_chars(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(*c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_formats_are_read_and_cut_to_what_may_be_logged() {
        let legacy = json!({"csp-report": {
            "document-uri": "https://link.druo.com/connect/secure?sl=secret-slug",
            "violated-directive": "script-src-elem 'self' 'sha256-x'",
            "blocked-uri": "inline", "line-number": 12, "disposition": "enforce",
            "script-sample": "window.secret = 1"
        }});
        assert_eq!(
            read_reports(&legacy),
            vec![Report {
                directive: "script-src-elem".into(),
                blocked: "inline".into(),
                page: "/connect/secure".into(),
                source: String::new(),
                line: "12".into(),
                disposition: "enforce".into(),
            }]
        );
        let batch = json!([
            {"type": "csp-violation", "body": {
                "documentURL": "http://127.0.0.1:9/checkout/?sl=s#x",
                "effectiveDirective": "connect-src",
                "blockedURL": "https://evil.example/steal?n=4111111111",
                "sourceFile": "http://127.0.0.1:9/druo-link-0123.js?x", "lineNumber": 3,
                "disposition": "enforce", "sample": "4111111111"}},
            {"type": "deprecation", "body": {}}
        ]);
        let r = read_reports(&batch);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].blocked, "https://evil.example");
        assert_eq!(r[0].page, "/checkout/");
        assert_eq!(r[0].source, "/druo-link-0123.js");
        assert!(read_reports(&json!({"a": 1})).is_empty());
        // Free text in a field a browser fills with a number, a keyword or
        // a URL does not reach the log.
        let odd = json!({"csp-report": {
            "document-uri": "https://l.example/p?sl=s",
            "effective-directive": "script-src name=Ana Gómez",
            "blocked-uri": "https://ana:pw@evil.example:8443/x",
            "line-number": "4111 1111 1111 1111",
            "disposition": "Ana Gómez, CC 1020304050"
        }});
        let r = &read_reports(&odd)[0];
        assert_eq!(r.directive, "script-src");
        assert_eq!(r.blocked, "https://evil.example:8443");
        assert_eq!((r.line.as_str(), r.disposition.as_str()), ("", ""));
        let data = json!({"csp-report": {"blocked-uri": "data:text/html,<b>Ana</b>"}});
        assert_eq!(read_reports(&data)[0].blocked, "data");
    }

    #[test]
    fn a_client_gets_its_posts_a_minute_then_refills() {
        let ip = Some(IpAddr::from([192, 0, 2, 77]));
        let t0 = Instant::now();
        let taken = (0..100).filter(|_| take_token(ip, t0)).count();
        assert_eq!(taken, PER_MINUTE as usize);
        assert!(take_token(ip, t0 + std::time::Duration::from_secs(3)));
    }
}
