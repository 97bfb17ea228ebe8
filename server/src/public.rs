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
        .nest("/checkout-links", crate::checkout::router())
        .fallback(|| async { ApiError::not_found("endpoint") })
}

pub(crate) fn json_answer<T: Serialize>(status: StatusCode, v: &T) -> ApiResult<Response> {
    let body = serde_json::to_string(v).map_err(ApiError::internal)?;
    Ok(raw_json(status, body))
}

pub(crate) fn raw_json(status: StatusCode, body: String) -> Response {
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
pub(crate) fn check_slug(slug: &str) -> ApiResult<()> {
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

pub(crate) fn str_of(m: &Map<String, Value>, k: &str) -> Option<String> {
    m.get(k).and_then(Value::as_str).map(str::to_string)
}

/// The link's state by the service's clock.
pub(crate) fn state_of(m: &Map<String, Value>, now: i64) -> LinkState {
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

pub(crate) fn idempotency_key(headers: &HeaderMap) -> ApiResult<String> {
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

/// Runs `work` once per (`scope`, `key`): a repeat with the same body
/// answers the stored result without running it again; the same key with
/// another body is a 422. The stored request hash is keyed with a server
/// secret, because bodies hold account numbers.
pub(crate) fn idempotent(
    tx: &rusqlite::Transaction<'_>,
    scope: &str,
    key: &str,
    body: &[u8],
    now: i64,
    work: impl FnOnce() -> ApiResult<(StatusCode, String)>,
) -> ApiResult<(StatusCode, String)> {
    let secret = store::secret(tx, "idempotency")?;
    let request_hash = crate::ids::sha256_hex(&[secret.as_bytes(), body].concat());
    if let Some(prev) = store::idempotent_answer(tx, scope, key)? {
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
    let (status, answer) = work()?;
    let stored = StoredAnswer {
        request_hash,
        status: status.as_u16(),
        body: answer.clone(),
    };
    store::store_answer(tx, scope, key, &stored, now)?;
    Ok((status, answer))
}

/// Runs a page submit in one transaction, once per (`scope`, `key`)
/// (see [`idempotent`]), and answers its JSON. `work` gets the transaction
/// and the service's clock, and returns the status and the JSON body.
pub(crate) async fn run_idempotent<F>(
    s: &AppState,
    scope: String,
    key: String,
    body: Bytes,
    work: F,
) -> ApiResult<Response>
where
    F: FnOnce(&rusqlite::Transaction<'_>, i64) -> ApiResult<(StatusCode, String)> + Send + 'static,
{
    let (status, answer) =
        s.db.call(move |c| {
            let now = now_ms();
            let tx = c.transaction()?;
            let out = idempotent(&tx, &scope, &key, &body, now, || work(&tx, now))?;
            tx.commit()?;
            Ok(out)
        })
        .await?;
    Ok(raw_json(status, answer))
}

/// Serializes an answer body.
pub(crate) fn to_json<T: Serialize>(v: &T) -> ApiResult<String> {
    serde_json::to_string(v).map_err(ApiError::internal)
}

/// Refuses a submit to an expired (410) or completed (409) link.
pub(crate) fn check_open(link: &Map<String, Value>, now: i64) -> ApiResult<()> {
    match state_of(link, now) {
        LinkState::Open => Ok(()),
        LinkState::Expired => Err(ApiError::new(
            StatusCode::GONE,
            "LINK_EXPIRED",
            "this link has expired",
        )),
        LinkState::Completed => Err(ApiError::new(
            StatusCode::CONFLICT,
            "LINK_COMPLETED",
            "this link was already used",
        )),
    }
}

/// Validates an account submit and creates the account for the link's end
/// user; returns its public view.
pub(crate) fn create_link_account(
    tx: &rusqlite::Transaction<'_>,
    link: &Map<String, Value>,
    obj: &druo_core::input::Obj,
    source_connect_link: Option<&str>,
    creation_source: &str,
    now: i64,
) -> ApiResult<druo_core::dto::PublicAccount> {
    let (institution_uuid, subtype, number) = account_core(obj)?;
    let inst = store::check_institution_subtype(tx, &institution_uuid, subtype)?;
    let merchant_id = link
        .get("merchant_id")
        .and_then(Value::as_i64)
        .unwrap_or_default();
    let end_user = str_of(link, "end_user_uuid").unwrap_or_default();
    let acc = store::insert_account(
        tx,
        &NewAccount {
            merchant_id,
            end_user_uuid: &end_user,
            institution: &inst,
            subtype,
            account_number: &number,
            routing_number: None,
            source_connect_link,
            creation_source,
            primary_reference: None,
            secondary_reference: None,
            metadata: &Map::new(),
        },
        now,
    )?;
    store::public_account(tx, &acc)
}

/// `POST /api/v1/connect-links/{slug}/accounts`: the page's submit,
/// idempotent on its `Idempotency-Key`.
async fn connect_submit(
    State(s): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    check_slug(&slug)?;
    let key = idempotency_key(&headers)?;
    let obj = json_object(&headers, &body)?;
    run_idempotent(&s, format!("connect:{slug}"), key, body, move |tx, now| {
        let link =
            store::connect_link_by_slug(tx, &slug)?.ok_or_else(|| ApiError::not_found("link"))?;
        check_open(&link, now)?;
        let link_uuid = str_of(&link, "uuid").unwrap_or_default();
        let public = create_link_account(tx, &link, &obj, Some(&link_uuid), "CONNECT_LINK", now)?;
        // A rejected number leaves the link open so the user can fix it.
        if public.current_status != druo_core::status::AccountStatus::Rejected {
            store::advance_delivery(tx, "connect_links", &link_uuid, "COMPLETED", now)?;
        }
        Ok((StatusCode::CREATED, to_json(&public)?))
    })
    .await
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
