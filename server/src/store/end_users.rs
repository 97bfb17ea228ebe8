//! End users: the people links are made for and accounts belong to.

use crate::ids;
use crate::store::error::{StoreError, StoreResult};
use crate::store::row::{self, Provenance};
use druo_core::request::{EndUserInput, EndUserRef};
use druo_core::status::CreationSource;
use druo_core::FieldError;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::Value;

/// An end user as stored.
#[derive(Debug, Clone)]
pub struct EndUserRow {
    /// `eur_…`
    pub uuid: String,
    /// Short locator.
    pub code: String,
    /// `INDIVIDUAL` or `ORGANIZATION`.
    pub kind: String,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Organization name.
    pub organization: Option<String>,
    /// National id or similar.
    pub local_id: Option<String>,
    /// Kind of `local_id`.
    pub local_id_type: Option<String>,
    /// Country of `local_id`.
    pub local_id_country: Option<String>,
    /// `YYYY-MM-DD`.
    pub date_of_birth: Option<String>,
    /// Contact email.
    pub email: Option<String>,
    /// Contact phone.
    pub phone_number: Option<String>,
    /// Free-form address, as sent.
    pub address: Option<Value>,
    /// Language code.
    pub preferred_language: Option<String>,
    /// Merchant note.
    pub note: Option<String>,
    /// References, metadata, source and times.
    pub provenance: Provenance,
}

fn read(r: &Row<'_>) -> rusqlite::Result<EndUserRow> {
    Ok(EndUserRow {
        uuid: r.get("uuid")?,
        code: r.get("code")?,
        kind: r.get("type")?,
        first_name: r.get("first_name")?,
        last_name: r.get("last_name")?,
        organization: r.get("organization")?,
        local_id: r.get("local_id")?,
        local_id_type: r.get("local_id_type")?,
        local_id_country: r.get("local_id_country")?,
        date_of_birth: r.get("date_of_birth")?,
        email: r.get("email")?,
        phone_number: r.get("phone_number")?,
        address: row::opt_json(r, "address")?,
        preferred_language: r.get("preferred_language")?,
        note: r.get("note")?,
        provenance: Provenance::read(r)?,
    })
}

/// Inserts an end user; `fixed` gives the uuid and code (demo seed only).
pub fn insert(
    conn: &Connection,
    merchant_id: i64,
    u: &EndUserInput,
    source: CreationSource,
    fixed: Option<(&str, &str)>,
    now: i64,
) -> StoreResult<String> {
    let (uuid, code) = match fixed {
        Some((u, c)) => (u.to_string(), c.to_string()),
        None => (ids::prefixed_uuid("eur"), ids::code("EU")),
    };
    conn.execute(
        "INSERT INTO end_users (uuid, merchant_id, code, type, first_name, last_name, organization,
            local_id, local_id_type, local_id_country, date_of_birth, email, phone_number, address,
            preferred_language, note, primary_reference, secondary_reference, metadata,
            creation_source, created_ms, updated_ms)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?21)",
        params![
            uuid,
            merchant_id,
            code,
            u.kind,
            u.first_name,
            u.last_name,
            u.organization,
            u.local_id,
            u.local_id_type,
            u.local_id_country,
            u.date_of_birth,
            u.email,
            u.phone_number,
            u.address.as_ref().map(Value::to_string),
            u.preferred_language.map(|l| l.code()),
            u.note,
            u.primary_reference,
            u.secondary_reference,
            Value::Object(u.metadata.clone()).to_string(),
            source.as_str(),
            now
        ],
    )?;
    Ok(uuid)
}

/// Whether end user `uuid` exists, for `merchant_id` when given.
pub fn exists(conn: &Connection, uuid: &str, merchant_id: Option<i64>) -> StoreResult<bool> {
    let found: Option<String> = conn
        .query_row(
            "SELECT uuid FROM end_users WHERE uuid = ?1 AND (?2 IS NULL OR merchant_id = ?2)",
            params![uuid, merchant_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(found.is_some())
}

/// Resolves a request's end user: checks an existing id belongs to the
/// merchant, or creates the new one. Returns the uuid.
pub fn resolve(
    conn: &Connection,
    merchant_id: i64,
    r: &EndUserRef,
    source: CreationSource,
    now: i64,
) -> StoreResult<String> {
    match r {
        EndUserRef::Existing(id) if exists(conn, id, Some(merchant_id))? => Ok(id.clone()),
        EndUserRef::Existing(_) => Err(StoreError::Refused(FieldError::new(
            "existing_end_user_id",
            "UNKNOWN_END_USER",
            "`existing_end_user_id` names no end user of yours",
        ))),
        EndUserRef::New(u) => insert(conn, merchant_id, u, source, None, now),
    }
}

/// End user `uuid`; its absence means a row points at nothing.
pub fn get(conn: &Connection, uuid: &str) -> StoreResult<EndUserRow> {
    conn.query_row("SELECT * FROM end_users WHERE uuid = ?1", [uuid], read)
        .optional()?
        .ok_or_else(|| StoreError::Dangling(format!("end user {uuid}")))
}
