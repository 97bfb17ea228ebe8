//! The public API of the checkout page, under `/api/v1/checkout-links/`:
//! the link view, the payer's accounts, connecting a new account, and the
//! payment. Submits are idempotent on their `Idempotency-Key`.

use crate::db::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::public::{
    check_open, check_slug, create_link_account, idempotency_key, json_answer, run_idempotent,
    state_of, str_of, to_json,
};
use crate::state::{json_object, AppState};
use crate::store;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use druo_core::dto::{AccountList, CheckoutTheme, PublicCheckoutLink, PublicTransaction};
use druo_core::input::opt_bool;
use druo_core::time::format_iso8601;
use druo_core::Lang;
use serde_json::{Map, Value};

/// Routes under `/api/v1/checkout-links`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/{slug}", get(view))
        .route("/{slug}/accounts", get(accounts).post(add_account))
        .route("/{slug}/accounts/{uuid}/refresh", post(refresh))
        .route("/{slug}/pay", post(pay))
}

fn load(c: &rusqlite::Connection, slug: &str) -> ApiResult<Map<String, Value>> {
    store::checkout_link_by_slug(c, slug)?.ok_or_else(|| ApiError::not_found("link"))
}

fn public_view(m: &Map<String, Value>, now: i64) -> PublicCheckoutLink {
    let colors = m.get("colors").cloned().unwrap_or(Value::Null);
    let color = |f: &str| colors.get(f).and_then(Value::as_str).map(str::to_string);
    PublicCheckoutLink {
        uuid: str_of(m, "uuid").unwrap_or_default(),
        merchant_name: str_of(m, "merchant_name").unwrap_or_default(),
        link_name: str_of(m, "link_name").unwrap_or_default(),
        link_description: str_of(m, "link_description").filter(|s| !s.is_empty()),
        end_user_first_name: str_of(m, "end_user_first_name"),
        default_language: str_of(m, "default_language")
            .and_then(|l| Lang::parse(&l))
            .unwrap_or_default(),
        default_institution: str_of(m, "default_institution"),
        theme: CheckoutTheme {
            background_color: color("background_color"),
            sidebar_background_color: color("sidebar_background_color"),
            sidebar_text_color: color("sidebar_text_color"),
            main_content_box_background_color: color("main_content_box_background_color"),
            main_content_box_text_color: color("main_content_box_text_color"),
            button_color: color("button_color"),
            button_text_color: color("button_text_color"),
        },
        redirect_url: str_of(m, "redirect_url"),
        custom_confirmation_page: m.get("custom_confirmation_page").and_then(Value::as_i64)
            == Some(1),
        expiration_date: m
            .get("expiration_ms")
            .and_then(Value::as_i64)
            .map(format_iso8601),
        state: state_of(m, now),
        server_time: format_iso8601(now),
        transaction: PublicTransaction {
            amount: m
                .get("t_amount")
                .and_then(Value::as_u64)
                .unwrap_or_default(),
            currency: str_of(m, "t_currency").unwrap_or_else(|| "COP".into()),
            description: str_of(m, "t_description"),
            statement_descriptor: str_of(m, "t_statement_descriptor"),
            status: str_of(m, "t_status")
                .and_then(|s| druo_core::status::PaymentStatus::parse(&s))
                .unwrap_or(druo_core::status::PaymentStatus::Pending),
            code: str_of(m, "t_code").unwrap_or_default(),
        },
    }
}

/// `GET /{slug}`: the link view; the first fetch marks it OPENED.
async fn view(State(s): State<AppState>, Path(slug): Path<String>) -> ApiResult<Response> {
    check_slug(&slug)?;
    let v =
        s.db.call(move |c| {
            let now = now_ms();
            let tx = c.transaction()?;
            let m = load(&tx, &slug)?;
            store::advance_delivery(
                &tx,
                "checkout_links",
                &str_of(&m, "uuid").unwrap_or_default(),
                "OPENED",
                now,
            )?;
            tx.commit()?;
            Ok(public_view(&m, now))
        })
        .await?;
    json_answer(StatusCode::OK, &v)
}

/// `GET /{slug}/accounts`: the payer's verified accounts.
async fn accounts(State(s): State<AppState>, Path(slug): Path<String>) -> ApiResult<Response> {
    check_slug(&slug)?;
    let list =
        s.db.call(move |c| {
            let m = load(c, &slug)?;
            store::verified_accounts(c, &str_of(&m, "end_user_uuid").unwrap_or_default())
        })
        .await?;
    json_answer(StatusCode::OK, &AccountList { accounts: list })
}

/// `POST /{slug}/accounts`: connects a new account for the payer (the
/// connect page's rules and sandbox outcomes; the link stays open).
async fn add_account(
    State(s): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    check_slug(&slug)?;
    let key = idempotency_key(&headers)?;
    let obj = json_object(&headers, &body)?;
    run_idempotent(
        &s,
        format!("checkout-account:{slug}"),
        key,
        body,
        move |tx, now| {
            let link = load(tx, &slug)?;
            check_open(&link, now)?;
            let public = create_link_account(tx, &link, &obj, None, "CHECKOUT_LINK", now)?;
            Ok((StatusCode::CREATED, to_json(&public)?))
        },
    )
    .await
}

/// `POST /{slug}/accounts/{uuid}/refresh`: "I have confirmed" for an
/// account of this link's payer.
async fn refresh(
    State(s): State<AppState>,
    Path((slug, uuid)): Path<(String, String)>,
) -> ApiResult<Response> {
    check_slug(&slug)?;
    let acc =
        s.db.call(move |c| {
            let tx = c.transaction()?;
            let link = load(&tx, &slug)?;
            let owner: Option<String> = tx
                .query_row(
                    "SELECT end_user_uuid FROM accounts WHERE uuid = ?1",
                    [&uuid],
                    |r| r.get(0),
                )
                .map_err(|_| ApiError::not_found("account"))?;
            if owner != str_of(&link, "end_user_uuid") {
                return Err(ApiError::not_found("account"));
            }
            store::refresh_account(&tx, &uuid, now_ms())?;
            let acc = store::public_account(&tx, &uuid)?;
            tx.commit()?;
            Ok(acc)
        })
        .await?;
    json_answer(StatusCode::OK, &acc)
}

/// `POST /{slug}/pay`: pays the transaction from one of the payer's
/// verified accounts. Body `{ "account_uuid", "user_authorization": true }`.
async fn pay(
    State(s): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    check_slug(&slug)?;
    let key = idempotency_key(&headers)?;
    let obj = json_object(&headers, &body)?;
    if !opt_bool(&obj, "user_authorization", false)? {
        return Err(ApiError::field(
            "user_authorization",
            "USER_AUTHORIZATION_REQUIRED",
            "`user_authorization` must be true: the payer must authorize the debit",
        ));
    }
    let account = druo_core::input::req_string(&obj, "account_uuid", 100)?;
    run_idempotent(&s, format!("pay:{slug}"), key, body, move |tx, now| {
        let link = load(tx, &slug)?;
        check_open(&link, now)?;
        Ok((
            StatusCode::OK,
            to_json(&store::pay(tx, &link, &account, now)?)?,
        ))
    })
    .await
}
