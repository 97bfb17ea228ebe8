//! Rate limits on the public API's writes: a token bucket per link and one
//! per client address, kept in the database so that every instance on it
//! enforces one limit (`store::rate_limits`). Each kind of write has its
//! own pair of buckets ([`Family`]):
//! - account submits and payments ([`Family::Write`]): an exact repeat of
//!   a write already charged (same link, scope, `Idempotency-Key` and
//!   body: a retry after a lost answer) is free, so a retry is never
//!   punished twice;
//! - deposit codes ([`Family::Code`]), at the submits' rates, every post
//!   charged (a code has no key, and the account ends after three wrong
//!   ones anyway: the limit stops a script spraying codes over accounts);
//! - the live wait's refreshes ([`Family::Refresh`]), at rates a waiting
//!   page never reaches ([`REFRESH_LINK_PER_MINUTE`]), every post charged.
//!
//! A write needs a token from both of its buckets. Reads are not limited.
//! See docs/reliability.md and docs/security.md for the figures.
//!
//! The client is the connection's peer, or, behind a proxy named by
//! `--trusted-proxy`, the address that proxy saw (`X-Forwarded-For`); an
//! IPv6 client is bucketed by its /64, the block one subscriber holds.

use crate::ids;
use crate::store::db::Db;
use crate::store::error::StoreError;
use crate::store::rate_limits::{self, Bucket};
use axum::http::HeaderMap;
use std::net::IpAddr;
use std::str::FromStr;
use std::time::Duration;

/// Refreshes one link accepts per minute. The page's live wait asks every
/// 2 s at most (`druo_core::wait::FIRST_DELAY_MS`: 30 a minute), once more
/// when its tab comes back into view; twice that leaves room for a second
/// tab on the same link, and stops a script at one a second.
pub const REFRESH_LINK_PER_MINUTE: u32 = 60;

/// Refreshes one client address may make per minute over all links: eight
/// pages waiting at once behind one address (a shared network).
pub const REFRESH_CLIENT_PER_MINUTE: u32 = 240;

/// Which limits a public write is charged to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Account submits and payments (retries free).
    Write,
    /// Deposit codes.
    Code,
    /// The live wait's refreshes.
    Refresh,
}

impl Family {
    /// The family's name, in bucket names and the security log.
    pub fn name(self) -> &'static str {
        match self {
            Family::Write => "write",
            Family::Code => "code",
            Family::Refresh => "refresh",
        }
    }

    /// What its bucket names start with (none for writes: their buckets
    /// kept the names they had before the other families).
    fn prefix(self) -> &'static str {
        match self {
            Family::Write => "",
            Family::Code => "code:",
            Family::Refresh => "refresh:",
        }
    }
}

/// A write to rate: which link, from where, and what exactly.
#[derive(Debug, Clone, Copy)]
pub struct Write<'a> {
    /// The link's slug.
    pub slug: &'a str,
    /// The client's address, when known.
    pub client: Option<IpAddr>,
    /// The submit's idempotency scope, key and body: together they say
    /// whether this is a retry of a write already charged.
    pub scope: &'a str,
    /// The `Idempotency-Key`.
    pub key: &'a str,
    /// The raw body.
    pub body: &'a [u8],
}

/// A write refused: how long to wait, and which bucket was empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limited {
    /// Until the bucket has a token again.
    pub wait: Duration,
    /// The family charged.
    pub family: Family,
    /// Whether the client's bucket was the empty one (else the link's).
    pub by_client: bool,
}

impl Limited {
    /// `family:link` or `family:client`: which bucket refused, for the
    /// security log (never the address itself).
    pub fn bucket(&self) -> String {
        let which = if self.by_client { "client" } else { "link" };
        format!("{}:{which}", self.family.name())
    }
}

/// The service's write limits (0: no limit).
#[derive(Debug, Clone, Copy)]
pub struct RateLimiter {
    link_per_minute: u32,
    client_per_minute: u32,
}

/// `tokens` counted at `at_ms`, refilled at `per_minute` a minute up to
/// `per_minute`, as of `now_ms`.
fn refilled(b: Bucket, now_ms: i64, per_minute: u32) -> f64 {
    let cap = f64::from(per_minute);
    let elapsed = (now_ms - b.at_ms).max(0) as f64 / 1000.0;
    (b.tokens + elapsed * cap / 60.0).min(cap)
}

/// How long until a bucket holding `tokens` has one.
fn wait(tokens: f64, per_minute: u32) -> Duration {
    if tokens >= 1.0 {
        Duration::ZERO
    } else {
        Duration::from_secs_f64((1.0 - tokens) * 60.0 / f64::from(per_minute))
    }
}

/// The bucket a client's writes are charged to: its address, or its /64
/// for IPv6.
pub fn client_bucket(client: Option<IpAddr>) -> String {
    match client {
        None => "client:unknown".into(),
        Some(IpAddr::V4(a)) => format!("client:{a}"),
        Some(IpAddr::V6(a)) => match a.to_ipv4_mapped() {
            Some(v4) => format!("client:{v4}"),
            None => {
                let s = a.segments();
                format!("client:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// One bucket a write is charged to: its name, its rate, and whether it
/// is the client's.
struct Charge {
    bucket: String,
    per_minute: u32,
    by_client: bool,
}

impl RateLimiter {
    /// Limits of `link_per_minute` submits and payments per link and
    /// `client_per_minute` per client address; deposit codes at the same
    /// rates; refreshes at [`REFRESH_LINK_PER_MINUTE`] and
    /// [`REFRESH_CLIENT_PER_MINUTE`]. 0 turns off that side's limits of
    /// every family (a service behind its own limiter, a load test).
    pub fn new(link_per_minute: u32, client_per_minute: u32) -> Self {
        RateLimiter {
            link_per_minute,
            client_per_minute,
        }
    }

    /// The per-link and per-client rates of `family`.
    pub fn rates(&self, family: Family) -> (u32, u32) {
        let on = |configured: u32, rate: u32| if configured == 0 { 0 } else { rate };
        match family {
            Family::Write | Family::Code => (self.link_per_minute, self.client_per_minute),
            Family::Refresh => (
                on(self.link_per_minute, REFRESH_LINK_PER_MINUTE),
                on(self.client_per_minute, REFRESH_CLIENT_PER_MINUTE),
            ),
        }
    }

    /// The buckets of `family` for a post to `slug` from `client`, the
    /// link's first (the order every charge locks them in).
    fn charges(&self, family: Family, slug: &str, client: Option<IpAddr>) -> Vec<Charge> {
        let (link, per_client) = self.rates(family);
        let p = family.prefix();
        [
            (format!("{p}link:{slug}"), link, false),
            (format!("{p}{}", client_bucket(client)), per_client, true),
        ]
        .into_iter()
        .filter(|(_, n, _)| *n > 0)
        .map(|(bucket, per_minute, by_client)| Charge {
            bucket,
            per_minute,
            by_client,
        })
        .collect()
    }

    /// Charges the submit or payment `w` to its link and client at
    /// `now_ms`, or says which bucket refused it and how long to wait.
    /// `secret` keys the stored hash of the write (bodies hold account
    /// numbers); an exact repeat of a charged write is free.
    pub async fn check(
        &self,
        db: &Db,
        secret: &str,
        w: Write<'_>,
        now_ms: i64,
    ) -> Result<Result<(), Limited>, StoreError> {
        let charges = self.charges(Family::Write, w.slug, w.client);
        if charges.is_empty() {
            return Ok(Ok(()));
        }
        let request = ids::hmac_sha256_hex(
            secret.as_bytes(),
            &[w.scope.as_bytes(), b"\0", w.key.as_bytes(), b"\0", w.body].concat(),
        );
        let once = (format!("link:{}", w.slug), request);
        charge(db, Family::Write, charges, Some(once), now_ms).await
    }

    /// Charges a deposit code or a refresh (`family`) posted to `slug`
    /// from `client` at `now_ms`: every post costs a token.
    pub async fn check_each(
        &self,
        db: &Db,
        family: Family,
        slug: &str,
        client: Option<IpAddr>,
        now_ms: i64,
    ) -> Result<Result<(), Limited>, StoreError> {
        let charges = self.charges(family, slug, client);
        if charges.is_empty() {
            return Ok(Ok(()));
        }
        charge(db, family, charges, None, now_ms).await
    }
}

/// Takes a token from each of `charges` at `now_ms`, or none when one is
/// empty. `once` is the (link bucket, keyed hash) of a write whose exact
/// repeat is free. The buckets are locked in one order (link, then
/// client), so two instances charging at once never deadlock.
async fn charge(
    db: &Db,
    family: Family,
    charges: Vec<Charge>,
    once: Option<(String, String)>,
    now_ms: i64,
) -> Result<Result<(), Limited>, StoreError> {
    db.write(move |c| {
        if let Some((link, request)) = &once {
            if rate_limits::charged(c, link, request)? {
                return Ok(Ok(()));
            }
        }
        let mut left = Vec::new();
        let mut refused: Option<Limited> = None;
        for ch in &charges {
            let b = rate_limits::lock(c, &ch.bucket, f64::from(ch.per_minute), now_ms)?;
            let tokens = refilled(b, now_ms, ch.per_minute);
            let w = wait(tokens, ch.per_minute);
            if !w.is_zero() && refused.is_none_or(|r| w > r.wait) {
                refused = Some(Limited {
                    wait: w,
                    family,
                    by_client: ch.by_client,
                });
            }
            left.push((&ch.bucket, tokens));
        }
        if let Some(r) = refused {
            return Ok(Err(r));
        }
        for (bucket, tokens) in left {
            let b = Bucket {
                tokens: tokens - 1.0,
                at_ms: now_ms,
            };
            rate_limits::set(c, bucket, b)?;
        }
        if let Some((link, request)) = &once {
            rate_limits::charge(c, link, request, now_ms)?;
        }
        Ok(Ok(()))
    })
    .await
}

/// An address block (`10.0.0.0/8`, `::1/128`, or one address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    net: IpAddr,
    prefix: u8,
}

impl FromStr for Cidr {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (addr, prefix) = s.trim().split_once('/').unwrap_or((s.trim(), ""));
        let net: IpAddr = addr
            .parse()
            .map_err(|_| format!("`{s}` is not an address"))?;
        let max = if net.is_ipv4() { 32 } else { 128 };
        let prefix = if prefix.is_empty() {
            max
        } else {
            prefix
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("`{s}` has no valid prefix length"))?
        };
        Ok(Cidr { net, prefix })
    }
}

impl Cidr {
    /// Whether `ip` is in the block.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let bits = |ip: IpAddr| -> (u128, u8) {
            match ip {
                IpAddr::V4(a) => (u128::from(u32::from(a)) << 96, 32),
                IpAddr::V6(a) => (u128::from(a), 128),
            }
        };
        let ((net, width), (addr, addr_width)) = (bits(self.net), bits(ip));
        if width != addr_width {
            return false;
        }
        let mask = if self.prefix == 0 {
            0
        } else {
            u128::MAX << (128 - u32::from(self.prefix))
        };
        net & mask == addr & mask
    }
}

/// The client of a request from `peer`: the peer itself, unless it is a
/// trusted proxy; then the nearest address in `X-Forwarded-For` that is
/// not one (each proxy appends the address it saw, so only the entries
/// the trusted proxies added are believed).
pub fn client_addr(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[Cidr]) -> Option<IpAddr> {
    let peer = peer?;
    let is_trusted = |ip: IpAddr| trusted.iter().any(|c| c.contains(ip));
    if !is_trusted(peer) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map_while(|a| a.trim().parse().ok())
        .collect();
    forwarded
        .iter()
        .rev()
        .find(|ip| !is_trusted(**ip))
        .or(forwarded.first())
        .copied()
        .or(Some(peer))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::db::{Db, Location};
    use axum::http::HeaderValue;

    fn write<'a>(slug: &'a str, key: &'a str) -> Write<'a> {
        Write {
            slug,
            client: None,
            scope: "connect",
            key,
            body: b"{}",
        }
    }

    fn db() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&Location::Sqlite(dir.path().join("t.db"))).unwrap();
        (dir, db)
    }

    #[tokio::test]
    async fn a_link_takes_its_burst_then_waits_and_retries_are_free() {
        let (_dir, db) = db();
        let r = RateLimiter::new(3, 0);
        let now = 1_000_000;
        for k in ["a", "b", "c"] {
            assert_eq!(r.check(&db, "k", write("s", k), now).await.unwrap(), Ok(()));
        }
        let wait = r
            .check(&db, "k", write("s", "d"), now)
            .await
            .unwrap()
            .unwrap_err();
        assert_eq!(wait.wait, Duration::from_secs(20));
        assert_eq!(wait.bucket(), "write:link");
        let retry = r.check(&db, "k", write("s", "b"), now).await.unwrap();
        assert_eq!(retry, Ok(()), "a retry is free");
        let other = r.check(&db, "k", write("t", "d"), now).await.unwrap();
        assert_eq!(other, Ok(()), "another link is not");
        // Twenty seconds later the link has one token again.
        let later = r
            .check(&db, "k", write("s", "d"), now + 20_000)
            .await
            .unwrap();
        assert_eq!(later, Ok(()));
    }

    #[tokio::test]
    async fn a_client_is_limited_over_all_links_and_ipv6_by_its_64() {
        let (_dir, db) = db();
        let r = RateLimiter::new(0, 2);
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        let from = |slug, client| Write {
            client,
            ..write(slug, "a")
        };
        let now = 5_000;
        let a = ip("2001:db8:1:2::10");
        assert_eq!(r.check(&db, "k", from("s1", a), now).await.unwrap(), Ok(()));
        let b = ip("2001:db8:1:2:ffff::1");
        assert_eq!(r.check(&db, "k", from("s2", b), now).await.unwrap(), Ok(()));
        assert!(r
            .check(&db, "k", from("s3", a), now)
            .await
            .unwrap()
            .is_err());
        let elsewhere = ip("2001:db8:1:3::1");
        assert_eq!(
            r.check(&db, "k", from("s3", elsewhere), now).await.unwrap(),
            Ok(())
        );
    }

    #[tokio::test]
    async fn codes_and_refreshes_are_charged_every_time_in_their_own_buckets() {
        let (_dir, db) = db();
        let r = RateLimiter::new(2, 0);
        assert_eq!(r.rates(Family::Refresh), (REFRESH_LINK_PER_MINUTE, 0));
        let now = 7_000;
        let each = |family| r.check_each(&db, family, "s", None, now);
        assert_eq!(each(Family::Code).await.unwrap(), Ok(()));
        assert_eq!(each(Family::Code).await.unwrap(), Ok(()));
        // The same code post again is not a free retry.
        let refused = each(Family::Code).await.unwrap().unwrap_err();
        assert_eq!(refused.bucket(), "code:link");
        // The submits' buckets are untouched.
        assert_eq!(
            r.check(&db, "k", write("s", "a"), now).await.unwrap(),
            Ok(())
        );
        for _ in 0..REFRESH_LINK_PER_MINUTE {
            assert_eq!(each(Family::Refresh).await.unwrap(), Ok(()));
        }
        let refused = each(Family::Refresh).await.unwrap().unwrap_err();
        assert_eq!(refused.bucket(), "refresh:link");
        assert_eq!(refused.wait, Duration::from_secs(1));
        // 0 turns a side off for every family.
        assert_eq!(RateLimiter::new(0, 0).rates(Family::Refresh), (0, 0));
    }

    #[tokio::test]
    async fn the_client_bucket_is_named_when_it_refuses() {
        let (_dir, db) = db();
        let r = RateLimiter::new(10, 1);
        let ip = Some("198.51.100.1".parse::<IpAddr>().unwrap());
        let code = |slug| r.check_each(&db, Family::Code, slug, ip, 1_000);
        assert_eq!(code("a").await.unwrap(), Ok(()));
        let refused = code("b").await.unwrap().unwrap_err();
        assert_eq!(refused.bucket(), "code:client");
        assert!(!refused.bucket().contains("198"));
    }

    #[test]
    fn the_client_behind_a_trusted_proxy_is_the_one_it_saw() {
        let trusted: Vec<Cidr> = vec!["10.0.0.0/8".parse().unwrap(), "::1".parse().unwrap()];
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("1.2.3.4, 203.0.113.9, 10.1.1.1"),
        );
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        // Behind the proxy: the nearest untrusted hop, not the first
        // (which the client itself may have written).
        assert_eq!(client_addr(ip("10.0.0.2"), &h, &trusted), ip("203.0.113.9"));
        // Not behind it: the header is the client's own words.
        assert_eq!(
            client_addr(ip("198.51.100.7"), &h, &trusted),
            ip("198.51.100.7")
        );
        // A trusted peer with no header is itself.
        assert_eq!(
            client_addr(ip("::1"), &HeaderMap::new(), &trusted),
            ip("::1")
        );
        assert!("10.0.0.0/33".parse::<Cidr>().is_err());
        assert!(!"10.0.0.0/8"
            .parse::<Cidr>()
            .unwrap()
            .contains("11.0.0.1".parse().unwrap()));
        assert!("0.0.0.0/0"
            .parse::<Cidr>()
            .unwrap()
            .contains("8.8.8.8".parse().unwrap()));
    }
}
