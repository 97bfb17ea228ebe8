//! Webhooks (issue 26), as plain rules the service applies: the events a
//! merchant subscribes to, the endpoint URLs and addresses a delivery may
//! go to, the retry schedule, and the `X-DRUO-Webhook-Event-Signature`
//! header. DRUO documents the header's name, an optional secret and custom
//! headers per endpoint, but not its event names, its algorithm or its
//! retries (`../shared/reference/druo-documented.md`, "Webhooks"): ours are
//! written down in docs/api.md.

use crate::input::{opt_object, opt_string, req_string, Obj};
use crate::status::status_enum;
use crate::url::{parse_http_url, HttpUrl, UrlError};
use crate::FieldError;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

status_enum! {
    /// What happened, as a delivery's `type` names it.
    EventType {
        /// A person opened a connect link for the first time.
        ConnectLinkOpened = "connect_link.opened",
        /// A connect link was completed with an account.
        ConnectLinkCompleted = "connect_link.completed",
        /// A connect link expired without being completed.
        ConnectLinkExpired = "connect_link.expired",
        /// A person opened a checkout link for the first time.
        CheckoutLinkOpened = "checkout_link.opened",
        /// A checkout link was paid.
        CheckoutLinkCompleted = "checkout_link.completed",
        /// A checkout link expired unpaid.
        CheckoutLinkExpired = "checkout_link.expired",
        /// An account was created, or its `current_status` changed
        /// (a pending validation finishing among them).
        AccountStatusChanged = "account.status_changed",
        /// A transaction was created, or its `status` changed.
        TransactionStatusChanged = "transaction.status_changed",
    }
}

/// Whether an endpoint listening to `events` (`None`: every event) gets
/// `event`.
pub fn subscribes(events: Option<&[EventType]>, event: EventType) -> bool {
    events.is_none_or(|list| list.contains(&event))
}

/// What the delivery address check lets through besides public
/// addresses: both off in production.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Allow {
    /// Loopback (`127.0.0.0/8`, `::1`): `--dev-webhooks`.
    pub loopback: bool,
    /// Private, shared, link-local and unique-local ranges:
    /// `--webhook-allow-private`.
    pub private: bool,
}

/// Whether a delivery may connect to `ip`. Refused unless allowed:
/// loopback; private (`10/8`, `172.16/12`, `192.168/16`), shared
/// (`100.64/10`), link-local (`169.254/16`, `fe80::/10`) and unique-local
/// (`fc00::/7`) ranges. Always refused: unspecified, broadcast,
/// multicast, `0/8`, the documentation and benchmarking ranges, and
/// IPv4-mapped or NAT64 forms of anything refused (judged as the IPv4
/// address they carry), so a hostname cannot reach the service's own
/// network.
pub fn address_allowed(ip: IpAddr, allow: Allow) -> bool {
    match ip {
        IpAddr::V4(v4) => v4_allowed(v4, allow),
        IpAddr::V6(v6) => {
            if let Some(v4) = embedded_v4(v6) {
                return v4_allowed(v4, allow);
            }
            let s = v6.segments();
            // Documentation, 6to4 and Teredo (both carry an IPv4 address
            // the service would reach through a relay), local-use NAT64,
            // and the old site-local range.
            let reserved = (s[0] == 0x2001 && (s[1] == 0x0db8 || s[1] == 0))
                || s[0] == 0x2002
                || (s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1)
                || s[0] & 0xffc0 == 0xfec0;
            if v6.is_unspecified() || v6.is_multicast() || reserved {
                return false;
            }
            if v6.is_loopback() {
                return allow.loopback;
            }
            let unique_local = s[0] & 0xfe00 == 0xfc00;
            let link_local = s[0] & 0xffc0 == 0xfe80;
            !(unique_local || link_local) || allow.private
        }
    }
}

/// The IPv4 address an IPv6 one carries: IPv4-mapped (`::ffff:a.b.c.d`),
/// IPv4-compatible (`::a.b.c.d`, deprecated) or NAT64 (`64:ff9b::/96`).
fn embedded_v4(v6: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = v6.segments();
    let tail = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    let mapped = s[..5] == [0; 5] && s[5] == 0xffff;
    let compatible = s[..6] == [0; 6] && !(s[6] == 0 && s[7] <= 1);
    let nat64 = s[..6] == [0x64, 0xff9b, 0, 0, 0, 0];
    (mapped || compatible || nat64).then_some(tail)
}

fn v4_allowed(v4: Ipv4Addr, allow: Allow) -> bool {
    let [a, b, c, _] = v4.octets();
    let never = v4.is_unspecified()
        || v4.is_broadcast()
        || v4.is_multicast()
        || a == 0
        || a >= 240
        || (a, b, c) == (192, 0, 2)
        || (a, b, c) == (198, 51, 100)
        || (a, b, c) == (203, 0, 113)
        || (a == 198 && (b & 0xfe) == 18)
        || (a, b, c) == (192, 0, 0);
    if never {
        return false;
    }
    if v4.is_loopback() {
        return allow.loopback;
    }
    let private = v4.is_private() || v4.is_link_local() || (a == 100 && (b & 0xc0) == 64);
    !private || allow.private
}

/// Why an endpoint URL was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WebhookUrlError {
    /// Not a URL the service would accept as a `redirect_url` either.
    #[error("{0}")]
    Url(#[from] UrlError),
    /// `http://` outside development.
    #[error(
        "the endpoint must use https (plain http only to a loopback address under --dev-webhooks)"
    )]
    NotHttps,
    /// An address literal the delivery may not reach.
    #[error("the endpoint's address is loopback, private or reserved")]
    Address,
    /// A fragment, which is never sent.
    #[error("the endpoint must not have a #fragment")]
    Fragment,
    /// A host that is neither a name nor an address in its usual form
    /// (`2130706433`, `127.1`, `0x7f.1`: HTTP clients read them as
    /// addresses, which would slip past the address rule).
    #[error("the endpoint's host must be a name or a dotted IPv4 or bracketed IPv6 address")]
    NumericHost,
}

/// An endpoint URL as registered: https with a host, or plain http to a
/// loopback host when `dev` (`--dev-webhooks`). A host given as an address
/// is checked with [`address_allowed`] now; a name is checked again at
/// each delivery, on every address it resolves to.
pub fn endpoint_url(s: &str, allow: Allow) -> Result<HttpUrl, WebhookUrlError> {
    let url = parse_http_url(s)?;
    if url.fragment.is_some() {
        return Err(WebhookUrlError::Fragment);
    }
    let literal = host_address(&url.host)?;
    let name = url.host.trim_end_matches('.');
    let localhost = name == "localhost" || name.ends_with(".localhost");
    let loopback_host = localhost || literal.is_some_and(|ip| ip.is_loopback());
    if url.scheme == "http" && !(allow.loopback && loopback_host) {
        return Err(WebhookUrlError::NotHttps);
    }
    if literal.is_some_and(|ip| !address_allowed(ip, allow)) {
        return Err(WebhookUrlError::Address);
    }
    if localhost && !allow.loopback {
        return Err(WebhookUrlError::Address);
    }
    Ok(url)
}

/// The address a URL's host names, when it is one (`None` for a name):
/// a bracketed IPv6 address, or a dotted-quad IPv4 one (a trailing dot
/// allowed). A host whose last label starts with a digit and is not a
/// dotted quad (`2130706433`, `127.1`, `0x7f.1`, `10.1`) is refused: HTTP
/// clients read those as addresses too, and no top-level domain starts
/// with a digit. The sender asks this again before each delivery.
pub fn host_address(host: &str) -> Result<Option<IpAddr>, WebhookUrlError> {
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return v6
            .parse::<Ipv6Addr>()
            .map(|ip| Some(IpAddr::V6(ip)))
            .map_err(|_| WebhookUrlError::NumericHost);
    }
    let name = host.strip_suffix('.').unwrap_or(host);
    if let Ok(v4) = name.parse::<Ipv4Addr>() {
        return Ok(Some(IpAddr::V4(v4)));
    }
    let last = name.rsplit('.').next().unwrap_or(name);
    if last.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(WebhookUrlError::NumericHost);
    }
    Ok(None)
}

/// How long deliveries of one event are retried: three days.
pub const RETRY_WINDOW_MS: i64 = 72 * 3_600_000;

/// The longest wait between two tries.
pub const MAX_BACKOFF_MS: i64 = 6 * 3_600_000;

/// The wait before try `attempt + 1`, after `attempt` tries failed
/// (`attempt` ≥ 1): `base_ms` doubled each time, at most
/// [`MAX_BACKOFF_MS`], times a jitter of 0.5 to 1.5 from `r` in `[0, 1)`,
/// so endpoints that failed together do not come back together.
pub fn backoff_ms(attempt: u32, base_ms: i64, r: f64) -> i64 {
    let doublings = attempt.saturating_sub(1).min(40);
    let plain = base_ms
        .saturating_mul(1_i64 << doublings)
        .min(MAX_BACKOFF_MS);
    let jitter = 0.5 + r.clamp(0.0, 1.0);
    (plain as f64 * jitter) as i64
}

/// What the signature covers: `"<t>.<raw body>"`.
pub fn signed_payload(t: i64, body: &[u8]) -> Vec<u8> {
    let mut out = format!("{t}.").into_bytes();
    out.extend_from_slice(body);
    out
}

/// The `X-DRUO-Webhook-Event-Signature` value: `t=<unix seconds>,v1=<hex
/// HMAC-SHA256 of signed_payload(t, body)>`.
pub fn signature_header(t: i64, v1_hex: &str) -> String {
    format!("t={t},v1={v1_hex}")
}

/// Reads a signature header: its `t` and every `v1` (a receiver accepts a
/// delivery when any `v1` matches). `None` when `t` is missing or not a
/// number.
pub fn parse_signature_header(header: &str) -> Option<(i64, Vec<&str>)> {
    let mut t = None;
    let mut v1 = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = Some(v.parse().ok()?),
            Some(("v1", v)) => v1.push(v),
            _ => {}
        }
    }
    Some((t?, v1))
}

/// The check docs/api.md gives a receiver: a `v1` equal to `mac` of
/// [`signed_payload`], and `t` within `tolerance_s` of `now_s`. `mac` is
/// the receiver's HMAC-SHA256 under its secret, as lower-case hex.
pub fn check_signature(
    header: &str,
    body: &[u8],
    now_s: i64,
    tolerance_s: i64,
    mac: impl Fn(&[u8]) -> String,
) -> bool {
    let Some((t, v1)) = parse_signature_header(header) else {
        return false;
    };
    if (now_s - t).abs() > tolerance_s {
        return false;
    }
    let want = mac(&signed_payload(t, body));
    v1.iter()
        .any(|got| constant_time_eq(got.as_bytes(), want.as_bytes()))
}

/// Compares without stopping at the first difference.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A `POST /webhooks/create` body, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateRequest {
    /// Where deliveries go, as [`endpoint_url`] accepted it.
    pub url: String,
    /// A label for people.
    pub description: Option<String>,
    /// The events it gets; `None`: every event.
    pub events: Option<Vec<EventType>>,
    /// The key of its signatures, when the merchant chose it.
    pub secret: Option<String>,
    /// Headers sent with every delivery (string values).
    pub headers: Obj,
}

/// Most custom headers an endpoint may have.
pub const MAX_HEADERS: usize = 10;

/// Shortest and longest secret a merchant may choose.
pub const SECRET_LEN: std::ops::RangeInclusive<usize> = 16..=256;

/// Reads a `POST /webhooks/create` body: `url` (required, see
/// [`endpoint_url`] under `allow`), `description`, `events` (a non-empty
/// list of [`EventType`] names; absent for every event), `secret` (16 to
/// 256 printable ASCII characters; absent for one made by the service)
/// and `headers` (at most [`MAX_HEADERS`] string values under token
/// names, none of `Host`, `Content-*`, `X-DRUO-*` or a hop-by-hop name,
/// which the delivery sets itself).
pub fn create_request(o: &Obj, allow: Allow) -> Result<CreateRequest, FieldError> {
    let raw = req_string(o, "url", crate::url::MAX_URL_LEN)?;
    let url = endpoint_url(raw.trim(), allow)
        .map_err(|e| FieldError::new("url", "INVALID_URL", format!("`url`: {e}")))?
        .as_string();
    let description = opt_string(o, "description", 200)?;
    let events = match o.get("events") {
        None | Some(Value::Null) => None,
        Some(Value::Array(list)) if !list.is_empty() => Some(
            list.iter()
                .map(|v| v.as_str().and_then(EventType::parse))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| {
                    let all: Vec<_> = EventType::ALL.iter().map(|e| e.as_str()).collect();
                    FieldError::new(
                        "events",
                        "INVALID_VALUE",
                        format!("`events` may name only {}", all.join(", ")),
                    )
                })?,
        ),
        Some(_) => {
            return Err(FieldError::new(
                "events",
                "INVALID_VALUE",
                "`events` must be a non-empty list of event types, or left out for every event",
            ))
        }
    };
    let secret = opt_string(o, "secret", *SECRET_LEN.end())?;
    if let Some(s) = &secret {
        if !SECRET_LEN.contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(FieldError::new(
                "secret",
                "INVALID_SECRET",
                "`secret` must be 16 to 256 printable ASCII characters without spaces",
            ));
        }
    }
    let headers = match opt_object(o, "headers")? {
        None => Obj::new(),
        Some(h) => checked_headers(h)?,
    };
    Ok(CreateRequest {
        url,
        description,
        events,
        secret,
        headers,
    })
}

fn checked_headers(h: &Obj) -> Result<Obj, FieldError> {
    let bad = |why: String| FieldError::new("headers", "INVALID_HEADER", why);
    if h.len() > MAX_HEADERS {
        return Err(bad(format!("at most {MAX_HEADERS} `headers`")));
    }
    for (name, value) in h {
        let token = !name.is_empty()
            && name.len() <= 64
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        let lower = name.to_ascii_lowercase();
        let reserved = lower.starts_with("content-")
            || lower.starts_with("x-druo-")
            || [
                "host",
                "connection",
                "keep-alive",
                "proxy-authenticate",
                "proxy-authorization",
                "te",
                "trailer",
                "transfer-encoding",
                "upgrade",
                "user-agent",
            ]
            .contains(&lower.as_str());
        if !token || reserved {
            return Err(bad(format!(
                "`headers`: `{name}` is not a header name an endpoint may set"
            )));
        }
        let ok = value.as_str().is_some_and(|v| {
            v.len() <= 500 && v.bytes().all(|b| b == b'\t' || (0x20..0x7f).contains(&b))
        });
        if !ok {
            return Err(bad(format!(
                "`headers.{name}` must be a string of at most 500 printable ASCII characters"
            )));
        }
    }
    Ok(h.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn only_public_addresses_pass_by_default() {
        let none = Allow::default();
        for public in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:2800:220:1:248:1893:25c8:1946",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert!(address_allowed(ip(public), none), "{public}");
        }
        for refused in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "100.64.0.1",
            "169.254.169.254",
            "0.0.0.0",
            "0.1.2.3",
            "255.255.255.255",
            "224.0.0.1",
            "240.0.0.1",
            "192.0.2.1",
            "198.51.100.7",
            "203.0.113.9",
            "198.18.0.1",
            "192.0.0.8",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "2001:db8::1",
            "2002:7f00:1::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "64:ff9b:1::a00:1",
            "fec0::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "::127.0.0.1",
        ] {
            assert!(!address_allowed(ip(refused), none), "{refused}");
        }
        // Neighbours of the ranges stay public.
        for public in [
            "172.15.255.255",
            "172.32.0.1",
            "100.128.0.1",
            "11.0.0.1",
            "198.20.0.1",
        ] {
            assert!(address_allowed(ip(public), none), "{public}");
        }
    }

    #[test]
    fn the_flags_open_loopback_and_private_ranges_but_never_the_reserved() {
        let dev = Allow {
            loopback: true,
            private: false,
        };
        assert!(address_allowed(ip("127.0.0.1"), dev));
        assert!(address_allowed(ip("::1"), dev));
        assert!(!address_allowed(ip("10.0.0.1"), dev));
        let private = Allow {
            loopback: false,
            private: true,
        };
        assert!(address_allowed(ip("10.0.0.1"), private));
        assert!(address_allowed(ip("fd00::1"), private));
        assert!(!address_allowed(ip("127.0.0.1"), private));
        let both = Allow {
            loopback: true,
            private: true,
        };
        for never in ["0.0.0.0", "::", "224.0.0.1", "255.255.255.255", "192.0.2.1"] {
            assert!(!address_allowed(ip(never), both), "{never}");
        }
    }

    #[test]
    fn endpoint_urls_are_https_unless_loopback_in_development() {
        let none = Allow::default();
        let dev = Allow {
            loopback: true,
            private: false,
        };
        assert!(endpoint_url("https://hooks.example.com/druo", none).is_ok());
        assert_eq!(
            endpoint_url("http://hooks.example.com/druo", none),
            Err(WebhookUrlError::NotHttps)
        );
        assert_eq!(
            endpoint_url("http://hooks.example.com/druo", dev),
            Err(WebhookUrlError::NotHttps)
        );
        assert!(endpoint_url("http://127.0.0.1:9000/hook", dev).is_ok());
        assert!(endpoint_url("http://[::1]:9000/hook", dev).is_ok());
        assert!(endpoint_url("http://localhost:9000/hook", dev).is_ok());
        assert_eq!(
            endpoint_url("http://127.0.0.1:9000/hook", none),
            Err(WebhookUrlError::NotHttps)
        );
        assert_eq!(
            endpoint_url("https://127.0.0.1/hook", none),
            Err(WebhookUrlError::Address)
        );
        assert_eq!(
            endpoint_url("https://localhost/hook", none),
            Err(WebhookUrlError::Address)
        );
        assert_eq!(
            endpoint_url("https://10.0.0.8/hook", dev),
            Err(WebhookUrlError::Address)
        );
        assert_eq!(
            endpoint_url("https://169.254.169.254/latest", none),
            Err(WebhookUrlError::Address)
        );
        assert_eq!(
            endpoint_url("https://[::ffff:10.0.0.1]/x", none),
            Err(WebhookUrlError::Address)
        );
        assert_eq!(
            endpoint_url("https://e.com/x#f", none),
            Err(WebhookUrlError::Fragment)
        );
        assert!(matches!(
            endpoint_url("javascript:alert(1)", dev),
            Err(WebhookUrlError::Url(_))
        ));
        // Hosts HTTP clients would read as addresses, and a trailing dot.
        for numeric in [
            "https://2130706433/",
            "https://127.1/",
            "https://0x7f.1/",
            "https://10.1/",
            "https://2852039166/latest",
            "https://0x7f000001/",
            "https://017700000001/",
            "https://example.123/",
        ] {
            assert_eq!(
                endpoint_url(numeric, dev),
                Err(WebhookUrlError::NumericHost),
                "{numeric}"
            );
        }
        assert_eq!(
            endpoint_url("https://127.0.0.1./hook", none),
            Err(WebhookUrlError::Address)
        );
        assert_eq!(
            endpoint_url("https://localhost./hook", none),
            Err(WebhookUrlError::Address)
        );
        assert_eq!(
            endpoint_url("https://api.localhost/hook", none),
            Err(WebhookUrlError::Address)
        );
        assert!(endpoint_url("https://8.8.8.8./hook", none).is_ok());
        assert!(endpoint_url("https://x1.example.com/hook", none).is_ok());
    }

    #[test]
    fn retries_double_with_jitter_up_to_six_hours_and_fill_three_days() {
        assert_eq!(backoff_ms(1, 10_000, 0.5), 10_000);
        assert_eq!(backoff_ms(2, 10_000, 0.5), 20_000);
        assert_eq!(backoff_ms(3, 10_000, 0.0), 20_000);
        assert_eq!(backoff_ms(3, 10_000, 0.999_999), 59_999);
        assert_eq!(backoff_ms(40, 10_000, 0.5), MAX_BACKOFF_MS);
        assert_eq!(backoff_ms(u32::MAX, i64::MAX, 0.5), MAX_BACKOFF_MS);
        // With the default base and no jitter, the window holds about
        // twenty tries, the last ones six hours apart.
        let mut at = 0;
        let mut tries = 1;
        while at + backoff_ms(tries, 10_000, 0.5) <= RETRY_WINDOW_MS {
            at += backoff_ms(tries, 10_000, 0.5);
            tries += 1;
        }
        assert!((18..=24).contains(&tries), "{tries}");
    }

    #[test]
    fn a_signature_header_checks_the_body_the_time_and_any_v1() {
        let mac = |data: &[u8]| format!("mac({})", String::from_utf8_lossy(data));
        let body = br#"{"id":"evt_1"}"#;
        let header = signature_header(1_000, &mac(&signed_payload(1_000, body)));
        assert_eq!(header, r#"t=1000,v1=mac(1000.{"id":"evt_1"})"#);
        assert!(check_signature(&header, body, 1_100, 300, mac));
        assert!(!check_signature(
            &header,
            br#"{"id":"evt_2"}"#,
            1_100,
            300,
            mac
        ));
        assert!(!check_signature(&header, body, 1_301, 300, mac));
        assert!(!check_signature("v1=x", body, 1_000, 300, mac));
        assert!(!check_signature("t=soon,v1=x", body, 1_000, 300, mac));
        let two = format!("t=1000, v1=old, v1={}", mac(&signed_payload(1_000, body)));
        assert!(check_signature(&two, body, 1_000, 300, mac));
    }

    #[test]
    fn an_endpoint_without_a_list_gets_every_event() {
        for e in EventType::ALL {
            assert!(subscribes(None, *e));
        }
        let some = [EventType::AccountStatusChanged];
        assert!(subscribes(Some(&some), EventType::AccountStatusChanged));
        assert!(!subscribes(Some(&some), EventType::ConnectLinkOpened));
        assert!(!subscribes(Some(&[]), EventType::ConnectLinkOpened));
    }

    #[test]
    fn a_create_body_is_read_with_each_field_checked() {
        let obj = |v: Value| v.as_object().unwrap().clone();
        let none = Allow::default();
        let r = create_request(
            &obj(serde_json::json!({"url": " https://hooks.example.com/d "})),
            none,
        )
        .unwrap();
        assert_eq!(
            (r.url.as_str(), r.events, r.secret),
            ("https://hooks.example.com/d", None, None)
        );
        let r = create_request(
            &obj(serde_json::json!({"url": "https://h.example/d", "events": ["account.status_changed"],
                "secret": "whsec_0123456789abcdef", "description": "ERP", "headers": {"X-Shop": "7"}})),
            none,
        )
        .unwrap();
        assert_eq!(r.events, Some(vec![EventType::AccountStatusChanged]));
        assert_eq!(r.secret.as_deref(), Some("whsec_0123456789abcdef"));
        assert_eq!(r.headers["X-Shop"], "7");
        for (body, field) in [
            (serde_json::json!({}), "url"),
            (serde_json::json!({"url": "http://h.example/d"}), "url"),
            (
                serde_json::json!({"url": "https://h.example/d", "events": []}),
                "events",
            ),
            (
                serde_json::json!({"url": "https://h.example/d", "events": ["account.created"]}),
                "events",
            ),
            (
                serde_json::json!({"url": "https://h.example/d", "events": "account.status_changed"}),
                "events",
            ),
            (
                serde_json::json!({"url": "https://h.example/d", "secret": "short"}),
                "secret",
            ),
            (
                serde_json::json!({"url": "https://h.example/d", "secret": "with a space in it, long"}),
                "secret",
            ),
            (
                serde_json::json!({"url": "https://h.example/d", "headers": {"Host": "evil"}}),
                "headers",
            ),
            (
                serde_json::json!({"url": "https://h.example/d", "headers": {"X-DRUO-Webhook-Event-Signature": "x"}}),
                "headers",
            ),
            (
                serde_json::json!({"url": "https://h.example/d", "headers": {"Content-Type": "x"}}),
                "headers",
            ),
            (
                serde_json::json!({"url": "https://h.example/d", "headers": {"Bad Name": "x"}}),
                "headers",
            ),
            (
                serde_json::json!({"url": "https://h.example/d", "headers": {"X-A": "a\r\nX-B: b"}}),
                "headers",
            ),
            (
                serde_json::json!({"url": "https://h.example/d", "headers": {"X-A": 7}}),
                "headers",
            ),
        ] {
            assert_eq!(
                create_request(&obj(body.clone()), none).unwrap_err().field,
                field,
                "{body}"
            );
        }
        let many: Obj = (0..11)
            .map(|i| (format!("X-{i}"), Value::from("v")))
            .collect();
        let mut body = obj(serde_json::json!({"url": "https://h.example/d"}));
        body.insert("headers".into(), Value::Object(many));
        assert_eq!(create_request(&body, none).unwrap_err().field, "headers");
    }
}
