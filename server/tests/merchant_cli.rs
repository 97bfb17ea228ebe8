//! `link-server merchant add|list|rotate` and `merchant tenant add`: a fresh
//! service without the demo seed gets its merchants from the command line,
//! and the printed token and tenant create checkout links at once.

mod common;

use common::binary::{printed_tenant, printed_token, run};
use link_server::{start, Config};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn list_status(api: &str, token: &str) -> StatusCode {
    reqwest::Client::new()
        .get(format!("{api}/connect/link/list"))
        .bearer_auth(token)
        .header("DRUO-Version", "2021-11-22")
        .send()
        .await
        .unwrap()
        .status()
}

/// Creates a checkout link for a new end user of tenant `tenant`.
async fn checkout_status(api: &str, token: &str, tenant: &str) -> (StatusCode, Value) {
    let body = json!({
        "existing_end_user_id": null, "new_end_user_details": {"first_name": "Ana"},
        "link_name": "Order #1",
        "transaction": {"tenant_id": tenant, "amount": 2000000, "description": "Order #1"}
    });
    let res = reqwest::Client::new()
        .post(format!("{api}/checkout/link/create"))
        .bearer_auth(token)
        .header("DRUO-Version", "2021-11-22")
        .json(&body)
        .send()
        .await
        .unwrap();
    (res.status(), res.json().await.unwrap())
}

fn unseeded(dir: &std::path::Path) -> Config {
    Config {
        seed_demo: false,
        client_render: false,
        ..common::config(dir)
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn merchant_add_list_rotate_give_working_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = unseeded(dir.path());
    let at = cfg.db.clone();
    let db = at.arg();
    let srv = start(cfg).await.unwrap();
    let api = format!("http://{}", srv.api_addr);
    assert_eq!(list_status(&api, "nobody").await, StatusCode::UNAUTHORIZED);

    let added = run(&db, &["merchant", "add", "ACME SAS"]);
    let (token, tenant) = (printed_token(&added), printed_tenant(&added));
    assert_eq!(list_status(&api, &token).await, StatusCode::OK);
    // The first tenant, printed beside the token, creates checkout links.
    let (s, v) = checkout_status(&api, &token, &tenant).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["checkout_link"]["url"].is_string(), "{v}");

    // Only the hash is stored, and the list never shows a token.
    let stored: String = link_server::store::db::Db::open(&at)
        .unwrap()
        .blocking(|c| {
            c.query_row(
                "SELECT token_hash FROM merchants",
                link_server::params![],
                |r| r.get(0),
            )
        })
        .unwrap();
    assert_ne!(stored, token);
    let list = run(&db, &["merchant", "list"]);
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(text.starts_with("ACME SAS\t20"), "{text}");
    assert!(text.trim_end().ends_with(&format!("\t{tenant}")), "{text}");
    assert!(!text.contains(&token));

    // Another tenant: listed after the first, and usable; another
    // merchant's tenant is not.
    let second = printed_tenant(&run(
        &db,
        &["merchant", "tenant", "add", "ACME SAS", "ACME Peru"],
    ));
    assert_ne!(second, tenant);
    let list = run(&db, &["merchant", "list"]);
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(text.contains(&format!("\t{tenant},{second}\n")), "{text}");
    assert_eq!(
        checkout_status(&api, &token, &second).await.0,
        StatusCode::OK
    );
    let other = printed_tenant(&run(&db, &["merchant", "add", "Other"]));
    let (s, v) = checkout_status(&api, &token, &other).await;
    assert!(s.is_client_error(), "{s} {v}");

    let rotated = printed_token(&run(&db, &["merchant", "rotate", "ACME SAS"]));
    assert_ne!(rotated, token);
    assert_eq!(list_status(&api, &token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(list_status(&api, &rotated).await, StatusCode::OK);
    srv.shutdown().await;
}

#[test]
fn adding_a_taken_name_or_rotating_an_unknown_one_fails_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("link.db");
    printed_token(&run(&db, &["merchant", "add", "ACME"]));
    for (args, says) in [
        (
            ["merchant", "add", "ACME"],
            "a merchant named `ACME` exists already",
        ),
        (["merchant", "rotate", "NOPE"], "no merchant named `NOPE`"),
        (["merchant", "add", "  "], "must not be empty"),
    ]
    .map(|(a, says)| (a.to_vec(), says))
    .into_iter()
    .chain([
        (
            vec!["merchant", "tenant", "add", "NOPE", "T"],
            "no merchant named `NOPE`",
        ),
        (
            vec!["merchant", "tenant", "add", "ACME", " "],
            "tenant name must not be empty",
        ),
    ]) {
        let out = run(&db, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(
            out.stdout.is_empty(),
            "no token or tenant printed on failure"
        );
    }
    // The refused `add` made no second tenant.
    let list = run(&db, &["merchant", "list"]);
    let text = String::from_utf8_lossy(&list.stdout);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(!text.contains(','), "{text}");
}
