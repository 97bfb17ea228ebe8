//! Reading typed values out of rows: JSON columns, status spellings, and
//! the columns several entities share. A value that does not read back is
//! a storage error, never a panic.

use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::Row;
use druo_core::status::CreationSource;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The columns end users and accounts share: the merchant's references and
/// metadata, where the row was created, and when.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// Merchant reference.
    pub primary_reference: Option<String>,
    /// Merchant reference.
    pub secondary_reference: Option<String>,
    /// Key-value pairs.
    pub metadata: Value,
    /// Where it was created.
    pub creation_source: CreationSource,
    /// Created, ms since the epoch.
    pub created_ms: i64,
    /// Last changed, ms since the epoch.
    pub updated_ms: i64,
}

impl Provenance {
    /// Reads the shared columns of a row.
    pub(super) fn read(r: &Row) -> StoreResult<Provenance> {
        Ok(Provenance {
            primary_reference: r.get("primary_reference")?,
            secondary_reference: r.get("secondary_reference")?,
            metadata: json(r, "metadata")?,
            creation_source: spelled(r, "creation_source", CreationSource::parse)?,
            created_ms: r.get("created_ms")?,
            updated_ms: r.get("updated_ms")?,
        })
    }
}

fn unreadable(column: &str) -> StoreError {
    StoreError::Unreadable(column.to_string())
}

/// A JSON text column, parsed.
pub(super) fn json<T: DeserializeOwned>(r: &Row, column: &str) -> StoreResult<T> {
    let text: String = r.get(column)?;
    serde_json::from_str(&text).map_err(|_| unreadable(column))
}

/// An optional JSON text column, parsed.
pub(super) fn opt_json<T: DeserializeOwned>(r: &Row, column: &str) -> StoreResult<Option<T>> {
    let text: Option<String> = r.get(column)?;
    text.map(|t| serde_json::from_str(&t).map_err(|_| unreadable(column)))
        .transpose()
}

/// A status column, read with the enum's `parse`.
pub(super) fn spelled<T>(r: &Row, column: &str, parse: fn(&str) -> Option<T>) -> StoreResult<T> {
    let text: String = r.get(column)?;
    parse(&text).ok_or_else(|| unreadable(column))
}

/// An optional status column, read with the enum's `parse`.
pub(super) fn opt_spelled<T>(
    r: &Row,
    column: &str,
    parse: fn(&str) -> Option<T>,
) -> StoreResult<Option<T>> {
    let text: Option<String> = r.get(column)?;
    text.map(|t| parse(&t).ok_or_else(|| unreadable(column)))
        .transpose()
}
