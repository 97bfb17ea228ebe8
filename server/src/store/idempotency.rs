//! Idempotency records: the answer stored for each (scope, key).

use crate::store::error::StoreResult;
use rusqlite::{params, Connection, OptionalExtension};

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
pub fn get(conn: &Connection, scope: &str, key: &str) -> StoreResult<Option<StoredAnswer>> {
    Ok(conn
        .query_row(
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
        .optional()?)
}

/// Stores the answer for (`scope`, `key`).
pub fn put(
    conn: &Connection,
    scope: &str,
    key: &str,
    a: &StoredAnswer,
    now: i64,
) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO idempotency (scope, key, request_hash, status, body, created_ms)
         VALUES (?1,?2,?3,?4,?5,?6)",
        params![scope, key, a.request_hash, a.status, a.body, now],
    )?;
    Ok(())
}
