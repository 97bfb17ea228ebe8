//! `Idempotency-Key` on the merchant API's `POST`s, as Stripe documents
//! it: a request sent again with its key is answered with the first
//! answer (same status and body, plus `Idempotent-Replayed: true`) instead
//! of running twice, so a merchant that lost an answer to a timeout can
//! retry without creating a second end user, link or account.
//!
//! - The key is scoped per merchant (`merchant:{id}`): another merchant's
//!   same key is its own.
//! - "The same request" is the method, path (and query) and body, hashed
//!   with HMAC-SHA256 under the service's idempotency key (bodies hold
//!   account and document numbers; the hash must not be searchable).
//! - The same key with another request is `422 IDEMPOTENCY_KEY_REUSED`; the
//!   same request while the first still runs is `409
//!   IDEMPOTENCY_KEY_IN_USE` (retry in a moment). Both are logged to the
//!   security log, without the key.
//! - Only successes (2xx) are kept. Every merchant `POST` does its work in
//!   one transaction that rolls back on any error, so an error answer
//!   changed nothing: the claim is released and the same key may be sent
//!   again, fixed or not (Stripe likewise keeps nothing for a request
//!   refused before its endpoint ran, and never a 429 or a 5xx; the public
//!   API's claim rolls back with its failed work the same way).
//! - Once claimed, the request runs to its end on a task of its own even
//!   if its client gives up, so the client's retry finds its answer. A
//!   claim whose request never answered (the process died) is taken over
//!   by the same request after [`STALE_AFTER_MS`].
//! - Kept answers are sealed (`crate::sealed`): an end user's answer holds
//!   their email and document number, which must not sit in the database
//!   in clear. `upkeep` forgets them after `--idempotency-hours` (24).
//!
//! Unlike the public API, whose claim, work and answer share one
//! transaction, a merchant handler runs its own transaction, so the claim
//! is committed first (status 0, no answer) and the answer stored after.

use crate::auth::Merchant;
use crate::clock::now_ms;
use crate::error::ApiError;
use crate::ids;
use crate::seclog::Event;
use crate::state::AppState;
use crate::store::idempotency::{self, Begun, StoredAnswer};
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// How long an unanswered claim is taken for a request still running;
/// after it, the request is presumed dead and the same request may run.
pub const STALE_AFTER_MS: i64 = 60_000;

/// The header a replayed answer carries.
pub const REPLAYED: &str = "idempotent-replayed";

/// The column kept answers are sealed for: with the scope and key, the
/// AEAD's associated data ([`answer_place`]).
const SEALED_COLUMN: &str = "idempotency.body";

/// The associated data a kept answer is sealed under: its column, scope
/// and key, so it opens only as the answer to that merchant's key (one
/// copied into another merchant's row does not replay there).
pub fn answer_place(scope: &str, key: &str) -> String {
    crate::sealed::context(&[SEALED_COLUMN, scope, key])
}

/// Largest answer kept; merchant `POST` answers are a few KB of JSON.
const ANSWER_MAX: usize = 1 << 20;

/// The middleware (`axum::middleware::from_fn_with_state`) over the
/// merchant routes: `POST`s that carry an `Idempotency-Key` run once per
/// key (see the module's doc); every other request passes through.
pub async fn layer(State(s): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let Some(raw) = req.headers().get("idempotency-key").cloned() else {
        return next.run(req).await;
    };
    let (mut parts, body) = req.into_parts();
    // An unauthenticated request (or a bad `DRUO-Version`) claims
    // nothing and gets the answer its handler would give: the same
    // extractor's refusal (every merchant `POST` handler takes `Merchant`
    // first). Answered here rather than passed on, so the failure is
    // looked up and logged once.
    let merchant = match Merchant::from_request_parts(&mut parts, &s).await {
        Ok(m) => m,
        Err(refusal) => return refusal.into_response(),
    };
    let key = match checked_key(&raw) {
        Ok(k) => k,
        Err(e) => return e.into_response(),
    };
    // The body under the router's body limit (413 over it), read once
    // here and handed on to the handler.
    let body = match Bytes::from_request(Request::from_parts(parts.clone(), body), &s).await {
        Ok(b) => b,
        Err(rejection) => return rejection.into_response(),
    };
    let target = parts
        .uri
        .path_and_query()
        .map_or(parts.uri.path(), |p| p.as_str());
    let once = Once {
        scope: format!("merchant:{}", merchant.id),
        key,
        hash: request_hash(&s.secrets.idempotency, parts.method.as_str(), target, &body),
        path: parts.uri.path().to_string(),
        merchant_id: merchant.id,
    };
    // For the handler's extractor, which may take it instead of looking
    // the token up again (extensions are the server's, never a client's).
    parts.extensions.insert(merchant);
    let req = Request::from_parts(parts, Body::from(body));
    // On a task of its own: a client that gives up (a timeout, a dropped
    // connection) drops this future, but the claim, the work and its
    // answer still run to their end, so its retry finds the answer
    // instead of a claim nobody will answer.
    match tokio::spawn(run_once(s, once, req, next)).await {
        Ok(res) => res,
        // A panic in the handler: its claim goes stale and the same
        // request may run again after `STALE_AFTER_MS`.
        Err(e) => ApiError::internal(format!("idempotent request: {e}")).into_response(),
    }
}

/// One keyed request, as [`layer`] read it.
struct Once {
    /// `merchant:{id}`.
    scope: String,
    /// The client's key.
    key: String,
    /// The request's keyed hash ([`request_hash`]).
    hash: String,
    /// The path, for the security log.
    path: String,
    /// The merchant, for the security log.
    merchant_id: i64,
}

/// Claims the key and runs the request, or answers the refusal or the
/// stored answer.
async fn run_once(s: AppState, once: Once, req: Request, next: Next) -> Response {
    let Once {
        scope,
        key,
        hash,
        path,
        merchant_id,
    } = once;
    let (begin_scope, begin_key) = (scope.clone(), key.clone());
    let begun =
        s.db.write(move |tx| {
            let now = now_ms();
            idempotency::begin(
                tx,
                &begin_scope,
                &begin_key,
                &hash,
                now,
                now - STALE_AFTER_MS,
            )
            .map_err(ApiError::from)
        })
        .await;
    let refused = |reason: &str, e: ApiError| {
        s.seclog.record(
            Event::IdempotencyError,
            &[
                ("scope", "merchant"),
                ("merchant_id", &merchant_id.to_string()),
                ("path", &path),
                ("reason", reason),
            ],
        );
        e.into_response()
    };
    match begun {
        Err(e) => e.into_response(),
        Ok(Begun::Reused) => refused("reused", reused()),
        Ok(Begun::InUse) => refused("in_use", in_use()),
        Ok(Begun::Replay(prev)) => replay(&s, &scope, &key, prev),
        Ok(Begun::Claimed) => {
            let res = next.run(req).await;
            keep(&s, scope, key, res).await
        }
    }
}

/// The header's key, or 400 when it is empty, too long or not text.
fn checked_key(raw: &HeaderValue) -> Result<String, ApiError> {
    idempotency::valid_key(Some(raw)).ok_or_else(|| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "IDEMPOTENCY_KEY_INVALID",
            "an `Idempotency-Key` header must be 1 to 200 characters; reuse it when retrying",
        )
    })
}

/// The keyed hash that says two requests are the same: method, path and
/// query, and body.
fn request_hash(secret: &str, method: &str, target: &str, body: &[u8]) -> String {
    let mut data = Vec::with_capacity(method.len() + target.len() + body.len() + 2);
    data.extend_from_slice(method.as_bytes());
    data.push(b' ');
    data.extend_from_slice(target.as_bytes());
    // A path holds no line break, so the body cannot shift into it.
    data.push(b'\n');
    data.extend_from_slice(body);
    ids::hmac_sha256_hex(secret.as_bytes(), &data)
}

fn reused() -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "IDEMPOTENCY_KEY_REUSED",
        "this Idempotency-Key was used with a different request; use a new key for a new request",
    )
}

fn in_use() -> ApiError {
    ApiError {
        retry_after: Some(1),
        ..ApiError::new(
            StatusCode::CONFLICT,
            "IDEMPOTENCY_KEY_IN_USE",
            "a request with this Idempotency-Key is still running; send it again in a moment",
        )
    }
}

/// The stored answer to `scope`'s `key`, again.
fn replay(s: &AppState, scope: &str, key: &str, prev: StoredAnswer) -> Response {
    let body = match s
        .secrets
        .sealer()
        .open_in(&answer_place(scope, key), &prev.body)
    {
        Ok(b) => b,
        // Sealed under a key no longer loaded, tampered with, or another
        // row's.
        Err(e) => {
            return ApiError::internal(format!("stored idempotent answer: {e}")).into_response()
        }
    };
    let status = StatusCode::from_u16(prev.status).unwrap_or(StatusCode::OK);
    let mut r = crate::public::common::raw_json(status, body);
    r.headers_mut()
        .insert(REPLAYED, HeaderValue::from_static("true"));
    r
}

/// Stores the handler's answer for the claimed key when it is a success,
/// sealed; otherwise releases the claim so the request may run again.
/// Either way the handler's answer is the one sent.
async fn keep(s: &AppState, scope: String, key: String, res: Response) -> Response {
    let (parts, body) = res.into_parts();
    let status = parts.status;
    let text = if status.is_success() {
        match axum::body::to_bytes(body, ANSWER_MAX).await {
            Ok(bytes) => match String::from_utf8(bytes.to_vec()) {
                Ok(t) => Ok(t),
                Err(_) => Err(Body::from(bytes)),
            },
            Err(e) => {
                release(s, scope, key).await;
                return ApiError::internal(format!("reading an answer to keep: {e}"))
                    .into_response();
            }
        }
    } else {
        Err(body)
    };
    match text {
        Ok(text) => {
            let sealed = s
                .secrets
                .sealer()
                .seal_in(&answer_place(&scope, &key), &text);
            let code = status.as_u16();
            let stored =
                s.db.write(move |tx| idempotency::answer(tx, &scope, &key, code, &sealed))
                    .await;
            if let Err(e) = stored {
                // The work is done and answered; the unanswered claim
                // makes a retry wait (409) until it is stale, then run.
                eprintln!("link-server: keeping an idempotent answer: {e}");
            }
            Response::from_parts(parts, Body::from(text))
        }
        Err(body) => {
            release(s, scope, key).await;
            Response::from_parts(parts, body)
        }
    }
}

/// Releases a claim; a failure leaves it to go stale.
async fn release(s: &AppState, scope: String, key: String) {
    let released =
        s.db.write(move |tx| idempotency::release(tx, &scope, &key))
            .await;
    if let Err(e) = released {
        eprintln!("link-server: releasing an idempotency key: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::idempotency::KEY_MAX;

    #[test]
    fn the_hash_covers_method_target_and_body() {
        let h = |m, t, b: &[u8]| request_hash("k", m, t, b);
        let base = h("POST", "/a", b"{}");
        assert_eq!(base, h("POST", "/a", b"{}"));
        assert_ne!(base, h("POST", "/b", b"{}"));
        assert_ne!(base, h("PUT", "/a", b"{}"));
        assert_ne!(base, h("POST", "/a", b"{ }"));
        assert_ne!(base, h("POST", "/a?x=1", b"{}"));
        assert_ne!(base, request_hash("other", "POST", "/a", b"{}"));
    }

    #[test]
    fn keys_are_1_to_200_visible_characters() {
        let ok = |v: &str| checked_key(&HeaderValue::from_str(v).unwrap()).is_ok();
        assert!(ok("k"));
        assert!(ok(&"k".repeat(KEY_MAX)));
        assert!(!ok(&"k".repeat(KEY_MAX + 1)));
        assert!(!ok(""));
        assert!(!ok("   "));
        let bytes = HeaderValue::from_bytes(b"\xffkey").unwrap();
        assert!(checked_key(&bytes).is_err());
    }
}
