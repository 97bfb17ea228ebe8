//! The merchant API's answers: a 200 JSON body, never cached.

use crate::error::{ApiError, ApiResult};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::{Map, Value};

/// A 200 answer of `v`, never cached.
pub fn ok<T: Serialize>(v: &T) -> ApiResult<Response> {
    let value = serde_json::to_value(v).map_err(ApiError::internal)?;
    let mut r = Json(value).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

/// A 200 answer `{ key: v }`: every answer carries the documented
/// top-level key.
pub fn ok_under<T: Serialize>(key: &str, v: &T) -> ApiResult<Response> {
    let mut m = Map::new();
    m.insert(
        key.to_string(),
        serde_json::to_value(v).map_err(ApiError::internal)?,
    );
    ok(&Value::Object(m))
}
