//! The checkout page's API: the link view, the payer's accounts,
//! connecting a new one, and the payment. Submits are idempotent on their
//! `Idempotency-Key`.

use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::public::common::{
    check_open, check_slug, create_link_account, json_answer, run_idempotent, to_json, Submit,
};
use crate::state::AppState;
use crate::store::checkout_links::{self, CheckoutLinkRow};
use crate::store::links::{self, LinkKind};
use crate::store::{accounts, end_users, merchants, payments};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use druo_core::dto::{AccountList, PaymentResult, PublicCheckoutLink, PublicTransaction};
use druo_core::input::{opt_bool, req_string};
use druo_core::status::{CreationSource, DeliveryStatus, PaymentStatus};
use druo_core::time::format_iso8601;
use druo_core::Lang;
use rusqlite::Connection;

fn load(c: &Connection, slug: &str) -> ApiResult<CheckoutLinkRow> {
    checkout_links::by_slug(c, slug)?.ok_or_else(|| ApiError::not_found("link"))
}

/// What the page shows of the link and its payment: no metadata,
/// references or ids.
fn public_view(c: &Connection, row: CheckoutLinkRow, now: i64) -> ApiResult<PublicCheckoutLink> {
    let l = &row.link;
    let t = payments::get(c, &row.transaction_uuid)?;
    Ok(PublicCheckoutLink {
        uuid: l.uuid.clone(),
        merchant_name: merchants::get(c, l.merchant_id)?.business_name,
        link_name: row.link_name,
        link_description: row.link_description.filter(|s| !s.is_empty()),
        end_user_first_name: end_users::get(c, &l.end_user_uuid)?.first_name,
        default_language: Lang::parse(&l.default_language).unwrap_or_default(),
        default_institution: l.default_institution.clone(),
        theme: row.colors,
        redirect_url: l.redirect_url.clone(),
        custom_confirmation_page: l.custom_confirmation_page,
        expiration_date: l.expiration_ms.map(format_iso8601),
        state: l.state(now),
        server_time: format_iso8601(now),
        transaction: PublicTransaction {
            amount: u64::try_from(t.amount).unwrap_or_default(),
            currency: t.currency,
            description: t.description,
            statement_descriptor: t.statement_descriptor,
            status: t.status,
            code: t.code,
        },
    })
}

/// `GET /checkout-links/{slug}`: the link view; the first fetch marks it
/// OPENED.
pub async fn view(State(s): State<AppState>, Path(slug): Path<String>) -> ApiResult<Response> {
    check_slug(&slug)?;
    let view =
        s.db.write(move |tx| {
            let now = now_ms();
            let row = load(tx, &slug)?;
            let uuid = row.link.uuid.clone();
            links::advance_delivery(tx, LinkKind::Checkout, &uuid, DeliveryStatus::Opened, now)?;
            public_view(tx, row, now)
        })
        .await?;
    json_answer(StatusCode::OK, &view)
}

/// `GET /checkout-links/{slug}/accounts`: the payer's verified accounts.
pub async fn accounts(State(s): State<AppState>, Path(slug): Path<String>) -> ApiResult<Response> {
    check_slug(&slug)?;
    let list =
        s.db.call(move |c| {
            let link = load(c, &slug)?.link;
            let rows = accounts::verified_of(c, &link.end_user_uuid)?;
            Ok::<_, ApiError>(rows.iter().map(accounts::AccountRow::public).collect())
        })
        .await?;
    json_answer(StatusCode::OK, &AccountList { accounts: list })
}

/// `POST /checkout-links/{slug}/accounts`: connects a new account for the
/// payer (the connect page's rules and sandbox outcomes; the link stays
/// open).
pub async fn add_account(
    State(s): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    check_slug(&slug)?;
    let submit = Submit::read(&headers, body)?;
    let obj = submit.obj.clone();
    let scope = format!("checkout-account:{slug}");
    run_idempotent(&s, scope, submit, move |tx, now| {
        let link = load(tx, &slug)?.link;
        check_open(&link, now)?;
        let source = CreationSource::CheckoutLink;
        let public = create_link_account(tx, &link, &obj, None, source, now)?;
        Ok((StatusCode::CREATED, to_json(&public)?))
    })
    .await
}

/// `POST /checkout-links/{slug}/accounts/{uuid}/refresh`: "I have
/// confirmed" for an account of this link's payer.
pub async fn refresh(
    State(s): State<AppState>,
    Path((slug, uuid)): Path<(String, String)>,
) -> ApiResult<Response> {
    check_slug(&slug)?;
    let acc =
        s.db.write(move |tx| {
            let link = load(tx, &slug)?.link;
            if accounts::get(tx, &uuid)?.end_user_uuid != link.end_user_uuid {
                return Err(ApiError::not_found("account"));
            }
            accounts::refresh(tx, &uuid, now_ms())?;
            Ok(accounts::get(tx, &uuid)?.public())
        })
        .await?;
    json_answer(StatusCode::OK, &acc)
}

/// `POST /checkout-links/{slug}/pay`: pays the transaction from one of the
/// payer's verified accounts. Body `{ "account_uuid", "user_authorization":
/// true }`. The link completes unless the payment is declined.
pub async fn pay(
    State(s): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    check_slug(&slug)?;
    let submit = Submit::read(&headers, body)?;
    if !opt_bool(&submit.obj, "user_authorization", false)? {
        return Err(ApiError::field(
            "user_authorization",
            "USER_AUTHORIZATION_REQUIRED",
            "`user_authorization` must be true: the payer must authorize the debit",
        ));
    }
    let account = req_string(&submit.obj, "account_uuid", 100)?;
    run_idempotent(&s, format!("pay:{slug}"), submit, move |tx, now| {
        let row = load(tx, &slug)?;
        let link = &row.link;
        check_open(link, now)?;
        let paid = payments::pay(
            tx,
            &row.transaction_uuid,
            &link.end_user_uuid,
            &account,
            now,
        )?;
        let t = paid.transaction;
        if t.status != PaymentStatus::Declined {
            links::advance_delivery(
                tx,
                LinkKind::Checkout,
                &link.uuid,
                DeliveryStatus::Completed,
                now,
            )?;
        }
        let result = PaymentResult {
            transaction_uuid: t.uuid,
            transaction_code: t.code,
            status: t.status,
            decline_reason: t.decline_reason,
            account_code: paid.account_code,
            reference: link.primary_reference.clone(),
        };
        Ok((StatusCode::OK, to_json(&result)?))
    })
    .await
}
