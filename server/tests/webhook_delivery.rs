//! Webhooks survive what the service survives (issue 26), with the real
//! binary: `kill -9` while the receiver is down loses no event of a change
//! the service acknowledged; `kill -9` in the middle of a delivery sends
//! it again once its lease runs out; and two instances on one PostgreSQL
//! database deliver each event once (that one runs under
//! `scripts/with-postgres`, and is skipped on SQLite).

mod common;

use common::binary::{run, signal, spawn, Running};
use common::receiver::{facts, Receiver};
use reqwest::Client;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::atomic::Ordering;
use std::time::Duration;

const TOKEN: &str = "webhook-test-token";
const DAVIVIENDA: &str = "ins_9082d56c-4e1d-4967-a828-b7001755e88e";

/// Fast retries and a short lease, loopback allowed.
/// Fast retries, loopback allowed, and a 2 s lease: the crash tests wait
/// for a dead process's lease to run out.
const FLAGS: &[&str] = &[
    "--dev-webhooks",
    "--webhook-backoff-base-ms",
    "100",
    "--webhook-lease-ms",
    "2000",
];

/// As [`FLAGS`], with a lease longer than a try can take (10 s), for the
/// count of deliveries on a loaded machine.
const LONG_LEASE: &[&str] = &[
    "--dev-webhooks",
    "--webhook-backoff-base-ms",
    "100",
    "--webhook-lease-ms",
    "15000",
];

async fn merchant(http: &Client, srv: &Running, path: &str, body: Value) -> Value {
    let r = http
        .post(format!("{}{path}", srv.api))
        .bearer_auth(TOKEN)
        .header("DRUO-Version", "2021-11-22")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
    r.json().await.unwrap()
}

/// A connect link for a new end user, connected with a …4 account: two
/// events (the account created, the link completed), acknowledged with
/// `201`. Returns the account's and the link's uuids.
async fn connected(http: &Client, srv: &Running, n: usize) -> (String, String) {
    let link = merchant(
        http,
        srv,
        "/connect/link/create",
        json!({"existing_end_user_id": null, "new_end_user_details": {"first_name": format!("Ana {n}")},
               "intro_text": "Connect your account using DRUO to receive or make payments"}),
    )
    .await;
    let sl = common::slug(&link["connect_link"]["url"]);
    let r = http
        .post(format!("{}/api/v1/connect-links/{sl}/accounts", srv.link))
        .header("Origin", &srv.link)
        .header("Idempotency-Key", format!("k{n}"))
        .json(
            &json!({"institution_uuid": DAVIVIENDA, "type": "DEPOSITORY", "subtype": "SAVINGS",
                      "account_number": "1234567894", "user_authorization": true}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::CREATED);
    let acc: Value = r.json().await.unwrap();
    (
        acc["uuid"].as_str().unwrap().to_string(),
        link["connect_link"]["uuid"].as_str().unwrap().to_string(),
    )
}

/// The `(type, object)` pairs `links` should cause.
fn expected(links: &[(String, String)]) -> BTreeSet<(String, String)> {
    links
        .iter()
        .flat_map(|(acc, clk)| {
            [
                ("account.status_changed".to_string(), acc.clone()),
                ("connect_link.completed".to_string(), clk.clone()),
            ]
        })
        .collect()
}

fn arrived(rx: &Receiver) -> BTreeSet<(String, String)> {
    facts(&rx.all())
        .into_iter()
        .map(|(t, o, _, _)| (t, o))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_while_the_receiver_is_down_loses_no_event() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("link.db");
    let (rx, url) = Receiver::start(&[]).await;
    rx.down.store(true, Ordering::SeqCst);
    let http = Client::new();
    let srv = spawn(dir.path(), &db, TOKEN, FLAGS);
    merchant(&http, &srv, "/webhooks/create", json!({ "url": url })).await;
    let mut links = Vec::new();
    for n in 0..5 {
        links.push(connected(&http, &srv, n).await);
    }
    // Some tries failed against the receiver; none delivered.
    tokio::time::sleep(Duration::from_millis(300)).await;
    signal(&srv.child, "-KILL");
    drop(srv);
    rx.down.store(false, Ordering::SeqCst);
    let _srv = spawn(dir.path(), &db, TOKEN, FLAGS);
    let want = expected(&links);
    rx.until("every acknowledged change's event", |_| {
        arrived(&rx) == want
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_in_the_middle_of_a_delivery_sends_it_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("link.db");
    let (rx, url) = Receiver::start(&[]).await;
    rx.hold.store(true, Ordering::SeqCst);
    let http = Client::new();
    let srv = spawn(dir.path(), &db, TOKEN, FLAGS);
    merchant(
        &http,
        &srv,
        "/webhooks/create",
        json!({ "url": url, "events": ["account.status_changed"] }),
    )
    .await;
    let (acc, _) = connected(&http, &srv, 0).await;
    // The post is in flight, held by the receiver: kill the sender.
    for _ in 0..200 {
        if rx.arrived() > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(rx.arrived(), 1, "the first try is held");
    signal(&srv.child, "-KILL");
    drop(srv);
    rx.hold.store(false, Ordering::SeqCst);
    let _srv = spawn(dir.path(), &db, TOKEN, FLAGS);
    rx.until("the event again, after the lease", |got| {
        facts(got)
            .iter()
            .any(|f| f.0 == "account.status_changed" && f.1 == acc)
    })
    .await;
    // Sent twice: the try the kill cut off, and again by the new process.
    let id = rx.delivered()[0].json()["id"].as_str().unwrap().to_string();
    assert!(rx.arrivals_of(&id) >= 2, "the same event again");
}

#[tokio::test(flavor = "multi_thread")]
async fn two_instances_deliver_each_event_once() {
    if common::skipped_without_postgres() {
        return;
    }
    let base = std::env::var("LINK_TEST_POSTGRES").unwrap();
    let url_db = common::fresh_postgres(&base);
    let dir = tempfile::tempdir().unwrap();
    let (rx, url) = Receiver::start(&[]).await;
    let http = Client::new();
    let a = spawn(&dir.path().join("a"), &url_db, TOKEN, LONG_LEASE);
    let b = spawn(&dir.path().join("b"), &url_db, TOKEN, LONG_LEASE);
    merchant(&http, &a, "/webhooks/create", json!({ "url": url })).await;
    let mut links = Vec::new();
    for n in 0..20 {
        links.push(connected(&http, [&a, &b][n % 2], n).await);
    }
    let want = expected(&links);
    rx.until("every event", |_| arrived(&rx) == want).await;
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let ids: Vec<String> = rx
        .delivered()
        .iter()
        .map(|g| g.json()["id"].as_str().unwrap().to_string())
        .collect();
    let distinct: BTreeSet<_> = ids.iter().collect();
    assert_eq!(ids.len(), distinct.len(), "an event delivered twice");
    assert_eq!(ids.len(), want.len());
}

/// `webhook add` registers an endpoint by the API's rules (https, or
/// loopback under `--dev-webhooks`) and prints its secret; `webhook list`
/// lists a merchant's endpoints without it.
#[test]
fn the_command_line_registers_and_lists_endpoints() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("link.db");
    assert!(run(&db, &["merchant", "add", "ACME SAS"]).status.success());
    let hook = "http://127.0.0.1:9000/hook";
    let refused = run(&db, &["webhook", "add", "ACME SAS", hook]);
    assert!(
        !refused.status.success(),
        "plain http without --dev-webhooks"
    );
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("https"),
        "{refused:?}"
    );
    let events = "account.status_changed,connect_link.opened";
    let added = run(
        &db,
        &[
            "--dev-webhooks",
            "webhook",
            "add",
            "ACME SAS",
            hook,
            "--events",
            events,
        ],
    );
    assert!(added.status.success(), "{added:?}");
    let out = String::from_utf8_lossy(&added.stdout).to_string();
    let uuid = out
        .lines()
        .find_map(|l| l.strip_prefix("webhook "))
        .unwrap()
        .to_string();
    let secret = out
        .lines()
        .find_map(|l| l.strip_prefix("secret "))
        .unwrap()
        .to_string();
    assert!(
        uuid.starts_with("whk_") && secret.starts_with("druo_whsec_"),
        "{out}"
    );
    let listed = run(&db, &["webhook", "list", "ACME SAS"]);
    let listed = String::from_utf8_lossy(&listed.stdout).to_string();
    assert_eq!(listed.trim(), format!("{uuid}\t{hook}\tenabled\t{events}"));
    assert!(!listed.contains(&secret));
    assert!(!run(&db, &["webhook", "list", "NOBODY"]).status.success());
}
