//! The merchant API's authentication: an extractor that turns a request's
//! bearer token and `DRUO-Version` into the [`Merchant`] it acts for, so a
//! handler that takes a `Merchant` cannot run unauthenticated.

use crate::error::ApiError;
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
    /// curl sends). A bad token is reported before a bad version.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(&parts.headers).ok_or_else(unauthorized)?;
        let row = state
            .db
            .call(move |c| merchants::by_token(c, &token).map_err(ApiError::from))
            .await?
            .ok_or_else(unauthorized)?;
        check_version(&parts.headers)?;
        Ok(Merchant {
            id: row.id,
            business_name: row.business_name,
        })
    }
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
