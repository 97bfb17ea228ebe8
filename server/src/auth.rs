//! The merchant API's authentication: an extractor that turns a request's
//! bearer token and `DRUO-Version` into the [`Merchant`] it acts for, so a
//! handler that takes a `Merchant` cannot run unauthenticated.

use crate::clock::now_ms;
use crate::error::ApiError;
use crate::seclog::Event;
use crate::state::AppState;
use crate::store::merchants;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};

/// API versions this service speaks.
pub const VERSIONS: &[&str] = &["2021-11-22"];

/// The authenticated merchant a request acts for.
#[derive(Debug, Clone)]
pub struct Merchant {
    /// Row id; every entity carries it.
    pub id: i64,
    /// Business name shown on link pages.
    pub business_name: String,
}

impl FromRequestParts<AppState> for Merchant {
    type Rejection = ApiError;

    /// Authenticates the bearer token, then checks `DRUO-Version` (header
    /// names are case-insensitive, so `DRUO-version` works as the checkout
    /// curl sends). A bad token is reported before a bad version, and
    /// logged (`seclog`). The token's use is recorded without the request
    /// waiting for it, at most once per
    /// [`merchants::LAST_USE_RESOLUTION_MS`].
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        // Authenticated already by a layer of this request (`merchant::
        // idempotent`): extensions are the server's, never the client's.
        if let Some(m) = parts.extensions.get::<Merchant>() {
            return Ok(m.clone());
        }
        let Some(token) = bearer(&parts.headers) else {
            return Err(refused(state, parts, "missing"));
        };
        let now = now_ms();
        let Some(found) = state
            .db
            .call(move |c| merchants::by_token(c, &token, now).map_err(ApiError::from))
            .await?
        else {
            return Err(refused(state, parts, "unknown"));
        };
        if found.use_is_news(now) {
            record_use(state, found.merchant.id, found.which, now);
        }
        check_version(&parts.headers)?;
        Ok(Merchant {
            id: found.merchant.id,
            business_name: found.merchant.business_name,
        })
    }
}

/// Records the use of merchant `id`'s token `which` without the request
/// waiting for it: the write queues behind the single SQLite writer, and
/// a failure only leaves the recorded use older than it could be.
fn record_use(state: &AppState, id: i64, which: merchants::Which, now: i64) {
    let db = state.db.clone();
    tokio::spawn(async move {
        let _ = db
            .write(move |c| merchants::record_use(c, id, which, now))
            .await;
    });
}

/// The 401 for a request without a token (`reason` `missing`) or with
/// one no merchant has (`unknown`), logged with the path only: never the
/// token, and never the query, which may carry a list filter's email.
fn refused(state: &AppState, parts: &Parts, reason: &str) -> ApiError {
    state.seclog.record(
        Event::AuthFailed,
        &[("reason", reason), ("path", parts.uri.path())],
    );
    unauthorized()
}

/// The token of `Authorization: Bearer <token>`, when present.
fn bearer(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, tok) = v.trim().split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| tok.trim().to_string())
        })
        .filter(|t| !t.is_empty())
}

fn check_version(headers: &HeaderMap) -> Result<(), ApiError> {
    let version = headers
        .get("druo-version")
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    match version {
        Some(v) if VERSIONS.contains(&v) => Ok(()),
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
