//! Idempotency records: the answer stored for each (scope, key).

use crate::store::error::{expect_one, StoreResult};
use crate::store::sql::{params, Conn, OptionalExt};

/// Longest accepted `Idempotency-Key`, on the public and the merchant API.
pub const KEY_MAX: usize = 200;

/// An `Idempotency-Key` header's key, trimmed, when it is text of 1 to
/// [`KEY_MAX`] bytes (both APIs' rule; each names its own refusal).
pub fn valid_key(raw: Option<&axum::http::HeaderValue>) -> Option<String> {
    let key = raw?.to_str().ok()?.trim();
    (!key.is_empty() && key.len() <= KEY_MAX).then(|| key.to_string())
}

/// A stored answer for an idempotency key.
pub struct StoredAnswer {
    /// Keyed hash of the request it answered.
    pub request_hash: String,
    /// HTTP status.
    pub status: u16,
    /// JSON body.
    pub body: String,
}

/// The answer stored for (`scope`, `key`), if any.
pub fn get(conn: &Conn, scope: &str, key: &str) -> StoreResult<Option<StoredAnswer>> {
    conn.query_row(
        "SELECT request_hash, status, body FROM idempotency WHERE scope = ?1 AND key = ?2",
        params![scope, key],
        |r| {
            Ok(StoredAnswer {
                request_hash: r.get(0)?,
                status: r.get(1)?,
                body: r.get(2)?,
            })
        },
    )
    .optional()
}

/// Claims (`scope`, `key`) for a request whose keyed hash is
/// `request_hash`: true when this transaction is the first to use the key.
/// The claim is an insert that conflicts on the key, so a concurrent
/// request with the same key waits for the first to commit (PostgreSQL's
/// unique index; SQLite's write lock) and then finds its answer, or, if
/// the first rolled back, claims the key itself.
pub fn claim(
    conn: &Conn,
    scope: &str,
    key: &str,
    request_hash: &str,
    now: i64,
) -> StoreResult<bool> {
    let inserted = conn.execute(
        "INSERT INTO idempotency (scope, key, request_hash, status, body, created_ms)
         VALUES (?1, ?2, ?3, 0, '', ?4) ON CONFLICT DO NOTHING",
        params![scope, key, request_hash, now],
    )?;
    Ok(inserted == 1)
}

/// Stores the answer for the key this transaction claimed.
pub fn answer(conn: &Conn, scope: &str, key: &str, status: u16, body: &str) -> StoreResult<()> {
    let changed = conn.execute(
        "UPDATE idempotency SET status = ?3, body = ?4 WHERE scope = ?1 AND key = ?2",
        params![scope, key, status, body],
    )?;
    expect_one(changed, "idempotency record")
}

/// Forgets answers older than `before` (ms since the epoch); how many.
pub fn prune(conn: &Conn, before: i64) -> StoreResult<usize> {
    conn.execute(
        "DELETE FROM idempotency WHERE created_ms < ?1",
        params![before],
    )
}

/// What [`begin`] found for a key.
pub enum Begun {
    /// The key is this request's now (a new claim, or one taken over from
    /// a request that never answered): run it, then [`answer`] or
    /// [`release`].
    Claimed,
    /// The same request was answered before: answer this again.
    Replay(StoredAnswer),
    /// The key was used with another request.
    Reused,
    /// The same request is still running (claimed, not answered yet).
    InUse,
}

/// Starts a request under (`scope`, `key`) whose keyed hash is
/// `request_hash`, for callers whose work runs in transactions of its own
/// after this one commits (the merchant API): a first use claims the key
/// (status 0, no answer yet); another request with the key is
/// [`Begun::Reused`]; the same request is answered again once answered,
/// and is [`Begun::InUse`] while the first runs. A claim made before
/// `stale_before` and never answered was left by a request that died (a
/// crash, a lost connection to the database): the same request takes it
/// over.
pub fn begin(
    conn: &Conn,
    scope: &str,
    key: &str,
    request_hash: &str,
    now: i64,
    stale_before: i64,
) -> StoreResult<Begun> {
    if claim(conn, scope, key, request_hash, now)? {
        return Ok(Begun::Claimed);
    }
    let Some(prev) = get(conn, scope, key)? else {
        // Released between the claim and the read: take it now.
        return Ok(if claim(conn, scope, key, request_hash, now)? {
            Begun::Claimed
        } else {
            Begun::InUse
        });
    };
    if prev.request_hash != request_hash {
        return Ok(Begun::Reused);
    }
    if prev.status != 0 {
        return Ok(Begun::Replay(prev));
    }
    Ok(if reclaim(conn, scope, key, now, stale_before)? {
        Begun::Claimed
    } else {
        Begun::InUse
    })
}

/// Takes over the unanswered claim of (`scope`, `key`) when it was made
/// before `stale_before`, restarting its clock at `now`; false when it is
/// answered or younger. Conditional, so of two requests taking over one
/// claim at once only one gets it.
pub fn reclaim(
    conn: &Conn,
    scope: &str,
    key: &str,
    now: i64,
    stale_before: i64,
) -> StoreResult<bool> {
    let changed = conn.execute(
        "UPDATE idempotency SET created_ms = ?3
         WHERE scope = ?1 AND key = ?2 AND status = 0 AND created_ms < ?4",
        params![scope, key, now, stale_before],
    )?;
    Ok(changed == 1)
}

/// Forgets the unanswered claim of (`scope`, `key`), so the same request
/// sent again runs anew (its answer was one that must not be replayed).
/// An answered record is kept.
pub fn release(conn: &Conn, scope: &str, key: &str) -> StoreResult<()> {
    conn.execute(
        "DELETE FROM idempotency WHERE scope = ?1 AND key = ?2 AND status = 0",
        params![scope, key],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: &str = "merchant:1";

    fn with_db(f: impl FnOnce(&Conn)) {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::store::db::open(&dir.path().join("t.db")).unwrap();
        f(&conn);
    }

    fn kind(b: &Begun) -> &'static str {
        match b {
            Begun::Claimed => "claimed",
            Begun::Replay(_) => "replay",
            Begun::Reused => "reused",
            Begun::InUse => "in use",
        }
    }

    #[test]
    fn a_request_still_running_is_in_use_until_it_answers() {
        with_db(|c| {
            let b =
                |hash: &str, now: i64| kind(&begin(c, S, "k", hash, now, now - 60_000).unwrap());
            assert_eq!(b("h1", 1_000_000), "claimed");
            assert_eq!(b("h1", 1_000_001), "in use", "a concurrent duplicate");
            assert_eq!(
                b("h2", 1_000_002),
                "reused",
                "another request, even running"
            );
            answer(c, S, "k", 200, "{\"a\":1}").unwrap();
            match begin(c, S, "k", "h1", 1_000_003, 0).unwrap() {
                Begun::Replay(a) => assert_eq!((a.status, a.body.as_str()), (200, "{\"a\":1}")),
                other => panic!("{}", kind(&other)),
            }
            assert_eq!(b("h2", 1_000_004), "reused");
            // Another scope (merchant) with the same key is its own.
            let other = begin(c, "merchant:2", "k", "h1", 1_000_005, 0).unwrap();
            assert_eq!(kind(&other), "claimed");
        });
    }

    #[test]
    fn a_released_claim_runs_again_and_an_answer_is_never_released() {
        with_db(|c| {
            assert_eq!(kind(&begin(c, S, "k", "h", 10, 0).unwrap()), "claimed");
            release(c, S, "k").unwrap();
            assert!(get(c, S, "k").unwrap().is_none());
            assert_eq!(kind(&begin(c, S, "k", "h2", 20, 0).unwrap()), "claimed");
            answer(c, S, "k", 201, "{}").unwrap();
            release(c, S, "k").unwrap();
            assert_eq!(get(c, S, "k").unwrap().map(|a| a.status), Some(201));
        });
    }

    #[test]
    fn a_claim_left_by_a_dead_request_is_taken_over_once() {
        with_db(|c| {
            let start = 1_000_000;
            assert_eq!(kind(&begin(c, S, "k", "h", start, 0).unwrap()), "claimed");
            let later = start + 60_001;
            // Fresh (made after `stale_before`): still in use.
            assert_eq!(
                kind(&begin(c, S, "k", "h", later, start - 1).unwrap()),
                "in use"
            );
            // Stale: the same request takes it over, and only one does.
            assert_eq!(
                kind(&begin(c, S, "k", "h", later, later - 60_000).unwrap()),
                "claimed"
            );
            assert_eq!(
                kind(&begin(c, S, "k", "h", later, later - 60_000).unwrap()),
                "in use"
            );
            // Another request never takes it over.
            assert_eq!(
                kind(&begin(c, S, "k", "x", later + 100_000, later + 90_000).unwrap()),
                "reused"
            );
        });
    }
}
