//! Merchants, their API tokens (stored only as hashes) and their tenants.

use crate::ids;
use crate::store::error::{StoreError, StoreResult};
use rusqlite::{params, Connection, OptionalExtension, Row};

/// A merchant.
#[derive(Debug, Clone)]
pub struct MerchantRow {
    /// Row id; every entity carries it.
    pub id: i64,
    /// Business name shown on link pages.
    pub business_name: String,
}

fn read(r: &Row<'_>) -> rusqlite::Result<MerchantRow> {
    Ok(MerchantRow {
        id: r.get("id")?,
        business_name: r.get("business_name")?,
    })
}

/// Creates the merchant or replaces its token; returns its id.
pub fn upsert(conn: &Connection, name: &str, token: &str, now: i64) -> StoreResult<i64> {
    conn.execute(
        "INSERT INTO merchants (business_name, token_hash, created_ms) VALUES (?1, ?2, ?3)
         ON CONFLICT(business_name) DO UPDATE SET token_hash = excluded.token_hash",
        params![name, ids::sha256_hex(token.as_bytes()), now],
    )?;
    Ok(conn.query_row(
        "SELECT id FROM merchants WHERE business_name = ?1",
        [name],
        |r| r.get(0),
    )?)
}

/// The merchant owning `token`, if any.
pub fn by_token(conn: &Connection, token: &str) -> StoreResult<Option<MerchantRow>> {
    Ok(conn
        .query_row(
            "SELECT id, business_name FROM merchants WHERE token_hash = ?1",
            [ids::sha256_hex(token.as_bytes())],
            read,
        )
        .optional()?)
}

/// The merchant `id`; its absence means a row points at nothing.
pub fn get(conn: &Connection, id: i64) -> StoreResult<MerchantRow> {
    conn.query_row(
        "SELECT id, business_name FROM merchants WHERE id = ?1",
        [id],
        read,
    )
    .optional()?
    .ok_or_else(|| StoreError::Dangling(format!("merchant {id}")))
}

/// Creates the tenant unless it exists (demo seed).
pub fn ensure_tenant(
    conn: &Connection,
    merchant_id: i64,
    uuid: &str,
    name: &str,
) -> StoreResult<()> {
    conn.execute(
        "INSERT OR IGNORE INTO tenants (uuid, merchant_id, name) VALUES (?1, ?2, ?3)",
        params![uuid, merchant_id, name],
    )?;
    Ok(())
}

/// Whether tenant `uuid` is the merchant's.
pub fn owns_tenant(conn: &Connection, merchant_id: i64, uuid: &str) -> StoreResult<bool> {
    let found: Option<String> = conn
        .query_row(
            "SELECT uuid FROM tenants WHERE uuid = ?1 AND merchant_id = ?2",
            params![uuid, merchant_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(found.is_some())
}

/// A merchant as `link-server merchant list` shows it (never its token).
#[derive(Debug, Clone)]
pub struct MerchantSummary {
    /// Business name; unique.
    pub business_name: String,
    /// When it was added, in milliseconds since the epoch.
    pub created_ms: i64,
    /// Its tenants' uuids (`transaction.tenant_id`), oldest first.
    pub tenants: Vec<String>,
}

/// Adds merchant `name` with `token`; an existing name is refused
/// ([`StoreError::Exists`]) so a typo never replaces a live token.
pub fn insert(conn: &Connection, name: &str, token: &str, now: i64) -> StoreResult<i64> {
    if by_name(conn, name)?.is_some() {
        return Err(StoreError::Exists("merchant"));
    }
    conn.execute(
        "INSERT INTO merchants (business_name, token_hash, created_ms) VALUES (?1, ?2, ?3)",
        params![name, ids::sha256_hex(token.as_bytes()), now],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Replaces the token of merchant `name`; the old one stops working at once.
pub fn rotate(conn: &Connection, name: &str, token: &str) -> StoreResult<()> {
    let changed = conn.execute(
        "UPDATE merchants SET token_hash = ?2 WHERE business_name = ?1",
        params![name, ids::sha256_hex(token.as_bytes())],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound("merchant"));
    }
    Ok(())
}

/// Every merchant, by name, with its tenants.
pub fn list(conn: &Connection) -> StoreResult<Vec<MerchantSummary>> {
    let mut stmt =
        conn.prepare("SELECT id, business_name, created_ms FROM merchants ORDER BY business_name")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, business_name, created_ms) = row?;
        out.push(MerchantSummary {
            business_name,
            created_ms,
            tenants: tenants(conn, id)?,
        });
    }
    Ok(out)
}

/// Adds a tenant named `name` to the merchant; returns its new uuid.
pub fn add_tenant(conn: &Connection, merchant_id: i64, name: &str) -> StoreResult<String> {
    let uuid = uuid::Uuid::new_v4().to_string();
    ensure_tenant(conn, merchant_id, &uuid, name)?;
    Ok(uuid)
}

/// The merchant's tenant uuids, oldest first.
pub fn tenants(conn: &Connection, merchant_id: i64) -> StoreResult<Vec<String>> {
    let mut stmt =
        conn.prepare("SELECT uuid FROM tenants WHERE merchant_id = ?1 ORDER BY rowid")?;
    let rows = stmt.query_map([merchant_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The id of merchant `name` ([`StoreError::NotFound`] if none).
pub fn id_by_name(conn: &Connection, name: &str) -> StoreResult<i64> {
    by_name(conn, name)?
        .map(|m| m.id)
        .ok_or(StoreError::NotFound("merchant"))
}

fn by_name(conn: &Connection, name: &str) -> StoreResult<Option<MerchantRow>> {
    Ok(conn
        .query_row(
            "SELECT id, business_name FROM merchants WHERE business_name = ?1",
            [name],
            read,
        )
        .optional()?)
}
