//! What connect and checkout links share: the common columns, their
//! delivery status, lookups by reference, and the merchant list query.

use crate::store::error::{StoreError, StoreResult};
use crate::store::row;
use crate::store::sql::{params, Conn, OptionalExt, Row, Value as SqlValue};
use crate::store::webhooks::{self, Change};
use druo_core::dto::LinkState;
use druo_core::request::LinkCommon;
use druo_core::status::{CreationSource, DeliveryStatus};
use druo_core::time::is_expired;
use druo_core::webhook::EventType;
use druo_core::FieldError;
use serde_json::Value;

/// The two kinds of link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `connect_links`.
    Connect,
    /// `checkout_links`.
    Checkout,
}

impl LinkKind {
    /// The table. Table names cannot be bound, so SQL is formatted with
    /// this, which is one of two literals and never input.
    pub fn table(self) -> &'static str {
        match self {
            LinkKind::Connect => "connect_links",
            LinkKind::Checkout => "checkout_links",
        }
    }

    /// The webhook event of a link of this kind reaching `to`, if any.
    pub fn event(self, to: DeliveryStatus) -> Option<EventType> {
        Some(match (self, to) {
            (LinkKind::Connect, DeliveryStatus::Opened) => EventType::ConnectLinkOpened,
            (LinkKind::Connect, DeliveryStatus::Completed) => EventType::ConnectLinkCompleted,
            (LinkKind::Checkout, DeliveryStatus::Opened) => EventType::CheckoutLinkOpened,
            (LinkKind::Checkout, DeliveryStatus::Completed) => EventType::CheckoutLinkCompleted,
            _ => return None,
        })
    }

    /// The event of a link of this kind expiring unused.
    pub fn expired_event(self) -> EventType {
        match self {
            LinkKind::Connect => EventType::ConnectLinkExpired,
            LinkKind::Checkout => EventType::CheckoutLinkExpired,
        }
    }

    /// The prefixes of its uuids (`clk_…`, `chk_…`) and of its codes.
    pub(super) fn prefixes(self) -> (&'static str, &'static str) {
        match self {
            LinkKind::Connect => ("clk", "CL"),
            LinkKind::Checkout => ("chk", "CH"),
        }
    }

    /// How an end user made inline with a link of this kind came to be.
    pub(super) fn source(self) -> CreationSource {
        match self {
            LinkKind::Connect => CreationSource::ConnectLink,
            LinkKind::Checkout => CreationSource::CheckoutLink,
        }
    }
}

/// The columns every link has, as [`LinkRow::read`] reads them.
pub(super) const COLS: &str = "uuid, merchant_id, code, slug, end_user_uuid, default_institution,
    primary_reference, secondary_reference, default_language, redirect_url, expiration_ms,
    custom_confirmation_page, metadata, delivery_status, created_ms, updated_ms";

/// The columns every link has.
#[derive(Debug, Clone)]
pub struct LinkRow {
    /// `clk_…` or `chk_…`.
    pub uuid: String,
    /// Owner merchant.
    pub merchant_id: i64,
    /// Short locator.
    pub code: String,
    /// The unguessable part of the link's url.
    pub slug: String,
    /// The end user it was made for.
    pub end_user_uuid: String,
    /// Institution to preselect.
    pub default_institution: Option<String>,
    /// Merchant reference.
    pub primary_reference: Option<String>,
    /// Merchant reference.
    pub secondary_reference: Option<String>,
    /// Language code.
    pub default_language: String,
    /// Where the page sends the user when done.
    pub redirect_url: Option<String>,
    /// Expiry, ms since the epoch.
    pub expiration_ms: Option<i64>,
    /// Redirect at once instead of the DRUO confirmation page.
    pub custom_confirmation_page: bool,
    /// Key-value pairs.
    pub metadata: Value,
    /// Created, opened or completed.
    pub delivery_status: DeliveryStatus,
    /// Created, ms since the epoch.
    pub created_ms: i64,
    /// Last changed, ms since the epoch.
    pub updated_ms: i64,
}

impl LinkRow {
    /// Reads the [`COLS`] of a row.
    pub(super) fn read(r: &Row) -> StoreResult<LinkRow> {
        Ok(LinkRow {
            uuid: r.get("uuid")?,
            merchant_id: r.get("merchant_id")?,
            code: r.get("code")?,
            slug: r.get("slug")?,
            end_user_uuid: r.get("end_user_uuid")?,
            default_institution: r.get("default_institution")?,
            primary_reference: r.get("primary_reference")?,
            secondary_reference: r.get("secondary_reference")?,
            default_language: r.get("default_language")?,
            redirect_url: r.get("redirect_url")?,
            expiration_ms: r.get("expiration_ms")?,
            custom_confirmation_page: r.get("custom_confirmation_page")?,
            metadata: row::json(r, "metadata")?,
            delivery_status: row::spelled(r, "delivery_status", DeliveryStatus::parse)?,
            created_ms: r.get("created_ms")?,
            updated_ms: r.get("updated_ms")?,
        })
    }

    /// Whether the link is past its expiry at `now`.
    pub fn expired(&self, now: i64) -> bool {
        is_expired(self.expiration_ms, now)
    }

    /// The link's state by the service's clock: used wins over expired.
    pub fn state(&self, now: i64) -> LinkState {
        if self.delivery_status == DeliveryStatus::Completed {
            LinkState::Completed
        } else if self.expired(now) {
            LinkState::Expired
        } else {
            LinkState::Open
        }
    }
}

/// A link kind's stored row: what code generic over the kind needs of it.
pub trait StoredLink: Sized {
    /// Its table.
    const KIND: LinkKind;
    /// The link at `slug`, if any.
    fn by_slug(conn: &Conn, slug: &str) -> StoreResult<Option<Self>>;
    /// The columns every link has.
    fn link(&self) -> &LinkRow;
}

/// In the module of a link kind, whose `OWN` columns (a `…, … FROM
/// table` tail after [`COLS`]) and `read` it uses: its lookups `get` (by
/// uuid) and `by_slug`, and [`StoredLink`] for its row type, which has a
/// `link` field. A macro because each kind's lookups are free functions
/// of its module, which its callers name.
macro_rules! stored_link {
    ($row:ty, $kind:ident) => {
        /// The link of this kind with uuid `uuid`.
        pub fn get(conn: &Conn, uuid: &str) -> StoreResult<$row> {
            links::find(conn, OWN, links::Key::Uuid, uuid, read)?
                .ok_or(StoreError::NotFound(LinkKind::$kind.noun()))
        }

        /// The link of this kind at `slug`, if any.
        pub fn by_slug(conn: &Conn, slug: &str) -> StoreResult<Option<$row>> {
            links::find(conn, OWN, links::Key::Slug, slug, read)
        }

        impl $crate::store::links::StoredLink for $row {
            const KIND: LinkKind = LinkKind::$kind;

            fn by_slug(conn: &Conn, slug: &str) -> StoreResult<Option<Self>> {
                by_slug(conn, slug)
            }

            fn link(&self) -> &LinkRow {
                &self.link
            }
        }
    };
}
pub(super) use stored_link;

/// Which column finds one link.
#[derive(Debug, Clone, Copy)]
pub(super) enum Key {
    /// By its uuid.
    Uuid,
    /// By its page's slug.
    Slug,
}

/// The link of `kind` whose uuid or slug is `key`, read with the kind's
/// `own` columns (a `…, … FROM table` tail after [`COLS`]) by `read`.
pub(super) fn find<T>(
    conn: &Conn,
    own: &str,
    by: Key,
    key: &str,
    read: fn(&Row) -> StoreResult<T>,
) -> StoreResult<Option<T>> {
    let column = match by {
        Key::Uuid => "uuid",
        Key::Slug => "slug",
    };
    let sql = format!("SELECT {COLS}, {own} WHERE {column} = ?1");
    conn.query_row(&sql, params![key], read).optional()
}

/// The columns and values a kind stores besides the [`COLS`].
pub(super) type Own = Vec<(&'static str, SqlValue)>;

/// A new link's identity: who owns it and who it is for.
pub(super) struct NewLink<'a> {
    /// `clk_…` or `chk_…`.
    pub uuid: &'a str,
    /// Owner merchant.
    pub merchant_id: i64,
    /// Short locator.
    pub code: String,
    /// The end user it is made for.
    pub end_user_uuid: &'a str,
}

/// The [`COLS`] of a new link, each value bound to its column by name.
pub(super) fn shared_values(
    n: &NewLink<'_>,
    c: &LinkCommon,
    now: i64,
) -> StoreResult<[(&'static str, SqlValue); 16]> {
    Ok([
        ("uuid", n.uuid.into()),
        ("merchant_id", n.merchant_id.into()),
        ("code", n.code.clone().into()),
        ("slug", crate::ids::slug().into()),
        ("end_user_uuid", n.end_user_uuid.into()),
        ("default_institution", c.default_institution.clone().into()),
        ("primary_reference", c.primary_reference.clone().into()),
        ("secondary_reference", c.secondary_reference.clone().into()),
        ("default_language", c.default_language.code().into()),
        ("redirect_url", c.redirect_url.clone().into()),
        ("expiration_ms", c.expiration_date.into()),
        (
            "custom_confirmation_page",
            c.custom_confirmation_page.into(),
        ),
        ("metadata", serde_json::to_string(&c.metadata)?.into()),
        ("delivery_status", DeliveryStatus::Created.as_str().into()),
        ("created_ms", now.into()),
        ("updated_ms", now.into()),
    ])
}

/// Moves a link's `delivery_status` forward (CREATED → OPENED →
/// COMPLETED), never back; how many rows moved (0 when it was there
/// already). A move is a webhook event (`store::webhooks::emit`), in the
/// same transaction.
pub fn advance_delivery(
    conn: &Conn,
    kind: LinkKind,
    uuid: &str,
    to: DeliveryStatus,
    now: i64,
) -> StoreResult<usize> {
    // Locked first, so `from` is what this change moves from (another
    // instance may be moving it at the same moment).
    conn.lock_row(kind.table(), "uuid", uuid)?;
    let before: Option<(String, i64)> = conn
        .query_row(
            &format!(
                "SELECT delivery_status, merchant_id FROM {} WHERE uuid = ?1",
                kind.table()
            ),
            params![uuid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    // `ALL` is in life order: every status before `to` may move to it.
    let earlier = DeliveryStatus::ALL.iter().take_while(|s| **s != to);
    let mut args: Vec<SqlValue> = vec![
        to.as_str().to_string().into(),
        now.into(),
        uuid.to_string().into(),
    ];
    args.extend(earlier.map(|s| SqlValue::from(s.as_str().to_string())));
    let marks = vec!["?"; args.len() - 3].join(",");
    let moved = conn.execute(
        &format!(
            "UPDATE {} SET delivery_status = ?, updated_ms = ? WHERE uuid = ? AND delivery_status IN ({marks})",
            kind.table()
        ),
        &args[..],
    )?;
    if let (1, Some((from, merchant_id)), Some(event)) = (moved, before, kind.event(to)) {
        let change = Change {
            merchant_id,
            event,
            object: uuid,
            from: Some(&from),
            to: to.as_str(),
            at: None,
        };
        webhooks::emit(conn, &change, now)?;
    }
    Ok(moved)
}

/// The merchant's link of `kind` tagged `reference`, if any (demo seed).
pub fn uuid_by_reference(
    conn: &Conn,
    kind: LinkKind,
    merchant_id: i64,
    reference: &str,
) -> StoreResult<Option<String>> {
    conn.query_row(
        &format!(
            "SELECT uuid FROM {} WHERE merchant_id = ?1 AND primary_reference = ?2",
            kind.table()
        ),
        params![merchant_id, reference],
        |r| r.get(0),
    )
    .optional()
}

/// Filters of the merchant list endpoints, already validated.
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    /// Exact status.
    pub delivery_status: Option<DeliveryStatus>,
    /// Exact code.
    pub code: Option<String>,
    /// Exact uuid.
    pub uuid: Option<String>,
    /// Exact primary reference.
    pub primary_reference: Option<String>,
    /// Substring of the secondary reference.
    pub secondary_reference: Option<String>,
    /// Created at or after.
    pub date_from: Option<i64>,
    /// Created at or before.
    pub date_to: Option<i64>,
    /// End user's uuid.
    pub end_user_uuid: Option<String>,
    /// End user's code.
    pub end_user_code: Option<String>,
    /// End user's email (case-insensitive).
    pub end_user_email: Option<String>,
    /// End user's local id.
    pub end_user_local_id: Option<String>,
    /// Page size, 1 to 100.
    pub page_size: usize,
    /// Continue after this link uuid (the previous page's last).
    pub starting_after: Option<String>,
}

/// One page of a list: the links' uuids, newest first.
#[derive(Debug, Clone)]
pub struct ListPage {
    /// This page's links.
    pub uuids: Vec<String>,
    /// Whether another page follows.
    pub has_next: bool,
    /// The cursor for the next page.
    pub next_starting_after: Option<String>,
}

/// The filter's SQL conditions and their bound values, in order.
fn conditions(f: &ListFilter) -> (Vec<&'static str>, Vec<SqlValue>) {
    let text = |v: &Option<String>| v.clone().map(SqlValue::from);
    let candidates: [(&'static str, Option<SqlValue>); 11] = [
        (
            "l.delivery_status = ?",
            f.delivery_status.map(|s| s.as_str().to_string().into()),
        ),
        ("l.code = ?", text(&f.code)),
        ("l.uuid = ?", text(&f.uuid)),
        ("l.primary_reference = ?", text(&f.primary_reference)),
        (
            "instr(l.secondary_reference, ?) > 0",
            text(&f.secondary_reference),
        ),
        ("l.created_ms >= ?", f.date_from.map(SqlValue::from)),
        ("l.created_ms <= ?", f.date_to.map(SqlValue::from)),
        ("e.uuid = ?", text(&f.end_user_uuid)),
        ("e.code = ?", text(&f.end_user_code)),
        // The columns are sealed: the handler has turned these two into
        // blind indexes (`end_users::blind_filter`).
        ("e.email_index = ?", text(&f.end_user_email)),
        ("e.local_id_index = ?", text(&f.end_user_local_id)),
    ];
    candidates
        .into_iter()
        .filter_map(|(clause, v)| v.map(|v| (clause, v)))
        .unzip()
}

/// The (created, rowid) position of the `starting_after` cursor in
/// `listed`'s table.
fn cursor(conn: &Conn, listed: &Listed, merchant_id: i64, after: &str) -> StoreResult<(i64, i64)> {
    conn.query_row(
        &format!(
            "SELECT created_ms, rowid FROM {} WHERE uuid = ?1 AND merchant_id = ?2",
            listed.table
        ),
        params![after, merchant_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or_else(|| {
        StoreError::Refused(FieldError::new(
            "starting_after",
            "UNKNOWN_CURSOR",
            format!("`starting_after` names no {} of yours", listed.noun),
        ))
    })
}

/// Lists the merchant's links of `kind`, newest first, one page, with the
/// documented filters and `starting_after` pagination.
pub fn list(
    conn: &Conn,
    merchant_id: i64,
    kind: LinkKind,
    f: &ListFilter,
) -> StoreResult<ListPage> {
    let listed = Listed {
        table: kind.table(),
        end_user_column: "end_user_uuid",
        noun: "link",
    };
    page(conn, &listed, merchant_id, f, Vec::new())
}

/// A table the merchant lists: its rows are `l`, joined to their end user
/// as `e` by `end_user_column`. Table and column names cannot be bound, so
/// SQL is formatted with these, which are literals and never input.
pub(super) struct Listed {
    /// The table.
    pub table: &'static str,
    /// Its column holding the row's end user's uuid.
    pub end_user_column: &'static str,
    /// What a row is, for the unknown-cursor message.
    pub noun: &'static str,
}

/// A condition a list adds to [`ListFilter`]'s: SQL on `l` and `e` with
/// one `?`, and its bound value.
pub(super) type Condition = (&'static str, SqlValue);

/// One page of `listed`'s rows of `merchant_id`, newest first: `f`'s
/// filters and `extra`'s conditions, with `starting_after` pagination.
pub(super) fn page(
    conn: &Conn,
    listed: &Listed,
    merchant_id: i64,
    f: &ListFilter,
    extra: Vec<Condition>,
) -> StoreResult<ListPage> {
    let (mut clauses, mut args) = conditions(f);
    for (clause, v) in extra {
        clauses.push(clause);
        args.push(v);
    }
    let mut sql = format!(
        "SELECT l.uuid FROM {} l JOIN end_users e ON e.uuid = l.{} WHERE l.merchant_id = ?",
        listed.table, listed.end_user_column
    );
    args.insert(0, merchant_id.into());
    for c in clauses {
        sql.push_str(" AND ");
        sql.push_str(c);
    }
    if let Some(after) = &f.starting_after {
        let (created, rowid) = cursor(conn, listed, merchant_id, after)?;
        sql.push_str(" AND (l.created_ms, l.rowid) < (?, ?)");
        args.push(created.into());
        args.push(rowid.into());
    }
    sql.push_str(" ORDER BY l.created_ms DESC, l.rowid DESC LIMIT ?");
    // One more than a page tells whether another page follows.
    args.push(((f.page_size + 1) as i64).into());
    let mut uuids: Vec<String> = conn.query_map(&sql, &args, |r| r.get(0))?;
    let has_next = uuids.len() > f.page_size;
    uuids.truncate(f.page_size);
    let next_starting_after = if has_next {
        uuids.last().cloned()
    } else {
        None
    };
    Ok(ListPage {
        uuids,
        has_next,
        next_starting_after,
    })
}

impl LinkKind {
    /// What a link of this kind is called in a not-found answer.
    pub fn noun(self) -> &'static str {
        match self {
            LinkKind::Connect => "connect link",
            LinkKind::Checkout => "checkout link",
        }
    }
}

/// Whether row `uuid` of `table` (a literal, never input) belongs to
/// `merchant_id`.
pub(super) fn owns(
    conn: &Conn,
    table: &'static str,
    merchant_id: i64,
    uuid: &str,
) -> StoreResult<bool> {
    let found: Option<i64> = conn
        .query_row(
            &format!("SELECT 1 FROM {table} WHERE uuid = ?1 AND merchant_id = ?2"),
            params![uuid, merchant_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(found.is_some())
}

/// Checks that the link of `kind` with `uuid` belongs to `merchant_id`:
/// not found when it does not exist or is another merchant's, the same
/// answer.
pub fn require_owned(conn: &Conn, kind: LinkKind, merchant_id: i64, uuid: &str) -> StoreResult<()> {
    if owns(conn, kind.table(), merchant_id, uuid)? {
        Ok(())
    } else {
        Err(StoreError::NotFound(kind.noun()))
    }
}

/// Links of `kind` whose expiry is not announced yet, leaving out a
/// connect link held for an account still finishing a pending
/// validation: it completes when the account connects, expired or not, so
/// it is being used; once the account ends unusable it is announced.
fn unannounced(kind: LinkKind) -> String {
    let table = kind.table();
    let held = match kind {
        LinkKind::Connect => {
            " AND NOT (account_uuid IS NOT NULL AND account_uuid IN
               (SELECT uuid FROM accounts WHERE requires_account_validation = 1))"
        }
        LinkKind::Checkout => "",
    };
    format!("{table} WHERE expiry_announced = 0 AND expiration_ms <= ?1{held}")
}

/// Whether a link of `kind` expired by `now` has not been announced yet
/// ([`announce_expired`]): a read, so an idle sender costs the writer
/// nothing.
pub fn any_unannounced(conn: &Conn, kind: LinkKind, now: i64) -> StoreResult<bool> {
    Ok(conn
        .query_row(
            &format!("SELECT 1 FROM {} LIMIT 1", unannounced(kind)),
            params![now],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Announces, once each, up to `limit` links of `kind` that expired by
/// `now`: a link that expired unused is a webhook event (to its
/// merchant's endpoints, if any listen); a completed one is only marked.
/// An expiry is a moment of the clock, stored by no request, so the
/// webhook sender calls this. Returns how many it marked.
pub fn announce_expired(conn: &Conn, kind: LinkKind, now: i64, limit: usize) -> StoreResult<usize> {
    let table = kind.table();
    let due: Vec<(String, i64, String, i64)> = conn.query_map(
        &format!(
            "SELECT uuid, merchant_id, delivery_status, expiration_ms FROM {} LIMIT ?2",
            unannounced(kind)
        ),
        params![now, limit as i64],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let mut marked = 0;
    for (uuid, merchant_id, status, expired_ms) in due {
        // Once, whichever instance gets here first.
        let mine = conn.execute(
            &format!(
                "UPDATE {table} SET expiry_announced = 1 WHERE uuid = ?1 AND expiry_announced = 0"
            ),
            params![uuid],
        )?;
        marked += mine;
        if mine == 1 && status != DeliveryStatus::Completed.as_str() {
            let change = Change {
                merchant_id,
                event: kind.expired_event(),
                object: &uuid,
                from: Some(&status),
                // `LinkState::Expired` as the pages' API spells it.
                to: "EXPIRED",
                // Only to endpoints that existed when it expired.
                at: Some(expired_ms),
            };
            webhooks::emit(conn, &change, now)?;
        }
    }
    Ok(marked)
}

/// Expires link `uuid` of `kind` at `now`: `expired` reads true from then
/// on, its page shows it expired and submits are refused. A link that
/// already expired earlier keeps its earlier expiration.
pub fn expire(conn: &Conn, kind: LinkKind, uuid: &str, now: i64) -> StoreResult<()> {
    conn.execute(
        &format!(
            "UPDATE {} SET updated_ms = ?2, expiration_ms = CASE
                WHEN expiration_ms IS NOT NULL AND expiration_ms <= ?2 THEN expiration_ms
                ELSE ?2 END
             WHERE uuid = ?1",
            kind.table()
        ),
        params![uuid, now],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new link writes exactly the columns a stored link is read by,
    /// each value under its own name.
    #[test]
    fn a_new_link_binds_every_shared_column_by_name() {
        let body = serde_json::json!({
            "existing_end_user_id": "eur_1",
            "intro_text": "Connect your account using DRUO to receive or make payments",
            "primary_reference": "P", "redirect_url": "https://example.com/back"
        });
        let req = druo_core::request::connect_link_create(body.as_object().unwrap()).unwrap();
        let n = NewLink {
            uuid: "clk_1",
            merchant_id: 7,
            code: "C".into(),
            end_user_uuid: "eur_1",
        };
        let values = shared_values(&n, &req.common, 42).unwrap();
        let names: Vec<&str> = values.iter().map(|(c, _)| *c).collect();
        let read: Vec<&str> = COLS.split(',').map(str::trim).collect();
        assert_eq!(names, read);
        let of = |col: &str| values.iter().find(|(c, _)| *c == col).unwrap().1.clone();
        assert_eq!(of("merchant_id"), SqlValue::Int(7));
        assert_eq!(of("primary_reference"), SqlValue::Text("P".into()));
        assert_eq!(
            of("redirect_url"),
            SqlValue::Text("https://example.com/back".into())
        );
        assert_eq!(of("updated_ms"), SqlValue::Int(42));
    }
}
