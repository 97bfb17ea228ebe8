//! Crashes and restarts of the real binary: a writer loop of connect
//! submits is cut by `kill -9` at random moments, and after each restart
//! every acknowledged submit is in the database, its replay answers the
//! same bytes, no link is COMPLETED without its account, and
//! `PRAGMA integrity_check` is ok. Also: SIGTERM under load answers
//! in-flight requests, never with a 5xx.
//!
//! `CRASH_KILLS` raises the number of kills (scripts/reliability runs 20+).

mod common;

use common::binary::{signal, spawn, Running};
use rand::Rng;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::path::Path;
use std::time::Duration;

const TOKEN: &str = "crash-test-token";
const DAVIVIENDA: &str = "ins_9082d56c-4e1d-4967-a828-b7001755e88e";
const UNLIMITED: &[&str] = &[
    "--link-writes-per-minute",
    "0",
    "--client-writes-per-minute",
    "0",
];

/// An acknowledged submit: where, with which key and body, and its answer.
struct Acked {
    slug: String,
    key: String,
    body: Value,
    status: StatusCode,
    answer: String,
}

async fn new_link(http: &Client, api: &str) -> Result<String, reqwest::Error> {
    let v: Value = http
        .post(format!("{api}/connect/link/create"))
        .bearer_auth(TOKEN)
        .header("DRUO-Version", "2021-11-22")
        .json(
            &json!({"existing_end_user_id": "eur_868d99a5-6578-40cf-8aec-e7a48085fa37",
                      "intro_text": "Connect your account using DRUO to receive or make payments"}),
        )
        .send()
        .await?
        .json()
        .await?;
    assert!(v["connect_link"]["url"].is_string(), "{v}");
    Ok(common::slug(&v["connect_link"]["url"]))
}

async fn submit(
    http: &Client,
    link: &str,
    slug: &str,
    key: &str,
    body: &Value,
) -> reqwest::Result<(StatusCode, String)> {
    let r = http
        .post(format!("{link}/api/v1/connect-links/{slug}/accounts"))
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await?;
    Ok((r.status(), r.text().await?))
}

/// Submits to new links until an error (the kill); records each 2xx.
async fn writer(srv: &Running, round: usize, acked: &mut Vec<Acked>) {
    let http = Client::new();
    for i in 0.. {
        let Ok(slug) = new_link(&http, &srv.api).await else {
            return;
        };
        let key = format!("r{round}-k{i}");
        let body = json!({"institution_uuid": DAVIVIENDA, "type": "DEPOSITORY", "subtype": "SAVINGS",
                          "account_number": format!("7{round:03}{i:04}4"), "user_authorization": true});
        match submit(&http, &srv.link, &slug, &key, &body).await {
            Ok((status, answer)) => {
                assert!(!status.is_server_error(), "{status} {answer}");
                if status.is_success() {
                    acked.push(Acked {
                        slug,
                        key,
                        body,
                        status,
                        answer,
                    });
                }
            }
            Err(_) => return,
        }
    }
}

fn check_database(db: &Path) {
    let c = rusqlite::Connection::open(db).unwrap();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let orphans: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM connect_links WHERE delivery_status = 'COMPLETED'
             AND (account_uuid IS NULL OR account_uuid NOT IN (SELECT uuid FROM accounts))",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0, "COMPLETED links without their account");
}

/// Every acknowledged submit replays to the same status and bytes.
async fn replays(srv: &Running, acked: &[Acked]) {
    let http = Client::new();
    for a in acked {
        let (status, answer) = submit(&http, &srv.link, &a.slug, &a.key, &a.body)
            .await
            .unwrap();
        assert_eq!(
            (status, &answer),
            (a.status, &a.answer),
            "replay of {}",
            a.key
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_at_random_moments_loses_no_acknowledged_submit() {
    let kills: usize = std::env::var("CRASH_KILLS")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(3);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("link.db");
    let mut acked = Vec::new();
    for round in 0..kills {
        let mut srv = spawn(dir.path(), &db, TOKEN, UNLIMITED);
        replays(&srv, &acked).await;
        let wait = Duration::from_millis(rand::thread_rng().gen_range(100..600));
        let before = acked.len();
        tokio::select! {
            () = writer(&srv, round, &mut acked) => panic!("the writer stopped before the kill"),
            () = tokio::time::sleep(wait) => {}
        }
        srv.child.kill().unwrap();
        srv.child.wait().unwrap();
        eprintln!(
            "kill {round}: after {wait:?}, {} acknowledged",
            acked.len() - before
        );
        check_database(&db);
    }
    let srv = spawn(dir.path(), &db, TOKEN, UNLIMITED);
    replays(&srv, &acked).await;
    assert!(!acked.is_empty());
    signal(&srv.child, "-KILL");
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_under_load_answers_in_flight_requests_without_5xx() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("link.db");
    let mut srv = spawn(dir.path(), &db, TOKEN, UNLIMITED);
    let (api, link) = (srv.api.clone(), srv.link.clone());
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let (api, link) = (api.clone(), link.clone());
            tokio::spawn(async move {
                let http = Client::new();
                let mut answers = Vec::new();
                for i in 0..200 {
                    let Ok(slug) = new_link(&http, &api).await else {
                        break;
                    };
                    let body = json!({"institution_uuid": DAVIVIENDA, "type": "DEPOSITORY",
                        "subtype": "SAVINGS", "account_number": format!("8{w:02}{i:04}4"),
                        "user_authorization": true});
                    match submit(&http, &link, &slug, &format!("w{w}-{i}"), &body).await {
                        Ok((s, _)) => answers.push(s),
                        Err(_) => break,
                    }
                }
                answers
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    signal(&srv.child, "-TERM");
    let mut answered = 0;
    for w in writers {
        for s in w.await.unwrap() {
            assert!(!s.is_server_error(), "{s}");
            answered += 1;
        }
    }
    let status = srv.child.wait().unwrap();
    assert!(status.success(), "{status}");
    assert!(answered > 0);
    check_database(&db);
}
