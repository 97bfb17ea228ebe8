//! `link-server merchant add|list|rotate` and `merchant tenant add`: a fresh
//! service without the demo seed gets its merchants from the command line,
//! and the printed token and tenant create checkout links at once.

mod common;

use common::binary::{printed_tenant, printed_token, run};
use common::writes::{list_status, merchant_request};
use link_server::{start, Config};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Creates a checkout link for a new end user of tenant `tenant`.
async fn checkout_status(api: &str, token: &str, tenant: &str) -> (StatusCode, Value) {
    let body = json!({
        "existing_end_user_id": null, "new_end_user_details": {"first_name": "Ana"},
        "link_name": "Order #1",
        "transaction": {"tenant_id": tenant, "amount": 2000000, "description": "Order #1"}
    });
    let url = format!("{api}/checkout/link/create");
    let res = merchant_request(&reqwest::Client::new(), Method::POST, &url, token)
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

/// The fields of merchant `name`'s line of `merchant list`: name, added,
/// last used, old token until, old token last used, tenants.
fn listed(db: &str, log: &str, name: &str) -> Vec<String> {
    let out = run(db, &["--security-log", log, "merchant", "list"]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = text
        .lines()
        .find(|l| l.split('\t').next() == Some(name))
        .unwrap_or_else(|| panic!("{name} not in {text}"));
    let fields: Vec<String> = line.split('\t').map(str::to_string).collect();
    assert_eq!(fields.len(), 6, "{line}");
    fields
}

/// Whether `text` is an ISO-8601 UTC time as the list prints it.
fn is_time(text: &str) -> bool {
    druo_core::time::parse_iso8601(text).is_some() && text.ends_with('Z')
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rotated_token_works_for_its_grace_and_each_tokens_last_use_is_listed() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = unseeded(dir.path());
    let at = cfg.db.clone();
    let db = at.arg();
    let log_path = cfg.security_log.clone().unwrap();
    let log = log_path.to_str().unwrap().to_string();
    let srv = start(cfg).await.unwrap();
    let api = format!("http://{}", srv.api_addr);
    let with_log = |args: &[&str]| {
        let mut all = vec!["--security-log", log.as_str()];
        all.extend_from_slice(args);
        run(&db, &all)
    };

    let first = printed_token(&with_log(&["merchant", "add", "ACME SAS"]));
    let fields = listed(&db, &log, "ACME SAS");
    assert!(is_time(&fields[1]), "{fields:?}");
    assert_eq!(fields[2..5], ["never", "-", "-"], "{fields:?}");

    // A use is listed (recorded without the request waiting for it).
    assert_eq!(list_status(&api, &first).await, StatusCode::OK);
    let used = wait_for_a_use(&db, &log, 2).await;
    assert!(is_time(&used), "{used}");

    // Rotated with an hour's grace: both tokens work; the list says until
    // when the old one does, and keeps its last use apart.
    let out = with_log(&["merchant", "rotate", "ACME SAS", "--grace", "1h"]);
    let second = printed_token(&out);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("the old token works until 20"),
        "{out:?}"
    );
    assert_eq!(list_status(&api, &first).await, StatusCode::OK);
    assert_eq!(list_status(&api, &second).await, StatusCode::OK);
    let fields = listed(&db, &log, "ACME SAS");
    assert!(is_time(&fields[3]), "{fields:?}");
    assert_eq!(fields[4], used, "{fields:?}");
    let until = druo_core::time::parse_iso8601(&fields[3]).unwrap();
    let left = until - link_server::clock::now_ms();
    assert!(left > 50 * 60_000 && left <= 3_600_000, "{fields:?}");
    assert!(is_time(&wait_for_a_use(&db, &log, 2).await));

    // Once the grace has passed, the old token fails and is not listed.
    let store = link_server::store::db::Db::open(&at).unwrap();
    store
        .blocking(|c| {
            c.execute(
                "UPDATE merchants SET previous_token_until_ms = ?1 WHERE business_name = ?2",
                link_server::params![link_server::clock::now_ms() - 1, "ACME SAS"],
            )
        })
        .unwrap();
    assert_eq!(list_status(&api, &first).await, StatusCode::UNAUTHORIZED);
    assert_eq!(list_status(&api, &second).await, StatusCode::OK);
    assert_eq!(listed(&db, &log, "ACME SAS")[3..5], ["-", "-"]);

    // A second rotation replaces the first one's grace; one without grace
    // ends every earlier token at once.
    let third = printed_token(&with_log(&[
        "merchant", "rotate", "ACME SAS", "--grace", "30m",
    ]));
    assert_eq!(list_status(&api, &second).await, StatusCode::OK);
    let fourth = printed_token(&with_log(&["merchant", "rotate", "ACME SAS"]));
    for old in [&first, &second, &third] {
        assert_eq!(list_status(&api, old).await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(list_status(&api, &fourth).await, StatusCode::OK);
    srv.shutdown().await;

    // The security log names the merchant and the grace, never a token.
    let text = std::fs::read_to_string(&log_path).unwrap();
    let events: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let of = |event: &str| -> Vec<&serde_json::Value> {
        events.iter().filter(|e| e["event"] == event).collect()
    };
    let added = of("merchant_added");
    assert_eq!(added.len(), 1, "{text}");
    assert_eq!(added[0]["merchant"], "ACME SAS");
    let rotated: Vec<&str> = of("token_rotated")
        .iter()
        .map(|e| {
            assert_eq!(e["merchant"], "ACME SAS");
            e["grace"].as_str().unwrap()
        })
        .collect();
    assert_eq!(rotated, ["3600s", "1800s", "none"], "{text}");
    assert!(!of("auth_failed").is_empty(), "{text}");
    for token in [&first, &second, &third, &fourth] {
        assert!(!text.contains(token.as_str()), "a token in the log: {text}");
    }
}

/// Waits until `merchant list` shows a use in field `field` (2: the
/// token, 4: the old token) and returns it.
async fn wait_for_a_use(db: &str, log: &str, field: usize) -> String {
    for _ in 0..100 {
        let fields = listed(db, log, "ACME SAS");
        if fields[field] != "never" {
            return fields[field].clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no use listed in 5 s");
}

#[test]
fn a_grace_over_seven_days_or_not_a_duration_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("link.db");
    let token = printed_token(&run(&db, &["merchant", "add", "ACME"]));
    for (grace, says) in [("8d", "at most 7 days"), ("1w", "not a grace period")] {
        let out = run(&db, &["merchant", "rotate", "ACME", "--grace", grace]);
        assert!(!out.status.success(), "{grace}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{grace}: {err}");
        assert!(out.stdout.is_empty(), "{grace}");
    }
    // Nothing changed: the token is still the only one.
    let stored: (String, Option<String>) =
        link_server::store::db::Db::open(&link_server::store::db::Location::Sqlite(db.clone()))
            .unwrap()
            .blocking(|c| {
                c.query_row(
                    "SELECT token_hash, previous_token_hash FROM merchants",
                    link_server::params![],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
            })
            .unwrap();
    assert_eq!(stored.0, link_server::ids::sha256_hex(token.as_bytes()));
    assert_eq!(stored.1, None);
}

/// `link-server catalog` prints the pages' words as the e2e suites read
/// them (tests/e2e/words.mjs): every catalog, every message, both languages,
/// and it needs no database.
#[test]
fn catalog_prints_every_message_in_both_languages_as_json() {
    use druo_core::i18n::{Msg, PreviewMsg, StudioMsg};
    use druo_core::Lang;
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_link-server"))
        .current_dir(dir.path())
        .arg("catalog")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["Msg"]["PaidTitle"]["es_CO"],
        Msg::PaidTitle.text(Lang::EsCo)
    );
    assert_eq!(
        json["StudioMsg"]["StudioPanel"]["en_US"],
        StudioMsg::StudioPanel.text(Lang::EnUs)
    );
    let counts = ["Msg", "StudioMsg", "PreviewMsg"].map(|c| json[c].as_object().map(|o| o.len()));
    assert_eq!(
        counts,
        [Msg::ALL.len(), StudioMsg::ALL.len(), PreviewMsg::ALL.len()].map(Some)
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no database made"
    );
}
