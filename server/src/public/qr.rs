//! `GET /qr.svg?u=…` (issue 27, "Continue on your phone"): a QR code of a
//! link page at a step, so a person on a desktop finishes on the phone
//! where their bank or wallet app is. Drawn here (the `qrcode` crate), so
//! the page's wasm carries no encoder and no other origin is asked.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use druo_core::route::handoff_page;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use serde::Deserialize;

/// The query: the page's path and query on this origin.
#[derive(Deserialize)]
pub struct QrQuery {
    /// `/connect/secure?sl=…&step=…`
    u: String,
}

/// The QR code of `public_base` + `u`, as SVG; `400` for anything that is
/// not a link page.
pub async fn qr_svg(State(s): State<AppState>, Query(q): Query<QrQuery>) -> ApiResult<Response> {
    if !handoff_page(&q.u) {
        return Err(ApiError::field(
            "u",
            "NOT_A_LINK_PAGE",
            "`u` must be a link page's path and query on this origin",
        ));
    }
    let url = format!("{}{}", s.public_base, q.u);
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .map_err(|e| ApiError::field("u", "TOO_LONG", format!("no QR code for it: {e}")))?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(176, 176)
        .quiet_zone(true)
        .build();
    let mut answer = (StatusCode::OK, image).into_response();
    let h = answer.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml"),
    );
    // The page's address at a step is not a secret, but it is the
    // person's own: never kept by a shared cache.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=300"),
    );
    Ok(answer)
}
