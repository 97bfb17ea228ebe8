//! What the connect and checkout page APIs share: the slug check, the
//! open-link check, the idempotent submit, creating an account from a page,
//! and the JSON answer.

use crate::body::json_object;
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::state::AppState;
use crate::store::accounts::{self, NewAccount};
use crate::store::idempotency::{self, StoredAnswer};
use crate::store::institutions;
use crate::store::links::LinkRow;
use crate::store::secrets;
use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use druo_core::dto::PublicAccount;
use druo_core::input::Obj;
use druo_core::request::account_core;
use druo_core::status::CreationSource;
use rusqlite::Transaction;
use serde::Serialize;

/// Longest accepted `Idempotency-Key`.
const IDEMPOTENCY_KEY_MAX: usize = 200;

/// Longest slug we ever make, with room to spare.
const SLUG_MAX: usize = 100;

/// A JSON answer with `status`, never cached.
pub fn json_answer<T: Serialize>(status: StatusCode, v: &T) -> ApiResult<Response> {
    Ok(raw_json(status, to_json(v)?))
}

/// Serializes an answer body.
pub fn to_json<T: Serialize>(v: &T) -> ApiResult<String> {
    serde_json::to_string(v).map_err(ApiError::internal)
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
pub fn check_slug(slug: &str) -> ApiResult<()> {
    if slug.is_empty()
        || slug.len() > SLUG_MAX
        || !slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(ApiError::not_found("link"));
    }
    Ok(())
}

/// Refuses a submit to a link that is not open, with the one mapping of
/// `LinkState::refusal` the page reads back.
pub fn check_open(link: &LinkRow, now: i64) -> ApiResult<()> {
    match link.state(now).refusal() {
        None => Ok(()),
        Some((status, code, message)) => Err(ApiError::new(
            StatusCode::from_u16(status).unwrap_or(StatusCode::CONFLICT),
            code,
            message,
        )),
    }
}

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

/// Runs `work` once per (`scope`, `key`): a repeat with the same body
/// answers the stored result without running it again; the same key with
/// another body is a 422. The stored request hash is keyed with a server
/// secret, because bodies hold account numbers.
fn idempotent(
    tx: &Transaction<'_>,
    scope: &str,
    key: &str,
    body: &[u8],
    now: i64,
    work: impl FnOnce() -> ApiResult<(StatusCode, String)>,
) -> ApiResult<(StatusCode, String)> {
    let secret = secrets::get_or_create(tx, "idempotency")?;
    let request_hash = ids::sha256_hex(&[secret.as_bytes(), body].concat());
    if let Some(prev) = idempotency::get(tx, scope, key)? {
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
    idempotency::put(tx, scope, key, &stored, now)?;
    Ok((status, answer))
}

/// A page submit: its `Idempotency-Key` and JSON object body, checked
/// before any work.
pub struct Submit {
    /// The key, scoped by the caller.
    pub key: String,
    /// The raw body (hashed for the idempotency check).
    pub body: Bytes,
    /// The body as a JSON object.
    pub obj: Obj,
}

impl Submit {
    /// Reads the key, then the body (a missing key is reported first).
    pub fn read(headers: &HeaderMap, body: Bytes) -> ApiResult<Submit> {
        let key = idempotency_key(headers)?;
        let obj = json_object(headers, &body)?;
        Ok(Submit { key, body, obj })
    }
}

/// Runs a page submit in one transaction, once per (`scope`, key) (see
/// [`idempotent`]), and answers its JSON. `work` gets the transaction and
/// the service's clock, and returns the status and the JSON body.
pub async fn run_idempotent<F>(
    s: &AppState,
    scope: String,
    submit: Submit,
    work: F,
) -> ApiResult<Response>
where
    F: FnOnce(&Transaction<'_>, i64) -> ApiResult<(StatusCode, String)> + Send + 'static,
{
    let Submit { key, body, .. } = submit;
    let (status, answer) =
        s.db.write(move |tx| {
            let now = now_ms();
            idempotent(tx, &scope, &key, &body, now, || work(tx, now))
        })
        .await?;
    Ok(raw_json(status, answer))
}

/// Validates an account submit and creates the account for the link's end
/// user; returns its public view.
pub fn create_link_account(
    tx: &Transaction<'_>,
    link: &LinkRow,
    obj: &Obj,
    source_connect_link: Option<&str>,
    creation_source: CreationSource,
    now: i64,
) -> ApiResult<PublicAccount> {
    let (institution_uuid, subtype, number) = account_core(obj)?;
    let inst = institutions::check_subtype(tx, &institution_uuid, subtype)?;
    let new = NewAccount {
        merchant_id: link.merchant_id,
        end_user_uuid: &link.end_user_uuid,
        institution: &inst,
        subtype,
        account_number: &number,
        routing_number: None,
        source_connect_link,
        creation_source,
        primary_reference: None,
        secondary_reference: None,
        metadata: &Obj::new(),
    };
    let uuid = accounts::insert(tx, &new, now)?;
    Ok(accounts::get(tx, &uuid)?.public())
}
