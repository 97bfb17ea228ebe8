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
use common::writes::{account, new_link, submit, Acked, ORPHANS, TOKEN, UNLIMITED};
use rand::Rng;
use reqwest::Client;
use std::path::Path;
use std::time::Duration;

/// Submits to new links until an error (the kill); records each 2xx.
async fn writer(srv: &Running, round: usize, acked: &mut Vec<Acked>) {
    let http = Client::new();
    for i in 0.. {
        let Ok(link) = new_link(&http, &srv.api).await else {
            return;
        };
        let key = format!("r{round}-k{i}");
        let body = account(&format!("7{round:03}{i:04}4"));
        match submit(&http, &srv.link, &link.slug, &key, &body).await {
            Ok(answer) => {
                assert!(
                    !answer.status.is_server_error(),
                    "{} {}",
                    answer.status,
                    answer.body
                );
                if answer.status.is_success() {
                    acked.push(Acked {
                        link,
                        key,
                        body,
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
    let orphans: i64 = c.query_row(ORPHANS, [], |r| r.get(0)).unwrap();
    assert_eq!(orphans, 0, "COMPLETED links without their account");
}

/// Every acknowledged submit replays to the same status and bytes.
async fn replays(srv: &Running, acked: &[Acked]) {
    let http = Client::new();
    for a in acked {
        a.replays(&http, &srv.link).await;
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
                    let Ok(made) = new_link(&http, &api).await else {
                        break;
                    };
                    let body = account(&format!("8{w:02}{i:04}4"));
                    match submit(&http, &link, &made.slug, &format!("w{w}-{i}"), &body).await {
                        Ok(a) => answers.push(a.status),
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
