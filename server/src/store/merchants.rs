//! Merchants, their API tokens (stored only as hashes), their signing
//! secrets (sealed) and their tenants.
//!
//! A rotated token may keep working for a grace period, so a merchant can
//! deploy the new one without downtime; each token's last use is kept to
//! [`LAST_USE_RESOLUTION_MS`], so that recording it costs a write only
//! once in that time, not on every request.

use crate::ids;
use crate::sealed::Sealer;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{params, Conn, OptionalExt, Row};

/// How coarsely a token's last use is kept: a use within this time of
/// the recorded one is not written (the database has one writer, and the
/// merchant API's every request authenticates).
pub const LAST_USE_RESOLUTION_MS: i64 = 5 * 60 * 1000;

/// Longest grace period a rotated token may keep working.
pub const MAX_GRACE_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// A merchant.
#[derive(Debug, Clone)]
pub struct MerchantRow {
    /// Row id; every entity carries it.
    pub id: i64,
    /// Business name shown on link pages.
    pub business_name: String,
}

fn read(r: &Row) -> StoreResult<MerchantRow> {
    Ok(MerchantRow {
        id: r.get("id")?,
        business_name: r.get("business_name")?,
    })
}

/// Which of a merchant's tokens a request presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// The token of the last rotation.
    Current,
    /// The one before, during its grace period.
    Previous,
}

/// A merchant found by one of its tokens.
#[derive(Debug, Clone)]
pub struct ByToken {
    /// The merchant.
    pub merchant: MerchantRow,
    /// Which token matched.
    pub which: Which,
    /// That token's recorded last use (milliseconds since the epoch).
    pub last_used_ms: Option<i64>,
}

impl ByToken {
    /// Whether this use is to be recorded at `now`: the recorded one is
    /// missing or at least [`LAST_USE_RESOLUTION_MS`] old.
    pub fn use_is_news(&self, now: i64) -> bool {
        self.last_used_ms
            .is_none_or(|at| now.saturating_sub(at) >= LAST_USE_RESOLUTION_MS)
    }
}

/// Creates the merchant or replaces its token; returns its id. A new
/// merchant gets a signing secret ([`ensure_signing_secret`]).
pub fn upsert(conn: &Conn, sealer: &Sealer, name: &str, token: &str, now: i64) -> StoreResult<i64> {
    conn.execute(
        "INSERT INTO merchants (business_name, token_hash, created_ms) VALUES (?1, ?2, ?3)
         ON CONFLICT(business_name) DO UPDATE SET token_hash = excluded.token_hash",
        params![name, ids::sha256_hex(token.as_bytes()), now],
    )?;
    let id = conn.query_row(
        "SELECT id FROM merchants WHERE business_name = ?1",
        params![name],
        |r| r.get(0),
    )?;
    ensure_signing_secret(conn, sealer, id)?;
    Ok(id)
}

/// Where merchant `id`'s signing secret is sealed: bound to its row, so a
/// value copied into another merchant's row does not open.
fn secret_place(id: i64) -> String {
    crate::sealed::context(&["merchants.signing_secret", &id.to_string()])
}

/// Merchant `id`'s signing secret (the key of the redirect's `sig`), or
/// `None` for a merchant that has none yet ([`ensure_signing_secrets`]
/// gives every merchant one when the service starts).
pub fn signing_secret(conn: &Conn, sealer: &Sealer, id: i64) -> StoreResult<Option<String>> {
    let stored: Option<String> = conn.query_row(
        "SELECT signing_secret FROM merchants WHERE id = ?1",
        params![id],
        |r| r.get(0),
    )?;
    stored
        .map(|v| {
            sealer
                .open_in(&secret_place(id), &v)
                .map_err(|e| StoreError::Unreadable(format!("merchants.signing_secret: {e}")))
        })
        .transpose()
}

/// Sets merchant `id`'s signing secret to `secret`, sealed.
pub fn set_signing_secret(conn: &Conn, sealer: &Sealer, id: i64, secret: &str) -> StoreResult<()> {
    let sealed = sealer.seal_in(&secret_place(id), secret);
    let changed = conn.execute(
        "UPDATE merchants SET signing_secret = ?2 WHERE id = ?1",
        params![id, sealed],
    )?;
    crate::store::error::expect_one(changed, "merchant")
}

/// Gives merchant `id` a new signing secret when it has none; returns
/// whether it did.
pub fn ensure_signing_secret(conn: &Conn, sealer: &Sealer, id: i64) -> StoreResult<bool> {
    let sealed = sealer.seal_in(&secret_place(id), &ids::signing_secret());
    let changed = conn.execute(
        "UPDATE merchants SET signing_secret = ?2 WHERE id = ?1 AND signing_secret IS NULL",
        params![id, sealed],
    )?;
    Ok(changed == 1)
}

/// Gives every merchant without a signing secret one (merchants from
/// before signed redirects); returns how many.
pub fn ensure_signing_secrets(conn: &Conn, sealer: &Sealer) -> StoreResult<usize> {
    let ids: Vec<i64> = conn.query_map(
        "SELECT id FROM merchants WHERE signing_secret IS NULL",
        params![],
        |r| r.get(0),
    )?;
    let mut made = 0;
    for id in ids {
        made += usize::from(ensure_signing_secret(conn, sealer, id)?);
    }
    Ok(made)
}

/// Re-seals the signing secrets not sealed under the current key;
/// returns how many.
pub fn reseal_signing_secrets(conn: &Conn, sealer: &Sealer) -> StoreResult<usize> {
    let rows: Vec<(i64, String)> = conn.query_map(
        "SELECT id, signing_secret FROM merchants WHERE signing_secret IS NOT NULL",
        params![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut done = 0;
    for (id, stored) in rows {
        if crate::sealed::key_id(&stored) == Some(sealer.current_id()) {
            continue;
        }
        // One that does not open (its key is gone) is left for its
        // merchant to replace with `merchant rotate-secret`.
        if let Ok(Some(secret)) = signing_secret(conn, sealer, id) {
            set_signing_secret(conn, sealer, id, &secret)?;
            done += 1;
        }
    }
    Ok(done)
}

/// The merchant owning `token` at `now`: its current token, or the one
/// it replaced while `now` is before the end of that one's grace period.
pub fn by_token(conn: &Conn, token: &str, now: i64) -> StoreResult<Option<ByToken>> {
    let hash = ids::sha256_hex(token.as_bytes());
    let current = conn
        .query_row(
            "SELECT id, business_name, last_used_ms FROM merchants WHERE token_hash = ?1",
            params![hash],
            |r| Ok((read(r)?, r.get("last_used_ms")?)),
        )
        .optional()?;
    if let Some((merchant, last_used_ms)) = current {
        return Ok(Some(ByToken {
            merchant,
            which: Which::Current,
            last_used_ms,
        }));
    }
    let previous = conn
        .query_row(
            "SELECT id, business_name, previous_token_used_ms FROM merchants
             WHERE previous_token_hash = ?1 AND previous_token_until_ms > ?2",
            params![hash, now],
            |r| Ok((read(r)?, r.get("previous_token_used_ms")?)),
        )
        .optional()?;
    Ok(previous.map(|(merchant, last_used_ms)| ByToken {
        merchant,
        which: Which::Previous,
        last_used_ms,
    }))
}

/// Records that merchant `id`'s token `which` was used at `now`, unless a
/// use within [`LAST_USE_RESOLUTION_MS`] is recorded already (so that
/// requests racing past [`ByToken::use_is_news`] write it once, and a
/// late write never moves it back).
pub fn record_use(conn: &Conn, id: i64, which: Which, now: i64) -> StoreResult<()> {
    let sql = match which {
        Which::Current => {
            "UPDATE merchants SET last_used_ms = ?2
             WHERE id = ?1 AND (last_used_ms IS NULL OR last_used_ms <= ?3)"
        }
        Which::Previous => {
            "UPDATE merchants SET previous_token_used_ms = ?2
             WHERE id = ?1 AND (previous_token_used_ms IS NULL OR previous_token_used_ms <= ?3)"
        }
    };
    conn.execute(sql, params![id, now, now - LAST_USE_RESOLUTION_MS])?;
    Ok(())
}

/// The merchant `id`; its absence means a row points at nothing.
pub fn get(conn: &Conn, id: i64) -> StoreResult<MerchantRow> {
    conn.query_row(
        "SELECT id, business_name FROM merchants WHERE id = ?1",
        params![id],
        read,
    )
    .optional()?
    .ok_or_else(|| StoreError::Dangling(format!("merchant {id}")))
}

/// Creates the tenant unless it exists (demo seed).
pub fn ensure_tenant(conn: &Conn, merchant_id: i64, uuid: &str, name: &str) -> StoreResult<()> {
    let row = params![uuid, merchant_id, name];
    conn.insert_new("tenants", "uuid, merchant_id, name", row)?;
    Ok(())
}

/// Whether tenant `uuid` is the merchant's.
pub fn owns_tenant(conn: &Conn, merchant_id: i64, uuid: &str) -> StoreResult<bool> {
    let found: Option<String> = conn
        .query_row(
            "SELECT uuid FROM tenants WHERE uuid = ?1 AND merchant_id = ?2",
            params![uuid, merchant_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(found.is_some())
}

/// A merchant as `link-server merchant list` shows it (never its token).
#[derive(Debug, Clone)]
pub struct MerchantSummary {
    /// Business name; unique.
    pub business_name: String,
    /// When it was added, in milliseconds since the epoch.
    pub created_ms: i64,
    /// When its token was last used, to [`LAST_USE_RESOLUTION_MS`].
    pub last_used_ms: Option<i64>,
    /// The token it replaced, while that one still works.
    pub previous: Option<PreviousToken>,
    /// Its tenants' uuids (`transaction.tenant_id`), oldest first.
    pub tenants: Vec<String>,
}

/// A rotated token during its grace period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviousToken {
    /// When it stops working, in milliseconds since the epoch.
    pub until_ms: i64,
    /// When it was last used, to [`LAST_USE_RESOLUTION_MS`].
    pub last_used_ms: Option<i64>,
}

/// Adds merchant `name` with `token`; an existing name is refused
/// ([`StoreError::Exists`]) so a typo never replaces a live token.
pub fn insert(conn: &Conn, sealer: &Sealer, name: &str, token: &str, now: i64) -> StoreResult<i64> {
    if by_name(conn, name)?.is_some() {
        return Err(StoreError::Exists("merchant"));
    }
    let id = conn.query_row(
        "INSERT INTO merchants (business_name, token_hash, created_ms) VALUES (?1, ?2, ?3)
         RETURNING id",
        params![name, ids::sha256_hex(token.as_bytes()), now],
        |r| r.get(0),
    )?;
    ensure_signing_secret(conn, sealer, id)?;
    Ok(id)
}

/// Replaces the token of merchant `name` at `now`. With a `grace_ms`
/// over zero the token it replaces keeps working that long (at most
/// [`MAX_GRACE_MS`]), replacing any earlier one's grace; without, every
/// earlier token stops working at once.
pub fn rotate(conn: &Conn, name: &str, token: &str, grace_ms: i64, now: i64) -> StoreResult<()> {
    let hash = ids::sha256_hex(token.as_bytes());
    // SET reads the row as it was, so the old token moves over as the new
    // one comes in; the new one has not been used yet.
    let changed = if grace_ms > 0 {
        let until = now.saturating_add(grace_ms.min(MAX_GRACE_MS));
        conn.execute(
            "UPDATE merchants SET previous_token_hash = token_hash,
                 previous_token_until_ms = ?3, previous_token_used_ms = last_used_ms,
                 token_hash = ?2, last_used_ms = NULL
             WHERE business_name = ?1",
            params![name, hash, until],
        )?
    } else {
        conn.execute(
            "UPDATE merchants SET previous_token_hash = NULL,
                 previous_token_until_ms = NULL, previous_token_used_ms = NULL,
                 token_hash = ?2, last_used_ms = NULL
             WHERE business_name = ?1",
            params![name, hash],
        )?
    };
    if changed == 0 {
        return Err(StoreError::NotFound("merchant"));
    }
    Ok(())
}

/// Every merchant, by name, with its tenants, its tokens' last uses and,
/// while it still works at `now`, the token its last rotation replaced.
pub fn list(conn: &Conn, now: i64) -> StoreResult<Vec<MerchantSummary>> {
    let rows = conn.query_map(
        "SELECT id, business_name, created_ms, last_used_ms, previous_token_until_ms,
                previous_token_used_ms
         FROM merchants ORDER BY business_name",
        params![],
        |r| {
            let until: Option<i64> = r.get(4)?;
            let previous = until
                .filter(|until| now < *until)
                .map(|until_ms| -> StoreResult<_> {
                    Ok(PreviousToken {
                        until_ms,
                        last_used_ms: r.get(5)?,
                    })
                })
                .transpose()?;
            Ok((r.get::<i64>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, previous))
        },
    )?;
    let mut out = Vec::new();
    for (id, business_name, created_ms, last_used_ms, previous) in rows {
        out.push(MerchantSummary {
            business_name,
            created_ms,
            last_used_ms,
            previous,
            tenants: tenants(conn, id)?,
        });
    }
    Ok(out)
}

/// Adds a tenant named `name` to the merchant; returns its new uuid.
pub fn add_tenant(conn: &Conn, merchant_id: i64, name: &str) -> StoreResult<String> {
    let uuid = uuid::Uuid::new_v4().to_string();
    ensure_tenant(conn, merchant_id, &uuid, name)?;
    Ok(uuid)
}

/// The merchant's tenant uuids, oldest first.
pub fn tenants(conn: &Conn, merchant_id: i64) -> StoreResult<Vec<String>> {
    conn.query_map(
        "SELECT uuid FROM tenants WHERE merchant_id = ?1 ORDER BY rowid",
        params![merchant_id],
        |r| r.get(0),
    )
}

/// The id of merchant `name` ([`StoreError::NotFound`] if none).
pub fn id_by_name(conn: &Conn, name: &str) -> StoreResult<i64> {
    by_name(conn, name)?
        .map(|m| m.id)
        .ok_or(StoreError::NotFound("merchant"))
}

fn by_name(conn: &Conn, name: &str) -> StoreResult<Option<MerchantRow>> {
    conn.query_row(
        "SELECT id, business_name FROM merchants WHERE business_name = ?1",
        params![name],
        read,
    )
    .optional()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::db;

    const HOUR: i64 = 3_600_000;

    fn conn() -> (tempfile::TempDir, Box<Conn>) {
        let dir = tempfile::tempdir().unwrap();
        let conn: Box<Conn> = Box::new(db::open(&dir.path().join("t.db")).unwrap());
        insert(&*conn, &sealer(), "ACME", "first", 0).unwrap();
        (dir, conn)
    }

    fn sealer() -> Sealer {
        Sealer::new("test personal-data", &[], "test blind-index")
    }

    #[test]
    fn every_merchant_has_its_own_sealed_signing_secret_that_rotation_replaces() {
        let (_dir, conn) = conn();
        let s = sealer();
        let other = insert(&*conn, &s, "OTRA", "t2", 0).unwrap();
        let acme = id_by_name(&*conn, "ACME").unwrap();
        let first = signing_secret(&*conn, &s, acme).unwrap().unwrap();
        assert!(
            first.starts_with("druo_sig_") && first.len() > 40,
            "{first}"
        );
        assert_ne!(
            Some(first.clone()),
            signing_secret(&*conn, &s, other).unwrap()
        );
        // Stored sealed, and bound to its row: copied to another, it does not open.
        let stored: String = conn
            .query_row(
                "SELECT signing_secret FROM merchants WHERE id = ?1",
                params![acme],
                |r| r.get(0),
            )
            .unwrap();
        assert!(!stored.contains(&first));
        conn.execute(
            "UPDATE merchants SET signing_secret = ?1 WHERE id = ?2",
            params![stored, other],
        )
        .unwrap();
        assert!(signing_secret(&*conn, &s, other).is_err());
        // Ensuring keeps a secret; setting replaces it.
        assert!(!ensure_signing_secret(&*conn, &s, acme).unwrap());
        set_signing_secret(&*conn, &s, acme, "druo_sig_new").unwrap();
        assert_eq!(
            signing_secret(&*conn, &s, acme).unwrap().as_deref(),
            Some("druo_sig_new")
        );
        // A merchant from before signed redirects gets one at start.
        conn.execute("UPDATE merchants SET signing_secret = NULL", params![])
            .unwrap();
        assert_eq!(ensure_signing_secrets(&*conn, &s).unwrap(), 2);
        assert!(signing_secret(&*conn, &s, other).unwrap().is_some());
        // A key rotation re-seals it, readable under the new key only after.
        let before = signing_secret(&*conn, &s, acme).unwrap();
        let next = Sealer::new(
            "next personal-data",
            &["test personal-data"],
            "test blind-index",
        );
        assert_eq!(reseal_signing_secrets(&*conn, &next).unwrap(), 2);
        assert_eq!(reseal_signing_secrets(&*conn, &next).unwrap(), 0);
        assert_eq!(signing_secret(&*conn, &next, acme).unwrap(), before);
        assert!(signing_secret(&*conn, &s, acme).is_err());
    }

    fn who(conn: &Conn, token: &str, now: i64) -> Option<Which> {
        by_token(conn, token, now).unwrap().map(|b| b.which)
    }

    #[test]
    fn a_rotated_token_works_until_its_grace_ends_and_not_a_moment_after() {
        let (_dir, conn) = conn();
        rotate(&*conn, "ACME", "second", HOUR, 1_000).unwrap();
        assert_eq!(who(&*conn, "second", 1_000), Some(Which::Current));
        assert_eq!(who(&*conn, "first", 1_000), Some(Which::Previous));
        assert_eq!(
            who(&*conn, "first", 1_000 + HOUR - 1),
            Some(Which::Previous)
        );
        assert_eq!(who(&*conn, "first", 1_000 + HOUR), None);
        assert_eq!(who(&*conn, "second", 1_000 + HOUR), Some(Which::Current));
        assert_eq!(who(&*conn, "nobody", 1_000), None);
    }

    #[test]
    fn a_second_rotation_replaces_the_first_ones_grace_and_none_ends_it() {
        let (_dir, conn) = conn();
        rotate(&*conn, "ACME", "second", HOUR, 0).unwrap();
        rotate(&*conn, "ACME", "third", HOUR, 10).unwrap();
        assert_eq!(who(&*conn, "first", 20), None);
        assert_eq!(who(&*conn, "second", 20), Some(Which::Previous));
        assert_eq!(who(&*conn, "third", 20), Some(Which::Current));
        // Without grace, every earlier token stops at once.
        rotate(&*conn, "ACME", "fourth", 0, 30).unwrap();
        assert_eq!(who(&*conn, "second", 40), None);
        assert_eq!(who(&*conn, "third", 40), None);
        assert_eq!(who(&*conn, "fourth", 40), Some(Which::Current));
        assert!(list(&*conn, 40).unwrap()[0].previous.is_none());
    }

    #[test]
    fn a_grace_is_capped_at_seven_days() {
        let (_dir, conn) = conn();
        rotate(&*conn, "ACME", "second", 30 * 24 * HOUR, 0).unwrap();
        assert_eq!(
            who(&*conn, "first", MAX_GRACE_MS - 1),
            Some(Which::Previous)
        );
        assert_eq!(who(&*conn, "first", MAX_GRACE_MS), None);
    }

    #[test]
    fn each_tokens_last_use_is_kept_to_five_minutes() {
        let (_dir, conn) = conn();
        let used = |token: &str, now: i64| {
            let b = by_token(&*conn, token, now).unwrap().unwrap();
            if b.use_is_news(now) {
                record_use(&*conn, b.merchant.id, b.which, now).unwrap();
            }
        };
        let m = |now| list(&*conn, now).unwrap().remove(0);
        assert_eq!(m(0).last_used_ms, None);
        used("first", 1_000);
        used("first", 1_000 + LAST_USE_RESOLUTION_MS - 1);
        assert_eq!(m(0).last_used_ms, Some(1_000));
        used("first", 1_000 + LAST_USE_RESOLUTION_MS);
        assert_eq!(m(0).last_used_ms, Some(1_000 + LAST_USE_RESOLUTION_MS));
        // A write that lost a race, or arrives late, changes nothing.
        let id = id_by_name(&*conn, "ACME").unwrap();
        record_use(&*conn, id, Which::Current, 2_000).unwrap();
        assert_eq!(m(0).last_used_ms, Some(1_000 + LAST_USE_RESOLUTION_MS));

        // Rotated with grace: the old token keeps its last use, the new
        // one has none yet, and uses of each are told apart.
        let at = 10 * LAST_USE_RESOLUTION_MS;
        rotate(&*conn, "ACME", "second", HOUR, at).unwrap();
        let now = m(at);
        assert_eq!(now.last_used_ms, None);
        assert_eq!(
            now.previous,
            Some(PreviousToken {
                until_ms: at + HOUR,
                last_used_ms: Some(1_000 + LAST_USE_RESOLUTION_MS)
            })
        );
        used("first", at + 1);
        used("second", at + 2);
        let now = m(at + 3);
        assert_eq!(now.last_used_ms, Some(at + 2));
        assert_eq!(now.previous.unwrap().last_used_ms, Some(at + 1));
        // Once the grace is over, the list no longer shows the old token.
        assert!(m(at + HOUR).previous.is_none());
    }
}
