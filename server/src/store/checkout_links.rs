//! Checkout links: a page where an end user pays a transaction.

use crate::store::error::{expect_one, StoreError, StoreResult};
use crate::store::links::{self, stored_link, LinkKind, LinkRow};
use crate::store::making::{self, Maker};
use crate::store::merchants;
use crate::store::payments;
use crate::store::row;
use crate::store::sql::{params, Conn, Row, Value as SqlValue};
use druo_core::dto::CheckoutTheme;
use druo_core::request::CheckoutLinkCreate;
use druo_core::FieldError;

/// A checkout link as stored.
#[derive(Debug, Clone)]
pub struct CheckoutLinkRow {
    /// What every link has.
    pub link: LinkRow,
    /// The transaction it pays.
    pub transaction_uuid: String,
    /// Sidebar title.
    pub link_name: String,
    /// Sidebar subtitle.
    pub link_description: Option<String>,
    /// Merchant colours.
    pub colors: CheckoutTheme,
    /// The new account whose pending validation the payer is finishing
    /// (a reload or a reopened link resumes it).
    pub held_account: Option<String>,
}

/// The checkout link's own columns, after the common ones.
const OWN: &str =
    "transaction_uuid, link_name, link_description, colors, account_uuid FROM checkout_links";

fn read(r: &Row) -> StoreResult<CheckoutLinkRow> {
    Ok(CheckoutLinkRow {
        link: LinkRow::read(r)?,
        transaction_uuid: r.get("transaction_uuid")?,
        link_name: r.get("link_name")?,
        link_description: r.get("link_description")?,
        colors: row::json(r, "colors")?,
        held_account: r.get("account_uuid")?,
    })
}

/// Inserts a validated checkout link and its transaction; returns its uuid.
pub fn insert(conn: &Conn, by: &Maker<'_>, req: &CheckoutLinkCreate) -> StoreResult<String> {
    if !merchants::owns_tenant(conn, by.merchant_id, &req.transaction.tenant_id)? {
        return Err(StoreError::Refused(FieldError::new(
            "transaction.tenant_id",
            "UNKNOWN_TENANT",
            "`transaction.tenant_id` names no tenant of yours",
        )));
    }
    making::make(conn, LinkKind::Checkout, by, &req.common, || {
        let trx = payments::insert(conn, by.merchant_id, &req.transaction, by.now)?;
        Ok(vec![
            ("transaction_uuid", SqlValue::from(trx)),
            ("link_name", SqlValue::from(req.link_name.clone())),
            ("link_description", req.link_description.clone().into()),
            (
                "colors",
                SqlValue::from(serde_json::to_string(&req.colors)?),
            ),
        ])
    })
}

stored_link!(CheckoutLinkRow, Checkout);

/// Remembers `account_uuid`, a new account of the payer whose pending
/// validation is being finished on the link's page, so a reload or a
/// reopened link resumes it.
pub fn hold(conn: &Conn, uuid: &str, account_uuid: &str, now: i64) -> StoreResult<()> {
    let changed = conn.execute(
        "UPDATE checkout_links SET account_uuid = ?2, updated_ms = ?3 WHERE uuid = ?1",
        params![uuid, account_uuid, now],
    )?;
    expect_one(changed, "checkout link")
}
