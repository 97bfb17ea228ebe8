//! Test harness: a `link-server` on ephemeral loopback ports with a
//! temporary database and a tiny built app, plus a JSON client that sends
//! its requests into the server's routers in process (`Via::Router`, as
//! axum's testing example does) or, for the suites about connections,
//! over the sockets (`Via::Sockets`).

#![allow(dead_code)]

pub mod binary;
pub mod page;
pub mod receiver;
pub mod smtp;
pub mod snippets;
pub mod writes;

use axum::extract::ConnectInfo;
use link_server::store::db::Location;
use link_server::{start, Config, Server};
use reqwest::header::{HeaderMap, HeaderName};
use reqwest::{Client, Method, StatusCode};
use serde_json::Value;
use std::net::SocketAddr;
use std::path::PathBuf;
use tower::ServiceExt;

/// The inline script of the fake built app; its hash must appear in the CSP.
pub const INLINE_SCRIPT: &str = "import init from '/app-0123456789abcdef.js'; init();";

pub struct T {
    pub srv: Option<Server>,
    pub api: String,
    pub link: String,
    pub token: String,
    pub dir: tempfile::TempDir,
    pub http: Client,
    /// How `merchant`, `public` and `send` reach the server.
    pub via: Via,
}

/// How the harness's requests reach the server.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Via {
    /// Into the routers in process (`tower::ServiceExt::oneshot`), from
    /// loopback: the suites about what the service answers.
    Router,
    /// Through hyper over the loopback sockets: the suites about
    /// connections (concurrency, load, time and size limits on the wire).
    Sockets,
}

/// Which of the two listeners a request is for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Side {
    /// The merchant API.
    Api,
    /// The hosted-link origin (pages and the public API).
    Link,
}

/// A request as the harness sends it, whichever way (`Via`).
#[derive(Debug, Clone)]
pub struct Ask {
    /// Its method.
    pub method: Method,
    /// The listener it goes to.
    pub side: Side,
    /// Its path and query.
    pub path: String,
    /// Headers besides `Host`, `Accept` and the JSON body's.
    pub headers: Vec<(&'static str, String)>,
    /// A body and its `Content-Type`.
    pub body: Option<(String, Vec<u8>)>,
}

impl Ask {
    /// A request of `method` for `path` on `side`, with no headers or body.
    pub fn new(method: Method, side: Side, path: &str) -> Ask {
        Ask {
            method,
            side,
            path: path.to_string(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// The same with the header `name: value` added.
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Ask {
        self.headers.push((name, value.into()));
        self
    }

    /// The same with `Authorization: Bearer {token}`.
    pub fn bearer(self, token: &str) -> Ask {
        self.header("authorization", format!("Bearer {token}"))
    }

    /// The same with `body` as its JSON body.
    pub fn json(self, body: Value) -> Ask {
        self.body("application/json", serde_json::to_vec(&body).unwrap())
    }

    /// The same with the body `bytes` of type `kind`.
    pub fn body(mut self, kind: &str, bytes: impl Into<Vec<u8>>) -> Ask {
        self.body = Some((kind.to_string(), bytes.into()));
        self
    }
}

/// What the server answered: status, headers and the body as text.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub text: String,
}

impl Reply {
    /// The status and the body as JSON (a string when it is not JSON), as
    /// `T::merchant` and `T::public` answer.
    pub fn json(self) -> (StatusCode, Value) {
        let v = serde_json::from_str(&self.text).unwrap_or(Value::String(self.text));
        (self.status, v)
    }

    /// The status and the body as JSON, which it must be.
    pub fn parsed(self) -> (StatusCode, Value) {
        let v = serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("{e}: {}", self.text));
        (self.status, v)
    }
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

    /// A server without write limits: for tests that write more from one
    /// address, or to one link, than one person would.
    pub async fn unlimited() -> T {
        Self::with_limits(link_server::limits::Limits {
            link_writes_per_minute: 0,
            client_writes_per_minute: 0,
            ..Default::default()
        })
        .await
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
            via: Via::Router,
        }
    }

    /// The same server, with the harness's requests sent over its sockets.
    pub fn over_sockets(mut self) -> T {
        self.via = Via::Sockets;
        self
    }

    /// Sends `ask` the harness's way (`self.via`) and reads the answer.
    pub async fn send(&self, ask: Ask) -> Reply {
        match self.via {
            Via::Router => self.send_in_process(ask).await,
            Via::Sockets => self.send_over_socket(ask).await,
        }
    }

    fn base(&self, side: Side) -> &str {
        match side {
            Side::Api => &self.api,
            Side::Link => &self.link,
        }
    }

    /// `ask` through reqwest, as any client sends it.
    async fn send_over_socket(&self, ask: Ask) -> Reply {
        let url = format!("{}{}", self.base(ask.side), ask.path);
        let mut rb = self.http.request(ask.method, url);
        for (name, value) in ask.headers {
            rb = rb.header(name, value);
        }
        if let Some((kind, bytes)) = ask.body {
            rb = rb.header(http::header::CONTENT_TYPE, kind).body(bytes);
        }
        let res = rb.send().await.unwrap();
        let (status, headers) = (res.status(), res.headers().clone());
        Reply {
            status,
            headers,
            text: res.text().await.unwrap(),
        }
    }

    /// `ask` into the router its listener serves, with the headers reqwest
    /// would add (`Host`, `Accept`, the body's type and length) and a
    /// loopback peer, as `serve` gives a connection's requests.
    async fn send_in_process(&self, ask: Ask) -> Reply {
        let srv = self.srv.as_ref().expect("a running server");
        let router = match ask.side {
            Side::Api => srv.api_router.clone(),
            Side::Link => srv.link_router.clone(),
        };
        let host = self.base(ask.side).trim_start_matches("http://");
        // The path and query encoded as reqwest encodes them.
        let url = reqwest::Url::parse(&format!("{}{}", self.base(ask.side), ask.path)).unwrap();
        let target = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        };
        let mut rb = http::Request::builder()
            .method(ask.method)
            .uri(target)
            .header(http::header::HOST, host)
            .header(http::header::ACCEPT, "*/*");
        for (name, value) in ask.headers {
            rb = rb.header(HeaderName::from_bytes(name.as_bytes()).unwrap(), value);
        }
        let body = match ask.body {
            Some((kind, bytes)) => {
                rb = rb
                    .header(http::header::CONTENT_TYPE, kind)
                    .header(http::header::CONTENT_LENGTH, bytes.len());
                axum::body::Body::from(bytes)
            }
            None => axum::body::Body::empty(),
        };
        let mut req = rb.body(body).unwrap();
        let peer = SocketAddr::from(([127, 0, 0, 1], 40_000));
        req.extensions_mut().insert(ConnectInfo(peer));
        let res = router.oneshot(req).await.unwrap();
        let (parts, body) = res.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
        Reply {
            status: parts.status,
            headers: parts.headers,
            text: String::from_utf8(bytes.to_vec()).unwrap(),
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

    /// A merchant API call as the merchant's client sends it: bearer
    /// `token`, `DRUO-Version`, and `body` as JSON.
    pub async fn merchant(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut ask = Ask::new(method, Side::Api, path)
            .header("druo-version", "2021-11-22")
            .bearer(token);
        if let Some(b) = body {
            ask = ask.json(b);
        }
        self.send(ask).await.json()
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.merchant(Method::POST, path, &self.token.clone(), Some(body))
            .await
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.merchant(Method::GET, path, &self.token.clone(), None)
            .await
    }

    /// `GET path` as the merchant whose token is `token`.
    pub async fn get_as(&self, token: &str, path: &str) -> (StatusCode, Value) {
        self.merchant(Method::GET, path, token, None).await
    }

    /// `POST path` with `body` as the merchant whose token is `token`.
    pub async fn post_as(&self, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
        self.merchant(Method::POST, path, token, Some(body)).await
    }

    /// `POST path` with `body` as the demo merchant; it must answer 200.
    pub async fn post_ok(&self, path: &str, body: Value) -> Value {
        page::expect(self.post(path, body).await, StatusCode::OK)
    }

    /// `GET path` as the demo merchant; it must answer 200.
    pub async fn get_ok(&self, path: &str) -> Value {
        page::expect(self.get(path).await, StatusCode::OK)
    }

    /// Creates a checkout link from `body`; it must answer 200. The link.
    pub async fn checkout_link(&self, body: Value) -> Value {
        self.post_ok("/checkout/link/create", body).await["checkout_link"].clone()
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

    /// A public API call (`/api/v1{path}`) as the page's own fetch sends
    /// it: from its origin, and a POST always with a JSON body (`{}` for a
    /// refresh, as the app sends).
    pub async fn public(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let post = method == Method::POST;
        let mut ask =
            Ask::new(method, Side::Link, &format!("/api/v1{path}")).header("origin", &self.link);
        if let Some(k) = key {
            ask = ask.header("idempotency-key", k);
        }
        if let Some(b) = body.or_else(|| post.then(|| serde_json::json!({}))) {
            ask = ask.json(b);
        }
        self.send(ask).await.json()
    }
}

/// The `uuid` of an API object, as a string.
pub fn uuid(object: &Value) -> String {
    object["uuid"].as_str().unwrap().to_string()
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
