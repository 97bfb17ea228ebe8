//! Connect links: a page where an end user connects a bank account.

use crate::ids;
use crate::store::end_users;
use crate::store::error::{StoreError, StoreResult};
use crate::store::institutions;
use crate::store::links::{self, stored_link, Key, LinkKind, LinkRow, NewLink};
use crate::store::row;
use crate::store::sql::{params, Conn, OptionalExt, Row, Value as SqlValue};
use druo_core::dto::{ConnectTheme, IntroText};
use druo_core::request::ConnectLinkCreate;
use druo_core::status::{CreationSource, DeliveryStatus};

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

fn read(r: &Row) -> StoreResult<ConnectLinkRow> {
    Ok(ConnectLinkRow {
        link: LinkRow::read(r)?,
        intro_text: row::json(r, "intro_text")?,
        colors: row::json(r, "colors")?,
        account_uuid: r.get("account_uuid")?,
    })
}

/// Inserts a validated connect link; returns its uuid.
pub fn insert(
    conn: &Conn,
    sealer: &crate::sealed::Sealer,
    merchant_id: i64,
    req: &ConnectLinkCreate,
    now: i64,
) -> StoreResult<String> {
    let c = &req.common;
    institutions::check_default(conn, c.default_institution.as_deref())?;
    let end_user = end_users::resolve(
        conn,
        sealer,
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
pub fn get(conn: &Conn, uuid: &str) -> StoreResult<ConnectLinkRow> {
    links::find(conn, OWN, Key::Uuid, uuid, read)?.ok_or(StoreError::NotFound("connect link"))
}

stored_link!(ConnectLinkRow, Connect);

/// The connect link at `slug`, if any.
pub fn by_slug(conn: &Conn, slug: &str) -> StoreResult<Option<ConnectLinkRow>> {
    links::find(conn, OWN, Key::Slug, slug, read)
}

/// Completes the link with `account_uuid` (a connected account, or one
/// with nothing left for the person to do): the link is used up, and its
/// page shows that account when reopened. How many rows it completed: 1,
/// or 0 when the link was completed already.
pub fn complete(conn: &Conn, uuid: &str, account_uuid: &str, now: i64) -> StoreResult<usize> {
    hold(conn, uuid, account_uuid, now)?;
    links::advance_delivery(
        conn,
        LinkKind::Connect,
        uuid,
        DeliveryStatus::Completed,
        now,
    )
}

/// Holds the open link for `account_uuid`, whose pending validation the
/// person is finishing: a reload or a reopened link resumes it, and the
/// link completes with it once it is connected ([`complete_held`]). A
/// newer attempt on the same link holds it instead.
pub fn hold(conn: &Conn, uuid: &str, account_uuid: &str, now: i64) -> StoreResult<usize> {
    conn.execute(
        "UPDATE connect_links SET account_uuid = ?2, updated_ms = ?3
         WHERE uuid = ?1 AND delivery_status != ?4",
        params![uuid, account_uuid, now, DeliveryStatus::Completed.as_str()],
    )
}

/// Completes the link with `account_uuid` if the link is held for it.
pub fn complete_held(conn: &Conn, uuid: &str, account_uuid: &str, now: i64) -> StoreResult<()> {
    let held: Option<String> = conn
        .query_row(
            "SELECT account_uuid FROM connect_links WHERE uuid = ?1",
            params![uuid],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    // Completed already (by an earlier read of the same approval) is fine.
    if held.as_deref() == Some(account_uuid) {
        complete(conn, uuid, account_uuid, now)?;
    }
    Ok(())
}
