//! A few seconds of load in `cargo test`: 50 people at once, each doing
//! what the goose scenario of `scripts/reliability` does (load/): the
//! merchant creates their connect link, they open the page (HTML, the
//! link, the catalog), submit an account with an `Idempotency-Key` (one in
//! five sends it again), and one in three pays a checkout link. No answer
//! may be a 5xx or a refusal; every acknowledged account and payment must
//! be in the database exactly once and every replay must answer the same
//! bytes. This test proves correctness under concurrency only: the figures
//! in docs/reliability.md come from goose via scripts/reliability, not
//! from here (a debug build, client and server in one process).

mod common;

use common::{slug, T};
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const USERS: usize = 50;
const RUN: Duration = Duration::from_secs(3);
const DAVIVIENDA: &str = "ins_9082d56c-4e1d-4967-a828-b7001755e88e";
const TENANT: &str = "22637d15-5b37-4fb2-90e5-aa8751970469";

/// What one person was acknowledged.
#[derive(Default)]
struct Acked {
    /// (account uuid, end user uuid)
    accounts: Vec<(String, String)>,
    payments: Vec<String>,
    replays: usize,
}

/// One request; its status and body text. Any 5xx fails the test.
async fn call(
    http: &Client,
    t: &T,
    method: Method,
    url: &str,
    key: Option<&str>,
    body: Option<&Value>,
) -> (StatusCode, String) {
    let mut rb = http.request(method, url);
    if url.starts_with(&t.api) {
        rb = rb
            .bearer_auth(&t.token)
            .header("DRUO-Version", "2021-11-22");
    } else {
        rb = rb.header("Origin", &t.link);
    }
    if let Some(k) = key {
        rb = rb.header("Idempotency-Key", k);
    }
    if let Some(b) = body {
        rb = rb.json(b);
    }
    let res = rb.send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    assert!(!status.is_server_error(), "{status} from {url}: {text}");
    (status, text)
}

/// A write that must succeed; sent again with the same key when `retry`,
/// and the replay must answer the same status and bytes.
async fn write(
    http: &Client,
    t: &T,
    url: &str,
    key: &str,
    body: &Value,
    retry: bool,
    acked: &mut Acked,
) -> Value {
    let first = call(http, t, Method::POST, url, Some(key), Some(body)).await;
    assert!(first.0.is_success(), "{url}: {first:?}");
    if retry {
        let again = call(http, t, Method::POST, url, Some(key), Some(body)).await;
        assert_eq!(again, first, "the replay of {key} differs");
        acked.replays += 1;
    }
    serde_json::from_str(&first.1).unwrap()
}

async fn person(t: &T, http: &Client, n: usize, acked: &mut Acked) {
    let link = |p: &str| format!("{}{p}", t.link);
    let (s, v) = call(
        http,
        t,
        Method::POST,
        &format!("{}/connect/link/create", t.api),
        None,
        Some(&json!({
            "new_end_user_details": {"type": "INDIVIDUAL", "first_name": "Ana",
                "last_name": "Load",
                "email": format!("load{n}@example.co"), "local_id_country": "COL"},
            "intro_text": "Connect your account using DRUO to receive or make payments"
        })),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let v: Value = serde_json::from_str(&v).unwrap();
    let url = v["connect_link"]["url"].as_str().unwrap().to_string();
    let end_user = v["connect_link"]["end_user"]["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    let sl = slug(&v["connect_link"]["url"]);
    let api = link(&format!("/api/v1/connect-links/{sl}"));
    for u in [url, api.clone(), link("/api/v1/institutions")] {
        assert_eq!(call(http, t, Method::GET, &u, None, None).await.0, 200);
    }
    let account = json!({"institution_uuid": DAVIVIENDA, "type": "DEPOSITORY",
        "subtype": "SAVINGS", "account_number": format!("4{n:09}4"), "user_authorization": true});
    let a = write(
        http,
        t,
        &format!("{api}/accounts"),
        &format!("acct-{n}"),
        &account,
        n.is_multiple_of(5),
        acked,
    )
    .await;
    assert_eq!(a["current_status"], "CONNECTED", "{a}");
    let account_uuid = a["uuid"].as_str().unwrap().to_string();
    acked
        .accounts
        .push((account_uuid.clone(), end_user.clone()));
    if !n.is_multiple_of(3) {
        return;
    }
    let (s, v) = call(
        http,
        t,
        Method::POST,
        &format!("{}/checkout/link/create", t.api),
        None,
        Some(&json!({
            "existing_end_user_id": end_user, "link_name": "Order",
            "transaction": {"tenant_id": TENANT, "amount": 2000000}
        })),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let v: Value = serde_json::from_str(&v).unwrap();
    let url = v["checkout_link"]["url"].as_str().unwrap().to_string();
    let api = link(&format!(
        "/api/v1/checkout-links/{}",
        slug(&v["checkout_link"]["url"])
    ));
    for u in [url, api.clone(), format!("{api}/accounts")] {
        assert_eq!(call(http, t, Method::GET, &u, None, None).await.0, 200);
    }
    let p = write(
        http,
        t,
        &format!("{api}/pay"),
        &format!("pay-{n}"),
        &json!({"account_uuid": account_uuid, "user_authorization": true}),
        n.is_multiple_of(2),
        acked,
    )
    .await;
    // Paid from an account ending in 4: SUCCESSFUL.
    assert_eq!(p["status"], "SUCCESSFUL", "{p}");
    acked
        .payments
        .push(p["transaction_uuid"].as_str().unwrap().to_string());
}

#[tokio::test(flavor = "multi_thread")]
async fn fifty_people_for_three_seconds_lose_and_duplicate_nothing() {
    let t = Arc::new(T::unlimited().await.over_sockets());
    let next = Arc::new(AtomicUsize::new(0));
    let end = Instant::now() + RUN;
    let users: Vec<_> = (0..USERS)
        .map(|_| {
            let (t, next) = (t.clone(), next.clone());
            tokio::spawn(async move {
                let http = Client::new();
                let mut acked = Acked::default();
                while Instant::now() < end {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    person(&t, &http, n, &mut acked).await;
                }
                acked
            })
        })
        .collect();
    let mut all = Acked::default();
    for u in users {
        let a = u.await.unwrap();
        all.accounts.extend(a.accounts);
        all.payments.extend(a.payments);
        all.replays += a.replays;
    }
    eprintln!(
        "{} people: {} accounts, {} payments, {} replays",
        next.load(Ordering::Relaxed),
        all.accounts.len(),
        all.payments.len(),
        all.replays
    );
    assert!(all.accounts.len() >= USERS && !all.payments.is_empty() && all.replays > 0);
    let t = Arc::into_inner(t).unwrap();
    let (accounts, payments) = (all.accounts, all.payments);
    t.db(move |c| {
        let count = |sql: &str, arg: &str| -> i64 {
            c.query_row(sql, link_server::params![arg], |r| r.get(0))
                .unwrap()
        };
        for (uuid, end_user) in &accounts {
            assert_eq!(
                count("SELECT COUNT(*) FROM accounts WHERE uuid = ?1", uuid),
                1
            );
            assert_eq!(
                count(
                    "SELECT COUNT(*) FROM accounts WHERE end_user_uuid = ?1",
                    end_user
                ),
                1,
                "a second account for {end_user}"
            );
        }
        for uuid in &payments {
            assert_eq!(
                count(
                    "SELECT COUNT(*) FROM transactions WHERE uuid = ?1 AND status = 'SUCCESSFUL'",
                    uuid
                ),
                1,
                "payment {uuid}"
            );
        }
        let paid: i64 = c
            .query_row(
                "SELECT COUNT(*) FROM transactions t JOIN end_users e ON e.uuid =
                 (SELECT end_user_uuid FROM accounts WHERE uuid = t.account_uuid)
                 WHERE e.last_name = 'Load'",
                link_server::params![],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(paid as usize, payments.len(), "payments nobody was told of");
    });
    t.stop().await;
}
