//! The database: where it is (`--db`: a SQLite file or a PostgreSQL url),
//! opening it with its settings, the schema and its migrations for both
//! engines, and running the store's blocking work off the async threads,
//! each unit of work in one transaction.
//!
//! Correctness comes from the database, not from this process: a write
//! transaction on SQLite is `BEGIN IMMEDIATE` (the one writer, across
//! processes), and on PostgreSQL the store locks the rows it checks and
//! completes (`Conn::for_update`). The in-process writer queue on SQLite
//! only spares writers SQLite's busy-wait.

use crate::store::error::{sqlite_failed, StoreError, StoreResult};
use crate::store::sql::{Conn, PgConn, SqlConn};
use rusqlite::{Connection, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The columns every link table starts with: identity and owner.
macro_rules! link_head {
    () => {
        "
    uuid TEXT PRIMARY KEY,
    merchant_id INTEGER NOT NULL REFERENCES merchants(id),
    code TEXT NOT NULL UNIQUE,
    slug TEXT NOT NULL UNIQUE,
    end_user_uuid TEXT NOT NULL REFERENCES end_users(uuid),"
    };
}

/// The columns every link table ends with (after its own), closing the
/// table: `store::links::COLS` reads these and [`link_head!`]'s.
macro_rules! link_tail {
    () => {
        "
    colors TEXT NOT NULL DEFAULT '{}',
    default_institution TEXT,
    primary_reference TEXT, secondary_reference TEXT,
    default_language TEXT NOT NULL,
    redirect_url TEXT,
    expiration_ms INTEGER,
    custom_confirmation_page INTEGER NOT NULL,
    metadata TEXT NOT NULL DEFAULT '{}',
    delivery_status TEXT NOT NULL,
    created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL
);"
    };
}

/// SQLite's schema, one entry per version; applied in order, each in a
/// transaction, and recorded in `user_version`.
const MIGRATIONS: &[&str] = &[
    concat!(
        r#"
CREATE TABLE merchants (
    id INTEGER PRIMARY KEY,
    business_name TEXT NOT NULL UNIQUE,
    token_hash TEXT NOT NULL UNIQUE,
    created_ms INTEGER NOT NULL
);
CREATE TABLE secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE tenants (
    uuid TEXT PRIMARY KEY,
    merchant_id INTEGER NOT NULL REFERENCES merchants(id),
    name TEXT NOT NULL
);
CREATE TABLE institutions (
    uuid TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    subtypes TEXT NOT NULL,
    popularity INTEGER
);
CREATE TABLE end_users (
    uuid TEXT PRIMARY KEY,
    merchant_id INTEGER NOT NULL REFERENCES merchants(id),
    code TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    first_name TEXT, last_name TEXT, organization TEXT,
    local_id TEXT, local_id_type TEXT, local_id_country TEXT,
    date_of_birth TEXT, email TEXT, phone_number TEXT,
    address TEXT, preferred_language TEXT, note TEXT,
    primary_reference TEXT, secondary_reference TEXT,
    metadata TEXT NOT NULL DEFAULT '{}',
    creation_source TEXT NOT NULL,
    created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL
);
CREATE INDEX end_users_merchant ON end_users(merchant_id);
CREATE TABLE connect_links (
"#,
        link_head!(),
        r#"    intro_text TEXT NOT NULL,
"#,
        link_tail!(),
        r#"
CREATE INDEX connect_links_list ON connect_links(merchant_id, created_ms DESC);
CREATE TABLE transactions (
    uuid TEXT PRIMARY KEY,
    merchant_id INTEGER NOT NULL REFERENCES merchants(id),
    code TEXT NOT NULL UNIQUE,
    tenant_uuid TEXT NOT NULL REFERENCES tenants(uuid),
    status TEXT NOT NULL,
    amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    description TEXT, statement_descriptor TEXT,
    auto_send_receipt INTEGER NOT NULL,
    primary_reference TEXT, secondary_reference TEXT,
    metadata TEXT NOT NULL DEFAULT '{}',
    decline_reason TEXT,
    account_uuid TEXT,
    created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL
);
CREATE TABLE checkout_links (
"#,
        link_head!(),
        r#"    transaction_uuid TEXT NOT NULL REFERENCES transactions(uuid),
    link_name TEXT NOT NULL,
    link_description TEXT,
"#,
        link_tail!(),
        r#"
CREATE TABLE accounts (
    uuid TEXT PRIMARY KEY,
    merchant_id INTEGER NOT NULL REFERENCES merchants(id),
    code TEXT NOT NULL UNIQUE,
    end_user_uuid TEXT NOT NULL REFERENCES end_users(uuid),
    institution_uuid TEXT NOT NULL REFERENCES institutions(uuid),
    source_connect_link TEXT,
    current_status TEXT NOT NULL,
    requires_account_validation INTEGER NOT NULL,
    pending_account_validations TEXT,
    remarks TEXT,
    last_4 TEXT NOT NULL,
    type TEXT NOT NULL,
    subtype TEXT NOT NULL,
    routing_number TEXT,
    primary_reference TEXT, secondary_reference TEXT,
    metadata TEXT NOT NULL DEFAULT '{}',
    creation_source TEXT NOT NULL,
    created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL
);
CREATE TABLE idempotency (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
);
"#
    ),
    // 2: the account number's keyed fingerprint, so the same account of an
    // end user is found again instead of duplicated (never the number
    // itself), and the account each connect link was completed with.
    r#"
ALTER TABLE accounts ADD COLUMN number_fingerprint TEXT;
CREATE INDEX accounts_same_number
    ON accounts(end_user_uuid, institution_uuid, subtype, number_fingerprint);
ALTER TABLE connect_links ADD COLUMN account_uuid TEXT REFERENCES accounts(uuid);
"#,
    // 3: each institution's brand colour and short mark, so the picker
    // draws institutions people recognise. Empty until the catalog seed
    // (run on every start) fills them; the page treats empty as neutral.
    r#"
ALTER TABLE institutions ADD COLUMN brand_color TEXT NOT NULL DEFAULT '';
ALTER TABLE institutions ADD COLUMN mark TEXT NOT NULL DEFAULT '';
"#,
    // 4: DRUO's vocabulary (docs/api.md, "Migrating a database"). Old
    // statuses map to DRUO's by the flow that made the account (the
    // merchant API's validate, or a link's connection); a payment's
    // `decline_reason` is copied into DRUO's `remarks` (the old column
    // stays, so nothing stored is lost); amounts were whole pesos and are
    // now in centavos, the currency's smallest unit. Wrong deposit codes
    // are counted per account, and a checkout remembers the new account
    // whose pending validation its payer is finishing.
    r#"
ALTER TABLE accounts ADD COLUMN otp_wrong INTEGER NOT NULL DEFAULT 0;
ALTER TABLE checkout_links ADD COLUMN account_uuid TEXT REFERENCES accounts(uuid);
UPDATE accounts SET current_status = CASE
        WHEN creation_source = 'MERCHANT_API' THEN 'VALIDATED' ELSE 'CONNECTED' END
    WHERE current_status = 'VERIFIED';
UPDATE accounts SET current_status = 'VERIFICATION_PENDING'
    WHERE current_status = 'VALIDATION_PENDING' AND creation_source != 'MERCHANT_API';
UPDATE accounts SET current_status = CASE
        WHEN creation_source = 'MERCHANT_API' THEN 'VALIDATION_FAILED' ELSE 'CONNECTION_FAILED' END
    WHERE current_status = 'REJECTED';
UPDATE accounts SET remarks = 'INVALID_DETAILS' WHERE remarks = 'OTHER';
UPDATE accounts SET pending_account_validations =
        replace(pending_account_validations, '"action":"OTHER"', '"action":"CONFIRM_REQUEST_WITH_INSTITUTION"')
    WHERE pending_account_validations IS NOT NULL;
ALTER TABLE transactions ADD COLUMN remarks TEXT;
UPDATE transactions SET status = 'SUCCESSFUL' WHERE status = 'COMPLETED';
UPDATE transactions SET status = 'FAILED' WHERE status = 'DECLINED';
UPDATE transactions SET remarks = CASE
        WHEN decline_reason = 'INSUFFICIENT_FUNDS' THEN 'INSUFFICIENT_FUNDS'
        ELSE 'INSTITUTION_CANNOT_PROCESS_TRANSACTION' END
    WHERE decline_reason IS NOT NULL;
UPDATE transactions SET amount = amount * 100;
"#,
    // 5: the merchant list of checkout links reads by (merchant, time) as
    // connect links do; old idempotency records are pruned by age; the
    // public API's rate limits are kept here, so every instance on the
    // database enforces one limit.
    r#"
CREATE INDEX checkout_links_list ON checkout_links(merchant_id, created_ms DESC);
CREATE INDEX idempotency_age ON idempotency(created_ms);
CREATE TABLE rate_buckets (
    bucket TEXT PRIMARY KEY,
    tokens REAL NOT NULL,
    at_ms INTEGER NOT NULL
);
CREATE INDEX rate_buckets_age ON rate_buckets(at_ms);
CREATE TABLE rate_charges (
    bucket TEXT NOT NULL,
    request TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    PRIMARY KEY (bucket, request)
);
CREATE INDEX rate_charges_age ON rate_charges(at_ms);
"#,
    // 6 (issue 25): a rotated merchant token may stay valid for a grace
    // period, and each token's last use is kept (coarsely); an end user's
    // personal fields are sealed under the service's key (`sealed_key`
    // names the key, NULL for a row not sealed yet), with keyed blind
    // indexes for the documented list filters.
    r#"
ALTER TABLE merchants ADD COLUMN previous_token_hash TEXT;
ALTER TABLE merchants ADD COLUMN previous_token_until_ms INTEGER;
ALTER TABLE merchants ADD COLUMN last_used_ms INTEGER;
ALTER TABLE merchants ADD COLUMN previous_token_used_ms INTEGER;
CREATE INDEX merchants_previous_token ON merchants(previous_token_hash);
ALTER TABLE end_users ADD COLUMN sealed_key TEXT;
ALTER TABLE end_users ADD COLUMN email_index TEXT;
ALTER TABLE end_users ADD COLUMN local_id_index TEXT;
CREATE INDEX end_users_email_index ON end_users(merchant_id, email_index);
CREATE INDEX end_users_local_id_index ON end_users(merchant_id, local_id_index);
"#,
    // 7 (issue 26): each merchant's signing secret, the key of its signed
    // redirects, sealed under the service's key and bound to its row.
    r#"
ALTER TABLE merchants ADD COLUMN signing_secret TEXT;
"#,
    // 8 (issue 26): webhooks. A merchant's endpoints (secret and headers
    // sealed); each event, written in the transaction of the change that
    // causes it, with its body kept once rendered (sealed); one delivery
    // per event and endpoint, claimed by a sender for a lease. A link's
    // expiry is announced once (`expiry_announced`).
    r#"
CREATE TABLE webhooks (
    uuid TEXT PRIMARY KEY,
    merchant_id INTEGER NOT NULL REFERENCES merchants(id),
    url TEXT NOT NULL,
    description TEXT,
    events TEXT,
    secret TEXT NOT NULL,
    headers TEXT,
    disabled_ms INTEGER,
    created_ms INTEGER NOT NULL
);
CREATE INDEX webhooks_merchant ON webhooks(merchant_id, disabled_ms);
CREATE TABLE webhook_events (
    seq INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    merchant_id INTEGER NOT NULL REFERENCES merchants(id),
    type TEXT NOT NULL,
    object_uuid TEXT NOT NULL,
    change TEXT NOT NULL,
    payload TEXT,
    created_ms INTEGER NOT NULL
);
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    event_seq INTEGER NOT NULL REFERENCES webhook_events(seq),
    webhook_uuid TEXT NOT NULL REFERENCES webhooks(uuid),
    object_uuid TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_ms INTEGER NOT NULL,
    window_start_ms INTEGER NOT NULL,
    claimed_by TEXT,
    claimed_until_ms INTEGER,
    last_status INTEGER,
    last_error TEXT,
    last_ms INTEGER,
    delivered_ms INTEGER,
    created_ms INTEGER NOT NULL,
    UNIQUE (event_seq, webhook_uuid)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_ms);
CREATE INDEX webhook_deliveries_order ON webhook_deliveries(webhook_uuid, object_uuid, event_seq);
CREATE INDEX webhook_deliveries_age ON webhook_deliveries(state, created_ms);
ALTER TABLE connect_links ADD COLUMN expiry_announced INTEGER NOT NULL DEFAULT 0;
ALTER TABLE checkout_links ADD COLUMN expiry_announced INTEGER NOT NULL DEFAULT 0;
CREATE INDEX connect_links_expiry ON connect_links(expiry_announced, expiration_ms);
CREATE INDEX checkout_links_expiry ON checkout_links(expiry_announced, expiration_ms);
"#,
    // 9: each institution's account-number digit counts, comma-separated
    // ("11", "6,7,8,9"); empty until the catalog seed (run on every start)
    // fills them, and empty means 6 to 20 (`core::input::number_lengths`).
    r#"
ALTER TABLE institutions ADD COLUMN number_lengths TEXT NOT NULL DEFAULT '';
"#,
    // 10: receipt emails (issue 27), an outbox written with the payment:
    // what the receipt reports (the status and time of that payment), to
    // whom (the end user, whose sealed email is read when it is sent), in
    // which language, and the sender's lease and retries.
    r#"
CREATE TABLE receipt_emails (
    id INTEGER PRIMARY KEY,
    link_uuid TEXT NOT NULL,
    transaction_uuid TEXT NOT NULL,
    account_uuid TEXT NOT NULL,
    end_user_uuid TEXT NOT NULL,
    lang TEXT NOT NULL,
    status TEXT NOT NULL,
    paid_ms INTEGER NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_ms INTEGER NOT NULL,
    claimed_by TEXT,
    claimed_until_ms INTEGER,
    last_error TEXT,
    sent_ms INTEGER,
    created_ms INTEGER NOT NULL
);
CREATE INDEX receipt_emails_due ON receipt_emails(state, next_ms);
CREATE INDEX receipt_emails_transaction ON receipt_emails(transaction_uuid, id);
"#,
];

/// What PostgreSQL adds to SQLite's migration of the same number: the
/// tables the store orders by insertion carry SQLite's implicit `rowid`
/// as a column, so lists read in the same order on both engines.
const PG_EXTRA: &[(usize, &str)] = &[(
    1,
    "ALTER TABLE tenants ADD COLUMN rowid BIGSERIAL;
ALTER TABLE end_users ADD COLUMN rowid BIGSERIAL;
ALTER TABLE connect_links ADD COLUMN rowid BIGSERIAL;
ALTER TABLE checkout_links ADD COLUMN rowid BIGSERIAL;
ALTER TABLE accounts ADD COLUMN rowid BIGSERIAL;",
)];

/// SQLite's migration `version` (1-based) in PostgreSQL's words: the one
/// schema, declared once. SQLite's integers are 64-bit (`BIGINT`, and an
/// `INTEGER PRIMARY KEY` is an identity: `BIGSERIAL`), its reals doubles;
/// the statements themselves are the SQL both engines share.
pub fn postgres_migration(version: usize) -> Option<String> {
    let sqlite = MIGRATIONS.get(version.checked_sub(1)?)?;
    let mut sql = sqlite
        .replace("INTEGER PRIMARY KEY", "BIGSERIAL PRIMARY KEY")
        .replace("INTEGER", "BIGINT")
        .replace(" REAL", " DOUBLE PRECISION");
    for (_, extra) in PG_EXTRA.iter().filter(|(v, _)| *v == version) {
        sql.push_str(extra);
    }
    Some(sql)
}

/// The newest schema this binary knows, on either engine.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Where the database is: `--db` (`LINK_DB`) takes a path or
/// `sqlite:PATH` (SQLite, the default) or `postgres://…` (PostgreSQL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite file, created if missing.
    Sqlite(PathBuf),
    /// A PostgreSQL connection url (`postgres://user:pass@host:port/db`,
    /// or `?host=/socket/dir`).
    Postgres(String),
}

impl std::str::FromStr for Location {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(
            if s.starts_with("postgres://") || s.starts_with("postgresql://") {
                Location::Postgres(s.to_string())
            } else {
                Location::Sqlite(PathBuf::from(s.strip_prefix("sqlite:").unwrap_or(s)))
            },
        )
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Sqlite(p) => write!(f, "{}", p.display()),
            // The url may hold a password: say only which engine.
            Location::Postgres(_) => f.write_str("postgres://…"),
        }
    }
}

impl Location {
    /// The location as `--db` takes it (the url in full, password and all).
    pub fn arg(&self) -> String {
        match self {
            Location::Sqlite(p) => p.display().to_string(),
            Location::Postgres(url) => url.clone(),
        }
    }

    /// The folder for files kept beside the database (the demo token):
    /// the SQLite file's, or the working directory's `data/`.
    pub fn folder(&self) -> PathBuf {
        match self {
            Location::Sqlite(p) => p
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            Location::Postgres(_) => PathBuf::from("data"),
        }
    }
}

/// How long a request waits for a connection before it is refused as
/// unavailable (503), rather than queueing without bound.
const POOL_WAIT: Duration = Duration::from_secs(5);
/// Read connections per SQLite process (WAL lets them read while one
/// writes).
const SQLITE_READERS: u32 = 4;
/// Connections per instance to PostgreSQL.
const PG_CONNECTIONS: u32 = 8;
/// Units of work one instance runs or queues at once (a few per
/// connection: the rest wait their turn for [`QUEUE_WAIT`] at most).
const IN_FLIGHT: usize = 64;
/// How long a unit of work waits for its turn before the request is
/// refused with 503 and `Retry-After`.
const QUEUE_WAIT: Duration = Duration::from_secs(2);

/// Opens (creating if needed) one SQLite connection with the service's
/// settings; the file is created `0600`.
fn sqlite_connection(path: &Path) -> rusqlite::Result<Connection> {
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() {
            let _ = std::fs::create_dir_all(dir);
        }
    }
    #[cfg(unix)]
    if !path.exists() {
        use std::os::unix::fs::OpenOptionsExt;
        let _ = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path);
    }
    let conn = Connection::open(path)?;
    // First: switching a new database to WAL takes its lock, and another
    // instance starting at the same moment must wait for it, not fail
    // with SQLITE_BUSY (storage.rs, instances starting at once).
    conn.busy_timeout(POOL_WAIT)?;
    switch_to_wal(&conn)?;
    // FULL: a commit is on disk before the answer leaves, even on power loss.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Deleted and rewritten content is overwritten, not left in free
    // pages: a value sealed in place (issue 25) leaves no clear copy.
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

/// Switches the file to WAL, trying again while another instance holds
/// the lock. SQLite answers `SQLITE_BUSY` at once, without its busy
/// handler, when two connections that both read the new file's header
/// race to take it for the switch (its deadlock rule), so
/// `busy_timeout` alone does not cover instances starting at once.
fn switch_to_wal(conn: &Connection) -> rusqlite::Result<()> {
    let deadline = std::time::Instant::now() + POOL_WAIT;
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            other => return other,
        }
    }
}

/// Opens and migrates one SQLite connection, outside any pool (unit
/// tests and tools).
pub fn open(path: &Path) -> StoreResult<Connection> {
    let mut conn = sqlite_connection(path)?;
    migrate_sqlite(&mut conn)?;
    Ok(conn)
}

/// Migrates SQLite to [`SCHEMA_VERSION`]: each step under the write lock
/// (`BEGIN IMMEDIATE`), reading the version inside it, so instances that
/// start at once on one file apply each step once. A newer schema is
/// refused; a damaged file fails its quick check.
fn migrate_sqlite(conn: &mut Connection) -> StoreResult<()> {
    let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(StoreError::Damaged(check));
    }
    migrate_sqlite_to(conn, SCHEMA_VERSION)
}

/// Migrates SQLite up to `version` (at most [`SCHEMA_VERSION`]): the
/// migration tests build each released schema with it.
pub fn migrate_sqlite_to(conn: &mut Connection, version: i64) -> StoreResult<()> {
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if current > SCHEMA_VERSION {
            return Err(StoreError::SchemaTooNew {
                found: current,
                known: SCHEMA_VERSION,
            });
        }
        let next = usize::try_from(current)
            .ok()
            .and_then(|i| MIGRATIONS.get(i));
        let Some(sql) = next.filter(|_| current < version) else {
            return Ok(());
        };
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", current + 1)?;
        tx.commit()?;
    }
}

/// Migrates PostgreSQL to [`SCHEMA_VERSION`] ([`postgres_migration`], one
/// version after another) in one transaction under an advisory lock, so
/// instances that start at once apply it once.
fn migrate_postgres(client: &mut postgres::Client) -> StoreResult<()> {
    let mut tx = client.transaction()?;
    // Any constant: this service's migration lock.
    tx.execute("SELECT pg_advisory_xact_lock(7461102)", &[])?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")?;
    let current: i64 = tx
        .query_opt("SELECT version FROM schema_version", &[])?
        .map(|r| r.get(0))
        .unwrap_or(0);
    if current > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew {
            found: current,
            known: SCHEMA_VERSION,
        });
    }
    for version in (current + 1)..=SCHEMA_VERSION {
        let sql = usize::try_from(version)
            .ok()
            .and_then(postgres_migration)
            .unwrap_or_default();
        tx.batch_execute(&sql)?;
        tx.execute("DELETE FROM schema_version", &[])?;
        tx.execute(
            "INSERT INTO schema_version (version) VALUES ($1)",
            &[&version],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// Runs `f` here, or, when called on an async runtime's thread, on a
/// thread of its own and waits: the PostgreSQL client blocks on a runtime
/// of its own, which cannot start inside another.
fn off_runtime<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    if tokio::runtime::Handle::try_current().is_err() {
        return f();
    }
    std::thread::scope(|s| match s.spawn(f).join() {
        Ok(v) => v,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

/// r2d2's hooks for SQLite connections.
struct SqliteManager(PathBuf);

impl r2d2::ManageConnection for SqliteManager {
    type Connection = Connection;
    type Error = rusqlite::Error;

    fn connect(&self) -> Result<Connection, rusqlite::Error> {
        sqlite_connection(&self.0)
    }

    fn is_valid(&self, conn: &mut Connection) -> Result<(), rusqlite::Error> {
        conn.execute_batch("")
    }

    fn has_broken(&self, _: &mut Connection) -> bool {
        false
    }
}

type PgPool = r2d2::Pool<r2d2_postgres::PostgresConnectionManager<postgres::NoTls>>;

/// The PostgreSQL pool, dropped off the async runtime: closing a client
/// blocks on the client's own runtime, which cannot run inside another
/// (the last handle to the database may go with a test or a shutdown on
/// an async thread).
struct PgBackend(Option<PgPool>);

impl Drop for PgBackend {
    fn drop(&mut self) {
        if let Some(pool) = self.0.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                std::thread::spawn(move || drop(pool));
            }
        }
    }
}

enum Backend {
    Sqlite {
        /// The writer: one per process, so writers queue here instead of
        /// spinning in SQLite's busy handler.
        writer: Mutex<Connection>,
        /// Readers, beside the writer (WAL).
        readers: r2d2::Pool<SqliteManager>,
    },
    Postgres(PgBackend),
}

/// The database, shared by every handler: a SQLite file or a PostgreSQL
/// pool behind one interface.
#[derive(Clone)]
pub struct Db {
    backend: Arc<Backend>,
    /// Units of work running or waiting for a connection: past
    /// [`IN_FLIGHT`], a request waits [`QUEUE_WAIT`] at most and is then
    /// refused (503), so overload sheds instead of queueing without bound.
    gate: Arc<tokio::sync::Semaphore>,
}

/// What a unit of work runs in.
#[derive(Clone, Copy)]
enum Mode {
    /// Mostly reads: any connection.
    Read,
    /// Writes: the write lock (SQLite) or a transaction whose locked rows
    /// stay locked until it ends (PostgreSQL).
    Write,
}

impl Db {
    fn with(backend: Backend) -> Db {
        Db {
            backend: Arc::new(backend),
            gate: Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT)),
        }
    }

    /// Opens and migrates the database at `at`; callable from async code
    /// too (the work moves off the runtime's thread).
    pub fn open(at: &Location) -> StoreResult<Db> {
        off_runtime(|| Self::open_here(at))
    }

    fn open_here(at: &Location) -> StoreResult<Db> {
        match at {
            Location::Sqlite(path) => {
                let mut writer = sqlite_connection(path)?;
                migrate_sqlite(&mut writer)?;
                let readers = r2d2::Pool::builder()
                    .max_size(SQLITE_READERS)
                    .min_idle(Some(1))
                    .connection_timeout(POOL_WAIT)
                    .test_on_check_out(false)
                    .build(SqliteManager(path.clone()))
                    .map_err(|e| StoreError::Unavailable(e.to_string()))?;
                Ok(Db::with(Backend::Sqlite {
                    writer: Mutex::new(writer),
                    readers,
                }))
            }
            Location::Postgres(url) => {
                let mut config: postgres::Config = url
                    .parse()
                    .map_err(|e: postgres::Error| StoreError::Unavailable(e.to_string()))?;
                // An unreachable host fails a connection in time, not after
                // the operating system's minutes.
                if config.get_connect_timeout().is_none() {
                    config.connect_timeout(POOL_WAIT);
                }
                let manager =
                    r2d2_postgres::PostgresConnectionManager::new(config, postgres::NoTls);
                let pool = r2d2::Pool::builder()
                    .max_size(PG_CONNECTIONS)
                    .min_idle(Some(1))
                    .connection_timeout(POOL_WAIT)
                    .test_on_check_out(false)
                    .build(manager)
                    .map_err(|e| StoreError::Unavailable(e.to_string()))?;
                let mut client = pool
                    .get()
                    .map_err(|e| StoreError::Unavailable(e.to_string()))?;
                migrate_postgres(&mut client)?;
                drop(client);
                Ok(Db::with(Backend::Postgres(PgBackend(Some(pool)))))
            }
        }
    }

    /// Runs `f` in one transaction of `mode`: committed when `f`
    /// succeeds, rolled back when it fails.
    fn run<R, E, F>(&self, mode: Mode, f: F) -> Result<R, E>
    where
        E: From<StoreError>,
        F: FnOnce(&Conn) -> Result<R, E>,
    {
        match &*self.backend {
            Backend::Sqlite { writer, readers } => match mode {
                Mode::Write => {
                    // A panic elsewhere must not lock the service out of its data.
                    let mut conn = writer.lock().unwrap_or_else(|p| p.into_inner());
                    let tx = conn
                        .transaction_with_behavior(TransactionBehavior::Immediate)
                        .map_err(sqlite_failed)?;
                    let out = f(&*tx)?;
                    tx.commit().map_err(sqlite_failed)?;
                    Ok(out)
                }
                Mode::Read => {
                    // Autocommit: each statement reads the newest commit,
                    // and the rare write of a read (a sandbox approval that
                    // fell due) takes the write lock in its own
                    // `Conn::atomic` without upgrading a read snapshot.
                    let conn = readers
                        .get()
                        .map_err(|e| StoreError::Unavailable(e.to_string()))?;
                    f(&*conn)
                }
            },
            Backend::Postgres(PgBackend(pool)) => {
                let client = pool
                    .as_ref()
                    .ok_or_else(|| StoreError::Unavailable("closed".into()))?
                    .get()
                    .map_err(|e| StoreError::Unavailable(e.to_string()))?;
                let conn = PgConn::new(client);
                // Read committed either way: the rows a write checks and
                // completes are locked by the store (`Conn::for_update`).
                conn.batch("BEGIN")?;
                match f(&conn) {
                    Ok(out) => {
                        conn.batch("COMMIT")?;
                        Ok(out)
                    }
                    Err(e) => {
                        // A connection that cannot roll back is broken, and
                        // the pool drops it.
                        let _ = conn.batch("ROLLBACK");
                        Err(e)
                    }
                }
            }
        }
    }

    /// Runs `f`, which reads (and at most writes through
    /// `Conn::atomic`), on a blocking thread. `E` is the caller's error
    /// type, so a handler can mix storage errors with its own refusals in
    /// one closure.
    pub async fn call<R, E, F>(&self, f: F) -> Result<R, E>
    where
        R: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: FnOnce(&Conn) -> Result<R, E> + Send + 'static,
    {
        self.off_thread(Mode::Read, f).await
    }

    /// Runs `f` in `mode` on a blocking thread, once the gate lets it in.
    async fn off_thread<R, E, F>(&self, mode: Mode, f: F) -> Result<R, E>
    where
        R: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: FnOnce(&Conn) -> Result<R, E> + Send + 'static,
    {
        let permit = tokio::time::timeout(QUEUE_WAIT, self.gate.clone().acquire_owned())
            .await
            .map_err(|_| StoreError::Unavailable("overloaded: every unit of work is taken".into()))?
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let db = self.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            db.run(mode, f)
        })
        .await
        .map_err(|e| E::from(StoreError::Worker(e.to_string())))?
    }

    /// Runs `f` in one write transaction on a blocking thread.
    pub async fn write<R, E, F>(&self, f: F) -> Result<R, E>
    where
        R: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: FnOnce(&Conn) -> Result<R, E> + Send + 'static,
    {
        self.off_thread(Mode::Write, f).await
    }

    /// Runs `f` in one write transaction and waits for it (start-up,
    /// seeding, the command line and tests only).
    pub fn blocking<R, E, F>(&self, f: F) -> Result<R, E>
    where
        R: Send,
        E: From<StoreError> + Send,
        F: FnOnce(&Conn) -> Result<R, E> + Send,
    {
        off_runtime(|| self.run(Mode::Write, f))
    }

    /// Copies a SQLite database to the new file `to`, consistent while
    /// writers run (`VACUUM INTO` reads one snapshot), private (`0600`).
    pub fn backup_to(&self, to: &Path) -> StoreResult<()> {
        match &*self.backend {
            Backend::Postgres(_) => Err(StoreError::Unsupported(
                "backup copies a SQLite file; back PostgreSQL up with pg_dump or continuous archiving",
            )),
            Backend::Sqlite { readers, .. } => {
                if to.exists() {
                    return Err(StoreError::Exists("backup file"));
                }
                #[cfg(unix)]
                {
                    use std::os::unix::fs::OpenOptionsExt;
                    let _ = std::fs::OpenOptions::new()
                        .write(true)
                        .create_new(true)
                        .mode(0o600)
                        .open(to);
                }
                let conn = readers
                    .get()
                    .map_err(|e| StoreError::Unavailable(e.to_string()))?;
                let target = to.to_string_lossy().into_owned();
                conn.execute("VACUUM INTO ?1", [target])
                    .map_err(sqlite_failed)?;
                Ok(())
            }
        }
    }

    /// Whether the database answers (`/readyz`).
    pub async fn ready(&self) -> bool {
        self.call(|c| c.query_row("SELECT 1", &[], |r| r.get::<i64>(0)))
            .await
            .is_ok()
    }
}
