//! Connect links: a page where an end user connects a bank account.

use crate::ids;
use crate::store::end_users;
use crate::store::error::{StoreError, StoreResult};
use crate::store::institutions;
use crate::store::links::{self, stored_link, Key, LinkKind, LinkRow, NewLink};
use crate::store::row;
use druo_core::dto::{ConnectTheme, IntroText};
use druo_core::request::ConnectLinkCreate;
use druo_core::status::{CreationSource, DeliveryStatus};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, Connection, Row};

/// A connect link as stored.
#[derive(Debug, Clone)]
pub struct ConnectLinkRow {
    /// What every link has.
    pub link: LinkRow,
    /// Plain or per-language intro.
    pub intro_text: IntroText,
    /// Merchant colours.
    pub colors: ConnectTheme,
    /// The account the link was completed with.
    pub account_uuid: Option<String>,
}

/// The connect link's own columns, after the common ones.
const OWN: &str = "intro_text, colors, account_uuid FROM connect_links";

fn read(r: &Row<'_>) -> rusqlite::Result<ConnectLinkRow> {
    Ok(ConnectLinkRow {
        link: LinkRow::read(r)?,
        intro_text: row::json(r, "intro_text")?,
        colors: row::json(r, "colors")?,
        account_uuid: r.get("account_uuid")?,
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
    links::find(conn, OWN, Key::Uuid, uuid, read)?.ok_or(StoreError::NotFound("connect link"))
}

stored_link!(ConnectLinkRow, Connect);

/// The connect link at `slug`, if any.
pub fn by_slug(conn: &Connection, slug: &str) -> StoreResult<Option<ConnectLinkRow>> {
    links::find(conn, OWN, Key::Slug, slug, read)
}

/// Completes the link with `account_uuid` (a connected account, pending or
/// verified): the link is used up, and its page shows that account when
/// reopened.
pub fn complete(conn: &Connection, uuid: &str, account_uuid: &str, now: i64) -> StoreResult<()> {
    conn.execute(
        "UPDATE connect_links SET account_uuid = ?2 WHERE uuid = ?1 AND account_uuid IS NULL",
        params![uuid, account_uuid],
    )?;
    links::advance_delivery(
        conn,
        LinkKind::Connect,
        uuid,
        DeliveryStatus::Completed,
        now,
    )
}
