//! The one HTTP client of the app and its one error type. Every call goes
//! to the page's own origin under `/api/v1`. Reads retry with capped
//! backoff; submits carry an `Idempotency-Key` and a timeout, and are
//! retried only by the user, with the same key.

use druo_core::dto::{
    ApiErrorBody, ConnectSubmit, InstitutionList, PublicAccount, PublicConnectLink,
};
use druo_core::route::{api_path, fill, API_PREFIX};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};

/// Everything that can go wrong talking to the service. `Clone + Send +
/// Sync` so it can travel through an `ErrorBoundary`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The request never got an answer (offline, reset, timeout).
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
        /// Seconds to wait, from `Retry-After`, when the service said.
        retry_after: Option<u32>,
    },
    /// The answer was not the JSON we expect.
    #[error("malformed answer: {0}")]
    Malformed(String),
}

impl ApiError {
    /// True for failures worth retrying unchanged (network, 5xx, 429).
    pub fn is_transient(&self) -> bool {
        matches!(self, ApiError::Network(_) | ApiError::Unavailable { .. })
    }

    /// The HTTP status of a refusal, if this is one.
    pub fn rejected_status(&self) -> Option<u16> {
        match self {
            ApiError::Rejected { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// How long a request may take before it counts as a network failure.
const TIMEOUT_MS: i32 = 20_000;
/// Delays before each automatic retry of a read.
const READ_BACKOFF_MS: [i32; 3] = [400, 1_200, 3_000];
/// The longest `Retry-After` a read waits for before giving up to the user.
const RETRY_AFTER_CAP_S: u32 = 10;

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Aborts the request after [`TIMEOUT_MS`]. Dropping it cancels the timer.
struct Deadline {
    controller: Option<web_sys::AbortController>,
    timer: Option<i32>,
    _cb: Option<Closure<dyn FnMut()>>,
}

impl Deadline {
    fn new() -> Self {
        let controller = web_sys::AbortController::new().ok();
        let (timer, cb) = match (&controller, web_sys::window()) {
            (Some(c), Some(w)) => {
                let c = c.clone();
                let cb = Closure::<dyn FnMut()>::new(move || c.abort());
                let t = w
                    .set_timeout_with_callback_and_timeout_and_arguments_0(
                        cb.as_ref().unchecked_ref(),
                        TIMEOUT_MS,
                    )
                    .ok();
                (t, Some(cb))
            }
            _ => (None, None),
        };
        Deadline {
            controller,
            timer,
            _cb: cb,
        }
    }

    fn signal(&self) -> Option<web_sys::AbortSignal> {
        self.controller.as_ref().map(|c| c.signal())
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if let (Some(t), Some(w)) = (self.timer, web_sys::window()) {
            w.clear_timeout_with_handle(t);
        }
    }
}

async fn send(
    req: gloo_net::http::RequestBuilder,
    body: Option<String>,
) -> Result<gloo_net::http::Response, ApiError> {
    let deadline = Deadline::new();
    let signal = deadline.signal();
    let req = req
        .header("Accept", "application/json")
        .abort_signal(signal.as_ref());
    let req = match body {
        Some(b) => req.header("Content-Type", "application/json").body(b),
        None => req.build(),
    }
    .map_err(network)?;
    req.send().await.map_err(network)
}

/// A request that got no answer. Not through gloo-net's `Display`: its
/// `SerdeError` arm (gloo-net's `json` feature, which leptos turns on) would
/// link serde_json's error messages into the wasm.
fn network(e: gloo_net::Error) -> ApiError {
    ApiError::Network(match e {
        gloo_net::Error::JsError(e) => e.to_string(),
        gloo_net::Error::GlooError(s) => s,
        #[allow(unreachable_patterns)]
        _ => String::new(),
    })
}

/// The body of a 2xx answer, or the error the status means. Not generic:
/// one copy of this state machine serves every endpoint (twiggy showed a
/// copy per answer type otherwise; docs/performance.md).
async fn answer_text(res: gloo_net::http::Response) -> Result<String, ApiError> {
    let status = res.status();
    // Only the delta-seconds form; an HTTP date falls back to our backoff.
    let retry_after = res
        .headers()
        .get("Retry-After")
        .and_then(|v| v.trim().parse::<u32>().ok());
    let text = res.text().await.map_err(network)?;
    match status {
        200..=299 => Ok(text),
        404 => Err(ApiError::NotFound),
        429 | 500..=599 => Err(ApiError::Unavailable {
            status,
            retry_after,
        }),
        _ => Err(match parse_json::<ApiErrorBody>(&text) {
            Ok(body) => ApiError::Rejected { status, body },
            Err(malformed) => malformed,
        }),
    }
}

// JSON goes through the browser's own `JSON.parse` and `JSON.stringify`,
// and serde-wasm-bindgen maps the JS values to and from our types, so no
// JSON parser or printer is compiled into the wasm (docs/performance.md).
// These calls need a JS host: on a native target they compile but panic.

/// Parses JSON text as `T`: the only generic step of an API call, and the
/// reader of any other JSON the page holds. Text that is not JSON, or JSON
/// of another shape, is [`ApiError::Malformed`].
///
/// Unlike serde_json, an integer field takes any JSON number that is a safe
/// JS integer (`20000.0` too), and refuses one above 2^53 − 1 rather than
/// round it (amounts are capped far below). tests/json.rs holds the rest.
pub fn parse_json<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_wasm_bindgen::from_value(js_parse(text)?).map_err(malformed)
}

/// `JSON.parse`; not generic, so one copy serves every type.
fn js_parse(text: &str) -> Result<JsValue, ApiError> {
    js_sys::JSON::parse(text).map_err(|e| {
        ApiError::Malformed(
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_default(),
        )
    })
}

/// `value` as compact JSON text: serde-wasm-bindgen's JSON-compatible
/// mapping (maps as objects, `None` as `null`, integers as numbers), then
/// `JSON.stringify`. For our DTOs this is serde_json's text byte for byte
/// (tests/json.rs); JS objects put integer-like keys first, though.
pub fn to_json<B: Serialize>(value: &B) -> Result<String, ApiError> {
    let value = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(malformed)?;
    js_stringify(&value)
}

/// `JSON.stringify`; not generic.
fn js_stringify(value: &JsValue) -> Result<String, ApiError> {
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| ApiError::Malformed("not serializable as JSON".to_string()))
}

/// A value of the wrong shape.
fn malformed(e: serde_wasm_bindgen::Error) -> ApiError {
    ApiError::Malformed(e.to_string())
}

/// `GET /api/v1{path}` as `T`, retried on transient failures.
pub async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    parse_json(&get_text(path).await?)
}

/// `GET /api/v1{path}`: the body of the first 2xx answer, retrying
/// transient failures.
async fn get_text(path: &str) -> Result<String, ApiError> {
    let url = [API_PREFIX, path].concat();
    let mut attempt = 0;
    loop {
        let result = match send(gloo_net::http::Request::get(&url), None).await {
            Ok(res) => answer_text(res).await,
            Err(e) => Err(e),
        };
        match result {
            Err(e) if e.is_transient() && attempt < READ_BACKOFF_MS.len() => {
                // The service's `Retry-After` wins over our backoff, capped
                // so a page never hangs silently.
                let wait = match e {
                    ApiError::Unavailable {
                        retry_after: Some(s),
                        ..
                    } if s <= RETRY_AFTER_CAP_S => s as i32 * 1000,
                    ApiError::Unavailable {
                        retry_after: Some(_),
                        ..
                    } => return Err(e),
                    _ => READ_BACKOFF_MS[attempt],
                };
                sleep(wait).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// `POST /api/v1{path}` with a JSON body and an `Idempotency-Key`; one
/// attempt (the caller retries with the same key).
pub async fn post_json<B: Serialize, T: DeserializeOwned>(
    path: &str,
    key: &str,
    body: &B,
) -> Result<T, ApiError> {
    let body = to_json(body)?;
    parse_json(&post_text(path, Some(key), body).await?)
}

/// `POST /api/v1{path}` with a JSON text body, and an `Idempotency-Key`
/// where the endpoint reads one; the answer's text.
async fn post_text(path: &str, key: Option<&str>, body: String) -> Result<String, ApiError> {
    let mut req = gloo_net::http::Request::post(&[API_PREFIX, path].concat());
    if let Some(key) = key {
        req = req.header("Idempotency-Key", key);
    }
    answer_text(send(req, Some(body)).await?).await
}

/// A fresh idempotency key (a random UUID from the browser's CSPRNG).
pub fn new_idempotency_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("k-{}", js_sys::Date::now()))
}

/// The connect link behind `slug`.
pub async fn connect_link(slug: &str) -> Result<PublicConnectLink, ApiError> {
    get_json(&fill(api_path::CONNECT_LINK, &[slug])).await
}

/// The institution catalog.
pub async fn institutions() -> Result<InstitutionList, ApiError> {
    get_json(api_path::INSTITUTIONS).await
}

/// The checkout link behind `slug`.
pub async fn checkout_link(slug: &str) -> Result<druo_core::dto::PublicCheckoutLink, ApiError> {
    get_json(&fill(api_path::CHECKOUT_LINK, &[slug])).await
}

/// The payer's verified accounts.
pub async fn checkout_accounts(slug: &str) -> Result<druo_core::dto::AccountList, ApiError> {
    get_json(&fill(api_path::CHECKOUT_ACCOUNTS, &[slug])).await
}

/// Submits an account through a link. `accounts` is the path for the
/// link's kind (`api_path::CONNECT_ACCOUNTS` or `CHECKOUT_ACCOUNTS`): the
/// connect and checkout pages connect accounts the same way.
pub async fn submit_account(
    accounts: &str,
    slug: &str,
    key: &str,
    body: &ConnectSubmit,
) -> Result<PublicAccount, ApiError> {
    post_json(&fill(accounts, &[slug]), key, body).await
}

/// Reads a pending account again (the live wait) through the link kind's
/// `refresh` path.
pub async fn refresh_account(
    refresh: &str,
    slug: &str,
    account: &str,
) -> Result<PublicAccount, ApiError> {
    let path = fill(refresh, &[slug, account]);
    parse_json(&post_text(&path, None, "{}".to_string()).await?)
}

/// Sends a pending account's deposit code through the link kind's
/// `authenticate` path (no idempotency key: a code is checked once per
/// press, and the service counts the attempts).
pub async fn authenticate_account(
    authenticate: &str,
    slug: &str,
    account: &str,
    otp: &str,
) -> Result<PublicAccount, ApiError> {
    let path = fill(authenticate, &[slug, account]);
    let body = to_json(&druo_core::dto::CodeSubmit {
        otp: otp.to_string(),
    })?;
    parse_json(&post_text(&path, None, body).await?)
}

/// Pays a checkout link.
pub async fn pay(
    slug: &str,
    key: &str,
    body: &druo_core::dto::PayRequest,
) -> Result<druo_core::dto::PaymentResult, ApiError> {
    post_json(&fill(api_path::CHECKOUT_PAY, &[slug]), key, body).await
}
