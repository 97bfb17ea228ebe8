//! link-load: the load scenario of docs/reliability.md, run by
//! scripts/reliability against a release link-server on loopback.
//!
//! `link-load [goose flags]` runs people, each iteration one person: the
//! merchant creates their connect link (merchant API), they open the page
//! as a browser does (the HTML, which link-server renders with the link and
//! the reads it carries, then each read its `Link: rel=preload` header
//! names), search the catalog (in the browser: a pause, no request),
//! submit an account with an `Idempotency-Key` (some retry the same key
//! and must get the same bytes), and some then pay a checkout link the
//! merchant creates for them. It
//! prints one row per endpoint (requests, per second, p50, p99, statuses),
//! writes every acknowledged account and payment to `LOAD_ACKED`, and exits
//! 1 on any 5xx, transport error, replay mismatch, unexpected status (429
//! is expected only with `LOAD_ALLOW_429=1`), link page that came without
//! its server-rendered first screen, or sandbox outcome other than the
//! one its number asks for (a number ending in 4: the account CONNECTED,
//! its payment SUCCESSFUL).
//!
//! `link-load verify DB ACKED…` checks, with the servers stopped, that
//! every acknowledged account is in the database once, its end user has no
//! second account, every acknowledged payment is SUCCESSFUL, and the
//! database is sound: `PRAGMA integrity_check` on SQLite (DB a path);
//! on PostgreSQL (DB a `postgres://` url) amcheck's `verify_heapam` on
//! every table and `bt_index_check` (with `heapallindexed`) on every
//! index (the extension is created if missing: the url must be allowed
//! to).
//!
//! Environment: `LOAD_API` (the merchant API origin, or several separated
//! by spaces), `LOAD_LINK` (the hosted-link origins, separated by spaces;
//! default: the origin of the link's `url`, the instance that made it):
//! each virtual user keeps one of each, spread evenly ([`origins_of`]),
//! `LOAD_TOKEN`,
//! `LOAD_ACKED` (output file), `LOAD_ENCODING` (the Accept-Encoding sent,
//! default a browser's `gzip, deflate, br`), `LOAD_THINK_MS` (the longest
//! pause for the search, default 300), `LOAD_PAY_ONE_IN` (default 3),
//! `LOAD_RETRY_ONE_IN` (default 5).

use goose::prelude::*;
use rand::Rng;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

/// The demo seed's tenant: checkout links need one (`merchant add` makes
/// a merchant without tenants).
const TENANT: &str = "22637d15-5b37-4fb2-90e5-aa8751970469";
const DAVIVIENDA: &str = "ins_9082d56c-4e1d-4967-a828-b7001755e88e";

struct Settings {
    apis: Vec<String>,
    links: Vec<String>,
    token: String,
    acked: String,
    encoding: String,
    think_ms: u64,
    pay_one_in: u32,
    retry_one_in: u32,
    allow_429: bool,
}

fn var(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

fn origins(name: &str, default: &str) -> Vec<String> {
    var(name, default)
        .split_whitespace()
        .map(|o| o.trim_end_matches('/').to_string())
        .collect()
}

static SET: LazyLock<Settings> = LazyLock::new(|| Settings {
    apis: origins("LOAD_API", "http://127.0.0.1:8081"),
    links: origins("LOAD_LINK", ""),
    token: var("LOAD_TOKEN", ""),
    acked: var("LOAD_ACKED", "acked.txt"),
    encoding: var("LOAD_ENCODING", "gzip, deflate, br"),
    think_ms: var("LOAD_THINK_MS", "300").parse().unwrap_or(300),
    pay_one_in: var("LOAD_PAY_ONE_IN", "3").parse().unwrap_or(3).max(1),
    retry_one_in: var("LOAD_RETRY_ONE_IN", "5").parse().unwrap_or(5).max(1),
    allow_429: var("LOAD_ALLOW_429", "0") == "1",
});

/// Acknowledged writes: `account <uuid> <end user>` and `payment <uuid>`.
static ACKED: Mutex<Vec<String>> = Mutex::new(Vec::new());
static MISMATCHES: AtomicU64 = AtomicU64::new(0);
/// Transport errors and unreadable answers.
static TRANSPORT_ERRORS: AtomicU64 = AtomicU64::new(0);
/// Link pages that came without their server-rendered first screen.
static NOT_RENDERED: AtomicU64 = AtomicU64::new(0);
/// Accounts not CONNECTED or payments not SUCCESSFUL (the sandbox's
/// outcome for a number ending in 4).
static WRONG_OUTCOMES: AtomicU64 = AtomicU64::new(0);
static START: LazyLock<std::time::Instant> = LazyLock::new(std::time::Instant::now);
static NEXT: AtomicU64 = AtomicU64::new(0);

type Answer = Result<(u16, String), Box<TransactionError>>;

/// Who a request goes to: the merchant API (with the token) or a link
/// page's origin.
#[derive(Clone, Copy, PartialEq)]
enum To {
    Merchant,
    Page,
}

/// One named request.
#[derive(Clone, Copy)]
struct Call<'a> {
    /// Its name in the report.
    name: &'a str,
    method: GooseMethod,
    url: &'a str,
    to: To,
    /// Its `Idempotency-Key`, if any.
    key: Option<&'a str>,
    /// Its JSON body, if any.
    body: Option<&'a Value>,
}

/// Sends `call`; a transport error answers status 0.
async fn send(user: &mut GooseUser, call: Call<'_>) -> Answer {
    let (status, text, _) = send_full(user, call).await?;
    Ok((status, text))
}

/// [`send`], also answering the `Link` header.
async fn send_full(
    user: &mut GooseUser,
    call: Call<'_>,
) -> Result<(u16, String, String), Box<TransactionError>> {
    let Call {
        name,
        method,
        url,
        to,
        key,
        body,
    } = call;
    let merchant = to == To::Merchant;
    let mut rb = user
        .get_request_builder(&method, url)?
        .header("Accept-Encoding", SET.encoding.as_str());
    if merchant {
        rb = rb
            .bearer_auth(&SET.token)
            .header("DRUO-Version", "2021-11-22");
    } else {
        // What a page's own fetch sends: the public API takes writes from
        // the link's origin only (issue 25). `scheme://host:port` of `url`.
        let origin: Vec<&str> = url.splitn(4, '/').take(3).collect();
        rb = rb.header("Origin", origin.join("/"));
    }
    if let Some(k) = key {
        rb = rb.header("Idempotency-Key", k);
    }
    if let Some(b) = body {
        rb = rb.json(b);
    }
    let req = GooseRequest::builder()
        .method(method)
        .path(url)
        .name(name)
        .set_request_builder(rb)
        .build();
    let res = user.request(req).await?;
    match res.response {
        Ok(r) => {
            let status = r.status().as_u16();
            // reqwest decodes gzip itself; a browser also offers br.
            let br = r
                .headers()
                .get("content-encoding")
                .is_some_and(|v| v.as_bytes() == b"br");
            let link = r
                .headers()
                .get("link")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            match r.bytes().await {
                Ok(b) => Ok((status, decoded(&b, br), link)),
                Err(e) => {
                    transport_error(name, url, &e);
                    Ok((0, String::new(), String::new()))
                }
            }
        }
        Err(e) => {
            transport_error(name, url, &e);
            Ok((0, String::new(), String::new()))
        }
    }
}

/// Counts a transport error and says what it was, causes included (goose
/// logs only the outermost).
fn transport_error(name: &str, url: &str, e: &dyn std::error::Error) {
    TRANSPORT_ERRORS.fetch_add(1, Ordering::Relaxed);
    let mut what = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        what.push_str(&format!(": {c}"));
        cause = c.source();
    }
    eprintln!("transport error on {name} ({url}): {what}");
}

fn decoded(bytes: &[u8], br: bool) -> String {
    let mut out = Vec::new();
    if br {
        let mut r = brotli_decompressor::Decompressor::new(bytes, 4096);
        if std::io::Read::read_to_end(&mut r, &mut out).is_err() {
            return String::new();
        }
    } else {
        out = bytes.to_vec();
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

fn slug_of(url: &str) -> String {
    url.split("sl=").nth(1).unwrap_or("").to_string()
}

/// `url` split into its origin (`http://host:port`) and the rest.
fn split_origin(url: &str) -> (&str, &str) {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let at = url[after_scheme..]
        .find('/')
        .map_or(url.len(), |i| after_scheme + i);
    url.split_at(at)
}

/// The URLs a `Link` header preloads (`<url>; rel=preload; …`).
fn preloads(link_header: &str) -> Vec<String> {
    link_header
        .split(',')
        .filter(|part| part.contains("rel=preload"))
        .filter_map(|part| {
            let start = part.find('<')? + 1;
            let end = part[start..].find('>')? + start;
            Some(part[start..end].to_string())
        })
        .collect()
}

/// The request name of a preloaded read, as the table shows it.
fn read_name(path: &str) -> &'static str {
    let path = path.split('?').next().unwrap_or(path);
    if path.ends_with("/institutions") {
        "api: GET institutions"
    } else if path.contains("/checkout-links/") && path.ends_with("/accounts") {
        "api: GET checkout accounts"
    } else if path.contains("/checkout-links/") {
        "api: GET checkout link"
    } else if path.contains("/connect-links/") {
        "api: GET connect link"
    } else {
        "api: GET other preloaded read"
    }
}

/// A link page as a browser loads it: the HTML at `url` (moved to
/// `origin`, the person's link origin), which must carry its
/// server-rendered first screen, then every read its `Link` header
/// preloads (the browser fetches them while the app's files arrive).
/// Its assets (scripts, wasm, styles) are left out: they are hashed,
/// cached for a year, and the same for every link.
async fn open_page(user: &mut GooseUser, name: &str, origin: &str, url: &str) -> Answer {
    let (_, rest) = split_origin(url);
    let page = format!("{origin}{rest}");
    let (status, html, link) = send_full(user, get_page(name, &page)).await?;
    if status == 200 && !html.contains("id=\"druo-link-data\"") {
        NOT_RENDERED.fetch_add(1, Ordering::Relaxed);
        eprintln!("{name}: {page} came without its first screen");
    }
    for read in preloads(&link) {
        let at = if read.starts_with('/') {
            format!("{origin}{read}")
        } else {
            read.clone()
        };
        send(user, get_page(read_name(&read), &at)).await?;
    }
    Ok((status, html))
}

async fn think() {
    let ms = rand::thread_rng().gen_range(0..=SET.think_ms);
    tokio::time::sleep(Duration::from_millis(ms)).await;
}

fn one_in(n: u32) -> bool {
    rand::thread_rng().gen_range(0..n) == 0
}

/// A write with an `Idempotency-Key`, named `name`; one in
/// `LOAD_RETRY_ONE_IN` is sent again with the same key (named `name
/// (retry)`), as after a lost answer, and must answer the same status and
/// bytes.
async fn write_once(
    user: &mut GooseUser,
    name: &str,
    path: &str,
    key: &str,
    body: &Value,
) -> Answer {
    let call = Call {
        name,
        method: GooseMethod::Post,
        url: path,
        to: To::Page,
        key: Some(key),
        body: Some(body),
    };
    let first = send(user, call).await?;
    if (200..300).contains(&first.0) && one_in(SET.retry_one_in) {
        let retry = format!("{name} (retry)");
        let again = send(
            user,
            Call {
                name: &retry,
                ..call
            },
        )
        .await?;
        if again != first && again.0 != 429 {
            MISMATCHES.fetch_add(1, Ordering::Relaxed);
            eprintln!("replay of {key} differs: {first:?} then {again:?}");
        }
    }
    Ok(first)
}

/// A page's `GET` of `url`, named `name`.
fn get_page<'a>(name: &'a str, url: &'a str) -> Call<'a> {
    Call {
        name,
        method: GooseMethod::Get,
        url,
        to: To::Page,
        key: None,
        body: None,
    }
}

/// Creates a `kind` link (`connect` or `checkout`) through the merchant
/// API at `api`: the link object, or `None` when it did not answer 200.
async fn create_link(
    user: &mut GooseUser,
    api: &str,
    kind: &str,
    body: &Value,
) -> Result<Option<Value>, Box<TransactionError>> {
    let name = format!("merchant: create {kind} link");
    let url = format!("{api}/{kind}/link/create");
    let call = Call {
        name: &name,
        method: GooseMethod::Post,
        url: &url,
        to: To::Merchant,
        key: None,
        body: Some(body),
    };
    let (status, text) = send(user, call).await?;
    Ok((status == 200).then(|| json_of(&text)[format!("{kind}_link")].clone()))
}

/// The origins virtual user `u` keeps (a browser keeps its connections):
/// merchant API `u mod A` and link origin `(u div A) mod L`, so that with
/// two of each every pairing occurs, a link made on one instance being
/// opened on the other as often as on its own, and each instance takes
/// half of each kind of traffic. `None` for the link origin: the link's.
fn origins_of(u: usize) -> (String, Option<String>) {
    let apis = SET.apis.len().max(1);
    let api = SET.apis.get(u % apis).cloned().unwrap_or_default();
    let link = match SET.links.len() {
        0 => None,
        n => SET.links.get((u / apis) % n).cloned(),
    };
    (api, link)
}

/// One person: connect an account, and maybe pay, on the origins their
/// virtual user keeps ([`origins_of`]).
async fn person(user: &mut GooseUser) -> TransactionResult {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let (api, link_origin) = origins_of(user.weighted_users_index);
    let create = json!({
        "new_end_user_details": {"type": "INDIVIDUAL", "first_name": "Ana",
            "email": format!("load{n}@example.co"), "local_id_country": "COL"},
        "intro_text": "Connect your account using DRUO to receive or make payments"
    });
    let Some(link) = create_link(user, &api, "connect", &create).await? else {
        return Ok(());
    };
    let url = link["url"].as_str().unwrap_or("").to_string();
    let end_user = link["end_user"]["uuid"].as_str().unwrap_or("").to_string();
    let slug = slug_of(&url);
    let origin = link_origin.unwrap_or_else(|| split_origin(&url).0.to_string());

    // The page as a browser loads it: its HTML, then what it preloads.
    open_page(user, "page: connect HTML", &origin, &url).await?;
    let link_path = format!("{origin}/api/v1/connect-links/{slug}");
    // Searching and typing happen in the browser over the catalog.
    think().await;
    let account = json!({"institution_uuid": DAVIVIENDA, "type": "DEPOSITORY",
        "subtype": "SAVINGS", "account_number": format!("4{:09}4", n % 1_000_000_000),
        "user_authorization": true});
    let (s, t) = write_once(
        user,
        "api: POST connect account",
        &format!("{link_path}/accounts"),
        &format!("acct-{n}"),
        &account,
    )
    .await?;
    if !(200..300).contains(&s) {
        return Ok(());
    }
    let answer = json_of(&t);
    let account_uuid = answer["uuid"].as_str().unwrap_or("").to_string();
    if account_uuid.is_empty() || end_user.is_empty() {
        TRANSPORT_ERRORS.fetch_add(1, Ordering::Relaxed);
        eprintln!("unreadable answer: {t:?}");
        return Ok(());
    }
    // The sandbox connects a number ending in 4 at once.
    if answer["current_status"] != "CONNECTED" {
        WRONG_OUTCOMES.fetch_add(1, Ordering::Relaxed);
        eprintln!("account not CONNECTED: {t}");
    }
    ACKED
        .lock()
        .unwrap()
        .push(format!("account {account_uuid} {end_user}"));

    if !one_in(SET.pay_one_in) {
        return Ok(());
    }
    let create = json!({
        "existing_end_user_id": end_user, "link_name": "Order", "primary_reference": format!("L{n}"),
        "transaction": {"tenant_id": TENANT, "amount": 20000, "description": "Policy renewal",
                        "statement_descriptor": "NOVO* POLICY"}
    });
    let Some(link) = create_link(user, &api, "checkout", &create).await? else {
        return Ok(());
    };
    let url = link["url"].as_str().unwrap_or("").to_string();
    let slug = slug_of(&url);
    open_page(user, "page: checkout HTML", &origin, &url).await?;
    let link_path = format!("{origin}/api/v1/checkout-links/{slug}");
    think().await;
    let pay = json!({"account_uuid": account_uuid, "user_authorization": true});
    let (s, t) = write_once(
        user,
        "api: POST pay",
        &format!("{link_path}/pay"),
        &format!("pay-{n}"),
        &pay,
    )
    .await?;
    if (200..300).contains(&s) {
        let answer = json_of(&t);
        let trx = answer["transaction_uuid"]
            .as_str()
            .unwrap_or("")
            .to_string();
        // Paid from an account ending in 4: SUCCESSFUL.
        if answer["status"] != "SUCCESSFUL" {
            WRONG_OUTCOMES.fetch_add(1, Ordering::Relaxed);
            eprintln!("payment not SUCCESSFUL: {t}");
        }
        ACKED.lock().unwrap().push(format!("payment {trx}"));
    }
    Ok(())
}

/// The per-endpoint table; answers the number of problems seen.
fn report(m: &GooseMetrics) -> u64 {
    let secs = m.duration.max(1) as f64;
    let mut rows: BTreeMap<String, String> = BTreeMap::new();
    let (mut problems, mut total, mut limited) = (0u64, 0usize, 0usize);
    for agg in m.requests.values() {
        let mut codes: Vec<_> = agg.status_code_counts.iter().collect();
        codes.sort();
        let mut cell = Vec::new();
        for (&code, &count) in codes {
            cell.push(format!("{code}×{count}"));
            let ok = (200..300).contains(&code) || (code == 429 && SET.allow_429);
            if code == 429 {
                limited += count;
            }
            if !ok {
                problems += count as u64;
            }
        }
        let t = &agg.raw_data;
        total += t.counter;
        rows.insert(
            agg.path.clone(),
            format!(
                "| {} | {} | {:.0} | {:.1} | {:.1} | {} |",
                agg.path,
                t.counter,
                t.counter as f64 / secs,
                t.percentile_us(0.5) as f64 / 1000.0,
                t.percentile_us(0.99) as f64 / 1000.0,
                cell.join(" ")
            ),
        );
    }
    println!("| endpoint | requests | per s | p50 ms | p99 ms | statuses |");
    println!("| --- | ---: | ---: | ---: | ---: | --- |");
    for r in rows.values() {
        println!("{r}");
    }
    println!(
        "| all | {total} | {:.0} | | | {limited} × 429 |",
        total as f64 / secs
    );
    let transport = TRANSPORT_ERRORS.load(Ordering::Relaxed);
    let mismatches = MISMATCHES.load(Ordering::Relaxed);
    let not_rendered = NOT_RENDERED.load(Ordering::Relaxed);
    let wrong = WRONG_OUTCOMES.load(Ordering::Relaxed);
    println!(
        "over {} s, {} users: {} acknowledged writes, {transport} transport errors, \
         {mismatches} replay mismatches, {problems} unexpected statuses, \
         {not_rendered} pages without their first screen, {wrong} wrong outcomes",
        m.duration,
        m.maximum_users,
        ACKED.lock().unwrap().len()
    );
    if let Some(cpu) = own_cpu_secs() {
        println!(
            "load generator (goose) CPU: {:.0}% of one core, over its whole run",
            100.0 * cpu / START.elapsed().as_secs_f64()
        );
    }
    problems + transport + mismatches + not_rendered + wrong
}

/// This process's CPU time (user + system) so far, from /proc.
fn own_cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which ends with the last ')'.
    let rest: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = rest.get(11)?.parse::<f64>().ok()? + rest.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// The database `link-load verify` reads: a SQLite file or PostgreSQL.
enum Checked {
    Sqlite(rusqlite::Connection),
    Postgres(postgres::Client),
}

impl Checked {
    fn open(db: &str) -> Result<Checked, String> {
        if db.starts_with("postgres://") || db.starts_with("postgresql://") {
            let c = postgres::Client::connect(db, postgres::NoTls).map_err(|e| e.to_string())?;
            Ok(Checked::Postgres(c))
        } else {
            let c = rusqlite::Connection::open_with_flags(
                db,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
            )
            .map_err(|e| e.to_string())?;
            Ok(Checked::Sqlite(c))
        }
    }

    /// A count with one text argument, written with `?1` (`$1` on
    /// PostgreSQL).
    fn count(&mut self, sql: &str, arg: &str) -> Result<i64, String> {
        match self {
            Checked::Sqlite(c) => c
                .query_row(sql, [arg], |r| r.get(0))
                .map_err(|e| e.to_string()),
            Checked::Postgres(c) => c
                .query_one(sql.replace("?1", "$1").as_str(), &[&arg])
                .map(|r| r.get::<_, i64>(0))
                .map_err(|e| e.to_string()),
        }
    }

    /// "ok", or what the engine's own check found.
    fn integrity(&mut self) -> Result<String, String> {
        match self {
            Checked::Sqlite(c) => c
                .query_row("PRAGMA integrity_check", [], |r| r.get(0))
                .map_err(|e| e.to_string()),
            Checked::Postgres(c) => {
                c.batch_execute("CREATE EXTENSION IF NOT EXISTS amcheck")
                    .map_err(|e| format!("amcheck: {e}"))?;
                // Every table's heap, then every B-tree index against its
                // table (heapallindexed: each row is in its indexes); a
                // broken index raises an error.
                let rels = |c: &mut postgres::Client, kind: &str| -> Result<Vec<u32>, String> {
                    c.query(
                        "SELECT c.oid FROM pg_class c
                         JOIN pg_namespace n ON n.oid = c.relnamespace
                         JOIN pg_am a ON a.oid = c.relam
                         WHERE n.nspname = 'public' AND c.relkind::text = $1
                           AND a.amname = CASE $1 WHEN 'r' THEN 'heap' ELSE 'btree' END",
                        &[&kind],
                    )
                    .map(|rows| rows.iter().map(|r| r.get(0)).collect())
                    .map_err(|e| e.to_string())
                };
                let (mut heap, tables) = (0i64, rels(c, "r")?);
                for t in &tables {
                    heap += c
                        .query_one(
                            "SELECT COUNT(*) FROM verify_heapam($1::oid::regclass)",
                            &[t],
                        )
                        .map(|r| r.get::<_, i64>(0))
                        .map_err(|e| format!("verify_heapam: {e}"))?;
                }
                let indexes = rels(c, "i")?;
                for i in &indexes {
                    c.execute("SELECT bt_index_check($1::oid::regclass, true)", &[i])
                        .map_err(|e| format!("bt_index_check: {e}"))?;
                }
                let (tables, indexes) = (tables.len(), indexes.len());
                Ok(if heap == 0 {
                    format!("ok (amcheck: {tables} tables, {indexes} indexes)")
                } else {
                    format!("{heap} corrupt heap entries")
                })
            }
        }
    }
}

fn verify(db: &str, files: &[String]) -> Result<(), String> {
    let mut c = Checked::open(db)?;
    let ok = c.integrity()?;
    let (mut accounts, mut payments, mut bad) = (0, 0, Vec::new());
    for f in files {
        let text = std::fs::read_to_string(f).map_err(|e| format!("{f}: {e}"))?;
        for line in text.lines() {
            let w: Vec<&str> = line.split_whitespace().collect();
            match w.as_slice() {
                ["account", uuid, end_user] => {
                    accounts += 1;
                    if c.count("SELECT COUNT(*) FROM accounts WHERE uuid = ?1", uuid)? != 1 {
                        bad.push(format!("account {uuid} missing"));
                    }
                    let n = c.count(
                        "SELECT COUNT(*) FROM accounts WHERE end_user_uuid = ?1",
                        end_user,
                    )?;
                    if n != 1 {
                        bad.push(format!("end user {end_user} has {n} accounts"));
                    }
                }
                ["payment", uuid] => {
                    payments += 1;
                    let n = c.count(
                        "SELECT COUNT(*) FROM transactions WHERE uuid = ?1 AND status = 'SUCCESSFUL'",
                        uuid,
                    )?;
                    if n != 1 {
                        bad.push(format!("payment {uuid} not SUCCESSFUL"));
                    }
                }
                _ => bad.push(format!("bad line {line:?}")),
            }
        }
    }
    println!(
        "verify: {accounts} acknowledged accounts, {payments} acknowledged payments, \
         integrity {ok}, {} problems",
        bad.len()
    );
    for b in bad.iter().take(20) {
        println!("  {b}");
    }
    if !ok.starts_with("ok") || !bad.is_empty() {
        return Err("verification failed".into());
    }
    Ok(())
}

fn main() {
    LazyLock::force(&START);
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("verify") {
        // Before any async runtime: the synchronous PostgreSQL client
        // runs one of its own.
        if args.len() < 4 {
            eprintln!(
                "usage: link-load verify DB ACKED…  (DB: a SQLite path or a postgres:// url)"
            );
            std::process::exit(2);
        }
        if let Err(e) = verify(&args[2], &args[3..]) {
            eprintln!("{e}");
            std::process::exit(1);
        }
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    match runtime.block_on(attack()) {
        Ok(0) => {}
        Ok(_) => std::process::exit(1),
        Err(e) => {
            eprintln!("link-load: {e}");
            std::process::exit(1);
        }
    }
}

/// Runs the people; answers the number of problems seen.
async fn attack() -> Result<u64, GooseError> {
    let metrics = GooseAttack::initialize()?
        .register_scenario(scenario!("person").register_transaction(transaction!(person)))
        .execute()
        .await?;
    let problems = report(&metrics);
    let mut out = std::fs::File::create(&SET.acked).map_err(GooseError::Io)?;
    for line in ACKED.lock().unwrap().iter() {
        writeln!(out, "{line}").map_err(GooseError::Io)?;
    }
    Ok(problems)
}
