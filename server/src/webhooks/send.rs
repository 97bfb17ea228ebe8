//! One signed post to one endpoint: `X-DRUO-Webhook-Event-Signature`, the
//! endpoint's own headers, a 10 s timeout, no redirect followed, no proxy,
//! and only to addresses `druo_core::webhook::address_allowed` lets
//! through, checked on every address a name resolves to at each delivery
//! (so a name that resolves to the service's own network later, DNS
//! rebinding, is refused too).

use crate::store::webhooks::Endpoint;
use druo_core::webhook::{
    address_allowed, endpoint_url, host_address, signature_header, signed_payload, Allow,
};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "X-DRUO-Webhook-Event-Signature";

/// How long a delivery may take.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// Largest body sent; a larger event fails without a try.
pub const MAX_BODY: usize = 64 * 1024;

/// How a post went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// The endpoint answered with this status (a redirect is not
    /// followed: it counts as a failure).
    Status(u16),
    /// No answer: why, for the delivery log.
    Error(String),
}

/// The sender's HTTP client.
pub struct Client {
    http: reqwest::Client,
    allow: Allow,
}

/// Resolves names only to allowed addresses: refuses the name when any
/// address it resolves to is not allowed.
struct Guarded {
    allow: Allow,
}

impl Resolve for Guarded {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(lookup(name.as_str().to_string(), self.allow))
    }
}

/// `host`'s addresses, when every one of them is allowed.
async fn lookup(
    host: String,
    allow: Allow,
) -> Result<Addrs, Box<dyn std::error::Error + Send + Sync>> {
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
    if addrs.is_empty() || addrs.iter().any(|a| !address_allowed(a.ip(), allow)) {
        return Err(format!("{host} resolves to an address webhooks may not reach").into());
    }
    Ok(Box::new(addrs.into_iter()))
}

impl Client {
    /// A client for addresses `allow` lets through.
    pub fn new(allow: Allow) -> reqwest::Result<Client> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(TIMEOUT)
            .connect_timeout(Duration::from_secs(5))
            .user_agent("DRUO-Link-Webhooks/1")
            .dns_resolver(Arc::new(Guarded { allow }))
            .https_only(!allow.loopback)
            .build()?;
        Ok(Client { http, allow })
    }

    /// Posts `body` to `endpoint`, signed with its secret at this moment.
    pub async fn post(&self, endpoint: &Endpoint, body: &[u8]) -> Sent {
        if body.len() > MAX_BODY {
            return Sent::Error(format!("the event's body is over {MAX_BODY} bytes"));
        }
        // Checked again at each delivery: the flags may have changed since
        // it was registered, and an address literal is never resolved.
        let url = match endpoint_url(&endpoint.url, self.allow) {
            Ok(u) => u,
            Err(e) => return Sent::Error(e.to_string()),
        };
        // `endpoint_url` refused an address that is not allowed, and a
        // host a client would read as one; a name goes through `Guarded`.
        if let Ok(Some(ip)) = host_address(&url.host) {
            if !address_allowed(ip, self.allow) {
                return Sent::Error("the endpoint's address is not allowed".into());
            }
        }
        let t = crate::clock::now_ms().div_euclid(1000);
        let v1 = crate::ids::hmac_sha256_hex(endpoint.secret.as_bytes(), &signed_payload(t, body));
        let mut req = self
            .http
            .post(url.as_string())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(SIGNATURE_HEADER, signature_header(t, &v1));
        for (name, value) in &endpoint.headers {
            if let Some(v) = value.as_str() {
                req = req.header(name.as_str(), v);
            }
        }
        match req.body(body.to_vec()).send().await {
            Ok(mut res) => {
                // At most 4 KiB of the answer is read, then dropped: the
                // status is all the log keeps.
                let mut read = 0;
                while read < 4096 {
                    match res.chunk().await {
                        Ok(Some(c)) => read += c.len(),
                        _ => break,
                    }
                }
                Sent::Status(res.status().as_u16())
            }
            Err(e) if e.is_timeout() => Sent::Error("timed out after 10 s".into()),
            Err(e) if e.is_connect() => Sent::Error(format!("cannot connect: {}", root(&e))),
            Err(e) => Sent::Error(root(&e)),
        }
    }
}

/// The innermost cause of `e`, for the log (never the body).
fn root(e: &dyn std::error::Error) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}
