//! Connect links: a page where an end user connects a bank account.

use crate::store::error::{StoreError, StoreResult};
use crate::store::links::{self, stored_link, LinkKind, LinkRow};
use crate::store::making::{self, Maker};
use crate::store::row;
use crate::store::sql::{params, Conn, OptionalExt, Row, Value as SqlValue};
use druo_core::dto::{ConnectTheme, IntroText};
use druo_core::request::ConnectLinkCreate;
use druo_core::status::DeliveryStatus;

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
pub fn insert(conn: &Conn, by: &Maker<'_>, req: &ConnectLinkCreate) -> StoreResult<String> {
    making::make(conn, LinkKind::Connect, by, &req.common, || {
        Ok(vec![
            (
                "intro_text",
                SqlValue::from(serde_json::to_string(&req.intro_text)?),
            ),
            (
                "colors",
                SqlValue::from(serde_json::to_string(&req.colors)?),
            ),
        ])
    })
}

stored_link!(ConnectLinkRow, Connect);

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
