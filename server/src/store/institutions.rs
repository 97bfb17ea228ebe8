//! The institution catalog: seeding it, reading it, and the checks a
//! request naming an institution must pass.

use crate::store::error::{StoreError, StoreResult};
use crate::store::row;
use crate::store::sql::{params, Conn, OptionalExt, Row};
use druo_core::dto::{AccountSubtype, Institution, InstitutionKind};
use druo_core::FieldError;

const COLS: &str = "uuid, name, kind, subtypes, popularity, brand_color, mark, number_lengths";

fn subtypes_text(s: &[AccountSubtype]) -> String {
    s.iter().map(|s| s.code()).collect::<Vec<_>>().join(",")
}

fn lengths_text(lengths: &[u8]) -> String {
    lengths
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn read(r: &Row) -> StoreResult<Institution> {
    let subtypes: String = r.get("subtypes")?;
    let lengths: String = r.get("number_lengths")?;
    Ok(Institution {
        uuid: r.get("uuid")?,
        name: r.get("name")?,
        kind: row::spelled(r, "kind", InstitutionKind::parse)?,
        subtypes: subtypes
            .split(',')
            .filter_map(AccountSubtype::parse)
            .collect(),
        popularity: r.get("popularity")?,
        brand_color: r.get("brand_color")?,
        mark: r.get("mark")?,
        number_lengths: lengths.split(',').filter_map(|n| n.parse().ok()).collect(),
    })
}

/// Seeds (or refreshes) the institution catalog.
pub fn seed_catalog(conn: &Conn) -> StoreResult<()> {
    for e in crate::catalog::INSTITUTIONS {
        conn.execute(
            "INSERT INTO institutions
               (uuid, name, kind, subtypes, popularity, brand_color, mark, number_lengths)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(uuid) DO UPDATE SET name = excluded.name, kind = excluded.kind,
               subtypes = excluded.subtypes, popularity = excluded.popularity,
               brand_color = excluded.brand_color, mark = excluded.mark,
               number_lengths = excluded.number_lengths",
            params![
                e.uuid,
                e.name,
                e.kind.as_str(),
                subtypes_text(e.subtypes),
                e.popularity,
                e.brand_color,
                e.mark,
                lengths_text(e.number_lengths)
            ],
        )?;
    }
    Ok(())
}

/// The catalog, most used first, then by name.
pub fn list(conn: &Conn) -> StoreResult<Vec<Institution>> {
    let mut all = conn.query_map(&format!("SELECT {COLS} FROM institutions"), params![], read)?;
    // Sorted here, not in SQL: the engines' collations differ, and the
    // picker must read the same on both.
    all.sort_by_cached_key(|i| (i.popularity.is_none(), i.popularity, i.name.to_lowercase()));
    Ok(all)
}

/// One institution.
pub fn get(conn: &Conn, uuid: &str) -> StoreResult<Option<Institution>> {
    conn.query_row(
        &format!("SELECT {COLS} FROM institutions WHERE uuid = ?1"),
        params![uuid],
        read,
    )
    .optional()
}

/// Checks an optional `default_institution` against the catalog.
pub fn check_default(conn: &Conn, id: Option<&str>) -> StoreResult<()> {
    match id {
        Some(id) if get(conn, id)?.is_none() => Err(StoreError::Refused(FieldError::new(
            "default_institution",
            "UNKNOWN_INSTITUTION",
            "`default_institution` is not an institution of the catalog (GET /institutions)",
        ))),
        _ => Ok(()),
    }
}

/// The institution a submit names; its kind and subtypes decide the rest
/// of the submit's rules (`core::request::AccountCore::check`).
pub fn require(conn: &Conn, uuid: &str) -> StoreResult<Institution> {
    get(conn, uuid)?.ok_or_else(|| {
        StoreError::Refused(FieldError::new(
            "institution_uuid",
            "UNKNOWN_INSTITUTION",
            "`institution_uuid` is not an institution of the catalog",
        ))
    })
}
