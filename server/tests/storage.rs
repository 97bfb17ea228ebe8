//! The database as an operator meets it: every released SQLite schema
//! migrates to this binary's, with its data; a schema newer than the
//! binary is refused (both engines); files are private; an old database's
//! keys move out to the key file without changing a stored fingerprint;
//! PostgreSQL needs shared keys; instances starting at once on one
//! database migrate and seed once; old idempotency answers are pruned;
//! the probes answer; `link-server backup` copies a live database.

mod common;

use common::T;
use link_server::store::db::{migrate_sqlite_to, Db, Location, SCHEMA_VERSION};
use link_server::store::error::StoreError;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

const EUR: &str = "eur_868d99a5-6578-40cf-8aec-e7a48085fa37";
const DAVIVIENDA: &str = "ins_9082d56c-4e1d-4967-a828-b7001755e88e";

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Rows as schema 1 stored them: an account the merchant API validated
/// (`VERIFIED` then), and a payment of 200 whole pesos (`COMPLETED`).
fn version_1_rows(c: &rusqlite::Connection) {
    c.execute_batch(
        "INSERT INTO merchants (id, business_name, token_hash, created_ms) VALUES (1, 'OLD', 'h', 0);
         INSERT INTO tenants (uuid, merchant_id, name) VALUES ('ten_1', 1, 'OLD');
         INSERT INTO institutions (uuid, name, kind, subtypes, popularity) VALUES ('ins_1', 'Bank', 'BANK', '[]', 1);
         INSERT INTO end_users (uuid, merchant_id, code, type, creation_source, created_ms, updated_ms)
             VALUES ('eur_1', 1, 'EU1', 'INDIVIDUAL', 'MERCHANT_API', 0, 0);
         INSERT INTO accounts (uuid, merchant_id, code, end_user_uuid, institution_uuid, current_status,
             requires_account_validation, last_4, type, subtype, creation_source, created_ms, updated_ms)
             VALUES ('acc_1', 1, 'A1', 'eur_1', 'ins_1', 'VERIFIED', 0, '1234', 'DEPOSITORY', 'SAVINGS',
                     'MERCHANT_API', 0, 0);
         INSERT INTO transactions (uuid, merchant_id, code, tenant_uuid, status, amount, currency,
             auto_send_receipt, created_ms, updated_ms)
             VALUES ('trx_1', 1, 'T1', 'ten_1', 'COMPLETED', 200, 'COP', 0, 0, 0);",
    )
    .unwrap();
}

#[test]
fn every_released_sqlite_schema_migrates_with_its_data() {
    for released in 0..SCHEMA_VERSION {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("link.db");
        {
            let mut c = rusqlite::Connection::open(&path).unwrap();
            if released > 0 {
                migrate_sqlite_to(&mut c, 1).unwrap();
                version_1_rows(&c);
                migrate_sqlite_to(&mut c, released).unwrap();
            }
            let v: i64 = c
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .unwrap();
            assert_eq!(v, released);
        }
        let db = Db::open(&Location::Sqlite(path.clone())).unwrap();
        drop(db);
        let c = rusqlite::Connection::open(&path).unwrap();
        let v: i64 = c
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION, "from {released}");
        let index: i64 = c
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('checkout_links_list', 'rate_buckets', 'rate_charges')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(index, 3, "from {released}");
        if released > 0 {
            let (status, amount, paid): (String, i64, String) = c
                .query_row(
                    "SELECT a.current_status, t.amount, t.status FROM accounts a, transactions t",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .unwrap();
            assert_eq!(
                (status.as_str(), amount, paid.as_str()),
                ("VALIDATED", 20_000, "SUCCESSFUL"),
                "from {released}"
            );
        }
    }
}

/// Sets the stored schema version of the database at `at` to `v`.
fn set_version(at: &Location, v: i64) {
    match at {
        Location::Sqlite(p) => {
            let c = rusqlite::Connection::open(p).unwrap();
            c.pragma_update(None, "user_version", v).unwrap();
        }
        Location::Postgres(url) => common::with_postgres(url, move |c| {
            c.execute("UPDATE schema_version SET version = $1", &[&v])
                .unwrap();
        }),
    }
}

#[test]
fn a_schema_newer_than_the_binary_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let at = common::database(dir.path());
    drop(Db::open(&at).unwrap());
    set_version(&at, SCHEMA_VERSION + 1);
    match Db::open(&at) {
        Err(StoreError::SchemaTooNew { found, known }) => {
            assert_eq!((found, known), (SCHEMA_VERSION + 1, SCHEMA_VERSION));
        }
        Err(e) => panic!("another error: {e}"),
        Ok(_) => panic!("a newer schema was opened"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn database_and_key_files_are_private() {
    if common::on_postgres() {
        eprintln!("skipped: SQLite's files");
        return;
    }
    let t = T::new().await;
    let dir = t.stop().await;
    assert_eq!(mode(&dir.path().join("data/link.db")), 0o600);
    assert_eq!(mode(&dir.path().join("data/secrets")), 0o600);
    // A key file others can read is refused, not used.
    std::fs::set_permissions(
        dir.path().join("data/secrets"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let cfg = common::config(dir.path());
    let err = link_server::start(cfg).await.err().expect("refused");
    assert!(err.to_string().contains("chmod 600"), "{err}");
}

async fn validate(t: &T, number: &str) -> String {
    let (s, v) = t
        .post(
            "/accounts/validate",
            json!({"user_authorization": true, "institution_uuid": DAVIVIENDA, "type": "DEPOSITORY",
                   "subtype": "SAVINGS", "account_number": number, "existing_end_user_id": EUR}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["account"]["uuid"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_old_databases_keys_move_to_the_file_and_no_fingerprint_changes() {
    if common::on_postgres() {
        eprintln!("skipped: SQLite kept the keys in its database before");
        return;
    }
    let t = T::new().await;
    let first = validate(&t, "1234567894").await;
    let dir = t.stop().await;
    // As before keys left the database: in its table, and no file.
    let file = dir.path().join("data/secrets");
    let keys = std::fs::read_to_string(&file).unwrap();
    std::fs::remove_file(&file).unwrap();
    let c = rusqlite::Connection::open(dir.path().join("data/link.db")).unwrap();
    for line in keys.lines().filter(|l| l.contains('=')) {
        let (name, value) = line.split_once('=').unwrap();
        c.execute(
            "INSERT INTO secrets (name, value) VALUES (?1, ?2)",
            [name, value],
        )
        .unwrap();
    }
    drop(c);
    let t = T::in_dir(dir).await;
    // The same number finds the same account: its fingerprint's key came
    // back, and the database holds no key any more.
    assert_eq!(validate(&t, "1234567894").await, first);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), keys);
    let left: i64 = t.db(|c| {
        c.query_row(
            "SELECT COUNT(*) FROM secrets",
            link_server::params![],
            |r| r.get(0),
        )
        .unwrap()
    });
    assert_eq!(left, 0);
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_needs_keys_every_instance_shares() {
    if common::skipped_without_postgres() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let cfg = link_server::Config {
        secret_file: None,
        ..common::config(dir.path())
    };
    let err = link_server::start(cfg).await.err().expect("refused");
    assert!(err.to_string().contains("LINK_SECRET_KEY"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn instances_starting_at_once_on_one_database_migrate_and_seed_once() {
    let dir = tempfile::tempdir().unwrap();
    let first = common::config(dir.path());
    let starts: Vec<_> = (0..3)
        .map(|_| {
            let cfg = first.clone();
            tokio::spawn(link_server::start(cfg))
        })
        .collect();
    let mut servers = Vec::new();
    for s in starts {
        servers.push(s.await.unwrap().expect("every instance starts"));
    }
    let tokens: Vec<_> = servers.iter().map(|s| s.demo_token.clone()).collect();
    assert!(tokens.windows(2).all(|w| w[0] == w[1]), "{tokens:?}");
    let (merchants, end_users): (i64, i64) = servers[0]
        .db
        .blocking(|c| {
            let merchants = c.query_row(
                "SELECT COUNT(*) FROM merchants",
                link_server::params![],
                |r| r.get(0),
            )?;
            let end_users = c.query_row(
                "SELECT COUNT(*) FROM end_users",
                link_server::params![],
                |r| r.get(0),
            )?;
            Ok::<_, StoreError>((merchants, end_users))
        })
        .unwrap();
    assert_eq!((merchants, end_users), (1, 1));
    for s in servers {
        s.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn old_idempotency_answers_are_pruned_and_recent_ones_kept() {
    let t = T::new().await;
    let now = link_server::clock::now_ms();
    let day = 24 * 3_600_000;
    t.db(move |c| {
        for (key, age) in [("old", day + 1), ("recent", day - 60_000)] {
            c.execute(
                "INSERT INTO idempotency (scope, key, request_hash, status, body, created_ms)
                 VALUES ('connect:x', ?1, 'h', 201, '{}', ?2)",
                link_server::params![key, now - age],
            )
            .unwrap();
        }
    });
    let db = t.srv.as_ref().unwrap().db.clone();
    link_server::upkeep::prune_once(&db, now, day)
        .await
        .unwrap();
    let kept: Vec<String> = t.db(|c| {
        c.query_map(
            "SELECT key FROM idempotency WHERE scope = 'connect:x'",
            link_server::params![],
            |r| r.get(0),
        )
        .unwrap()
    });
    assert_eq!(kept, ["recent"]);
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn both_listeners_answer_the_probes() {
    let t = T::new().await;
    for base in [&t.api, &t.link] {
        for (path, body) in [("/healthz", "ok\n"), ("/readyz", "ready\n")] {
            let r = t.http.get(format!("{base}{path}")).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{base}{path}");
            assert_eq!(r.headers()["cache-control"], "no-store");
            assert_eq!(r.text().await.unwrap(), body);
        }
    }
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backup_of_a_running_database_opens_with_its_data() {
    if common::on_postgres() {
        eprintln!("skipped: PostgreSQL is backed up with pg_dump (docs/deploy.md)");
        return;
    }
    let t = T::new().await;
    let l = t
        .connect_link(json!({"primary_reference": "IN-THE-BACKUP"}))
        .await;
    let copy = t.dir.path().join("copy.db");
    // While the service runs on it.
    let out = common::binary::run(
        t.dir.path().join("data/link.db"),
        &["backup", "--to", copy.to_str().unwrap()],
    );
    assert!(out.status.success(), "{out:?}");
    assert_eq!(mode(&copy), 0o600);
    // A second backup never overwrites a file.
    let again = common::binary::run(
        t.dir.path().join("data/link.db"),
        &["backup", "--to", copy.to_str().unwrap()],
    );
    assert!(!again.status.success());
    let uuid = l["uuid"].as_str().unwrap().to_string();
    let kept = t.stop().await;
    // Restored: the copy in a fresh folder is the database.
    let restored = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(restored.path().join("data")).unwrap();
    std::fs::copy(&copy, restored.path().join("data/link.db")).unwrap();
    // With its key file, kept apart from the backups: the personal fields
    // are sealed under it (docs/deploy.md, "Secrets").
    std::fs::copy(
        kept.path().join("data/secrets"),
        restored.path().join("data/secrets"),
    )
    .unwrap();
    let t = T::in_dir(restored).await;
    let (s, v): (StatusCode, Value) = t.get(&format!("/connect/link/{uuid}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["connect_link"]["primary_reference"], "IN-THE-BACKUP");
    t.stop().await;
}
