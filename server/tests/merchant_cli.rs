//! `link-server merchant add|list|rotate`: a fresh service without the demo
//! seed gets its merchants from the command line, and the printed token
//! works on the merchant API at once.

mod common;

use common::binary::{printed_token, run};
use link_server::{start, Config};
use reqwest::StatusCode;

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

fn unseeded(dir: &std::path::Path) -> Config {
    Config {
        seed_demo: false,
        ..common::config(dir)
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn merchant_add_list_rotate_give_working_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = unseeded(dir.path());
    let db = cfg.db.clone();
    let srv = start(cfg).await.unwrap();
    let api = format!("http://{}", srv.api_addr);
    assert_eq!(list_status(&api, "nobody").await, StatusCode::UNAUTHORIZED);

    let token = printed_token(&run(&db, &["merchant", "add", "ACME SAS"]));
    assert_eq!(list_status(&api, &token).await, StatusCode::OK);

    // Only the hash is stored, and the list never shows a token.
    let stored: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT token_hash FROM merchants", [], |r| r.get(0))
        .unwrap();
    assert_ne!(stored, token);
    let list = run(&db, &["merchant", "list"]);
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(text.starts_with("ACME SAS\t20"), "{text}");
    assert!(!text.contains(&token));

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
    ] {
        let out = run(&db, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "no token printed on failure");
    }
}
