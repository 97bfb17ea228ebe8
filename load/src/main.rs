//! link-load: the load scenario of docs/reliability.md, run by
//! scripts/reliability against a release link-server on loopback.
//!
//! `link-load [goose flags]` runs people, each iteration one person: the
//! merchant creates their connect link (merchant API), they open the page
//! (the HTML, then its two preloaded reads), search the catalog (in the
//! browser: a pause, no request), submit an account with an
//! `Idempotency-Key` (some retry the same key and must get the same bytes),
//! and some then pay a checkout link the merchant creates for them. It
//! prints one row per endpoint (requests, per second, p50, p99, statuses),
//! writes every acknowledged account and payment to `LOAD_ACKED`, and exits
//! 1 on any 5xx, transport error, replay mismatch or unexpected status
//! (429 is expected only with `LOAD_ALLOW_429=1`).
//!
//! `link-load verify DB ACKED…` checks, with the server stopped, that every
//! acknowledged account is in the database once, its end user has no
//! second account, every acknowledged payment is COMPLETED, and
//! `PRAGMA integrity_check` is ok.
//!
//! Environment: `LOAD_API` (merchant API origin), `LOAD_TOKEN`,
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
    api: String,
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

static SET: LazyLock<Settings> = LazyLock::new(|| Settings {
    api: var("LOAD_API", "http://127.0.0.1:8081"),
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
static START: LazyLock<std::time::Instant> = LazyLock::new(std::time::Instant::now);
static NEXT: AtomicU64 = AtomicU64::new(0);

type Answer = Result<(u16, String), Box<TransactionError>>;

/// One named request; a transport error answers status 0.
async fn send(
    user: &mut GooseUser,
    name: &str,
    method: GooseMethod,
    url: &str,
    key: Option<&str>,
    body: Option<&Value>,
) -> Answer {
    let merchant = url.starts_with(&SET.api);
    let mut rb = user
        .get_request_builder(&method, url)?
        .header("Accept-Encoding", SET.encoding.as_str());
    if merchant {
        rb = rb
            .bearer_auth(&SET.token)
            .header("DRUO-Version", "2021-11-22");
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
            match r.bytes().await {
                Ok(b) => Ok((status, decoded(&b, br))),
                Err(_) => {
                    TRANSPORT_ERRORS.fetch_add(1, Ordering::Relaxed);
                    Ok((0, String::new()))
                }
            }
        }
        Err(_) => {
            TRANSPORT_ERRORS.fetch_add(1, Ordering::Relaxed);
            Ok((0, String::new()))
        }
    }
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

async fn think() {
    let ms = rand::thread_rng().gen_range(0..=SET.think_ms);
    tokio::time::sleep(Duration::from_millis(ms)).await;
}

fn one_in(n: u32) -> bool {
    rand::thread_rng().gen_range(0..n) == 0
}

/// A write with an `Idempotency-Key`; one in `LOAD_RETRY_ONE_IN` is sent
/// again with the same key, as after a lost answer, and must answer the
/// same status and bytes.
async fn write_once(
    user: &mut GooseUser,
    name: &str,
    retry_name: &str,
    path: &str,
    key: &str,
    body: &Value,
) -> Answer {
    let first = send(user, name, GooseMethod::Post, path, Some(key), Some(body)).await?;
    if (200..300).contains(&first.0) && one_in(SET.retry_one_in) {
        let again = send(
            user,
            retry_name,
            GooseMethod::Post,
            path,
            Some(key),
            Some(body),
        )
        .await?;
        if again != first && again.0 != 429 {
            MISMATCHES.fetch_add(1, Ordering::Relaxed);
            eprintln!("replay of {key} differs: {first:?} then {again:?}");
        }
    }
    Ok(first)
}

/// One person: connect an account, and maybe pay.
async fn person(user: &mut GooseUser) -> TransactionResult {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let api = SET.api.clone();
    let create = json!({
        "new_end_user_details": {"type": "INDIVIDUAL", "first_name": "Ana",
            "email": format!("load{n}@example.co"), "local_id_country": "COL"},
        "intro_text": "Connect your account using DRUO to receive or make payments"
    });
    let (s, t) = send(
        user,
        "merchant: create connect link",
        GooseMethod::Post,
        &format!("{api}/connect/link/create"),
        None,
        Some(&create),
    )
    .await?;
    if s != 200 {
        return Ok(());
    }
    let link = json_of(&t)["connect_link"].clone();
    let url = link["url"].as_str().unwrap_or("").to_string();
    let end_user = link["end_user"]["uuid"].as_str().unwrap_or("").to_string();
    let slug = slug_of(&url);

    // The page: its HTML, then the two reads its Link header preloads.
    send(
        user,
        "page: connect HTML",
        GooseMethod::Get,
        &url,
        None,
        None,
    )
    .await?;
    let link_path = format!("/api/v1/connect-links/{slug}");
    send(
        user,
        "api: GET connect link",
        GooseMethod::Get,
        &link_path,
        None,
        None,
    )
    .await?;
    send(
        user,
        "api: GET institutions",
        GooseMethod::Get,
        "/api/v1/institutions",
        None,
        None,
    )
    .await?;
    // Searching and typing happen in the browser over the catalog.
    think().await;
    let account = json!({"institution_uuid": DAVIVIENDA, "type": "DEPOSITORY",
        "subtype": "SAVINGS", "account_number": format!("4{:09}7", n % 1_000_000_000),
        "user_authorization": true});
    let (s, t) = write_once(
        user,
        "api: POST connect account",
        "api: POST connect account (retry)",
        &format!("{link_path}/accounts"),
        &format!("acct-{n}"),
        &account,
    )
    .await?;
    if !(200..300).contains(&s) {
        return Ok(());
    }
    let account_uuid = json_of(&t)["uuid"].as_str().unwrap_or("").to_string();
    if account_uuid.is_empty() || end_user.is_empty() {
        TRANSPORT_ERRORS.fetch_add(1, Ordering::Relaxed);
        eprintln!("unreadable answer: {t:?}");
        return Ok(());
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
    let (s, t) = send(
        user,
        "merchant: create checkout link",
        GooseMethod::Post,
        &format!("{api}/checkout/link/create"),
        None,
        Some(&create),
    )
    .await?;
    if s != 200 {
        return Ok(());
    }
    let url = json_of(&t)["checkout_link"]["url"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let slug = slug_of(&url);
    send(
        user,
        "page: checkout HTML",
        GooseMethod::Get,
        &url,
        None,
        None,
    )
    .await?;
    let link_path = format!("/api/v1/checkout-links/{slug}");
    send(
        user,
        "api: GET checkout link",
        GooseMethod::Get,
        &link_path,
        None,
        None,
    )
    .await?;
    send(
        user,
        "api: GET checkout accounts",
        GooseMethod::Get,
        &format!("{link_path}/accounts"),
        None,
        None,
    )
    .await?;
    think().await;
    let pay = json!({"account_uuid": account_uuid, "user_authorization": true});
    let (s, t) = write_once(
        user,
        "api: POST pay",
        "api: POST pay (retry)",
        &format!("{link_path}/pay"),
        &format!("pay-{n}"),
        &pay,
    )
    .await?;
    if (200..300).contains(&s) {
        let trx = json_of(&t)["transaction_uuid"]
            .as_str()
            .unwrap_or("")
            .to_string();
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
    println!(
        "over {} s, {} users: {} acknowledged writes, {transport} transport errors, \
         {mismatches} replay mismatches, {problems} unexpected statuses",
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
    problems + transport + mismatches
}

/// This process's CPU time (user + system) so far, from /proc.
fn own_cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which ends with the last ')'.
    let rest: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = rest.get(11)?.parse::<f64>().ok()? + rest.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn verify(db: &str, files: &[String]) -> Result<(), String> {
    let c = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| e.to_string())?;
    let q = |sql: &str, arg: &str| -> Result<i64, String> {
        c.query_row(sql, [arg], |r| r.get(0))
            .map_err(|e| e.to_string())
    };
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    let (mut accounts, mut payments, mut bad) = (0, 0, Vec::new());
    for f in files {
        let text = std::fs::read_to_string(f).map_err(|e| format!("{f}: {e}"))?;
        for line in text.lines() {
            let w: Vec<&str> = line.split_whitespace().collect();
            match w.as_slice() {
                ["account", uuid, end_user] => {
                    accounts += 1;
                    if q("SELECT COUNT(*) FROM accounts WHERE uuid = ?1", uuid)? != 1 {
                        bad.push(format!("account {uuid} missing"));
                    }
                    let n = q(
                        "SELECT COUNT(*) FROM accounts WHERE end_user_uuid = ?1",
                        end_user,
                    )?;
                    if n != 1 {
                        bad.push(format!("end user {end_user} has {n} accounts"));
                    }
                }
                ["payment", uuid] => {
                    payments += 1;
                    let n = q(
                        "SELECT COUNT(*) FROM transactions WHERE uuid = ?1 AND status = 'COMPLETED'",
                        uuid,
                    )?;
                    if n != 1 {
                        bad.push(format!("payment {uuid} not COMPLETED"));
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
    if ok != "ok" || !bad.is_empty() {
        return Err("verification failed".into());
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), GooseError> {
    LazyLock::force(&START);
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("verify") {
        if args.len() < 4 {
            eprintln!("usage: link-load verify DB ACKED…");
            std::process::exit(2);
        }
        if let Err(e) = verify(&args[2], &args[3..]) {
            eprintln!("{e}");
            std::process::exit(1);
        }
        return Ok(());
    }
    let metrics = GooseAttack::initialize()?
        .register_scenario(scenario!("person").register_transaction(transaction!(person)))
        .execute()
        .await?;
    let problems = report(&metrics);
    let mut out = std::fs::File::create(&SET.acked).map_err(GooseError::Io)?;
    for line in ACKED.lock().unwrap().iter() {
        writeln!(out, "{line}").map_err(GooseError::Io)?;
    }
    if problems > 0 {
        std::process::exit(1);
    }
    Ok(())
}
