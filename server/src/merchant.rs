//! The merchant API (the api.druo.com paths): bearer-token auth, the
//! `DRUO-Version` check, and the documented create/list/validate calls.
//! Every answer carries the documented top-level key.

use crate::db::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::state::{json_object, AppState};
use crate::store::{self, ConnectListFilter, LinkKind, Merchant, NewAccount};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use druo_core::dto::InstitutionList;
use druo_core::request;
use druo_core::time::parse_iso8601;
use serde_json::{json, Value};

/// API versions this service speaks.
pub const VERSIONS: &[&str] = &["2021-11-22"];

/// The merchant API router.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/end-users/create", post(create_end_user))
        .route("/institutions", get(list_institutions))
        .route("/connect/link/create", post(create_connect_link))
        .route("/connect/link/list", get(list_connect_links))
        .route("/connect/link/list/", get(list_connect_links))
        .route("/checkout/link/create", post(create_checkout_link))
        .route("/checkout/link/list", get(list_checkout_links))
        .route("/checkout/link/list/", get(list_checkout_links))
        .route("/accounts/validate", post(validate_account))
        .fallback(|| async { ApiError::not_found("endpoint") })
        .with_state(state)
}

/// Authenticates the bearer token, then checks `DRUO-Version` (header names
/// are case-insensitive, so `DRUO-version` works as the checkout curl sends).
async fn authorize(state: &AppState, headers: &HeaderMap) -> ApiResult<Merchant> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, tok) = v.trim().split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| tok.trim().to_string())
        })
        .filter(|t| !t.is_empty());
    let Some(token) = token else {
        return Err(unauthorized());
    };
    let merchant = state
        .db
        .call(move |c| Ok(store::merchant_by_token(c, &token)?))
        .await?
        .ok_or_else(unauthorized)?;
    let version = headers
        .get("druo-version")
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    match version {
        Some(v) if VERSIONS.contains(&v) => Ok(merchant),
        Some(v) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "UNKNOWN_VERSION",
            format!(
                "DRUO-Version `{v}` is not supported; supported versions: {}",
                VERSIONS.join(", ")
            ),
        )),
        None => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "VERSION_REQUIRED",
            format!(
                "send the `DRUO-Version` header; supported versions: {}",
                VERSIONS.join(", ")
            ),
        )),
    }
}

fn unauthorized() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "UNAUTHORIZED",
        "send `Authorization: Bearer <your API token>`",
    )
}

/// A 200 JSON answer that is never cached.
fn ok(v: Value) -> Response {
    let mut r = Json(v).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

async fn create_end_user(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let m = authorize(&s, &headers).await?;
    let input = request::end_user(&json_object(&headers, &body)?)?;
    let v =
        s.db.call(move |c| {
            let tx = c.transaction()?;
            let uuid = store::insert_end_user(&tx, m.id, &input, "MERCHANT_API", None, now_ms())?;
            let v = store::end_user_json(&tx, &uuid)?;
            tx.commit()?;
            Ok(v)
        })
        .await?;
    Ok(ok(json!({ "end_user": v })))
}

async fn list_institutions(State(s): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    authorize(&s, &headers).await?;
    let list = s.db.call(|c| Ok(store::institutions(c)?)).await?;
    Ok(ok(serde_json::to_value(InstitutionList {
        institutions: list,
    })
    .map_err(ApiError::internal)?))
}

async fn create_connect_link(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let m = authorize(&s, &headers).await?;
    let req = request::connect_link_create(&json_object(&headers, &body)?)?;
    let base = s.public_base.clone();
    let v =
        s.db.call(move |c| {
            let now = now_ms();
            let tx = c.transaction()?;
            let uuid = store::insert_connect_link(&tx, m.id, &req, now)?;
            let v = store::connect_link_json(&tx, &uuid, &base, now)?;
            tx.commit()?;
            Ok(v)
        })
        .await?;
    Ok(ok(json!({ "connect_link": v })))
}

/// Reads the list filters; each bad one is a 400 naming it.
fn list_filter(raw: Option<String>) -> ApiResult<ConnectListFilter> {
    let mut f = ConnectListFilter {
        page_size: 25,
        ..Default::default()
    };
    for (k, v) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        let v = v.trim().to_string();
        if v.is_empty() {
            continue;
        }
        let date = |field: &str, end_of_day: bool| -> ApiResult<i64> {
            let ms = parse_iso8601(&v).ok_or_else(|| {
                ApiError::field(
                    field,
                    "INVALID_DATE",
                    format!("`{field}` must be an ISO-8601 date or date-time"),
                )
            })?;
            // A bare date in `date_to` includes that whole day.
            Ok(if end_of_day && v.len() == 10 {
                ms + 86_399_999
            } else {
                ms
            })
        };
        match k.as_ref() {
            "delivery_status" => {
                let up = v.to_ascii_uppercase();
                if !["CREATED", "OPENED", "COMPLETED"].contains(&up.as_str()) {
                    return Err(ApiError::field(
                        "delivery_status",
                        "INVALID_VALUE",
                        "`delivery_status` must be one of CREATED, OPENED, COMPLETED",
                    ));
                }
                f.delivery_status = Some(up);
            }
            "code" => f.code = Some(v),
            "uuid" => f.uuid = Some(v),
            "primary_reference" => f.primary_reference = Some(v),
            "secondary_reference" => f.secondary_reference = Some(v),
            "date_from" => f.date_from = Some(date("date_from", false)?),
            "date_to" => f.date_to = Some(date("date_to", true)?),
            "end_user_uuid" => f.end_user_uuid = Some(v),
            "end_user_code" => f.end_user_code = Some(v),
            "end_user_email" => f.end_user_email = Some(v),
            "end_user_local_id" => f.end_user_local_id = Some(v),
            "starting_after" => f.starting_after = Some(v),
            "page_size" => {
                f.page_size = v
                    .parse()
                    .ok()
                    .filter(|n| (1..=100).contains(n))
                    .ok_or_else(|| {
                        ApiError::field(
                            "page_size",
                            "INVALID_PAGE_SIZE",
                            "`page_size` must be a whole number from 1 to 100",
                        )
                    })?
            }
            _ => {} // Unknown parameters are ignored, like unknown body fields.
        }
    }
    Ok(f)
}

/// Shared body of the two list endpoints.
async fn list(
    s: AppState,
    headers: HeaderMap,
    q: Option<String>,
    kind: LinkKind,
) -> ApiResult<Response> {
    let m = authorize(&s, &headers).await?;
    let f = list_filter(q)?;
    let base = s.public_base.clone();
    let v =
        s.db.call(move |c| store::list_links(c, m.id, kind, &f, &base, now_ms()))
            .await?;
    Ok(ok(v))
}

async fn list_connect_links(
    State(s): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    list(s, headers, q, LinkKind::Connect).await
}

/// `GET /checkout/link/list`: not in the reference pages; the connect
/// list's filters and paging for checkout links, so a merchant can see each
/// payment's current state (`checkout_link.transaction`).
async fn list_checkout_links(
    State(s): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    list(s, headers, q, LinkKind::Checkout).await
}

async fn create_checkout_link(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let m = authorize(&s, &headers).await?;
    let req = request::checkout_link_create(&json_object(&headers, &body)?)?;
    let base = s.public_base.clone();
    let v =
        s.db.call(move |c| {
            let now = now_ms();
            let tx = c.transaction()?;
            let uuid = store::insert_checkout_link(&tx, m.id, &req, now)?;
            let v = store::checkout_link_json(&tx, &uuid, &base, now)?;
            tx.commit()?;
            Ok(v)
        })
        .await?;
    Ok(ok(json!({ "checkout_link": v })))
}

async fn validate_account(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let m = authorize(&s, &headers).await?;
    let req = request::account_validate(&json_object(&headers, &body)?)?;
    let v =
        s.db.call(move |c| {
            let now = now_ms();
            let tx = c.transaction()?;
            let inst = store::check_institution_subtype(&tx, &req.institution_uuid, req.subtype)?;
            let end_user = store::resolve_end_user(&tx, m.id, &req.end_user, "MERCHANT_API", now)?;
            let uuid = store::insert_account(
                &tx,
                &NewAccount {
                    merchant_id: m.id,
                    end_user_uuid: &end_user,
                    institution: &inst,
                    subtype: req.subtype,
                    account_number: &req.account_number,
                    routing_number: req.routing_number.as_deref(),
                    source_connect_link: None,
                    creation_source: "MERCHANT_API",
                    primary_reference: req.primary_reference.as_deref(),
                    secondary_reference: req.secondary_reference.as_deref(),
                    metadata: &req.metadata,
                },
                now,
            )?;
            let v = store::account_json(&tx, &uuid)?;
            tx.commit()?;
            Ok(v)
        })
        .await?;
    Ok(ok(json!({ "account": v })))
}
