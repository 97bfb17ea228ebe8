//! Merchants, their API tokens (stored only as hashes) and their tenants.

use crate::ids;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{params, Conn, OptionalExt, Row};

/// A merchant.
#[derive(Debug, Clone)]
pub struct MerchantRow {
    /// Row id; every entity carries it.
    pub id: i64,
    /// Business name shown on link pages.
    pub business_name: String,
}

fn read(r: &Row) -> StoreResult<MerchantRow> {
    Ok(MerchantRow {
        id: r.get("id")?,
        business_name: r.get("business_name")?,
    })
}

/// Creates the merchant or replaces its token; returns its id.
pub fn upsert(conn: &Conn, name: &str, token: &str, now: i64) -> StoreResult<i64> {
    conn.execute(
        "INSERT INTO merchants (business_name, token_hash, created_ms) VALUES (?1, ?2, ?3)
         ON CONFLICT(business_name) DO UPDATE SET token_hash = excluded.token_hash",
        params![name, ids::sha256_hex(token.as_bytes()), now],
    )?;
    conn.query_row(
        "SELECT id FROM merchants WHERE business_name = ?1",
        params![name],
        |r| r.get(0),
    )
}

/// The merchant owning `token`, if any.
pub fn by_token(conn: &Conn, token: &str) -> StoreResult<Option<MerchantRow>> {
    conn.query_row(
        "SELECT id, business_name FROM merchants WHERE token_hash = ?1",
        params![ids::sha256_hex(token.as_bytes())],
        read,
    )
    .optional()
}

/// The merchant `id`; its absence means a row points at nothing.
pub fn get(conn: &Conn, id: i64) -> StoreResult<MerchantRow> {
    conn.query_row(
        "SELECT id, business_name FROM merchants WHERE id = ?1",
        params![id],
        read,
    )
    .optional()?
    .ok_or_else(|| StoreError::Dangling(format!("merchant {id}")))
}

/// Creates the tenant unless it exists (demo seed).
pub fn ensure_tenant(conn: &Conn, merchant_id: i64, uuid: &str, name: &str) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO tenants (uuid, merchant_id, name) VALUES (?1, ?2, ?3)
         ON CONFLICT DO NOTHING",
        params![uuid, merchant_id, name],
    )?;
    Ok(())
}

/// Whether tenant `uuid` is the merchant's.
pub fn owns_tenant(conn: &Conn, merchant_id: i64, uuid: &str) -> StoreResult<bool> {
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
pub fn insert(conn: &Conn, name: &str, token: &str, now: i64) -> StoreResult<i64> {
    if by_name(conn, name)?.is_some() {
        return Err(StoreError::Exists("merchant"));
    }
    conn.query_row(
        "INSERT INTO merchants (business_name, token_hash, created_ms) VALUES (?1, ?2, ?3)
         RETURNING id",
        params![name, ids::sha256_hex(token.as_bytes()), now],
        |r| r.get(0),
    )
}

/// Replaces the token of merchant `name`; the old one stops working at once.
pub fn rotate(conn: &Conn, name: &str, token: &str) -> StoreResult<()> {
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
pub fn list(conn: &Conn) -> StoreResult<Vec<MerchantSummary>> {
    let rows = conn.query_map(
        "SELECT id, business_name, created_ms FROM merchants ORDER BY business_name",
        params![],
        |r| Ok((r.get::<i64>(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mut out = Vec::new();
    for (id, business_name, created_ms) in rows {
        out.push(MerchantSummary {
            business_name,
            created_ms,
            tenants: tenants(conn, id)?,
        });
    }
    Ok(out)
}

/// Adds a tenant named `name` to the merchant; returns its new uuid.
pub fn add_tenant(conn: &Conn, merchant_id: i64, name: &str) -> StoreResult<String> {
    let uuid = uuid::Uuid::new_v4().to_string();
    ensure_tenant(conn, merchant_id, &uuid, name)?;
    Ok(uuid)
}

/// The merchant's tenant uuids, oldest first.
pub fn tenants(conn: &Conn, merchant_id: i64) -> StoreResult<Vec<String>> {
    conn.query_map(
        "SELECT uuid FROM tenants WHERE merchant_id = ?1 ORDER BY rowid",
        params![merchant_id],
        |r| r.get(0),
    )
}

/// The id of merchant `name` ([`StoreError::NotFound`] if none).
pub fn id_by_name(conn: &Conn, name: &str) -> StoreResult<i64> {
    by_name(conn, name)?
        .map(|m| m.id)
        .ok_or(StoreError::NotFound("merchant"))
}

fn by_name(conn: &Conn, name: &str) -> StoreResult<Option<MerchantRow>> {
    conn.query_row(
        "SELECT id, business_name FROM merchants WHERE business_name = ?1",
        params![name],
        read,
    )
    .optional()
}
