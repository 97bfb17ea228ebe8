//! The one HTTP client of the app and its one error type. Every call goes
//! to the page's own origin under `/api/v1`.

use druo_core::dto::ApiErrorBody;
use serde::de::DeserializeOwned;

/// Everything that can go wrong talking to the service. `Clone + Send +
/// Sync` so it can travel through an `ErrorBoundary`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The request never got an answer (offline, DNS, reset).
    #[error("network error: {0}")]
    Network(String),
    /// The service answered 404.
    #[error("not found")]
    NotFound,
    /// The service refused the request with a reason (4xx).
    #[error("{status}: {}", .body.message)]
    Rejected {
        /// HTTP status.
        status: u16,
        /// The service's error body.
        body: ApiErrorBody,
    },
    /// The service failed (5xx) or asked us to slow down (429).
    #[error("service unavailable ({status})")]
    Unavailable {
        /// HTTP status.
        status: u16,
    },
    /// The answer was not the JSON we expect.
    #[error("malformed answer: {0}")]
    Malformed(String),
}

/// `GET /api/v1{path}` decoded as `T`.
pub async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let res = gloo_net::http::Request::get(&format!("/api/v1{path}"))
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    decode(res).await
}

async fn decode<T: DeserializeOwned>(res: gloo_net::http::Response) -> Result<T, ApiError> {
    let status = res.status();
    let text = res
        .text()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    match status {
        200..=299 => serde_json::from_str(&text).map_err(|e| ApiError::Malformed(e.to_string())),
        404 => Err(ApiError::NotFound),
        429 | 500..=599 => Err(ApiError::Unavailable { status }),
        _ => match serde_json::from_str::<ApiErrorBody>(&text) {
            Ok(body) => Err(ApiError::Rejected { status, body }),
            Err(e) => Err(ApiError::Malformed(e.to_string())),
        },
    }
}
