//! Reading typed values out of rows: JSON columns, status spellings, and
//! the columns several entities share. A value that does not read back is
//! a storage error, never a panic.

use druo_core::status::CreationSource;
use rusqlite::types::Type;
use rusqlite::Row;
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
    pub(super) fn read(r: &Row<'_>) -> rusqlite::Result<Provenance> {
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

/// A stored value that does not parse as its type.
#[derive(Debug, thiserror::Error)]
#[error("column `{column}` holds an unreadable value")]
struct Unreadable {
    column: String,
}

fn unreadable(r: &Row<'_>, column: &str) -> rusqlite::Error {
    let idx = r.as_ref().column_index(column).unwrap_or(0);
    rusqlite::Error::FromSqlConversionFailure(
        idx,
        Type::Text,
        Box::new(Unreadable {
            column: column.to_string(),
        }),
    )
}

/// A JSON text column, parsed.
pub(super) fn json<T: DeserializeOwned>(r: &Row<'_>, column: &str) -> rusqlite::Result<T> {
    let text: String = r.get(column)?;
    serde_json::from_str(&text).map_err(|_| unreadable(r, column))
}

/// An optional JSON text column, parsed.
pub(super) fn opt_json<T: DeserializeOwned>(
    r: &Row<'_>,
    column: &str,
) -> rusqlite::Result<Option<T>> {
    let text: Option<String> = r.get(column)?;
    text.map(|t| serde_json::from_str(&t).map_err(|_| unreadable(r, column)))
        .transpose()
}

/// A status column, read with the enum's `parse`.
pub(super) fn spelled<T>(
    r: &Row<'_>,
    column: &str,
    parse: fn(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    let text: String = r.get(column)?;
    parse(&text).ok_or_else(|| unreadable(r, column))
}

/// An optional status column, read with the enum's `parse`.
pub(super) fn opt_spelled<T>(
    r: &Row<'_>,
    column: &str,
    parse: fn(&str) -> Option<T>,
) -> rusqlite::Result<Option<T>> {
    let text: Option<String> = r.get(column)?;
    text.map(|t| parse(&t).ok_or_else(|| unreadable(r, column)))
        .transpose()
}
