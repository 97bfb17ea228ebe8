//! Payments (the `transactions` table): created with a checkout link, paid
//! from one of the payer's accounts with the sandbox's outcome.

use crate::ids;
use crate::store::accounts;
use crate::store::error::{expect_one, StoreError, StoreResult};
use crate::store::row;
use crate::store::sql::{params, Conn, OptionalExt, Row};
use crate::store::webhooks::{self, Change};
use druo_core::request::TransactionInput;
use druo_core::sandbox::payment_outcome;
use druo_core::status::{PaymentStatus, TransactionRemark};
use druo_core::webhook::EventType;
use druo_core::FieldError;
use serde_json::Value;

/// A payment as stored.
#[derive(Debug, Clone)]
pub struct TransactionRow {
    /// `trx_…`
    pub uuid: String,
    /// Short locator.
    pub code: String,
    /// DRUO's transaction status.
    pub status: PaymentStatus,
    /// The merchant's tenant it is paid to.
    pub tenant_uuid: String,
    /// In the currency's smallest unit (centavos).
    pub amount: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// What is being paid.
    pub description: Option<String>,
    /// What the payer's statement shows.
    pub statement_descriptor: Option<String>,
    /// Email a receipt when paid.
    pub auto_send_receipt: bool,
    /// Merchant reference.
    pub primary_reference: Option<String>,
    /// Merchant reference.
    pub secondary_reference: Option<String>,
    /// Key-value pairs.
    pub metadata: Value,
    /// Why it ended as it did (DRUO's transaction remarks).
    pub remarks: Option<TransactionRemark>,
    /// The paying account, once paid.
    pub account_uuid: Option<String>,
    /// Created, ms since the epoch.
    pub created_ms: i64,
    /// Last changed, ms since the epoch.
    pub updated_ms: i64,
}

fn read(r: &Row) -> StoreResult<TransactionRow> {
    Ok(TransactionRow {
        uuid: r.get("uuid")?,
        code: r.get("code")?,
        status: row::spelled(r, "status", PaymentStatus::parse)?,
        tenant_uuid: r.get("tenant_uuid")?,
        amount: r.get("amount")?,
        currency: r.get("currency")?,
        description: r.get("description")?,
        statement_descriptor: r.get("statement_descriptor")?,
        auto_send_receipt: r.get("auto_send_receipt")?,
        primary_reference: r.get("primary_reference")?,
        secondary_reference: r.get("secondary_reference")?,
        metadata: row::json(r, "metadata")?,
        remarks: row::opt_spelled(r, "remarks", TransactionRemark::parse)?,
        account_uuid: r.get("account_uuid")?,
        created_ms: r.get("created_ms")?,
        updated_ms: r.get("updated_ms")?,
    })
}

/// Inserts a pending payment (amount in centavos); returns its uuid. The caller has
/// checked the tenant.
pub fn insert(
    conn: &Conn,
    merchant_id: i64,
    t: &TransactionInput,
    now: i64,
) -> StoreResult<String> {
    let uuid = ids::prefixed_uuid("trx");
    conn.execute(
        "INSERT INTO transactions (uuid, merchant_id, code, tenant_uuid, status, amount, currency, description,
            statement_descriptor, auto_send_receipt, primary_reference, secondary_reference, metadata,
            created_ms, updated_ms)
         VALUES (?1,?2,?3,?4,?5,?6,'COP',?7,?8,?9,?10,?11,?12,?13,?13)",
        params![
            uuid, merchant_id, ids::code("T"), t.tenant_id, PaymentStatus::Pending.as_str(),
            t.amount as i64, t.description, t.statement_descriptor, t.auto_send_receipt,
            t.primary_reference, t.secondary_reference, serde_json::to_string(&t.metadata)?, now
        ],
    )?;
    let change = Change {
        merchant_id,
        event: EventType::TransactionStatusChanged,
        object: &uuid,
        from: None,
        to: PaymentStatus::Pending.as_str(),
        at: None,
    };
    webhooks::emit(conn, &change, now)?;
    Ok(uuid)
}

/// Payment `uuid`; its absence means a link points at nothing.
pub fn get(conn: &Conn, uuid: &str) -> StoreResult<TransactionRow> {
    conn.query_row(
        "SELECT * FROM transactions WHERE uuid = ?1",
        params![uuid],
        read,
    )
    .optional()?
    .ok_or_else(|| StoreError::Dangling(format!("transaction {uuid}")))
}

/// What paying did.
#[derive(Debug, Clone)]
pub struct Paid {
    /// The payment after paying.
    pub transaction: TransactionRow,
    /// The paying account's code.
    pub account_code: String,
}

/// Pays `transaction_uuid` from the payer's connected account
/// `account_uuid` and records the sandbox outcome on the payment: DRUO's
/// transaction table by the account number's last digits
/// (`druo_core::sandbox::payment_outcome`); the amount chooses nothing.
pub fn pay(
    conn: &Conn,
    transaction_uuid: &str,
    payer_uuid: &str,
    account_uuid: &str,
    now: i64,
) -> StoreResult<Paid> {
    let account = match accounts::current(conn, account_uuid, now) {
        Ok(a) if a.end_user_uuid == payer_uuid => a,
        Ok(_) | Err(StoreError::NotFound(_)) => {
            return Err(StoreError::Refused(FieldError::new(
                "account_uuid",
                "UNKNOWN_ACCOUNT",
                "`account_uuid` is not one of the payer's accounts",
            )))
        }
        Err(e) => return Err(e),
    };
    if !account.current_status.usable() {
        return Err(StoreError::Refused(FieldError::new(
            "account_uuid",
            "ACCOUNT_NOT_CONNECTED",
            "the account is not connected yet",
        )));
    }
    let outcome = payment_outcome(&account.last_4);
    let before = get(conn, transaction_uuid)?;
    let changed = conn.execute(
        "UPDATE transactions SET status = ?1, remarks = ?2, account_uuid = ?3, updated_ms = ?4
         WHERE uuid = ?5",
        params![
            outcome.status.as_str(),
            outcome.remark.map(TransactionRemark::as_str),
            account_uuid,
            now,
            transaction_uuid
        ],
    )?;
    expect_one(changed, "transaction")?;
    if before.status != outcome.status {
        let change = Change {
            merchant_id: 0,
            event: EventType::TransactionStatusChanged,
            object: transaction_uuid,
            from: Some(before.status.as_str()),
            to: outcome.status.as_str(),
            at: None,
        };
        webhooks::emit_for(conn, "transactions", change, now)?;
    }
    Ok(Paid {
        transaction: get(conn, transaction_uuid)?,
        account_code: account.code,
    })
}

/// Checks that payment `uuid` belongs to `merchant_id`: not found when it
/// does not exist or is another merchant's, the same answer.
pub fn require_owned(conn: &Conn, merchant_id: i64, uuid: &str) -> StoreResult<()> {
    if crate::store::links::owns(conn, "transactions", merchant_id, uuid)? {
        Ok(())
    } else {
        Err(StoreError::NotFound("payment"))
    }
}
