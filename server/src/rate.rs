//! Rate limits on the public API's writes (account submits, payments): a
//! token bucket per link and one per client address, in memory. A write
//! needs a token from both; an exact repeat of a write already charged
//! (same link, scope, `Idempotency-Key` and body: a retry after a lost
//! answer) is free, so a retry is never punished twice. Reads are not
//! limited. See docs/reliability.md for the figures.

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, Hash, RandomState};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Buckets kept before full ones are forgotten (a full bucket is the same
/// as no bucket).
const MAX_BUCKETS: usize = 10_000;
/// Writes a link remembers as charged, for free retries.
const REMEMBERED: usize = 32;

/// One bucket: `tokens` as of `at`, and the writes it was charged for.
#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
    charged: VecDeque<u64>,
}

/// Buckets of one kind, keyed by `K`, holding `per_minute` tokens at most
/// and refilled at `per_minute` a minute. `per_minute == 0` means no limit.
#[derive(Debug)]
struct Buckets<K> {
    per_minute: u32,
    map: HashMap<K, Bucket>,
}

impl<K: Hash + Eq + Clone> Buckets<K> {
    fn new(per_minute: u32) -> Self {
        Buckets {
            per_minute,
            map: HashMap::new(),
        }
    }

    fn capacity(&self) -> f64 {
        f64::from(self.per_minute)
    }

    /// The bucket of `key`, refilled up to `now`.
    fn refilled(&mut self, key: &K, now: Instant) -> &mut Bucket {
        let (cap, per_sec) = (self.capacity(), self.capacity() / 60.0);
        if self.map.len() >= MAX_BUCKETS && !self.map.contains_key(key) {
            self.map
                .retain(|_, b| b.tokens + now.duration_since(b.at).as_secs_f64() * per_sec < cap);
        }
        let b = self.map.entry(key.clone()).or_insert(Bucket {
            tokens: cap,
            at: now,
            charged: VecDeque::new(),
        });
        let elapsed = now.duration_since(b.at).as_secs_f64();
        b.tokens = (b.tokens + elapsed * per_sec).min(cap);
        b.at = now;
        b
    }

    /// How long until `key` has a token (zero when it has one now).
    fn wait(&mut self, key: &K, now: Instant) -> Duration {
        if self.per_minute == 0 {
            return Duration::ZERO;
        }
        let per_sec = self.capacity() / 60.0;
        let b = self.refilled(key, now);
        if b.tokens >= 1.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64((1.0 - b.tokens) / per_sec)
        }
    }

    fn take(&mut self, key: &K, now: Instant, write: u64) {
        if self.per_minute == 0 {
            return;
        }
        let b = self.refilled(key, now);
        b.tokens -= 1.0;
        if b.charged.len() == REMEMBERED {
            b.charged.pop_front();
        }
        b.charged.push_back(write);
    }

    fn was_charged(&self, key: &K, write: u64) -> bool {
        self.map
            .get(key)
            .is_some_and(|b| b.charged.contains(&write))
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

/// The service's write limits.
#[derive(Debug)]
pub struct RateLimiter {
    links: Mutex<Buckets<String>>,
    clients: Mutex<Buckets<Option<IpAddr>>>,
    hasher: RandomState,
}

impl RateLimiter {
    /// Limits of `link_per_minute` writes per link and `client_per_minute`
    /// per client address (0: no limit).
    pub fn new(link_per_minute: u32, client_per_minute: u32) -> Self {
        RateLimiter {
            links: Mutex::new(Buckets::new(link_per_minute)),
            clients: Mutex::new(Buckets::new(client_per_minute)),
            hasher: RandomState::new(),
        }
    }

    /// Charges `w` to its link and client, or says how long to wait.
    pub fn check(&self, w: Write<'_>) -> Result<(), Duration> {
        let fingerprint = self.hasher.hash_one((w.scope, w.key, w.body));
        let now = Instant::now();
        // Both locks, always in this order; neither is held across an await.
        let mut links = self.links.lock().unwrap_or_else(|p| p.into_inner());
        let mut clients = self.clients.lock().unwrap_or_else(|p| p.into_inner());
        let slug = w.slug.to_string();
        if links.was_charged(&slug, fingerprint) {
            return Ok(());
        }
        let wait = links.wait(&slug, now).max(clients.wait(&w.client, now));
        if !wait.is_zero() {
            return Err(wait);
        }
        links.take(&slug, now, fingerprint);
        clients.take(&w.client, now, fingerprint);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write<'a>(slug: &'a str, key: &'a str) -> Write<'a> {
        Write {
            slug,
            client: None,
            scope: "connect",
            key,
            body: b"{}",
        }
    }

    #[test]
    fn a_link_takes_its_burst_then_waits_and_retries_are_free() {
        let r = RateLimiter::new(3, 0);
        for k in ["a", "b", "c"] {
            assert_eq!(r.check(write("s", k)), Ok(()));
        }
        let wait = r.check(write("s", "d")).unwrap_err();
        assert!(wait > Duration::from_secs(19) && wait <= Duration::from_secs(20));
        assert_eq!(r.check(write("s", "b")), Ok(()), "a retry is free");
        assert_eq!(r.check(write("t", "d")), Ok(()), "another link is not");
    }

    #[test]
    fn a_client_is_limited_over_all_links() {
        let r = RateLimiter::new(0, 2);
        assert_eq!(r.check(write("s1", "a")), Ok(()));
        assert_eq!(r.check(write("s2", "a")), Ok(()));
        assert!(r.check(write("s3", "a")).is_err());
    }
}
