//! Server-side secrets, created on first use.

use crate::ids;
use crate::store::error::StoreResult;
use crate::store::sql::{params, Conn, OptionalExt};

/// The secret `name`, created on first use (keys idempotency hashes).
pub fn get_or_create(conn: &Conn, name: &str) -> StoreResult<String> {
    let found: Option<String> = conn
        .query_row(
            "SELECT value FROM secrets WHERE name = ?1",
            params![name],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(v) = found {
        return Ok(v);
    }
    // Two instances may create it at once: the first insert wins, and
    // both read the winner.
    conn.execute(
        "INSERT INTO secrets (name, value) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        params![name, ids::token()],
    )?;
    conn.query_row(
        "SELECT value FROM secrets WHERE name = ?1",
        params![name],
        |r| r.get(0),
    )
}
