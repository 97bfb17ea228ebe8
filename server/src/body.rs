//! Request bodies: both APIs take a JSON object, and the public API's
//! writes refuse any other content type before reading theirs.

use crate::error::{ApiError, ApiResult};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use druo_core::input::Obj;
use serde_json::Value;

/// Whether the request says its body is JSON: `application/json`, with any
/// parameters (`; charset=utf-8`), in any case.
pub fn is_json(headers: &HeaderMap) -> bool {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let media = ct.split(';').next().unwrap_or("").trim();
    media.eq_ignore_ascii_case("application/json")
}

/// Refuses a public write whose body is not declared JSON with `415`: a
/// form (`application/x-www-form-urlencoded`, `multipart/form-data`) or
/// `text/plain` is what another site can post without asking the browser
/// first (a "simple" request, no CORS preflight), so the page's API
/// accepts only what a page's own script sends.
pub fn require_json(headers: &HeaderMap) -> ApiResult<()> {
    if is_json(headers) {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "UNSUPPORTED_MEDIA_TYPE",
        "send the request with `Content-Type: application/json`",
    ))
}

/// Parses a JSON object body, refusing a wrong content type, malformed JSON
/// or a non-object with a 400 (never a 500).
pub fn json_object(headers: &HeaderMap, body: &[u8]) -> ApiResult<Obj> {
    if !is_json(headers) {
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

/// A handler's body as a JSON object ([`json_object`]): read whole (its
/// size refusals are `Bytes`'s own), then parsed, before the handler runs.
#[derive(Debug)]
pub struct JsonObject(pub Obj);

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        let headers = req.headers().clone();
        let body = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        json_object(&headers, &body)
            .map(JsonObject)
            .map_err(IntoResponse::into_response)
    }
}
