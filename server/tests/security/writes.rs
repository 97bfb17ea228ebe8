//! Public writes (account submits, refreshes, deposit codes, payments)
//! only from the link's own page, only as JSON, and rate-limited
//! (docs/security.md, "Public writes"): a write from another site, or one
//! that says nothing of where it comes from, is `403 CROSS_ORIGIN_WRITE`
//! and changes nothing; a form or text body is `415`; refreshes and codes
//! get `429` past their limits; both refusals are in the security log.

use crate::common::{self, writes, T};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

/// How a test request says where it comes from.
#[derive(Debug, Clone, Copy)]
enum From {
    /// `Origin` of the link's own origin (what a page's fetch sends).
    Page,
    /// `Sec-Fetch-Site: same-origin` alone.
    SameOriginFetch,
    /// `Origin: https://evil.example`.
    Evil,
    /// `Sec-Fetch-Site` with this value (and no `Origin`).
    Site(&'static str),
    /// Neither header (a script, not a browser).
    Nowhere,
}

/// What a POST answered: status, `Retry-After`, body.
struct Answer {
    status: StatusCode,
    retry_after: Option<String>,
    body: Value,
}

/// POSTs `body` (as `content_type`) to the public API path `path` from
/// `from`, with an `Idempotency-Key` each time.
async fn post(t: &T, path: &str, from: From, content_type: &str, body: &str) -> Answer {
    let mut rb = Client::new()
        .post(format!("{}/api/v1{path}", t.link))
        .header("Content-Type", content_type)
        .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
        .body(body.to_string());
    rb = match from {
        From::Page => rb.header("Origin", &t.link),
        From::SameOriginFetch => rb.header("Sec-Fetch-Site", "same-origin"),
        From::Evil => rb.header("Origin", "https://evil.example"),
        From::Site(site) => rb.header("Sec-Fetch-Site", site),
        From::Nowhere => rb,
    };
    let res = rb.send().await.unwrap();
    let status = res.status();
    let retry_after = res
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    let text = res.text().await.unwrap();
    Answer {
        status,
        retry_after,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
    }
}

/// POSTs JSON `body` from `from`.
async fn post_json(t: &T, path: &str, from: From, body: &Value) -> Answer {
    post(t, path, from, "application/json", &body.to_string()).await
}

/// A checkout link of the demo end user for 20 000 COP; its slug.
async fn checkout_slug(t: &T) -> String {
    let (s, v) = t
        .post(
            "/checkout/link/create",
            json!({"existing_end_user_id": writes::END_USER, "link_name": "Order #42",
                   "transaction": {"tenant_id": writes::TENANT, "amount": 2_000_000}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    common::slug(&v["checkout_link"]["url"])
}

/// How many accounts the service holds.
fn accounts(t: &T) -> i64 {
    t.db(|c| {
        c.query_row(
            "SELECT COUNT(*) FROM accounts",
            link_server::params![],
            |r| r.get(0),
        )
        .unwrap()
    })
}

/// The security log's lines with `"event": event`.
fn logged(t: &T, event: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(t.dir.path().join("security.log")).unwrap_or_default();
    text.lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["event"] == event)
        .collect()
}

/// Every public write route, with a body it would accept.
struct Routes {
    all: Vec<(&'static str, String, Value)>,
}

/// The routes of a connect link `sl` (its pending account `acc`) and a
/// checkout link `co` (its payer's account `paying`).
fn routes(sl: &str, acc: &str, co: &str, paying: &str) -> Routes {
    let submit = writes::account("1234567894");
    Routes {
        all: vec![
            (
                "connect submit",
                format!("/connect-links/{sl}/accounts"),
                submit.clone(),
            ),
            (
                "connect refresh",
                format!("/connect-links/{sl}/accounts/{acc}/refresh"),
                json!({}),
            ),
            (
                "connect code",
                format!("/connect-links/{sl}/accounts/{acc}/authenticate"),
                json!({"otp": "72"}),
            ),
            (
                "checkout submit",
                format!("/checkout-links/{co}/accounts"),
                submit,
            ),
            (
                "checkout refresh",
                format!("/checkout-links/{co}/accounts/{paying}/refresh"),
                json!({}),
            ),
            (
                "checkout code",
                format!("/checkout-links/{co}/accounts/{paying}/authenticate"),
                json!({"otp": "72"}),
            ),
            (
                "pay",
                format!("/checkout-links/{co}/pay"),
                json!({"account_uuid": paying, "user_authorization": true}),
            ),
        ],
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_write_from_another_site_or_from_nowhere_is_refused_and_changes_nothing() {
    let t = T::new().await;
    // A connect link holding an account that waits for its deposit code
    // (…3), and a checkout link whose payer has an account that pays (…94).
    let sl = common::slug(&t.connect_link(json!({})).await["url"]);
    let held = post_json(
        &t,
        &format!("/connect-links/{sl}/accounts"),
        From::Page,
        &writes::account("1234567893"),
    )
    .await;
    assert_eq!(held.status, StatusCode::CREATED, "{}", held.body);
    let acc = held.body["uuid"].as_str().unwrap().to_string();
    let co = checkout_slug(&t).await;
    let payer = post_json(
        &t,
        &format!("/checkout-links/{co}/accounts"),
        From::SameOriginFetch,
        &writes::account("1234567894"),
    )
    .await;
    assert_eq!(payer.status, StatusCode::CREATED, "{}", payer.body);
    let paying = payer.body["uuid"].as_str().unwrap().to_string();
    let before = accounts(&t);

    let elsewhere = [
        From::Evil,
        From::Site("cross-site"),
        From::Site("same-site"),
        From::Site("none"),
        From::Nowhere,
    ];
    for (name, path, body) in &routes(&sl, &acc, &co, &paying).all {
        for from in elsewhere {
            let a = post_json(&t, path, from, body).await;
            assert_eq!(
                (a.status, a.body["code"].as_str()),
                (StatusCode::FORBIDDEN, Some("CROSS_ORIGIN_WRITE")),
                "{name} from {from:?}: {}",
                a.body
            );
        }
    }

    // Nothing was made, paid or authenticated.
    assert_eq!(accounts(&t), before);
    assert_eq!(t.stored_account(&acc).0, "VERIFICATION_IN_PROGRESS");
    let (s, view) = t
        .public(
            reqwest::Method::GET,
            &format!("/checkout-links/{co}"),
            None,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(view["state"], "OPEN", "{view}");
    assert_eq!(view["outcome"], Value::Null, "{view}");

    // The same writes from the page pass.
    let code = post_json(
        &t,
        &format!("/connect-links/{sl}/accounts/{acc}/authenticate"),
        From::Page,
        &json!({"otp": "72"}),
    )
    .await;
    assert_eq!(code.status, StatusCode::OK, "{}", code.body);
    assert_eq!(code.body["current_status"], "CONNECTED");
    let paid = post_json(
        &t,
        &format!("/checkout-links/{co}/pay"),
        From::SameOriginFetch,
        &json!({"account_uuid": paying, "user_authorization": true}),
    )
    .await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.body);
    assert_eq!(paid.body["status"], "SUCCESSFUL");

    // Logged with the origin's host and the header's value only: no slug,
    // no account, no address.
    let refused = logged(&t, "origin_refused");
    assert_eq!(refused.len(), 7 * elsewhere.len(), "{refused:?}");
    let evil = refused
        .iter()
        .find(|l| l["path"] == "pay" && l["origin"] == "evil.example")
        .expect("an origin_refused line naming the host");
    assert_eq!(evil["sec_fetch_site"], "");
    assert!(refused
        .iter()
        .any(|l| l["path"] == "code" && l["sec_fetch_site"] == "cross-site"));
    let log = std::fs::read_to_string(t.dir.path().join("security.log")).unwrap();
    for secret in [sl.as_str(), co.as_str(), acc.as_str(), "127.0.0.1"] {
        assert!(!log.contains(secret), "{secret} in the security log");
    }
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn only_json_is_accepted() {
    let t = T::new().await;
    let sl = common::slug(&t.connect_link(json!({})).await["url"]);
    let co = checkout_slug(&t).await;
    let acc = "acc_00000000-0000-0000-0000-000000000000";
    let before = accounts(&t);
    let number = writes::account("1234567894").to_string();
    let form = "institution_uuid=x&account_number=1234567894";
    for (name, path, body) in &routes(&sl, acc, &co, acc).all {
        for (ct, sent) in [
            ("text/plain", body.to_string()),
            ("text/plain;charset=UTF-8", body.to_string()),
            ("application/x-www-form-urlencoded", form.to_string()),
            ("multipart/form-data; boundary=x", "--x--".to_string()),
            ("application/jsonp", body.to_string()),
        ] {
            let a = post(&t, path, From::Page, ct, &sent).await;
            assert_eq!(
                (a.status, a.body["code"].as_str()),
                (
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    Some("UNSUPPORTED_MEDIA_TYPE")
                ),
                "{name} as {ct}: {}",
                a.body
            );
        }
    }
    assert_eq!(accounts(&t), before);
    // JSON with parameters, in any case, passes.
    let a = post(
        &t,
        &format!("/connect-links/{sl}/accounts"),
        From::Page,
        "Application/JSON; charset=utf-8",
        &number,
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    t.stop().await;
}

/// Posts `body` to `path` from the page until it is refused with 429 (at
/// most 200 times): how many passed, and the refusal.
async fn until_429(t: &T, path: &str, body: &Value) -> (u32, Answer) {
    for passed in 0..200 {
        let a = post_json(t, path, From::Page, body).await;
        if a.status == StatusCode::TOO_MANY_REQUESTS {
            return (passed, a);
        }
        assert!(
            a.status.is_success() || a.status.is_client_error(),
            "{path}: {} {}",
            a.status,
            a.body
        );
    }
    panic!("{path}: never limited");
}

#[tokio::test(flavor = "multi_thread")]
async fn refreshes_and_codes_get_429_past_their_limits() {
    let t = T::new().await;
    // The live wait's refreshes: a page asks every 2 s (30 a minute); a
    // link takes 60 a minute.
    let sl = common::slug(&t.connect_link(json!({})).await["url"]);
    let waiting = post_json(
        &t,
        &format!("/connect-links/{sl}/accounts"),
        From::Page,
        &writes::account("1234567892"),
    )
    .await;
    assert_eq!(waiting.status, StatusCode::CREATED, "{}", waiting.body);
    let acc = waiting.body["uuid"].as_str().unwrap().to_string();
    let refresh = format!("/connect-links/{sl}/accounts/{acc}/refresh");
    let (passed, a) = until_429(&t, &refresh, &json!({})).await;
    // At least the limit (the bucket refills one a second while the
    // loop runs), and far fewer than a script would send.
    let limit = link_server::rate::REFRESH_LINK_PER_MINUTE;
    assert!((limit..limit + 10).contains(&passed), "{passed} refreshes");
    assert_eq!(a.body["code"], "RATE_LIMITED");
    assert_eq!(a.retry_after.as_deref(), Some("1"));

    // Deposit codes: the submits' 10 a minute per link, every post
    // charged (a code has no key to make a repeat free).
    let other = common::slug(&t.connect_link(json!({})).await["url"]);
    let deposit = post_json(
        &t,
        &format!("/connect-links/{other}/accounts"),
        From::Page,
        &writes::account("1234567893"),
    )
    .await;
    assert_eq!(deposit.status, StatusCode::CREATED, "{}", deposit.body);
    let code = format!(
        "/connect-links/{other}/accounts/{}/authenticate",
        deposit.body["uuid"].as_str().unwrap()
    );
    let (passed, a) = until_429(&t, &code, &json!({"otp": "11"})).await;
    // The submit on this link took a submit's token, not a code's.
    assert_eq!(passed, link_server::limits::LINK_WRITES_PER_MINUTE);
    let wait: u64 = a.retry_after.unwrap().parse().unwrap();
    assert!((1..=6).contains(&wait), "Retry-After {wait}");

    // Reads and the other link's refreshes still answer.
    let (s, _) = t
        .public(
            reqwest::Method::GET,
            &format!("/connect-links/{sl}/accounts/{acc}"),
            None,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);

    let limited = logged(&t, "rate_limited");
    let buckets: Vec<(&str, &str)> = limited
        .iter()
        .map(|l| (l["bucket"].as_str().unwrap(), l["path"].as_str().unwrap()))
        .collect();
    assert_eq!(
        buckets,
        [("refresh:link", "refresh"), ("code:link", "code")],
        "{limited:?}"
    );
    // The client is a keyed hash prefix, never its address.
    let client = limited[0]["client"].as_str().unwrap();
    assert_eq!(client.len(), 12);
    assert_eq!(limited[1]["client"], client, "one client, one name");
    let log = std::fs::read_to_string(t.dir.path().join("security.log")).unwrap();
    assert!(!log.contains("127.0.0.1"), "{log}");
    assert!(!log.contains(&sl), "{log}");
    t.stop().await;
}
