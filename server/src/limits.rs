//! Request limits: how big and how slow a request may be, and how many
//! writes a link and a client may make (the buckets are in `rate`). The
//! header timeout is enforced by the connection (`serve`); the body limit
//! and the request timeout by [`guard`] on both routers. A refusal that
//! leaves the body unread (413, 408) closes the connection, and `serve`
//! closes it lingering, so a client still sending reads the answer
//! instead of a reset.

use crate::error::ApiError;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use clap::Args;
use std::time::Duration;

/// Largest request body by default: every JSON body of both APIs fits in
/// a few hundred bytes; a merchant's metadata in a few KiB.
pub const BODY_LIMIT: usize = 64 * 1024;
/// Default time to send a request's headers (and the time an idle
/// keep-alive connection is kept).
pub const HEADER_TIMEOUT_MS: u64 = 5_000;
/// Default time from a request's headers to its answer, reading the body
/// included.
pub const REQUEST_TIMEOUT_MS: u64 = 10_000;
/// Default account submits and payments one link accepts per minute.
pub const LINK_WRITES_PER_MINUTE: u32 = 10;
/// Default account submits and payments one client address may make per
/// minute, over all links.
pub const CLIENT_WRITES_PER_MINUTE: u32 = 30;

/// The limits, as flags (each with an environment variable).
#[derive(Debug, Clone, Args)]
pub struct Limits {
    /// Largest request body in bytes; larger ones are refused with 413.
    #[arg(long, env = "LINK_BODY_LIMIT", default_value_t = BODY_LIMIT)]
    pub body_limit: usize,
    /// Milliseconds a client has to send a request's headers; then the
    /// connection is closed.
    #[arg(long, env = "LINK_HEADER_TIMEOUT_MS", default_value_t = HEADER_TIMEOUT_MS)]
    pub header_timeout_ms: u64,
    /// Milliseconds from a request's headers to its answer, body included;
    /// then 408 and the connection is closed.
    #[arg(long, env = "LINK_REQUEST_TIMEOUT_MS", default_value_t = REQUEST_TIMEOUT_MS)]
    pub request_timeout_ms: u64,
    /// Account submits and payments one link accepts per minute (burst
    /// and sustained); then 429 with Retry-After.
    #[arg(long, env = "LINK_LINK_WRITES_PER_MINUTE", default_value_t = LINK_WRITES_PER_MINUTE)]
    pub link_writes_per_minute: u32,
    /// Account submits and payments one client IP may make per minute over
    /// all links; then 429 with Retry-After.
    #[arg(long, env = "LINK_CLIENT_WRITES_PER_MINUTE", default_value_t = CLIENT_WRITES_PER_MINUTE)]
    pub client_writes_per_minute: u32,
    /// A proxy or load balancer in front (an address or a CIDR block;
    /// repeat, or separate with commas): behind it the client is the
    /// address it puts in `X-Forwarded-For`, not the connection's peer.
    #[arg(long, env = "LINK_TRUSTED_PROXY", value_delimiter = ',')]
    pub trusted_proxy: Vec<crate::rate::Cidr>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_limit: BODY_LIMIT,
            header_timeout_ms: HEADER_TIMEOUT_MS,
            request_timeout_ms: REQUEST_TIMEOUT_MS,
            link_writes_per_minute: LINK_WRITES_PER_MINUTE,
            client_writes_per_minute: CLIENT_WRITES_PER_MINUTE,
            trusted_proxy: Vec::new(),
        }
    }
}

impl Limits {
    /// The header-read timeout.
    pub fn header_timeout(&self) -> Duration {
        Duration::from_millis(self.header_timeout_ms)
    }
}

/// `router` with the body limit and the request timeout.
pub fn guard<S: Clone + Send + Sync + 'static>(router: Router<S>, limits: &Limits) -> Router<S> {
    let (max, timeout) = (
        limits.body_limit,
        Duration::from_millis(limits.request_timeout_ms),
    );
    router
        // A streamed (chunked) body is cut at the limit while it is read.
        .layer(DefaultBodyLimit::max(max))
        .layer(middleware::from_fn(move |req: Request, next: Next| {
            checked(req, next, max, timeout)
        }))
}

/// Refuses a declared oversized body before reading it, and answers 408
/// when a request does not arrive within `timeout`.
///
/// A write (any method but GET, HEAD and OPTIONS) is bounded only while it
/// arrives: its body is read here under the timeout, and once its handler
/// runs, its answer is the one sent, so a 408 never reports as failed work
/// that then commits. The work itself is bounded by the store (a
/// connection in 5 s or 503, SQLite's busy timeout). A read is bounded
/// whole: cutting it changes nothing.
async fn checked(req: Request, next: Next, max: usize, timeout: Duration) -> Response {
    if declared_length(&req).is_some_and(|n| n > max as u64) {
        return too_large(max);
    }
    let reads_only = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !reads_only {
        let (parts, body) = req.into_parts();
        let body = match tokio::time::timeout(timeout, axum::body::to_bytes(body, max)).await {
            Err(_) => return late(),
            // Over the limit while read (chunked), or cut by the client.
            Ok(Err(_)) => return too_large(max),
            Ok(Ok(bytes)) => bytes,
        };
        return next
            .run(Request::from_parts(parts, axum::body::Body::from(body)))
            .await;
    }
    match tokio::time::timeout(timeout, next.run(req)).await {
        // A body cut at the limit while read (chunked) leaves its rest
        // unread, as above.
        Ok(mut res) if res.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            res.headers_mut().insert(header::CONNECTION, CLOSE);
            res
        }
        Ok(res) => res,
        Err(_) => late(),
    }
}

fn late() -> Response {
    closing(ApiError::new(
        StatusCode::REQUEST_TIMEOUT,
        "REQUEST_TIMEOUT",
        "the request took too long to arrive; send it again",
    ))
}

fn declared_length(req: &Request) -> Option<u64> {
    req.headers()
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

fn too_large(max: usize) -> Response {
    closing(ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "PAYLOAD_TOO_LARGE",
        format!("the body is larger than {max} bytes"),
    ))
}

/// The error's answer, closing the connection: the unread rest of the
/// body would otherwise be taken for the next request. `Connection:
/// close` is also what tells `serve` to linger (read and discard what the
/// client still sends, a bounded while) before closing, so the answer is
/// not lost to a reset.
fn closing(e: ApiError) -> Response {
    let mut res = e.into_response();
    res.headers_mut().insert(header::CONNECTION, CLOSE);
    res
}

const CLOSE: header::HeaderValue = header::HeaderValue::from_static("close");
