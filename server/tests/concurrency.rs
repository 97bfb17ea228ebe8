//! Truly concurrent submits: the same link submitted from several tabs at
//! once, with different `Idempotency-Key`s. Exactly one wins; the others
//! are told the link is completed (409, `LinkState::refusal`), and nothing
//! is created twice.

mod common;

use common::writes::{account, accounts_path, END_USER, TENANT};
use common::{slug, T};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::sync::Arc;

const ROUNDS: usize = 20;
const TABS: usize = 4;

/// No rate limit: these tests send many writes from one address.
async fn unlimited() -> Arc<T> {
    Arc::new(T::unlimited().await.over_sockets())
}

/// Sends `TABS` posts to `path` at once, tab `i` with key `k{i}` and body
/// `body(i)`; answers the statuses and codes.
async fn at_once(
    t: &Arc<T>,
    path: String,
    body: impl Fn(usize) -> Value,
) -> Vec<(StatusCode, Value)> {
    let tasks: Vec<_> = (0..TABS)
        .map(|i| {
            let (t, path, b) = (t.clone(), path.clone(), body(i));
            tokio::spawn(async move {
                let key = format!("k{i}");
                t.public(Method::POST, &path, Some(&key), Some(b)).await
            })
        })
        .collect();
    let mut out = Vec::new();
    for task in tasks {
        out.push(task.await.unwrap());
    }
    out
}

/// Exactly one `won` answer; every other one is 409 LINK_COMPLETED.
fn one_winner(answers: &[(StatusCode, Value)], won: StatusCode) {
    let winners = answers.iter().filter(|(s, _)| *s == won).count();
    assert_eq!(winners, 1, "{answers:?}");
    for (s, v) in answers.iter().filter(|(s, _)| *s != won) {
        assert_eq!(
            (*s, v["code"].as_str()),
            (StatusCode::CONFLICT, Some("LINK_COMPLETED"))
        );
    }
}

fn count(t: &T, sql: &str, arg: &str) -> i64 {
    t.db(|c| {
        c.query_row(sql, link_server::params![arg], |r| r.get(0))
            .unwrap()
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_connect_submits_make_exactly_one_account() {
    let t = unlimited().await;
    for round in 0..ROUNDS {
        let l = t.connect_link(json!({})).await;
        let sl = slug(&l["url"]);
        let path = accounts_path(&sl);
        // Sandbox last digit 4: each tab's account would connect at once.
        let answers = at_once(&t, path, |i| account(&format!("5{round:03}{i:03}4"))).await;
        one_winner(&answers, StatusCode::CREATED);
        let won = answers
            .iter()
            .find(|(s, _)| *s == StatusCode::CREATED)
            .unwrap();
        assert_eq!(won.1["current_status"], "CONNECTED", "round {round}");
        let uuid = l["uuid"].as_str().unwrap();
        let made = "SELECT COUNT(*) FROM accounts WHERE source_connect_link = ?1";
        assert_eq!(count(&t, made, uuid), 1, "round {round}");
        let view_path = format!("/connect-links/{sl}");
        let (_, view) = t.public(Method::GET, &view_path, None, None).await;
        assert_eq!(view["state"], "COMPLETED");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_pays_charge_exactly_once() {
    let t = unlimited().await;
    let mut account_uuid = Value::Null;
    for round in 0..ROUNDS {
        let body = json!({
            "existing_end_user_id": END_USER,
            "link_name": "Order",
            "transaction": {"tenant_id": TENANT, "amount": 2000000, "description": "Order"}
        });
        let (s, v) = t.post("/checkout/link/create", body).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let sl = slug(&v["checkout_link"]["url"]);
        if round == 0 {
            let path = format!("/checkout-links/{sl}/accounts");
            let (s, a) = t
                .public(Method::POST, &path, Some("a"), Some(account("12345674")))
                .await;
            assert_eq!(s, StatusCode::CREATED, "{a}");
            assert_eq!(a["current_status"], "CONNECTED", "{a}");
            account_uuid = a["uuid"].clone();
        }
        let pay = json!({"account_uuid": account_uuid, "user_authorization": true});
        let answers = at_once(&t, format!("/checkout-links/{sl}/pay"), |_| pay.clone()).await;
        one_winner(&answers, StatusCode::OK);
        let won = answers.iter().find(|(s, _)| *s == StatusCode::OK).unwrap();
        assert_eq!(won.1["status"], "SUCCESSFUL", "round {round}");
        let paid = "SELECT COUNT(*) FROM idempotency WHERE scope = 'pay:' || ?1";
        assert_eq!(count(&t, paid, &sl), 1, "round {round}");
    }
}
