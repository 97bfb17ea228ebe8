//! Connect links: a page where an end user connects a bank account.

use crate::ids;
use crate::store::end_users;
use crate::store::error::{StoreError, StoreResult};
use crate::store::institutions;
use crate::store::links::{self, LinkKind, LinkRow, NewLink, COLS};
use crate::store::row;
use druo_core::dto::{ConnectTheme, IntroText};
use druo_core::request::ConnectLinkCreate;
use druo_core::status::CreationSource;
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Row};

/// A connect link as stored.
#[derive(Debug, Clone)]
pub struct ConnectLinkRow {
    /// What every link has.
    pub link: LinkRow,
    /// Plain or per-language intro.
    pub intro_text: IntroText,
    /// Merchant colours.
    pub colors: ConnectTheme,
}

fn read(r: &Row<'_>) -> rusqlite::Result<ConnectLinkRow> {
    Ok(ConnectLinkRow {
        link: LinkRow::read(r)?,
        intro_text: row::json(r, "intro_text")?,
        colors: row::json(r, "colors")?,
    })
}

/// Inserts a validated connect link; returns its uuid.
pub fn insert(
    conn: &Connection,
    merchant_id: i64,
    req: &ConnectLinkCreate,
    now: i64,
) -> StoreResult<String> {
    let c = &req.common;
    institutions::check_default(conn, c.default_institution.as_deref())?;
    let end_user = end_users::resolve(
        conn,
        merchant_id,
        &c.end_user,
        CreationSource::ConnectLink,
        now,
    )?;
    let uuid = ids::prefixed_uuid("clk");
    let new = NewLink {
        uuid: &uuid,
        merchant_id,
        code: ids::code("CL"),
        end_user_uuid: &end_user,
    };
    let extra = [
        (
            "intro_text",
            SqlValue::from(serde_json::to_string(&req.intro_text)?),
        ),
        (
            "colors",
            SqlValue::from(serde_json::to_string(&req.colors)?),
        ),
    ];
    links::insert(conn, LinkKind::Connect, &new, c, &extra, now)?;
    Ok(uuid)
}

/// Connect link `uuid`.
pub fn get(conn: &Connection, uuid: &str) -> StoreResult<ConnectLinkRow> {
    conn.query_row(
        &format!("SELECT {COLS}, intro_text, colors FROM connect_links WHERE uuid = ?1"),
        [uuid],
        read,
    )
    .optional()?
    .ok_or(StoreError::NotFound("connect link"))
}

/// The connect link at `slug`, if any.
pub fn by_slug(conn: &Connection, slug: &str) -> StoreResult<Option<ConnectLinkRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLS}, intro_text, colors FROM connect_links WHERE slug = ?1"),
            [slug],
            read,
        )
        .optional()?)
}
