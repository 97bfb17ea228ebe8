//! The checkout page's API: the link view, the payer's accounts,
//! connecting a new one, and the payment (the handlers shared with connect
//! are in `common`, generic over [`PageLink`]). Submits are idempotent on
//! their `Idempotency-Key`.

use crate::error::{ApiError, ApiResult};
use crate::public::common::{
    check_slug, json_answer, link_view, load, submit_to_open, to_json, PageLink, Received,
    WriteKind,
};
use crate::public::returns::{payment_return, Signing};
use crate::sealed::Sealer;
use crate::state::AppState;
use crate::store::accounts::{self, AccountRow};
use crate::store::checkout_links::{self, CheckoutLinkRow};
use crate::store::end_users;
use crate::store::error::expect_one;
use crate::store::links::{self, LinkKind, LinkRow};
use crate::store::payments::{self, TransactionRow};
use crate::store::receipts::{self, Delivery, NewReceipt};
use crate::store::sql::Conn;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use druo_core::dto::{
    AccountList, PaymentResult, PublicAccount, PublicCheckoutLink, PublicTransaction, ReceiptEmail,
};
use druo_core::input::{opt_bool, req_string, Obj};
use druo_core::receipt::masked_email;
use druo_core::sandbox::Flow;
use druo_core::status::{CreationSource, DeliveryStatus, FieldCode};

/// The answer to a payment of the link `l`, paid from the account with
/// `account_code`: what the pay call answers, and the reopened link's
/// outcome.
fn payment_result(t: TransactionRow, account_code: String, l: &LinkRow) -> PaymentResult {
    PaymentResult {
        transaction_uuid: t.uuid,
        transaction_code: t.code,
        status: t.status,
        remarks: t.remarks,
        account_code,
        reference: l.primary_reference.clone(),
        date_updated: Some(druo_core::time::format_iso8601(t.updated_ms)),
        receipt_email: None,
        return_url: None,
    }
}

/// The payment that paid the link (`PaymentStatus::pays_link`), if any,
/// with its way back signed; `None` while unpaid, or when its payment did
/// not go through.
fn outcome(
    c: &Conn,
    how: &Signing,
    t: &TransactionRow,
    l: &LinkRow,
) -> ApiResult<Option<PaymentResult>> {
    match &t.account_uuid {
        Some(account) if t.status.pays_link() => {
            let code = accounts::get(c, account)?.code;
            let mut paid = payment_result(t.clone(), code, l);
            // A receipt given up on is not spoken of: the page shows it.
            paid.receipt_email = match receipts::latest(c, &t.uuid)? {
                Some(Delivery::Sent) => receipt_to(c, how.sealer, l, true)?,
                Some(Delivery::OnItsWay) => receipt_to(c, how.sealer, l, false)?,
                Some(Delivery::GivenUp) | None => None,
            };
            Ok(Some(payment_return(c, how, l, paid)?))
        }
        _ => Ok(None),
    }
}

/// The receipt email of a payment by `l`'s payer, as the page words it:
/// their address masked, and whether it was sent; `None` when they have
/// no email.
fn receipt_to(
    c: &Conn,
    sealer: &Sealer,
    l: &LinkRow,
    sent: bool,
) -> ApiResult<Option<ReceiptEmail>> {
    let email = end_users::shown(c, sealer, &l.end_user_uuid)?.email;
    Ok(email.map(|e| ReceiptEmail {
        to: masked_email(&e),
        sent,
    }))
}

impl PageLink for CheckoutLinkRow {
    type View = PublicCheckoutLink;

    /// What the page shows of the link and its payment: no metadata, ids
    /// or secondary reference; the primary reference, which the receipt
    /// shows too; once paid, the payment's outcome.
    fn view(self, c: &Conn, how: &Signing) -> ApiResult<PublicCheckoutLink> {
        let now = how.now;
        let l = &self.link;
        let t = payments::get(c, &self.transaction_uuid)?;
        // The new account being finished, while it still is.
        let pending_account = match &self.held_account {
            Some(u) => Some(accounts::current(c, u, now)?)
                .filter(|a| a.requires_account_validation)
                .map(|a| a.public()),
            None => None,
        };
        Ok(link_view!(PublicCheckoutLink, c, l, how, {
            link_name: self.link_name,
            link_description: self.link_description.filter(|s| !s.is_empty()),
            theme_vars: druo_core::theme::resolve_checkout(&self.colors).theme_vars(),
            theme: self.colors,
            outcome: outcome(c, how, &t, l)?,
            pending_account: pending_account,
            reference: l.primary_reference.clone(),
            transaction: PublicTransaction {
                amount: u64::try_from(t.amount).unwrap_or_default(),
                currency: t.currency,
                description: t.description,
                statement_descriptor: t.statement_descriptor,
                status: t.status,
                code: t.code,
            },
        }))
    }

    /// As it is: while an account is being connected, the checkout's way
    /// back asserts nothing (the link's bare `redirect_url`), so it is not
    /// signed; the payment's is.
    fn returning(&self, _: &Conn, _: &Signing, account: PublicAccount) -> ApiResult<PublicAccount> {
        Ok(account)
    }

    /// Any account of the link's payer.
    fn may_use(&self, a: &AccountRow) -> bool {
        a.end_user_uuid == self.link.end_user_uuid
    }

    const ACCOUNT_SCOPE: &'static str = "checkout-account";
    const FLOW: Flow = Flow::CheckoutConnection;
    const SOURCE: CreationSource = CreationSource::CheckoutLink;

    fn source_connect_link(&self) -> Option<&str> {
        None
    }

    /// The link stays open: an account only pays once the payer pays. A
    /// new account with a pending validation is remembered, so a reload
    /// resumes its wait or its deposit code.
    fn connected(&self, tx: &Conn, account: &PublicAccount, now: i64) -> ApiResult<()> {
        if account.requires_account_validation {
            checkout_links::hold(tx, &self.link.uuid, &account.uuid, now)?;
        }
        Ok(())
    }
}

/// `GET /checkout-links/{slug}/accounts`: the payer's connected accounts.
pub async fn accounts(State(s): State<AppState>, Path(slug): Path<String>) -> ApiResult<Response> {
    json_answer(StatusCode::OK, &read_accounts(&s, slug).await?)
}

/// The connected accounts of the payer of the checkout link at `slug`, as
/// [`accounts`] answers them (and a server-rendered page carries them).
pub async fn read_accounts(s: &AppState, slug: String) -> ApiResult<AccountList> {
    check_slug(&slug)?;
    let list =
        s.db.call(move |c| {
            let link = load::<CheckoutLinkRow>(c, &slug)?.link;
            let rows = accounts::usable_of(c, &link.end_user_uuid)?;
            Ok::<_, ApiError>(rows.iter().map(AccountRow::public).collect())
        })
        .await?;
    Ok(AccountList { accounts: list })
}

/// The pay body's account, once the payer's authorization is checked.
fn pay_account(o: &Obj) -> ApiResult<String> {
    if !opt_bool(o, "user_authorization", false)? {
        return Err(ApiError::field(
            "user_authorization",
            FieldCode::UserAuthorizationRequired.as_str(),
            "`user_authorization` must be true: the payer must authorize the debit",
        ));
    }
    Ok(req_string(o, "account_uuid", 100)?)
}

/// `POST /checkout-links/{slug}/pay`: pays the transaction from one of the
/// payer's connected accounts. Body `{ "account_uuid", "user_authorization":
/// true }`. The link completes when the payment pays it
/// (`PaymentStatus::pays_link`); otherwise it stays open for another try.
/// Checked and rate-limited as an account submit is (`submit_to_open`).
pub async fn pay(
    State(s): State<AppState>,
    Path(slug): Path<String>,
    received: Received,
) -> ApiResult<Response> {
    let secrets = s.secrets.clone();
    let emails = s.email_receipts;
    submit_to_open(
        &s,
        slug,
        WriteKind::Pay,
        "pay",
        received,
        pay_account,
        move |tx, row: &CheckoutLinkRow, account, now| {
            let link = &row.link;
            let payer = &link.end_user_uuid;
            let paid = payments::pay(tx, &row.transaction_uuid, payer, &account, now)?;
            if paid.transaction.status.pays_link() {
                let completed = DeliveryStatus::Completed;
                let paid_link =
                    links::advance_delivery(tx, LinkKind::Checkout, &link.uuid, completed, now)?;
                // Under the link's lock, checked open: it completes now.
                expect_one(paid_link, "paid link")?;
            }
            let how = Signing {
                sealer: secrets.sealer(),
                now,
            };
            // The receipt goes out after the answer (`crate::receipts`),
            // queued with the payment so it cannot be lost.
            let receipt = if emails && paid.transaction.auto_send_receipt {
                let to = receipt_to(tx, how.sealer, link, false)?;
                if to.is_some() {
                    receipts::queue(
                        tx,
                        &NewReceipt {
                            link_uuid: &link.uuid,
                            transaction_uuid: &row.transaction_uuid,
                            account_uuid: &account,
                            end_user_uuid: payer,
                            lang: &link.default_language,
                            status: paid.transaction.status,
                            now,
                        },
                    )?;
                }
                to
            } else {
                None
            };
            let mut result = payment_result(paid.transaction, paid.account_code, link);
            result.receipt_email = receipt;
            // A declined payment's way back ("Cancel and return") is signed
            // too; kept with the answer, so a replay answers the same URL.
            let result = payment_return(tx, &how, link, result)?;
            Ok((StatusCode::OK, to_json(&result)?))
        },
    )
    .await
}
