//! A webhook receiver on 127.0.0.1 for the tests: it records every post
//! and answers each with the next status of its plan (then 200), or 503
//! while it is down, or not at all while it holds.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use axum::response::IntoResponse;
use axum::routing::any;
use axum::Router;
use druo_core::webhook::check_signature;
use link_server::ids::hmac_sha256_hex;
use serde_json::Value;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the receiver got: the signature header, the raw body, and the
/// status it answered.
#[derive(Debug, Clone)]
pub struct Got {
    pub signature: String,
    pub shop: Option<String>,
    pub body: Vec<u8>,
    pub answered: u16,
    /// Posted to the redirect's target (a sender that followed it).
    pub followed: bool,
}

impl Got {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// A receiver on 127.0.0.1: answers each post with the next status of
/// its plan (then 200), records every post.
#[derive(Clone, Default)]
pub struct Receiver {
    got: Arc<Mutex<Vec<Got>>>,
    plan: Arc<Mutex<VecDeque<u16>>>,
    /// Answers 503 to everything while set.
    pub down: Arc<AtomicBool>,
    /// Holds every post unanswered while set (a hung endpoint).
    pub hold: Arc<AtomicBool>,
    /// Every event id as it arrived, before any hold.
    arrivals: Arc<Mutex<Vec<String>>>,
    /// Where a redirect points: this receiver, `?followed`.
    location: Arc<Mutex<String>>,
}

async fn take(
    State(r): State<Receiver>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> impl IntoResponse {
    let id = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v["id"].as_str().map(str::to_string))
        .unwrap_or_default();
    r.arrivals.lock().unwrap().push(id);
    while r.hold.load(Ordering::SeqCst) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let planned = r.plan.lock().unwrap().pop_front().unwrap_or(200);
    let status = if r.down.load(Ordering::SeqCst) {
        503
    } else {
        planned
    };
    let header = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    r.got.lock().unwrap().push(Got {
        signature: header("x-druo-webhook-event-signature").unwrap_or_default(),
        shop: header("x-shop"),
        body: body.to_vec(),
        answered: status,
        followed: query.is_some_and(|q| q.contains("followed")),
    });
    let status = AxumStatus::from_u16(status).unwrap();
    let location = r.location.lock().unwrap().clone();
    (status, [("location", location)], "")
}

impl Receiver {
    pub async fn start(plan: &[u16]) -> (Receiver, String) {
        let r = Receiver::default();
        r.plan.lock().unwrap().extend(plan);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        *r.location.lock().unwrap() = format!("{url}?followed");
        // Any method: a sender that followed a redirect (which turns a
        // POST into a GET) is recorded as `followed`.
        let app = Router::new()
            .route("/hook", any(take))
            .with_state(r.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        (r, url)
    }

    /// How many posts arrived, answered or not.
    pub fn arrived(&self) -> usize {
        self.arrivals.lock().unwrap().len()
    }

    /// How many times event `id` arrived, answered or not.
    pub fn arrivals_of(&self, id: &str) -> usize {
        self.arrivals
            .lock()
            .unwrap()
            .iter()
            .filter(|a| *a == id)
            .count()
    }

    pub fn all(&self) -> Vec<Got> {
        self.got.lock().unwrap().clone()
    }

    /// The deliveries answered 2xx.
    pub fn delivered(&self) -> Vec<Got> {
        self.all()
            .into_iter()
            .filter(|g| (200..300).contains(&g.answered))
            .collect()
    }

    /// Waits until `done` holds of what arrived (at most 30 s).
    pub async fn until(&self, what: &str, done: impl Fn(&[Got]) -> bool) {
        for _ in 0..300 {
            if done(&self.all()) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "{what}: got {:#?}",
            self.all().iter().map(Got::json).collect::<Vec<_>>()
        );
    }
}

/// `(type, object, from, to)` of each delivery answered 2xx, in arrival order.
pub fn facts(got: &[Got]) -> Vec<(String, String, Option<String>, String)> {
    got.iter()
        .filter(|g| (200..300).contains(&g.answered))
        .map(|g| {
            let v = g.json();
            (
                v["type"].as_str().unwrap().to_string(),
                v["data"]["uuid"].as_str().unwrap().to_string(),
                v["change"]["from"].as_str().map(str::to_string),
                v["change"]["to"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Whether `g` verifies under `secret` by the documented check.
pub fn verifies(g: &Got, secret: &str) -> bool {
    let now = i64::try_from(std::time::UNIX_EPOCH.elapsed().unwrap().as_secs()).unwrap();
    check_signature(&g.signature, &g.body, now, 300, |data| {
        hmac_sha256_hex(secret.as_bytes(), data)
    })
}
