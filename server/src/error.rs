//! The service's one error type and its JSON answer (`message`, `code`,
//! `field`), with `Cache-Control: no-store` like every API answer.

use crate::store::accounts::AuthRefusal;
use crate::store::error::StoreError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use druo_core::dto::ApiErrorBody;
use druo_core::status::AuthProblem;
use druo_core::FieldError;

/// An error answer.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{status} {code}: {message}")]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable code.
    pub code: String,
    /// Human-readable message.
    pub message: String,
    /// The request field at fault.
    pub field: Option<String>,
    /// Seconds to wait before trying again (sent as `Retry-After`).
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// An error with a status, code and message.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_string(),
            message: message.into(),
            field: None,
            retry_after: None,
        }
    }

    /// A 400 naming `field`.
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: Some(field.to_string()),
            ..Self::new(StatusCode::BAD_REQUEST, code, message)
        }
    }

    /// 404 with a `NOT_FOUND` code.
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!("{what} not found"),
        )
    }

    /// 429: too many writes; try again in `wait` (rounded up to seconds).
    pub fn rate_limited(wait: std::time::Duration) -> Self {
        let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        Self {
            retry_after: Some(secs.max(1)),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "RATE_LIMITED",
                format!("too many attempts; try again in {} s", secs.max(1)),
            )
        }
    }

    /// A refused authentication: 404 for a slug no pending validation
    /// has, 400 for a missing code, 422 for a wrong one (naming the
    /// attempts left).
    pub fn auth_refused(r: AuthRefusal) -> Self {
        let (status, code, message) = match r {
            AuthRefusal::UnknownSlug => (
                StatusCode::NOT_FOUND,
                AuthProblem::UnknownSlug,
                "no pending validation of this account has that `slug`".to_string(),
            ),
            AuthRefusal::CodeRequired => (
                StatusCode::BAD_REQUEST,
                AuthProblem::OtpRequired,
                "`otp` is required for CONFIRM_OTP_VIA_MICRODEPOSIT".to_string(),
            ),
            AuthRefusal::WrongCode { left } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                AuthProblem::WrongCode,
                format!("`otp` is not the deposit's code; {left} attempts left"),
            ),
        };
        Self {
            field: (r != AuthRefusal::UnknownSlug).then(|| "otp".to_string()),
            ..Self::new(status, code.as_str(), message)
        }
    }

    /// 503 with `Retry-After`: the database cannot be reached or is busy
    /// now, and nothing was changed; the same request may be sent again
    /// (with its `Idempotency-Key`, it is answered once).
    pub fn unavailable(cause: impl std::fmt::Display) -> Self {
        eprintln!("link-server: database unavailable: {cause}");
        Self {
            retry_after: Some(1),
            ..Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "UNAVAILABLE",
                "the service is busy; nothing was changed; try again in a moment",
            )
        }
    }

    /// 500 that hides the cause from the client and logs it.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        eprintln!("link-server: internal error: {cause}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL",
            "internal error; nothing was changed",
        )
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code: e.code,
            message: e.message,
            field: Some(e.field),
            retry_after: None,
        }
    }
}

impl From<StoreError> for ApiError {
    /// Storage speaks of what happened; this is where it becomes HTTP: a
    /// missing entity is a 404, a refused reference a 400 naming its field,
    /// anything else a 500 that hides the cause.
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => Self::not_found(what),
            StoreError::Exists(what) => Self::new(
                StatusCode::CONFLICT,
                "CONFLICT",
                format!("{what} exists already"),
            ),
            StoreError::Refused(field) => field.into(),
            other if other.is_unavailable() => Self::unavailable(other),
            other => Self::internal(other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ApiErrorBody {
            message: self.message,
            code: self.code,
            field: self.field,
        };
        let mut res = (self.status, axum::Json(body)).into_response();
        let h = res.headers_mut();
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(secs) = self.retry_after {
            h.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        res
    }
}

/// Result of a handler step.
pub type ApiResult<T> = Result<T, ApiError>;
