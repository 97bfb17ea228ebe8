//! Server-side secrets, created on first use.

use crate::ids;
use crate::store::error::StoreResult;
use rusqlite::{params, Connection, OptionalExtension};

/// The secret `name`, created on first use (keys idempotency hashes).
pub fn get_or_create(conn: &Connection, name: &str) -> StoreResult<String> {
    let found: Option<String> = conn
        .query_row("SELECT value FROM secrets WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .optional()?;
    if let Some(v) = found {
        return Ok(v);
    }
    let v = ids::token();
    conn.execute(
        "INSERT INTO secrets (name, value) VALUES (?1, ?2)",
        params![name, v],
    )?;
    Ok(v)
}
