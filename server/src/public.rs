//! The public API the link pages call, under `/api/v1/` on the hosted-link
//! origin. It exposes only what the pages show (see docs/api.md): no
//! metadata, no references, no end-user ids or local ids.

use crate::db::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::state::{json_object, AppState};
use crate::store::{self, NewAccount, StoredAnswer};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use druo_core::dto::{ConnectTheme, InstitutionList, IntroText, LinkState, PublicConnectLink};
use druo_core::request::account_core;
use druo_core::time::{format_iso8601, is_expired};
use druo_core::Lang;
use serde::Serialize;
use serde_json::{Map, Value};

/// The public API router, mounted at `/api/v1`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/institutions", get(institutions))
        .route("/connect-links/{slug}", get(connect_link))
        .route("/connect-links/{slug}/accounts", post(connect_submit))
        .route(
            "/connect-links/{slug}/accounts/{uuid}",
            get(connect_account),
        )
        .route(
            "/connect-links/{slug}/accounts/{uuid}/refresh",
            post(refresh_account),
        )
        .fallback(|| async { ApiError::not_found("endpoint") })
}

fn json_answer<T: Serialize>(status: StatusCode, v: &T) -> ApiResult<Response> {
    let body = serde_json::to_string(v).map_err(ApiError::internal)?;
    Ok(raw_json(status, body))
}

fn raw_json(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Slugs are ours: anything else is not found without touching the database.
fn check_slug(slug: &str) -> ApiResult<()> {
    if slug.is_empty()
        || slug.len() > 100
        || !slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(ApiError::not_found("link"));
    }
    Ok(())
}

async fn institutions(State(s): State<AppState>) -> ApiResult<Response> {
    let list = s.db.call(|c| Ok(store::institutions(c)?)).await?;
    json_answer(StatusCode::OK, &InstitutionList { institutions: list })
}

fn str_of(m: &Map<String, Value>, k: &str) -> Option<String> {
    m.get(k).and_then(Value::as_str).map(str::to_string)
}

/// The link's state by the service's clock.
fn state_of(m: &Map<String, Value>, now: i64) -> LinkState {
    if m.get("delivery_status").and_then(Value::as_str) == Some("COMPLETED") {
        LinkState::Completed
    } else if is_expired(m.get("expiration_ms").and_then(Value::as_i64), now) {
        LinkState::Expired
    } else {
        LinkState::Open
    }
}

fn public_connect(m: &Map<String, Value>, now: i64) -> PublicConnectLink {
    let colors = m.get("colors").cloned().unwrap_or(Value::Null);
    let color = |f: &str| colors.get(f).and_then(Value::as_str).map(str::to_string);
    PublicConnectLink {
        uuid: str_of(m, "uuid").unwrap_or_default(),
        merchant_name: str_of(m, "merchant_name").unwrap_or_default(),
        intro_text: m
            .get("intro_text")
            .and_then(|v| serde_json::from_value::<IntroText>(v.clone()).ok())
            .unwrap_or(IntroText::Text(String::new())),
        end_user_first_name: str_of(m, "end_user_first_name"),
        default_language: str_of(m, "default_language")
            .and_then(|l| Lang::parse(&l))
            .unwrap_or_default(),
        default_institution: str_of(m, "default_institution"),
        theme: ConnectTheme {
            background_color: color("background_color"),
            content_background_color: color("content_background_color"),
            content_box_text_color: color("content_box_text_color"),
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
    }
}

/// `GET /api/v1/connect-links/{slug}`. The first fetch moves the link from
/// CREATED to OPENED.
async fn connect_link(State(s): State<AppState>, Path(slug): Path<String>) -> ApiResult<Response> {
    check_slug(&slug)?;
    let link =
        s.db.call(move |c| {
            let now = now_ms();
            let tx = c.transaction()?;
            let Some(m) = store::connect_link_by_slug(&tx, &slug)? else {
                return Err(ApiError::not_found("link"));
            };
            if let Some(uuid) = m.get("uuid").and_then(Value::as_str) {
                store::advance_delivery(&tx, "connect_links", uuid, "OPENED", now)?;
            }
            tx.commit()?;
            Ok(public_connect(&m, now))
        })
        .await?;
    json_answer(StatusCode::OK, &link)
}

/// Longest accepted `Idempotency-Key`.
const IDEMPOTENCY_KEY_MAX: usize = 200;

fn idempotency_key(headers: &HeaderMap) -> ApiResult<String> {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .unwrap_or("");
    if key.is_empty() || key.len() > IDEMPOTENCY_KEY_MAX {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "IDEMPOTENCY_KEY_REQUIRED",
            "send an `Idempotency-Key` header (1 to 200 characters) and reuse it when retrying",
        ));
    }
    Ok(key.to_string())
}

/// `POST /api/v1/connect-links/{slug}/accounts`: the page's submit. The
/// same `Idempotency-Key` with the same body answers the stored result
/// without creating anything; with another body it is a 422.
async fn connect_submit(
    State(s): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    check_slug(&slug)?;
    let key = idempotency_key(&headers)?;
    let obj = json_object(&headers, &body)?;
    let body = body.to_vec();
    let (status, answer) =
        s.db.call(move |c| {
            let now = now_ms();
            let tx = c.transaction()?;
            let scope = format!("connect:{slug}");
            // Keyed hash: the body holds an account number, so a plain hash
            // of it would be guessable from the stored value.
            let secret = store::secret(&tx, "idempotency")?;
            let request_hash = crate::ids::sha256_hex(&[secret.as_bytes(), &body].concat());
            if let Some(prev) = store::idempotent_answer(&tx, &scope, &key)? {
                if prev.request_hash != request_hash {
                    return Err(ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "IDEMPOTENCY_KEY_REUSED",
                        "this Idempotency-Key was used with a different request",
                    ));
                }
                return Ok((
                    StatusCode::from_u16(prev.status).unwrap_or(StatusCode::OK),
                    prev.body,
                ));
            }
            let link = store::connect_link_by_slug(&tx, &slug)?
                .ok_or_else(|| ApiError::not_found("link"))?;
            match state_of(&link, now) {
                LinkState::Open => {}
                LinkState::Expired => {
                    return Err(ApiError::new(
                        StatusCode::GONE,
                        "LINK_EXPIRED",
                        "this link has expired",
                    ))
                }
                LinkState::Completed => {
                    return Err(ApiError::new(
                        StatusCode::CONFLICT,
                        "LINK_COMPLETED",
                        "this link was already used",
                    ))
                }
            }
            let (institution_uuid, subtype, number) = account_core(&obj)?;
            let inst = store::check_institution_subtype(&tx, &institution_uuid, subtype)?;
            let link_uuid = str_of(&link, "uuid").unwrap_or_default();
            let merchant_id = link
                .get("merchant_id")
                .and_then(Value::as_i64)
                .unwrap_or_default();
            let end_user = str_of(&link, "end_user_uuid").unwrap_or_default();
            let acc = store::insert_account(
                &tx,
                &NewAccount {
                    merchant_id,
                    end_user_uuid: &end_user,
                    institution: &inst,
                    subtype,
                    account_number: &number,
                    routing_number: None,
                    source_connect_link: Some(&link_uuid),
                    creation_source: "CONNECT_LINK",
                    primary_reference: None,
                    secondary_reference: None,
                    metadata: &Map::new(),
                },
                now,
            )?;
            let public = store::public_account(&tx, &acc)?;
            // A rejected number leaves the link open so the user can fix it.
            if public.current_status != "REJECTED" {
                store::advance_delivery(&tx, "connect_links", &link_uuid, "COMPLETED", now)?;
            }
            let body = serde_json::to_string(&public).map_err(ApiError::internal)?;
            let status = StatusCode::CREATED;
            store::store_answer(
                &tx,
                &scope,
                &key,
                &StoredAnswer {
                    request_hash,
                    status: status.as_u16(),
                    body: body.clone(),
                },
                now,
            )?;
            tx.commit()?;
            Ok((status, body))
        })
        .await?;
    Ok(raw_json(status, answer))
}

/// Checks that account `uuid` was made through the link `slug`.
fn check_account_of_link(c: &rusqlite::Connection, slug: &str, uuid: &str) -> ApiResult<()> {
    let link = store::connect_link_by_slug(c, slug)?.ok_or_else(|| ApiError::not_found("link"))?;
    let owner: Option<String> = c
        .query_row(
            "SELECT source_connect_link FROM accounts WHERE uuid = ?1",
            [uuid],
            |r| r.get(0),
        )
        .map_err(|_| ApiError::not_found("account"))?;
    if owner.as_deref() != link.get("uuid").and_then(Value::as_str) {
        return Err(ApiError::not_found("account"));
    }
    Ok(())
}

/// `GET /api/v1/connect-links/{slug}/accounts/{uuid}`: an account made
/// through this link, as it stands.
async fn connect_account(
    State(s): State<AppState>,
    Path((slug, uuid)): Path<(String, String)>,
) -> ApiResult<Response> {
    check_slug(&slug)?;
    let acc =
        s.db.call(move |c| {
            check_account_of_link(c, &slug, &uuid)?;
            store::public_account(c, &uuid)
        })
        .await?;
    json_answer(StatusCode::OK, &acc)
}

/// `POST /api/v1/connect-links/{slug}/accounts/{uuid}/refresh`: the "I have
/// confirmed" action: asks the institution again and answers the account.
async fn refresh_account(
    State(s): State<AppState>,
    Path((slug, uuid)): Path<(String, String)>,
) -> ApiResult<Response> {
    check_slug(&slug)?;
    let acc =
        s.db.call(move |c| {
            let tx = c.transaction()?;
            check_account_of_link(&tx, &slug, &uuid)?;
            store::refresh_account(&tx, &uuid, now_ms())?;
            let acc = store::public_account(&tx, &uuid)?;
            tx.commit()?;
            Ok(acc)
        })
        .await?;
    json_answer(StatusCode::OK, &acc)
}
