//! Test harness: a `link-server` on ephemeral loopback ports with a
//! temporary database and a tiny built app, plus a JSON client.

#![allow(dead_code)]

pub mod binary;
pub mod receiver;
pub mod smtp;
pub mod snippets;
pub mod writes;

use link_server::store::db::Location;
use link_server::{start, Config, Server};
use reqwest::{Client, Method, StatusCode};
use serde_json::Value;
use std::path::PathBuf;

/// The inline script of the fake built app; its hash must appear in the CSP.
pub const INLINE_SCRIPT: &str = "import init from '/app-0123456789abcdef.js'; init();";

pub struct T {
    pub srv: Option<Server>,
    pub api: String,
    pub link: String,
    pub token: String,
    pub dir: tempfile::TempDir,
    pub http: Client,
}

pub fn dist(dir: &std::path::Path) -> PathBuf {
    let d = dir.join("dist");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(
        d.join("index.html"),
        format!("<!doctype html><html><body><p>shell</p><script type=\"module\">{INLINE_SCRIPT}</script></body></html>"),
    )
    .unwrap();
    // Its build's inventory (scripts/assets.mjs inventory): the CSP allows
    // the inline scripts listed there, not those of the file served.
    link_server::inventory::write(&d, &[("loader", INLINE_SCRIPT)]).unwrap();
    std::fs::write(
        d.join("app-0123456789abcdef.js"),
        "export default function init(){}",
    )
    .unwrap();
    std::fs::write(d.join("robots.txt"), "User-agent: *\nDisallow: /\n").unwrap();
    d
}

/// The database a test's server uses: a SQLite file in `dir`, or, when
/// `LINK_TEST_POSTGRES` names a PostgreSQL server the suite started
/// (`scripts/with-postgres`), a fresh database of its own there.
/// The same `dir` names the same database (a restarted server finds its
/// data).
pub fn database(dir: &std::path::Path) -> Location {
    match std::env::var("LINK_TEST_POSTGRES") {
        Ok(base) if !base.is_empty() => {
            let kept = dir.join("postgres-url");
            let url = std::fs::read_to_string(&kept).unwrap_or_else(|_| {
                let url = fresh_postgres(&base);
                std::fs::write(&kept, &url).unwrap();
                url
            });
            Location::Postgres(url)
        }
        _ => Location::Sqlite(dir.join("data/link.db")),
    }
}

/// Creates an empty database on the server at `base` and returns its url.
pub fn fresh_postgres(base: &str) -> String {
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    // The synchronous client runs its own runtime: not on a test's.
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut admin =
                postgres::Client::connect(base, postgres::NoTls).expect("test PostgreSQL");
            admin
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .expect("create a test database");
        })
        .join()
        .unwrap()
    });
    with_dbname(base, &name)
}

/// Runs `f` with a client of the PostgreSQL database at `url`, on a thread
/// of its own: the synchronous client runs its own runtime, which cannot
/// run on an async test's thread.
pub fn with_postgres<R: Send>(url: &str, f: impl FnOnce(&mut postgres::Client) -> R + Send) -> R {
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut client =
                postgres::Client::connect(url, postgres::NoTls).expect("test PostgreSQL");
            f(&mut client)
        })
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// `base` with its database replaced by `name`.
pub fn with_dbname(base: &str, name: &str) -> String {
    let (head, query) = base
        .split_once('?')
        .map_or((base, None), |(h, q)| (h, Some(q)));
    let after_scheme = head.find("://").map_or(0, |i| i + 3);
    let root = match head[after_scheme..].find('/') {
        Some(i) => &head[..after_scheme + i],
        None => head,
    };
    match query {
        Some(q) => format!("{root}/{name}?{q}"),
        None => format!("{root}/{name}"),
    }
}

/// A key file for the test's server (`link_server::secrets`), made once
/// per `dir`.
pub fn secret_file(dir: &std::path::Path) -> PathBuf {
    let path = dir.join("secrets");
    if !path.exists() {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .unwrap();
        f.write_all(b"account-number=test-number-key\nidempotency=test-idempotency-key\n")
            .unwrap();
    }
    path
}

/// Whether the suite runs on PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var("LINK_TEST_POSTGRES").is_ok_and(|v| !v.is_empty())
}

/// Whether a test that needs PostgreSQL is to be skipped, because the
/// suite runs on SQLite; when it is, says so.
pub fn skipped_without_postgres() -> bool {
    let skipped = !on_postgres();
    if skipped {
        eprintln!("skipped: runs under scripts/with-postgres (scripts/test does)");
    }
    skipped
}

pub fn config(dir: &std::path::Path) -> Config {
    Config {
        db: database(dir),
        data_dir: Some(dir.join("data")),
        idempotency_hours: 24,
        // SQLite makes its own in the data folder; PostgreSQL needs one
        // given (every instance shares it).
        secret_file: on_postgres().then(|| secret_file(dir)),
        dist: dist(dir),
        api_addr: "127.0.0.1:0".parse().unwrap(),
        link_addr: "127.0.0.1:0".parse().unwrap(),
        public_link_base: None,
        seed_demo: true,
        client_render: false,
        security_log: Some(dir.join("security.log")),
        limits: Default::default(),
        webhooks: Default::default(),
        receipts: Default::default(),
    }
}

impl T {
    pub async fn new() -> T {
        let dir = tempfile::tempdir().unwrap();
        Self::in_dir(dir).await
    }

    pub async fn in_dir(dir: tempfile::TempDir) -> T {
        let cfg = config(dir.path());
        Self::with_config(dir, cfg).await
    }

    /// A server that sends webhooks to loopback (`--dev-webhooks`), with
    /// retries 100 ms apart at first, so tests need not wait for the
    /// production timings; the lease (15 s) outlasts a try (10 s at most).
    pub async fn with_webhooks() -> T {
        let dir = tempfile::tempdir().unwrap();
        let cfg = Config {
            webhooks: link_server::webhooks::Flags {
                dev_webhooks: true,
                webhook_backoff_base_ms: 100,
                webhook_lease_ms: 15_000,
                ..Default::default()
            },
            ..config(dir.path())
        };
        Self::with_config(dir, cfg).await
    }

    /// A server that emails receipts through the SMTP server at `url`,
    /// retrying 100 ms apart at first.
    pub async fn with_receipts(url: &str) -> T {
        let dir = tempfile::tempdir().unwrap();
        let cfg = Config {
            receipts: link_server::receipts::Flags {
                smtp_url: Some(url.to_string()),
                smtp_backoff_base_ms: 100,
                ..Default::default()
            },
            ..config(dir.path())
        };
        Self::with_config(dir, cfg).await
    }

    /// A server with these limits (`link_server::limits`).
    pub async fn with_limits(limits: link_server::limits::Limits) -> T {
        let dir = tempfile::tempdir().unwrap();
        let cfg = Config {
            limits,
            ..config(dir.path())
        };
        Self::with_config(dir, cfg).await
    }

    async fn with_config(dir: tempfile::TempDir, cfg: Config) -> T {
        let srv = start(cfg).await.expect("server starts");
        T {
            api: format!("http://{}", srv.api_addr),
            link: format!("http://{}", srv.link_addr),
            token: srv.demo_token.clone().unwrap(),
            srv: Some(srv),
            dir,
            http: Client::new(),
        }
    }

    /// Runs `f` on the server's database.
    pub fn db<R: Send>(&self, f: impl FnOnce(&link_server::store::sql::Conn) -> R + Send) -> R {
        self.srv
            .as_ref()
            .unwrap()
            .db
            .blocking(|c| Ok::<_, link_server::store::error::StoreError>(f(c)))
            .unwrap()
    }

    pub async fn stop(mut self) -> tempfile::TempDir {
        if let Some(s) = self.srv.take() {
            s.shutdown().await;
        }
        self.dir
    }

    /// Moves account `uuid`'s creation back past the sandbox institution's
    /// approval delay (`druo_core::sandbox::INSTITUTION_APPROVES_AFTER_MS`),
    /// so its pending `CONFIRM_REQUEST_WITH_INSTITUTION` is approved the
    /// next time it is read, without a test sleeping ten seconds. Only
    /// server/tests/sandbox.rs waits for the real clock.
    pub fn let_the_institution_approve(&self, uuid: &str) {
        let back = druo_core::sandbox::INSTITUTION_APPROVES_AFTER_MS + 1_000;
        let changed = self.db(|c| {
            c.execute(
                "UPDATE accounts SET created_ms = created_ms - ?2 WHERE uuid = ?1",
                link_server::params![uuid, back],
            )
            .unwrap()
        });
        assert_eq!(changed, 1, "no account {uuid}");
    }

    /// Account `uuid`'s stored `current_status` and `remarks`.
    pub fn stored_account(&self, uuid: &str) -> (String, Option<String>) {
        self.db(|c| {
            c.query_row(
                "SELECT current_status, remarks FROM accounts WHERE uuid = ?1",
                link_server::params![uuid],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
        })
    }

    /// Adds a second merchant and returns its token.
    pub fn other_merchant(&self) -> String {
        let token = "other-merchant-token".to_string();
        let srv = self.srv.as_ref().unwrap();
        let (db, sealer) = (srv.db.clone(), srv.secrets.sealer().clone());
        db.blocking(|c| link_server::store::merchants::upsert(c, &sealer, "OTRA SAS", &token, 0))
            .unwrap();
        token
    }

    pub async fn merchant(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut rb = self
            .http
            .request(method, format!("{}{}", self.api, path))
            .header("DRUO-Version", "2021-11-22")
            .bearer_auth(token);
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let res = rb.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.merchant(Method::POST, path, &self.token.clone(), Some(body))
            .await
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.merchant(Method::GET, path, &self.token.clone(), None)
            .await
    }

    /// Creates a connect link from the reference body plus `extra`.
    pub async fn connect_link(&self, extra: Value) -> Value {
        let mut body = serde_json::json!({
            "existing_end_user_id": writes::END_USER,
            "intro_text": "Connect your account using DRUO to receive or make payments"
        });
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let (s, v) = self.post("/connect/link/create", body).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        v["connect_link"].clone()
    }

    pub async fn public(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        // As the page's own fetch sends it: its origin, and a POST always
        // with a JSON body (`{}` for a refresh, as the app sends).
        let post = method == Method::POST;
        let mut rb = self
            .http
            .request(method, format!("{}/api/v1{}", self.link, path))
            .header("Origin", &self.link);
        if let Some(k) = key {
            rb = rb.header("Idempotency-Key", k);
        }
        match body {
            Some(b) => rb = rb.json(&b),
            None if post => rb = rb.json(&serde_json::json!({})),
            None => {}
        }
        let res = rb.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }
}

/// The `sl` slug of a link url.
pub fn slug(url: &Value) -> String {
    url.as_str()
        .unwrap()
        .split("sl=")
        .nth(1)
        .unwrap()
        .to_string()
}
