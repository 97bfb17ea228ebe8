//! Data at rest (issue 25): the end user's personal fields are sealed in
//! the database (`link_server::sealed`), so the raw database holds none of
//! them and no account number, while the merchant API still answers them
//! and the `end_user_email` / `end_user_local_id` filters still find their
//! rows; the sealing key rotates (docs/deploy.md, "Secrets").

use crate::common::{self, slug, T};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const DAVIVIENDA: &str = "ins_9082d56c-4e1d-4967-a828-b7001755e88e";

/// Values that appear nowhere else, so finding one in the raw database
/// means it was stored in the clear.
const EMAIL: &str = "Quillon.Vexmark@Example.com";
const LOCAL_ID: &str = "DOC-58314-QX";
const BIRTH: &str = "1979-11-23";
const PHONE_DIGITS: &str = "3019876543";
const STREET: &str = "Calle Zurbaquen 77";
const NUMBER: &str = "1002003004";

fn person(suffix: &str) -> Value {
    json!({
        "first_name": "Ana", "last_name": "Wrenfield",
        "email": format!("{suffix}{EMAIL}"),
        "local_id": format!("{LOCAL_ID}{suffix}"), "local_id_type": "NATIONAL_ID", "local_id_country": "COL",
        "date_of_birth": BIRTH,
        "phone_number": "+57 301 987 6543",
        "address": {"address_line1": format!("{STREET}{suffix}"), "locality": "Medellín", "country": "COL"}
    })
}

/// Every byte of the database as stored: the SQLite file and its WAL, or,
/// on PostgreSQL, every row of every table as text.
fn raw_database(t: &T) -> Vec<u8> {
    match common::database(t.dir.path()) {
        link_server::store::db::Location::Sqlite(path) => {
            let mut bytes = std::fs::read(&path).unwrap();
            for tail in ["-wal", "-journal"] {
                let mut p = path.clone().into_os_string();
                p.push(tail);
                if let Ok(more) = std::fs::read(PathBuf::from(p)) {
                    bytes.extend(more);
                }
            }
            bytes
        }
        link_server::store::db::Location::Postgres(url) => common::with_postgres(&url, |c| {
            let tables: Vec<String> = c
                .query(
                    "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'",
                    &[],
                )
                .unwrap()
                .iter()
                .map(|r| r.get(0))
                .collect();
            let mut bytes = Vec::new();
            for table in tables {
                for r in c
                    .query(&format!("SELECT t::text FROM \"{table}\" t"), &[])
                    .unwrap()
                {
                    let row: String = r.get(0);
                    bytes.extend(row.into_bytes());
                }
            }
            bytes
        }),
    }
}

fn holds(hay: &[u8], needle: &str) -> bool {
    let n = needle.as_bytes();
    hay.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

fn assert_sealed(t: &T, what: &str) {
    let raw = raw_database(t);
    assert!(!raw.is_empty());
    for secret in [EMAIL, LOCAL_ID, BIRTH, PHONE_DIGITS, STREET, NUMBER] {
        assert!(
            !holds(&raw, secret),
            "{what}: `{secret}` is in the database"
        );
    }
    // The probe works: an unsealed field of the same row is found.
    assert!(
        holds(&raw, "Wrenfield"),
        "{what}: the last name is stored as it is"
    );
}

async fn create_end_user(t: &T, suffix: &str) -> Value {
    let (s, v) = t.post("/end-users/create", person(suffix)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["end_user"].clone()
}

/// A connect link for `eur` and an account submitted on its page.
async fn link_with_account(t: &T, eur: &str) -> Value {
    let l = t.connect_link(json!({"existing_end_user_id": eur})).await;
    let path = format!("/connect-links/{}/accounts", slug(&l["url"]));
    let body = json!({"institution_uuid": DAVIVIENDA, "type": "DEPOSITORY", "subtype": "SAVINGS",
                      "account_number": NUMBER, "user_authorization": true});
    let (s, v) = t
        .public(Method::POST, &path, Some("at-rest-1"), Some(body))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    l
}

fn uuids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v["uuid"].as_str().unwrap().to_string())
        .collect()
}

/// The documented filters find `eur`'s rows by its email (in any case)
/// and local id, and nothing by a near miss.
async fn filters_find(t: &T, eur: &str, link: &str, suffix: &str, accounts: usize) {
    let email = format!("{suffix}{EMAIL}").to_uppercase();
    let local_id = format!("{LOCAL_ID}{suffix}");
    for (q, key, want) in [
        (
            format!("/connect/link/list?end_user_email={email}"),
            "connect_links",
            link,
        ),
        (
            format!("/connect/link/list?end_user_local_id={local_id}"),
            "connect_links",
            link,
        ),
        (format!("/end-users/list?email={email}"), "end_users", eur),
        (
            format!("/end-users/list?local_id={local_id}"),
            "end_users",
            eur,
        ),
    ] {
        let (s, v) = t.get(&q).await;
        assert_eq!(s, StatusCode::OK, "{q}: {v}");
        assert_eq!(uuids(&v[key]), vec![want.to_string()], "{q}");
    }
    let (_, v) = t
        .get(&format!("/accounts/list?end_user_email={email}"))
        .await;
    let found = v["accounts"].as_array().unwrap();
    assert_eq!(found.len(), accounts, "{v}");
    assert!(found.iter().all(|a| a["end_user"]["uuid"] == json!(eur)));
    for q in [
        format!(
            "/connect/link/list?end_user_local_id={}",
            local_id.to_lowercase()
        ),
        format!("/connect/link/list?end_user_email=x{email}"),
        format!("/end-users/list?local_id={local_id}0"),
    ] {
        let (s, v) = t.get(&q).await;
        assert_eq!(s, StatusCode::OK, "{q}: {v}");
        let key = if q.starts_with("/end-users") {
            "end_users"
        } else {
            "connect_links"
        };
        assert_eq!(uuids(&v[key]), Vec::<String>::new(), "{q}");
    }
}

/// The merchant API answers the personal fields as they were sent.
async fn answers_them(t: &T, eur: &str, suffix: &str) {
    let (s, v) = t.get(&format!("/end-users/{eur}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let u = &v["end_user"];
    assert_eq!(u["email"], json!(format!("{suffix}{EMAIL}")));
    assert_eq!(u["local_id"], json!(format!("{LOCAL_ID}{suffix}")));
    assert_eq!(u["date_of_birth"], json!(BIRTH));
    assert_eq!(
        u["phone_number"],
        json!({"country_code": "57", "number": PHONE_DIGITS})
    );
    assert_eq!(
        u["address"]["address_line_1"],
        json!(format!("{STREET}{suffix}"))
    );
    assert_eq!(u["address"]["locality"], json!("Medellín"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_database_holds_no_personal_field_and_no_account_number() {
    let t = T::new().await;
    let eu = create_end_user(&t, "").await;
    let eur = eu["uuid"].as_str().unwrap().to_string();
    let link = link_with_account(&t, &eur).await;
    // A link created with its end user inline seals it too.
    let (s, inline) = t
        .post(
            "/connect/link/create",
            json!({"new_end_user_details": person("b"), "intro_text": "Connect your account using DRUO to receive payments"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{inline}");
    assert_eq!(
        inline["connect_link"]["end_user"]["email"],
        json!(format!("b{EMAIL}"))
    );

    assert_sealed(&t, "after the writes");
    answers_them(&t, &eur, "").await;
    filters_find(&t, &eur, link["uuid"].as_str().unwrap(), "", 1).await;
    let inline_eur = inline["connect_link"]["end_user"]["uuid"].as_str().unwrap();
    answers_them(&t, inline_eur, "b").await;
    filters_find(
        &t,
        inline_eur,
        inline["connect_link"]["uuid"].as_str().unwrap(),
        "b",
        0,
    )
    .await;

    // Every end user row names the key it is sealed under.
    assert_eq!(sealed_keys(&t), vec![Some(current_key(&t))]);
    t.stop().await;
}

/// The id of the key the server seals under now.
fn current_key(t: &T) -> String {
    let srv = t.srv.as_ref().unwrap();
    srv.secrets.sealer().current_id().to_string()
}

/// `POST /end-users/create` of `person(suffix)` under `Idempotency-Key:
/// key`; its answer.
async fn idempotent_create(t: &T, key: &str, suffix: &str) -> Value {
    let res = t
        .http
        .post(format!("{}/end-users/create", t.api))
        .header("DRUO-Version", "2021-11-22")
        .header("Idempotency-Key", key)
        .bearer_auth(&t.token)
        .json(&person(suffix))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

/// A merchant `POST` answered under an `Idempotency-Key` is kept to answer
/// a retry: the kept answer must not give back the personal fields either.
#[tokio::test(flavor = "multi_thread")]
async fn kept_idempotent_answers_hold_no_personal_field() {
    let t = T::new().await;
    let first = idempotent_create(&t, "at-rest-create", "").await;
    assert_sealed(&t, "after an idempotent create");
    let again = idempotent_create(&t, "at-rest-create", "").await;
    assert_eq!(again, first, "the retry is answered the same");
    t.stop().await;
}

/// The distinct `sealed_key`s of the end users.
fn sealed_keys(t: &T) -> Vec<Option<String>> {
    t.db(|c| {
        c.query_map(
            "SELECT DISTINCT sealed_key FROM end_users",
            link_server::params![],
            |r| r.get(0),
        )
        .unwrap()
    })
}

/// The key file the test's servers read: SQLite's default one in the
/// data folder, or the one `common` gives PostgreSQL.
fn key_file(dir: &Path) -> PathBuf {
    if common::on_postgres() {
        common::secret_file(dir)
    } else {
        dir.join("data/secrets")
    }
}

/// Rewrites the key file's lines through `f`.
fn edit_keys(dir: &Path, f: impl FnOnce(Vec<(String, String)>) -> Vec<(String, String)>) {
    let path = key_file(dir);
    let text = std::fs::read_to_string(&path).unwrap();
    let keys: Vec<(String, String)> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (k, v) = l.split_once('=').unwrap();
            (k.to_string(), v.to_string())
        })
        .collect();
    let out: String = f(keys)
        .into_iter()
        .map(|(k, v)| format!("{k}={v}\n"))
        .collect();
    std::fs::write(&path, out).unwrap();
}

/// On PostgreSQL, gives the test's key file an explicit sealing key to
/// rotate (SQLite's default file has one already).
fn sealing_key_to_rotate(dir: &Path) {
    if common::on_postgres() {
        let path = common::secret_file(dir);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str(
            "personal-data=first-sealing-key-0123456789abcdef\nblind-index=test-blind-index-key-0123456789abcdef\n",
        );
        std::fs::write(&path, text).unwrap();
    }
}

/// The operator's procedure: the key becomes the previous one, a new key
/// is added (the instances then restart).
fn rotate(dir: &Path) {
    edit_keys(dir, |keys| {
        let mut out: Vec<(String, String)> = keys
            .into_iter()
            .map(|(k, v)| match k.as_str() {
                "personal-data" => ("personal-data-previous".to_string(), v),
                _ => (k, v),
            })
            .collect();
        out.push((
            "personal-data".into(),
            "second-sealing-key-0123456789abcdef".into(),
        ));
        out
    });
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sealing_key_rotates_with_the_old_one_readable_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    sealing_key_to_rotate(dir.path());
    let t = T::in_dir(dir).await;
    let eur = common::uuid(&create_end_user(&t, "").await);
    let link = common::uuid(&link_with_account(&t, &eur).await);
    // A kept idempotent answer is sealed too and follows the rotation.
    let kept = idempotent_create(&t, "rotated-answer", "k").await;
    let first = t
        .srv
        .as_ref()
        .unwrap()
        .secrets
        .sealer()
        .current_id()
        .to_string();
    let dir = t.stop().await;

    rotate(dir.path());
    let t = T::in_dir(dir).await;
    let srv = t.srv.as_ref().unwrap();
    let second = srv.secrets.sealer().current_id().to_string();
    assert_ne!(first, second);
    assert_eq!(srv.secrets.sealer().previous_ids(), vec![first.as_str()]);
    // Readable meanwhile, whichever key each row is under.
    answers_them(&t, &eur, "").await;
    filters_find(&t, &eur, &link, "", 1).await;
    // A new end user is sealed under the new key at once.
    let newer = common::uuid(&create_end_user(&t, "n").await);
    // The upkeep pass (also run by the service every ten minutes).
    let progress = link_server::upkeep::reseal_once(&srv.db, srv.secrets.sealer(), usize::MAX)
        .await
        .unwrap();
    assert_eq!((progress.left, progress.unreadable), (0, 0), "{progress:?}");
    // (The service's own pass may have run first: it starts at start.)
    assert_eq!(progress.answers_left, 0, "{progress:?}");
    let kept_under: Vec<String> = t.db(|c| {
        c.query_map(
            "SELECT body FROM idempotency WHERE body LIKE 's1.%'",
            link_server::params![],
            |r| r.get(0),
        )
        .unwrap()
    });
    assert!(!kept_under.is_empty());
    for body in kept_under {
        assert_eq!(link_server::sealed::key_id(&body), Some(second.as_str()));
    }
    assert_eq!(sealed_keys(&t), vec![Some(second.clone())]);
    answers_them(&t, &eur, "").await;
    answers_them(&t, &newer, "n").await;
    assert_sealed(&t, "after the rotation");
    let dir = t.stop().await;

    // Done: the previous key goes.
    edit_keys(dir.path(), |keys| {
        keys.into_iter()
            .filter(|(k, _)| k != "personal-data-previous")
            .collect()
    });
    let t = T::in_dir(dir).await;
    assert_eq!(
        t.srv.as_ref().unwrap().secrets.sealer().current_id(),
        second
    );
    answers_them(&t, &eur, "").await;
    answers_them(&t, &newer, "n").await;
    filters_find(&t, &eur, &link, "", 1).await;
    assert_eq!(idempotent_create(&t, "rotated-answer", "k").await, kept);
    t.stop().await;
}

/// The key file of `dir` as a file from before sealing would be: only
/// `account-number` and `idempotency`, then `extra` lines. On PostgreSQL
/// it is the explicit file `common` gives the server.
fn old_key_file(dir: &Path, extra: &str) -> PathBuf {
    let path = key_file(dir);
    if common::on_postgres() {
        common::secret_file(dir);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str(extra);
        std::fs::write(&path, text).unwrap();
    } else {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .unwrap()
            .write_all(
                format!("account-number=old-number-key\nidempotency=old-idempotency-key\n{extra}")
                    .as_bytes(),
            )
            .unwrap();
    }
    path
}

/// A key file from before sealing (no `personal-data`, no `blind-index`)
/// still starts the service: SQLite's default file gets fresh keys
/// appended, once; an explicit file (PostgreSQL's) is left untouched and
/// its keys are derived from its `account-number` key, the same at every
/// start.
#[tokio::test(flavor = "multi_thread")]
async fn a_key_file_from_before_sealing_still_starts() {
    let dir = tempfile::tempdir().unwrap();
    let path = old_key_file(dir.path(), "");
    let before = std::fs::read_to_string(&path).unwrap();
    let t = T::in_dir(dir).await;
    let eur = common::uuid(&create_end_user(&t, "").await);
    let sealer = t.srv.as_ref().unwrap().secrets.sealer().clone();
    let id = sealer.current_id().to_string();
    // No `personal-data-previous` line: nothing for the log to call a
    // previous key (the derived fallback is not one).
    assert!(sealer.previous_ids().is_empty());
    let dir = t.stop().await;
    let text = std::fs::read_to_string(&path).unwrap();
    if common::on_postgres() {
        assert_eq!(text, before, "an explicit key file is never written to");
        // The sealing key is HMAC-SHA256("personal-data") under the
        // file's `account-number` key.
        let number_key = text
            .lines()
            .find_map(|l| l.strip_prefix("account-number="))
            .unwrap();
        let derived = link_server::ids::hmac_sha256_hex(number_key.as_bytes(), b"personal-data");
        assert_eq!(
            link_server::sealed::Sealer::new(&derived, &[], "").current_id(),
            id
        );
    } else {
        assert!(text.starts_with(&before), "{text}");
        for name in ["personal-data=", "blind-index="] {
            assert_eq!(text.matches(&format!("\n{name}")).count(), 1, "{text}");
        }
    }
    let t = T::in_dir(dir).await;
    assert_eq!(t.srv.as_ref().unwrap().secrets.sealer().current_id(), id);
    answers_them(&t, &eur, "").await;
    assert_sealed(&t, "with keys from an old file");
    let dir = t.stop().await;
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "appended once"
    );
    drop(dir);
}

/// What starting on `dir` with its old key file plus `extra` answers: the
/// refusal's text.
async fn refused_start(extra: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    old_key_file(dir.path(), extra);
    match link_server::start(common::config(dir.path())).await {
        Ok(_) => panic!("started with {extra:?}"),
        Err(e) => e.to_string(),
    }
}

/// A sealing or blind-index key that is empty or short would be one
/// anyone can compute; a key named twice leaves which one is meant to
/// chance. Both stop the start, naming the key (never its value).
#[tokio::test(flavor = "multi_thread")]
async fn a_short_or_repeated_key_is_refused_at_start() {
    let long = "k".repeat(link_server::secrets::MIN_KEY_LEN);
    for (extra, says) in [
        ("personal-data=\n".to_string(), "`personal-data` key has 0"),
        (
            format!("personal-data={long}\nblind-index=short-key\n"),
            "`blind-index` key has 9",
        ),
        (
            format!("personal-data={long}\nblind-index={long}\npersonal-data-previous=  \n"),
            "`personal-data-previous` key has 0",
        ),
        (
            format!("personal-data={long}\nblind-index={long}\npersonal-data={long}x\n"),
            "`personal-data` is named twice",
        ),
    ] {
        let e = refused_start(&extra).await;
        assert!(e.contains(says), "{extra:?}: {e}");
        assert!(!e.contains("short-key") && !e.contains(&long), "{e}");
    }
}

/// A sealed field copied from one end user's row into another's does not
/// open there: the other's read is a 500 (the cause is logged), never the
/// first person's data.
#[tokio::test(flavor = "multi_thread")]
async fn a_sealed_field_moved_to_another_row_does_not_open() {
    let t = T::new().await;
    let ana = common::uuid(&create_end_user(&t, "a").await);
    let bob = common::uuid(&create_end_user(&t, "b").await);
    let moved = t.db(|c| {
        c.execute(
            "UPDATE end_users SET email = (SELECT email FROM end_users WHERE uuid = ?1)
             WHERE uuid = ?2",
            link_server::params![&ana, &bob],
        )
        .unwrap()
    });
    assert_eq!(moved, 1);
    let (s, v) = t.get(&format!("/end-users/{bob}")).await;
    assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR, "{v}");
    assert!(!v.to_string().contains(EMAIL), "{v}");
    answers_them(&t, &ana, "a").await;
    t.stop().await;
}

/// Kept answers that do not open (here: under a key never loaded) are
/// passed over by the re-seal, which pages on: answers behind them are
/// still re-sealed under the new key.
#[tokio::test(flavor = "multi_thread")]
async fn answers_that_do_not_open_do_not_stall_the_reseal() {
    let dir = tempfile::tempdir().unwrap();
    sealing_key_to_rotate(dir.path());
    let t = T::in_dir(dir).await;
    let kept = idempotent_create(&t, "behind-the-stuck-ones", "s").await;
    // More than one batch of them, ordered before the merchant's scope.
    let now = link_server::clock::now_ms();
    t.db(|c| {
        for i in 0..(link_server::upkeep::RESEAL_BATCH + 20) {
            c.execute(
                "INSERT INTO idempotency (scope, key, request_hash, status, body, created_ms)
                 VALUES ('a-stuck', ?1, 'x', 200, 's1.00000000.AAAAAAAA', ?2)",
                link_server::params![format!("k{i:04}"), now],
            )
            .unwrap();
        }
    });
    let dir = t.stop().await;
    rotate(dir.path());
    let t = T::in_dir(dir).await;
    let srv = t.srv.as_ref().unwrap();
    let second = srv.secrets.sealer().current_id().to_string();
    link_server::upkeep::reseal_once(&srv.db, srv.secrets.sealer(), usize::MAX)
        .await
        .unwrap();
    let body: String = t.db(|c| {
        c.query_row(
            "SELECT body FROM idempotency WHERE key = 'behind-the-stuck-ones'",
            link_server::params![],
            |r| r.get(0),
        )
        .unwrap()
    });
    assert_eq!(link_server::sealed::key_id(&body), Some(second.as_str()));
    assert_eq!(
        idempotent_create(&t, "behind-the-stuck-ones", "s").await,
        kept
    );
    t.stop().await;
}

/// Brings SQLite's WAL into the database file and empties it, from a
/// connection of its own (readers of the server may hold it back a
/// moment).
fn checkpoint(path: &Path) {
    let c = rusqlite::Connection::open(path).unwrap();
    c.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
    for _ in 0..50 {
        let busy: i64 = c
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))
            .unwrap();
        if busy == 0 {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("the WAL could not be checkpointed");
}

/// A database that holds end users in plaintext (written before sealing)
/// has none of their values left in its file or its WAL once a new
/// version has started on it, and still answers and finds them.
#[tokio::test(flavor = "multi_thread")]
async fn plaintext_rows_from_before_sealing_leave_no_trace() {
    let t = T::new().await;
    let eur = common::uuid(&create_end_user(&t, "p").await);
    let link = common::uuid(&link_with_account(&t, &eur).await);
    // The row as a version before sealing stored it: the values in clear
    // (the phone and address as they were sent), no key, no blind index.
    let address =
        json!({"address_line1": format!("{STREET}p"), "locality": "Medellín", "country": "COL"});
    let changed = t.db(|c| {
        c.execute(
            "UPDATE end_users SET local_id = ?2, date_of_birth = ?3, email = ?4,
                phone_number = ?5, address = ?6, sealed_key = NULL, email_index = NULL,
                local_id_index = NULL
             WHERE uuid = ?1",
            link_server::params![
                &eur,
                format!("{LOCAL_ID}p"),
                BIRTH,
                format!("p{EMAIL}"),
                format!("+57 {PHONE_DIGITS}"),
                address.to_string()
            ],
        )
        .unwrap()
    });
    assert_eq!(changed, 1);
    // The probe works: the clear values are in the database now.
    let raw = raw_database(&t);
    for clear in [EMAIL, LOCAL_ID, BIRTH, PHONE_DIGITS, STREET] {
        assert!(holds(&raw, clear), "`{clear}` was written in clear");
    }
    let dir = t.stop().await;

    let t = T::in_dir(dir).await;
    if let link_server::store::db::Location::Sqlite(path) = common::database(t.dir.path()) {
        checkpoint(&path);
    }
    assert_sealed(&t, "after a start on plaintext rows");
    assert_eq!(sealed_keys(&t), vec![Some(current_key(&t))]);
    answers_them(&t, &eur, "p").await;
    filters_find(&t, &eur, &link, "p", 1).await;
    t.stop().await;
}
