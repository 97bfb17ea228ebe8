//! Receipt emails (issue 27): a payment of a transaction with
//! `auto_send_receipt`, made while the service sends receipts, queues one
//! email in the pay call's own transaction (an outbox, as webhooks are),
//! so an acknowledged payment never loses its receipt; the sender
//! (the `receipts` module at the crate's root) claims, renders and sends it. What the receipt says
//! (the status and time of that payment) is kept with the row; the address
//! is read, sealed, from the end user when it is sent.

use crate::store::error::StoreResult;
use crate::store::sql::{params, Conn, Lease, OptionalExt, Queue};
use druo_core::status::PaymentStatus;

/// A receipt to queue: the payment as it was made.
#[derive(Debug, Clone)]
pub struct NewReceipt<'a> {
    /// The checkout link paid.
    pub link_uuid: &'a str,
    /// The transaction paid.
    pub transaction_uuid: &'a str,
    /// The account it was paid from.
    pub account_uuid: &'a str,
    /// Whom it goes to (their email, read when sent).
    pub end_user_uuid: &'a str,
    /// The language it is written in (the link's).
    pub lang: &'a str,
    /// The payment's status after the pay call.
    pub status: PaymentStatus,
    /// When it was made.
    pub now: i64,
}

/// Queues `r`.
pub fn queue(conn: &Conn, r: &NewReceipt<'_>) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO receipt_emails (link_uuid, transaction_uuid, account_uuid, end_user_uuid, lang,
             status, paid_ms, state, attempts, next_ms, created_ms)
         VALUES (?7, ?1, ?2, ?3, ?4, ?5, ?6, 'PENDING', 0, ?6, ?6)",
        params![
            r.transaction_uuid,
            r.account_uuid,
            r.end_user_uuid,
            r.lang,
            r.status.as_str(),
            r.now,
            r.link_uuid
        ],
    )?;
    Ok(())
}

/// Where a receipt email stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Waiting for its first or next try.
    OnItsWay,
    /// The mail server took it.
    Sent,
    /// Not sent within the day, or it cannot be (no address).
    GivenUp,
}

/// Where the latest receipt of `transaction_uuid` stands; `None` when none
/// was queued.
pub fn latest(conn: &Conn, transaction_uuid: &str) -> StoreResult<Option<Delivery>> {
    let state: Option<String> = conn
        .query_row(
            "SELECT state FROM receipt_emails WHERE transaction_uuid = ?1 ORDER BY id DESC LIMIT 1",
            params![transaction_uuid],
            |r| r.get(0),
        )
        .optional()?;
    Ok(state.map(|s| match s.as_str() {
        "SENT" => Delivery::Sent,
        "PENDING" => Delivery::OnItsWay,
        _ => Delivery::GivenUp,
    }))
}

/// Deletes receipts that ended (sent or given up) before `before`;
/// returns how many.
pub fn prune(conn: &Conn, before: i64) -> StoreResult<usize> {
    conn.execute(
        "DELETE FROM receipt_emails WHERE state != 'PENDING' AND created_ms < ?1",
        params![before],
    )
}

/// A claimed receipt, as the sender needs it.
#[derive(Debug, Clone)]
pub struct Claimed {
    /// Its row.
    pub id: i64,
    /// The checkout link paid.
    pub link_uuid: String,
    /// The transaction paid.
    pub transaction_uuid: String,
    /// The paying account.
    pub account_uuid: String,
    /// The recipient.
    pub end_user_uuid: String,
    /// Its language.
    pub lang: String,
    /// The status it reports.
    pub status: String,
    /// When the payment was made.
    pub paid_ms: i64,
    /// Tries so far, this one included.
    pub attempts: i64,
    /// The claim's name.
    pub by: String,
}

/// The receipts to send: [`claim`] takes those pending and due, not
/// under a running lease, oldest first.
const QUEUE: Queue = Queue {
    table: "receipt_emails",
    alias: "r",
    claimable: "r.state = 'PENDING' AND r.next_ms <= ?1
        AND (r.claimed_until_ms IS NULL OR r.claimed_until_ms < ?1)",
    order: "r.id",
    returning:
        "id, link_uuid, transaction_uuid, account_uuid, end_user_uuid, lang, status, paid_ms,
        attempts, claimed_by",
};

/// Whether [`claim`] would take anything at `now` (a read).
pub fn any_due(conn: &Conn, now: i64) -> StoreResult<bool> {
    QUEUE.any_due(conn, now)
}

/// Claims due receipts for `lease` (`SKIP LOCKED` on PostgreSQL, so
/// instances never take the same one).
pub fn claim(conn: &Conn, lease: &Lease<'_>) -> StoreResult<Vec<Claimed>> {
    QUEUE.claim(conn, lease, |r| {
        Ok(Claimed {
            id: r.get("id")?,
            link_uuid: r.get("link_uuid")?,
            transaction_uuid: r.get("transaction_uuid")?,
            account_uuid: r.get("account_uuid")?,
            end_user_uuid: r.get("end_user_uuid")?,
            lang: r.get("lang")?,
            status: r.get("status")?,
            paid_ms: r.get("paid_ms")?,
            attempts: r.get("attempts")?,
            by: r.get("claimed_by")?,
        })
    })
}

/// How a try ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The mail server took it.
    Sent,
    /// Not sent: tried again at `next_ms`, or given up (`None`).
    Failed {
        /// Why, for the log and the row.
        error: String,
        /// The next try.
        next_ms: Option<i64>,
    },
}

/// Records the try of claim `by` of receipt `id`; false when the claim
/// was lost (its lease ran out and another took it).
pub fn finish(conn: &Conn, id: i64, by: &str, outcome: &Outcome, now: i64) -> StoreResult<bool> {
    let changed = match outcome {
        Outcome::Sent => conn.execute(
            "UPDATE receipt_emails SET state = 'SENT', sent_ms = ?3, last_error = NULL,
                claimed_by = NULL, claimed_until_ms = NULL
             WHERE id = ?1 AND claimed_by = ?2",
            params![id, by, now],
        )?,
        Outcome::Failed { error, next_ms } => conn.execute(
            "UPDATE receipt_emails SET state = ?3, last_error = ?4, next_ms = COALESCE(?5, next_ms),
                claimed_by = NULL, claimed_until_ms = NULL
             WHERE id = ?1 AND claimed_by = ?2",
            params![
                id,
                by,
                if next_ms.is_some() { "PENDING" } else { "FAILED" },
                error.as_str(),
                *next_ms
            ],
        )?,
    };
    Ok(changed == 1)
}
