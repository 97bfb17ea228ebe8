//! SQLite: opening, pragmas (WAL, full sync: nothing acknowledged is lost),
//! the schema and its migrations, and running blocking work off the async
//! threads.

use crate::store::error::StoreError;
use rusqlite::{Connection, Transaction};
use std::path::Path;
use std::sync::{Arc, Mutex};

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

/// The schema, one entry per version; applied in order, each in a
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
];

/// Opens (creating if needed) and migrates the database at `path`.
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() {
            let _ = std::fs::create_dir_all(dir);
        }
    }
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: a commit is on disk before the answer leaves, even on power loss.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    migrate(&mut conn)?;
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let current: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

/// The shared connection. SQLite serialises writers anyway; one connection
/// behind a mutex keeps every write a single transaction with no surprises.
#[derive(Clone)]
pub struct Db(Arc<Mutex<Connection>>);

impl Db {
    /// Wraps an open connection.
    pub fn new(conn: Connection) -> Self {
        Db(Arc::new(Mutex::new(conn)))
    }

    /// Runs `f` on a blocking thread with the connection. `E` is the
    /// caller's error type, so a handler can mix storage errors with its
    /// own refusals in one closure.
    pub async fn call<R, E, F>(&self, f: F) -> Result<R, E>
    where
        R: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: FnOnce(&mut Connection) -> Result<R, E> + Send + 'static,
    {
        let db = self.0.clone();
        tokio::task::spawn_blocking(move || {
            // A panic elsewhere must not lock the service out of its data.
            let mut conn = db.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut conn)
        })
        .await
        .map_err(|e| E::from(StoreError::Worker(e.to_string())))?
    }

    /// Runs `f` in one transaction on a blocking thread: committed when
    /// `f` succeeds, rolled back when it fails.
    pub async fn write<R, E, F>(&self, f: F) -> Result<R, E>
    where
        R: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: FnOnce(&Transaction<'_>) -> Result<R, E> + Send + 'static,
    {
        self.call(move |c| {
            let tx = c.transaction().map_err(StoreError::from)?;
            let out = f(&tx)?;
            tx.commit().map_err(StoreError::from)?;
            Ok(out)
        })
        .await
    }

    /// Runs `f` synchronously (start-up, seeding and tests only).
    pub fn blocking<R>(&self, f: impl FnOnce(&mut Connection) -> R) -> R {
        let mut conn = self.0.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut conn)
    }
}
