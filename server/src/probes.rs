//! A load balancer's probes, on both listeners: `/healthz` (the process is
//! alive and serving) and `/readyz` (its database answers; otherwise 503
//! with `Retry-After`, so traffic goes to another instance).

use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use druo_core::route::probe_path::{HEALTHZ, READYZ};

/// The probes' routes, for either listener's router.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(HEALTHZ, get(healthz))
        .route(READYZ, get(readyz))
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text,
    )
        .into_response()
}

async fn healthz() -> Response {
    plain(StatusCode::OK, "ok\n")
}

async fn readyz(State(s): State<AppState>) -> Response {
    if s.db.ready().await {
        plain(StatusCode::OK, "ready\n")
    } else {
        let mut r = plain(StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n");
        r.headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
        r
    }
}
