//! Idempotency records: the answer stored for each (scope, key).

use crate::store::error::{expect_one, StoreResult};
use crate::store::sql::{params, Conn, OptionalExt};

/// A stored answer for an idempotency key.
pub struct StoredAnswer {
    /// Keyed hash of the request it answered.
    pub request_hash: String,
    /// HTTP status.
    pub status: u16,
    /// JSON body.
    pub body: String,
}

/// The answer stored for (`scope`, `key`), if any.
pub fn get(conn: &Conn, scope: &str, key: &str) -> StoreResult<Option<StoredAnswer>> {
    conn.query_row(
        "SELECT request_hash, status, body FROM idempotency WHERE scope = ?1 AND key = ?2",
        params![scope, key],
        |r| {
            Ok(StoredAnswer {
                request_hash: r.get(0)?,
                status: r.get(1)?,
                body: r.get(2)?,
            })
        },
    )
    .optional()
}

/// Claims (`scope`, `key`) for a request whose keyed hash is
/// `request_hash`: true when this transaction is the first to use the key.
/// The claim is an insert that conflicts on the key, so a concurrent
/// request with the same key waits for the first to commit (PostgreSQL's
/// unique index; SQLite's write lock) and then finds its answer, or, if
/// the first rolled back, claims the key itself.
pub fn claim(
    conn: &Conn,
    scope: &str,
    key: &str,
    request_hash: &str,
    now: i64,
) -> StoreResult<bool> {
    let inserted = conn.execute(
        "INSERT INTO idempotency (scope, key, request_hash, status, body, created_ms)
         VALUES (?1, ?2, ?3, 0, '', ?4) ON CONFLICT DO NOTHING",
        params![scope, key, request_hash, now],
    )?;
    Ok(inserted == 1)
}

/// Stores the answer for the key this transaction claimed.
pub fn answer(conn: &Conn, scope: &str, key: &str, status: u16, body: &str) -> StoreResult<()> {
    let changed = conn.execute(
        "UPDATE idempotency SET status = ?3, body = ?4 WHERE scope = ?1 AND key = ?2",
        params![scope, key, status, body],
    )?;
    expect_one(changed, "idempotency record")
}

/// Forgets answers older than `before` (ms since the epoch); how many.
pub fn prune(conn: &Conn, before: i64) -> StoreResult<usize> {
    conn.execute(
        "DELETE FROM idempotency WHERE created_ms < ?1",
        params![before],
    )
}
