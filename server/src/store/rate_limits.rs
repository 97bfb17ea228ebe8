//! The rate limits' buckets and the writes charged to them, in the
//! database so that every instance on it enforces one limit. The
//! arithmetic is the service's `rate` module's; this file only stores.

use crate::store::error::{expect_one, StoreResult};
use crate::store::sql::{params, Conn};

/// A bucket as stored: its tokens as of `at_ms`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bucket {
    /// Tokens left at `at_ms`.
    pub tokens: f64,
    /// When they were counted, ms since the epoch.
    pub at_ms: i64,
}

/// Whether `request` (a keyed hash) was already charged to `bucket`.
pub fn charged(conn: &Conn, bucket: &str, request: &str) -> StoreResult<bool> {
    Ok(!conn
        .query_map(
            "SELECT 1 FROM rate_charges WHERE bucket = ?1 AND request = ?2",
            params![bucket, request],
            |r| r.get::<i64>(0),
        )?
        .is_empty())
}

/// The bucket `bucket`, locked until the transaction ends; a bucket never
/// seen is created `full` as of `now`.
pub fn lock(conn: &Conn, bucket: &str, full: f64, now: i64) -> StoreResult<Bucket> {
    let row = params![bucket, full, now];
    conn.insert_new("rate_buckets", "bucket, tokens, at_ms", row)?;
    conn.lock_row("rate_buckets", "bucket", bucket)?;
    conn.query_row(
        "SELECT tokens, at_ms FROM rate_buckets WHERE bucket = ?1",
        params![bucket],
        |r| {
            Ok(Bucket {
                tokens: r.get("tokens")?,
                at_ms: r.get("at_ms")?,
            })
        },
    )
}

/// Stores `bucket`'s tokens as of `b.at_ms`.
pub fn set(conn: &Conn, bucket: &str, b: Bucket) -> StoreResult<()> {
    let changed = conn.execute(
        "UPDATE rate_buckets SET tokens = ?2, at_ms = ?3 WHERE bucket = ?1",
        params![bucket, b.tokens, b.at_ms],
    )?;
    expect_one(changed, "rate bucket")
}

/// Records `request` as charged to `bucket`, so its retries are free.
pub fn charge(conn: &Conn, bucket: &str, request: &str, now: i64) -> StoreResult<()> {
    let row = params![bucket, request, now];
    conn.insert_new("rate_charges", "bucket, request, at_ms", row)?;
    Ok(())
}

/// Forgets buckets untouched and charges made before `before` (a bucket
/// untouched for a minute is full again, the same as none).
pub fn prune(conn: &Conn, before: i64) -> StoreResult<usize> {
    let buckets = conn.execute("DELETE FROM rate_buckets WHERE at_ms < ?1", params![before])?;
    let charges = conn.execute("DELETE FROM rate_charges WHERE at_ms < ?1", params![before])?;
    Ok(buckets + charges)
}
