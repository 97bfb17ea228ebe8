//! Webhooks (issue 26) against a real receiver on loopback: every event
//! type arrives once per change and verifies; a receiver that fails for a
//! while gets everything, one object's events in order; a redirect is not
//! followed; the delivery log and redelivery; endpoints the flags do not
//! allow are refused; and docs/api.md's verification snippets accept a
//! real delivery and refuse a forged body or an old `t`.

mod common;

use common::receiver::{facts, verifies, Got, Receiver};
use common::writes::{account, END_USER as EUR, TENANT};
use common::{slug, T};
use druo_core::webhook::{signature_header, signed_payload};
use link_server::ids::hmac_sha256_hex;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;

/// Registers an endpoint at `url` (every event unless `events`); its uuid
/// and secret.
async fn register(t: &T, url: &str, extra: Value) -> (String, String) {
    let mut body = json!({ "url": url });
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let (s, v) = t.post("/webhooks/create", body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let w = &v["webhook"];
    (
        w["uuid"].as_str().unwrap().to_string(),
        w["secret"].as_str().unwrap().to_string(),
    )
}

async fn connect_slug(t: &T) -> (String, String) {
    let l = t
        .connect_link(json!({"existing_end_user_id": null,
            "new_end_user_details": {"first_name": "Ana"}, "redirect_url": "https://shop.example/done"}))
        .await;
    (l["uuid"].as_str().unwrap().to_string(), slug(&l["url"]))
}

async fn submit(t: &T, path: &str, key: &str, number: &str) -> Value {
    let (s, v) = t
        .public(Method::POST, path, Some(key), Some(account(number)))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v
}

/// `(type, object, from, to)` of an expected event.
fn fact(
    kind: &str,
    object: &str,
    from: Option<&str>,
    to: &str,
) -> (String, String, Option<String>, String) {
    (
        kind.into(),
        object.into(),
        from.map(str::to_string),
        to.into(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn every_event_type_arrives_once_per_change_and_verifies() {
    let t = T::with_webhooks().await;
    let (rx, url) = Receiver::start(&[]).await;
    let (_, secret) = register(&t, &url, json!({"headers": {"X-Shop": "7"}})).await;
    let mut want = Vec::new();

    // A connect link opened, then completed with a connected account.
    let (clk, sl) = connect_slug(&t).await;
    t.public(Method::GET, &format!("/connect-links/{sl}"), None, None)
        .await;
    let acc = submit(
        &t,
        &format!("/connect-links/{sl}/accounts"),
        "k1",
        "1234567894",
    )
    .await;
    let acc = acc["uuid"].as_str().unwrap();
    want.push(fact("connect_link.opened", &clk, Some("CREATED"), "OPENED"));
    want.push(fact("account.status_changed", acc, None, "CONNECTED"));
    want.push(fact(
        "connect_link.completed",
        &clk,
        Some("OPENED"),
        "COMPLETED",
    ));

    // A pending account the institution approves: nobody reads it, the
    // sender's sweep stores the approval, and the held link completes.
    let (clk2, sl2) = connect_slug(&t).await;
    let pending = submit(
        &t,
        &format!("/connect-links/{sl2}/accounts"),
        "k2",
        "1234567892",
    )
    .await;
    let pending = pending["uuid"].as_str().unwrap().to_string();
    want.push(fact(
        "account.status_changed",
        &pending,
        None,
        "VERIFICATION_PENDING",
    ));
    t.let_the_institution_approve(&pending);
    want.push(fact(
        "account.status_changed",
        &pending,
        Some("VERIFICATION_PENDING"),
        "CONNECTED",
    ));
    want.push(fact(
        "connect_link.completed",
        &clk2,
        Some("CREATED"),
        "COMPLETED",
    ));

    // A link the merchant expires.
    let (clk3, sl3) = connect_slug(&t).await;
    let (s, _) = t
        .merchant(
            Method::PUT,
            &format!("/connect/link/{clk3}/expire"),
            &t.token.clone(),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    // Seen once expired: it was never used, so it is not opened.
    t.public(Method::GET, &format!("/connect-links/{sl3}"), None, None)
        .await;
    want.push(fact(
        "connect_link.expired",
        &clk3,
        Some("CREATED"),
        "EXPIRED",
    ));

    // A checkout: its payment created, the link opened, a new account,
    // paid.
    let body = json!({"existing_end_user_id": EUR, "link_name": "Order #42",
        "transaction": {"tenant_id": TENANT, "amount": 2000000, "description": "Policy renewal"}});
    let (_, v) = t.post("/checkout/link/create", body.clone()).await;
    let (chk, csl) = (
        v["checkout_link"]["uuid"].as_str().unwrap().to_string(),
        slug(&v["checkout_link"]["url"]),
    );
    let trx = v["checkout_link"]["transaction"]["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    want.push(fact("transaction.status_changed", &trx, None, "PENDING"));
    t.public(Method::GET, &format!("/checkout-links/{csl}"), None, None)
        .await;
    want.push(fact(
        "checkout_link.opened",
        &chk,
        Some("CREATED"),
        "OPENED",
    ));
    let payer = submit(
        &t,
        &format!("/checkout-links/{csl}/accounts"),
        "k3",
        "9876543214",
    )
    .await;
    want.push(fact(
        "account.status_changed",
        payer["uuid"].as_str().unwrap(),
        None,
        "CONNECTED",
    ));
    let r = t.checkout_page(&csl).paid("p1", &payer["uuid"]).await;
    assert_eq!(r["status"], "SUCCESSFUL", "{r}");
    want.push(fact(
        "transaction.status_changed",
        &trx,
        Some("PENDING"),
        "SUCCESSFUL",
    ));
    want.push(fact(
        "checkout_link.completed",
        &chk,
        Some("OPENED"),
        "COMPLETED",
    ));

    // A checkout link whose expiration passes on the clock.
    let (_, v) = t.post("/checkout/link/create", body).await;
    let (chk2, trx2) = (
        v["checkout_link"]["uuid"].as_str().unwrap().to_string(),
        v["checkout_link"]["transaction"]["uuid"]
            .as_str()
            .unwrap()
            .to_string(),
    );
    want.push(fact("transaction.status_changed", &trx2, None, "PENDING"));
    // Its expiration comes now (an expiry from before the endpoint
    // existed is not announced to it).
    let now = i64::try_from(std::time::UNIX_EPOCH.elapsed().unwrap().as_millis()).unwrap();
    t.db(|c| {
        c.execute(
            "UPDATE checkout_links SET expiration_ms = ?2 WHERE uuid = ?1",
            link_server::params![chk2.as_str(), now],
        )
        .unwrap()
    });
    want.push(fact(
        "checkout_link.expired",
        &chk2,
        Some("CREATED"),
        "EXPIRED",
    ));

    rx.until("every event", |got| facts(got).len() >= want.len())
        .await;
    // Nothing more comes: each change once.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let got = rx.all();
    let mut arrived = facts(&got);
    let mut expected = want.clone();
    arrived.sort();
    expected.sort();
    assert_eq!(arrived, expected);
    let mut ids: Vec<String> = got
        .iter()
        .map(|g| g.json()["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), got.len(), "each event once");
    for g in &got {
        assert!(verifies(g, &secret), "{}", g.signature);
        assert!(!verifies(g, "druo_whsec_another"), "another secret");
        assert_eq!(g.shop.as_deref(), Some("7"), "the endpoint's own header");
        let v = g.json();
        assert!(v["id"].as_str().unwrap().starts_with("evt_"));
        assert!(v["created"].as_str().unwrap().ends_with('Z'));
    }
    // `data` is the merchant API's object: an account event carries the
    // account as GET /accounts/{uuid} answers it.
    let one = got
        .iter()
        .map(Got::json)
        .find(|v| v["data"]["uuid"] == pending.as_str())
        .unwrap();
    let (_, read) = t.get(&format!("/accounts/{pending}")).await;
    assert_eq!(one["data"]["code"], read["account"]["code"]);
    assert_eq!(one["data"]["end_user"], read["account"]["end_user"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_receiver_that_fails_for_a_while_gets_everything_in_order() {
    let t = T::with_webhooks().await;
    // Down for five tries, then up.
    let (rx, url) = Receiver::start(&[503, 503, 500, 503, 503]).await;
    let (hook, secret) = register(&t, &url, json!({"events": ["account.status_changed"]})).await;
    let (_, sl) = connect_slug(&t).await;
    let pending = submit(
        &t,
        &format!("/connect-links/{sl}/accounts"),
        "k1",
        "1234567892",
    )
    .await;
    let pending = pending["uuid"].as_str().unwrap().to_string();
    t.let_the_institution_approve(&pending);
    let (_, sl2) = connect_slug(&t).await;
    let other = submit(
        &t,
        &format!("/connect-links/{sl2}/accounts"),
        "k2",
        "1234567894",
    )
    .await;

    rx.until("three events delivered", |got| facts(got).len() >= 3)
        .await;
    let got = rx.all();
    assert!(
        got.iter().filter(|g| g.answered >= 500).count() >= 5,
        "it failed first"
    );
    let arrived = facts(&got);
    // The pending account's two events in the order they happened.
    let mine: Vec<_> = arrived
        .iter()
        .filter(|f| f.1 == pending)
        .map(|f| f.3.as_str())
        .collect();
    assert_eq!(mine, ["VERIFICATION_PENDING", "CONNECTED"]);
    assert!(arrived
        .iter()
        .any(|f| f.1 == other["uuid"].as_str().unwrap()));
    assert!(rx.delivered().iter().all(|g| verifies(g, &secret)));
    // The log shows the retries, newest first.
    let (s, log) = t.get(&format!("/webhooks/{hook}/deliveries")).await;
    assert_eq!(s, StatusCode::OK, "{log}");
    let list = log["deliveries"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert!(list.iter().all(|d| d["state"] == "DELIVERED"));
    assert!(
        list.iter()
            .map(|d| d["attempts"].as_i64().unwrap())
            .sum::<i64>()
            >= 8,
        "{log}"
    );
    assert!(list[0]["id"].as_i64() > list[1]["id"].as_i64());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirect_is_not_followed_and_a_delivery_can_be_sent_again() {
    let t = T::with_webhooks().await;
    let (rx, url) = Receiver::start(&[302]).await;
    let (hook, _) = register(&t, &url, json!({})).await;
    let (_, sl) = connect_slug(&t).await;
    t.public(Method::GET, &format!("/connect-links/{sl}"), None, None)
        .await;
    rx.until("delivered after the redirect", |got| !facts(got).is_empty())
        .await;
    let got = rx.all();
    assert_eq!(got[0].answered, 302);
    assert!(
        got.iter().all(|g| !g.followed),
        "the Location was followed: {got:?}"
    );
    assert_eq!(got.len(), 2, "a retry, not the Location: {got:?}");
    let (_, log) = t.get(&format!("/webhooks/{hook}/deliveries")).await;
    let d = &log["deliveries"][0];
    assert_eq!(
        (
            d["state"].as_str(),
            d["attempts"].as_i64(),
            d["last_status"].as_i64()
        ),
        (Some("DELIVERED"), Some(2), Some(200))
    );

    let id = d["id"].as_i64().unwrap();
    let (s, v) = t
        .post(
            &format!("/webhooks/{hook}/deliveries/{id}/redeliver"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["delivery"]["state"], "PENDING");
    rx.until("sent again", |got| facts(got).len() == 2).await;
    let again = rx.delivered();
    assert_eq!(
        again[0].json()["id"],
        again[1].json()["id"],
        "the same event, for de-duplication"
    );
    // Another merchant sees none of it.
    let other = t.other_merchant();
    let (s, _) = t
        .get_as(&other, &format!("/webhooks/{hook}/deliveries"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread")]
async fn endpoints_are_listed_disabled_and_removed() {
    let t = T::with_webhooks().await;
    let (rx, url) = Receiver::start(&[]).await;
    let (hook, _) = register(
        &t,
        &url,
        json!({"description": "ERP", "events": ["connect_link.opened"]}),
    )
    .await;
    let (s, v) = t.get("/webhooks/list").await;
    assert_eq!(s, StatusCode::OK);
    let w = &v["webhooks"][0];
    assert_eq!(
        (w["uuid"].as_str(), w["enabled"].as_bool()),
        (Some(hook.as_str()), Some(true))
    );
    assert_eq!(w["events"], json!(["connect_link.opened"]));
    assert!(w.get("secret").is_none(), "a secret is answered once: {w}");

    // An event waits for a receiver that is down; then the endpoint is
    // disabled.
    rx.down.store(true, std::sync::atomic::Ordering::SeqCst);
    let (first, sl) = connect_slug(&t).await;
    t.public(Method::GET, &format!("/connect-links/{sl}"), None, None)
        .await;
    rx.until("a failed try", |got| !got.is_empty()).await;
    let put = |what: &'static str| {
        let path = format!("/webhooks/{hook}/{what}");
        let token = t.token.clone();
        let t = &t;
        async move { t.merchant(Method::PUT, &path, &token, None).await }
    };
    let (s, v) = put("disable").await;
    assert_eq!(
        (s, v["webhook"]["enabled"].as_bool()),
        (StatusCode::OK, Some(false))
    );
    // A try claimed before the disable may still land: let it, while the
    // receiver is still down, then bring the receiver up.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    rx.down.store(false, std::sync::atomic::Ordering::SeqCst);
    let tried = rx.all().len();
    let (second, sl) = connect_slug(&t).await;
    t.public(Method::GET, &format!("/connect-links/{sl}"), None, None)
        .await;
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert_eq!(rx.all().len(), tried, "a disabled endpoint gets nothing");
    // Enabled again: what waited goes out; what happened meanwhile never
    // was its event.
    let (s, _) = put("enable").await;
    assert_eq!(s, StatusCode::OK);
    rx.until("the waiting event", |got| !facts(got).is_empty())
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let objects: Vec<String> = facts(&rx.all()).into_iter().map(|f| f.1).collect();
    assert_eq!(objects, [first]);
    assert!(!objects.contains(&second));

    let (s, v) = t
        .merchant(
            Method::DELETE,
            &format!("/webhooks/{hook}"),
            &t.token.clone(),
            None,
        )
        .await;
    assert_eq!(
        (s, v["webhook"]["deleted"].as_bool()),
        (StatusCode::OK, Some(true))
    );
    let (s, _) = t.get(&format!("/webhooks/{hook}/deliveries")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread")]
async fn endpoints_the_flags_do_not_allow_are_refused() {
    let t = T::new().await;
    for url in [
        "http://127.0.0.1:9000/hook",
        "http://hooks.example.com/hook",
        "https://127.0.0.1/hook",
        "https://10.0.0.8/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::ffff:192.168.1.1]/hook",
        "https://localhost/hook",
        "https://2130706433/hook",
        "https://127.1/hook",
        "javascript:alert(1)",
    ] {
        let (s, v) = t.post("/webhooks/create", json!({ "url": url })).await;
        assert_eq!(
            (s, v["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some("url")),
            "{url}: {v}"
        );
    }
    let (s, v) = t
        .post(
            "/webhooks/create",
            json!({"url": "https://hooks.example.com/druo",
        "headers": {"Host": "evil.example"}}),
        )
        .await;
    assert_eq!(
        (s, v["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("headers")),
        "{v}"
    );
    let (s, v) = t
        .post(
            "/webhooks/create",
            json!({"url": "https://hooks.example.com/druo",
        "secret": "whsec_chosen_by_the_merchant"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["webhook"]["secret"], "whsec_chosen_by_the_merchant");
}

/// docs/api.md's webhook snippets' verdicts on a delivery (`header`,
/// `body`) under `secret`.
fn verdicts(
    dir: &std::path::Path,
    header: &str,
    body: &[u8],
    secret: &str,
) -> Vec<(&'static str, bool)> {
    let body_file = dir.join("body.json");
    std::fs::write(&body_file, body).unwrap();
    let body_file = body_file.to_string_lossy().to_string();
    let env = [
        ("SECRET", secret),
        ("HEADER", header),
        ("BODY_FILE", body_file.as_str()),
    ];
    common::snippets::verdicts(dir, "webhook", &env)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_documented_check_accepts_a_delivery_and_refuses_forgeries() {
    let t = T::with_webhooks().await;
    let (rx, url) = Receiver::start(&[]).await;
    let (_, secret) = register(&t, &url, json!({})).await;
    let (_, sl) = connect_slug(&t).await;
    t.public(Method::GET, &format!("/connect-links/{sl}"), None, None)
        .await;
    rx.until("one delivery", |got| !got.is_empty()).await;
    let g = rx.all().remove(0);
    let dir = tempfile::tempdir().unwrap();
    let all = |header: &str, body: &[u8], secret: &str| verdicts(dir.path(), header, body, secret);
    for (lang, ok) in all(&g.signature, &g.body, &secret) {
        assert!(ok, "{lang} accepts a real delivery: {}", g.signature);
    }
    let mut forged = g.body.clone();
    forged.extend_from_slice(b" ");
    let old_t = i64::try_from(std::time::UNIX_EPOCH.elapsed().unwrap().as_secs()).unwrap() - 3_600;
    // A header of this moment with its `v1` left out.
    let no_v1 = format!("t={}", old_t + 3_600);
    let old = signature_header(
        old_t,
        &hmac_sha256_hex(secret.as_bytes(), &signed_payload(old_t, &g.body)),
    );
    for (what, header, body, key) in [
        (
            "a forged body",
            g.signature.as_str(),
            forged.as_slice(),
            secret.as_str(),
        ),
        ("an old t", old.as_str(), g.body.as_slice(), secret.as_str()),
        (
            "another secret",
            g.signature.as_str(),
            g.body.as_slice(),
            "druo_whsec_another",
        ),
        ("no v1", no_v1.as_str(), g.body.as_slice(), secret.as_str()),
    ] {
        for (lang, ok) in all(header, body, key) {
            assert!(!ok, "{lang} refuses {what}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_link_held_for_a_pending_account_expires_only_once_the_account_fails() {
    let t = T::with_webhooks().await;
    let (rx, url) = Receiver::start(&[]).await;
    register(&t, &url, json!({"events": ["connect_link.expired"]})).await;
    let (clk, sl) = connect_slug(&t).await;
    // …3: the deposit code; the link is held for the account meanwhile.
    let acc = submit(
        &t,
        &format!("/connect-links/{sl}/accounts"),
        "k1",
        "1234567893",
    )
    .await;
    let acc = acc["uuid"].as_str().unwrap().to_string();
    let (s, _) = t
        .merchant(
            Method::PUT,
            &format!("/connect/link/{clk}/expire"),
            &t.token.clone(),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    assert!(rx.all().is_empty(), "held: being used, not expired unused");
    // Three wrong codes end the account: now the link expired unused.
    let code = format!("/connect-links/{sl}/accounts/{acc}/authenticate");
    for _ in 0..3 {
        t.public(Method::POST, &code, None, Some(json!({"otp": "11"})))
            .await;
    }
    rx.until("the expiry, once the account failed", |got| {
        facts(got)
            .iter()
            .any(|f| f.0 == "connect_link.expired" && f.1 == clk)
    })
    .await;
}
