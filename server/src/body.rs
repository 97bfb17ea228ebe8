//! Request bodies: both APIs take a JSON object.

use crate::error::{ApiError, ApiResult};
use axum::http::{header, HeaderMap, StatusCode};
use druo_core::input::Obj;
use serde_json::Value;

/// Parses a JSON object body, refusing a wrong content type, malformed JSON
/// or a non-object with a 400 (never a 500).
pub fn json_object(headers: &HeaderMap, body: &[u8]) -> ApiResult<Obj> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let media = ct.split(';').next().unwrap_or("").trim();
    if !media.eq_ignore_ascii_case("application/json") {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "INVALID_CONTENT_TYPE",
            "send the body as JSON with `Content-Type: application/json`",
        ));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(o)) => Ok(o),
        Ok(_) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "INVALID_JSON",
            "the body must be a JSON object",
        )),
        Err(e) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "INVALID_JSON",
            format!("the body is not valid JSON: {e}"),
        )),
    }
}
