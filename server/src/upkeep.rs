//! Housekeeping while the service runs: idempotency answers older than
//! their retention (`--idempotency-hours`, 24 by default) and rate-limit
//! state older than ten minutes (a bucket untouched for a minute is full
//! again) are deleted, at start and every ten minutes. Several instances
//! may prune at once; each delete is idempotent.
//!
//! The same pass re-seals end users' personal fields sealed under another
//! key than the current one (a rotation, docs/deploy.md "Secrets"), at
//! most [`RESEAL_PER_PASS`] rows a pass in transactions of
//! [`RESEAL_BATCH`], and logs how many are left; once none is, it logs
//! that the previous key is no longer needed. Rows from before sealing
//! (plaintext) are all sealed at start ([`seal_plaintext`]). Several
//! instances may re-seal at once: a row is rewritten only by the first.

use crate::sealed::Sealer;
use crate::store::db::Db;
use crate::store::end_users::{self, Resealed};
use crate::store::error::StoreResult;
use crate::store::sql::{params, Conn};
use crate::store::{idempotency, rate_limits};
use std::time::Duration;

/// How often the service prunes.
pub const EVERY: Duration = Duration::from_secs(600);
/// How long rate-limit state is kept.
pub const RATE_KEEP_MS: i64 = 10 * 60 * 1000;

/// Deletes, as of `now`, idempotency answers older than `keep_ms` and the
/// rate limits' old state; how many rows went.
pub async fn prune_once(db: &Db, now: i64, keep_ms: i64) -> StoreResult<usize> {
    db.write(move |c| {
        let answers = idempotency::prune(c, now - keep_ms)?;
        let rates = rate_limits::prune(c, now - RATE_KEEP_MS)?;
        let deliveries = crate::store::webhooks::prune(c, now - WEBHOOK_LOG_KEEP_MS)?;
        // Receipt emails that ended are kept as long as the webhook log.
        let receipts = crate::store::receipts::prune(c, now - WEBHOOK_LOG_KEEP_MS)?;
        Ok(answers + rates + deliveries + receipts)
    })
    .await
}

/// How long a finished webhook delivery stays in its endpoint's log.
pub const WEBHOOK_LOG_KEEP_MS: i64 = 30 * 24 * 3_600_000;

/// End users re-sealed in one transaction.
pub const RESEAL_BATCH: usize = 100;
/// End users re-sealed in one pass at most, so a rotation of a large
/// database spreads over passes instead of holding the writer.
pub const RESEAL_PER_PASS: usize = 2_000;

/// Where a re-seal pass left things.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SealProgress {
    /// Rows this pass sealed under the current key.
    pub sealed: usize,
    /// Rows that did not open (their key is not loaded).
    pub unreadable: usize,
    /// Rows still not under the current key after the pass.
    pub left: i64,
    /// Kept idempotent answers (sealed too, `merchant::idempotent`)
    /// re-sealed by this pass.
    pub answers: usize,
    /// Kept answers that did not open (their key is not loaded, or they
    /// were moved from another row): left to expire with their retention.
    pub answers_unreadable: usize,
    /// Kept answers still under another key after the pass.
    pub answers_left: i64,
}

/// One pass of `limit` rows at most (in [`RESEAL_BATCH`]es): seals under
/// `sealer`'s current key the end users in plaintext or under another
/// key.
pub async fn reseal_once(db: &Db, sealer: &Sealer, limit: usize) -> StoreResult<SealProgress> {
    let mut progress = SealProgress {
        sealed: 0,
        unreadable: 0,
        left: 0,
        answers: 0,
        answers_unreadable: 0,
        answers_left: 0,
    };
    let mut after: Option<String> = None;
    while progress.sealed + progress.unreadable < limit {
        let s = sealer.clone();
        let from = after.clone();
        let batch = RESEAL_BATCH.min(limit - progress.sealed - progress.unreadable);
        let done: Resealed = db
            .write(move |c| end_users::reseal(c, &s, false, from.as_deref(), batch))
            .await?;
        progress.sealed += done.sealed;
        progress.unreadable += done.unreadable;
        match done.last {
            Some(last) => after = Some(last),
            None => break,
        }
    }
    let s = sealer.clone();
    let (_, left) = db.call(move |c| end_users::seal_counts(c, &s)).await?;
    progress.left = left;
    // Kept answers: in (scope, key) order after the last one looked at, so
    // answers that do not open are passed over instead of filling every
    // batch, within the same bound.
    let mut after: Option<(String, String)> = None;
    while progress.answers + progress.answers_unreadable < limit {
        let s = sealer.clone();
        let from = after.clone();
        let batch = RESEAL_BATCH.min(limit - progress.answers - progress.answers_unreadable);
        let done = db
            .write(move |c| reseal_answers(c, &s, from.as_ref(), batch))
            .await?;
        progress.answers += done.sealed;
        progress.answers_unreadable += done.unreadable;
        match done.last {
            Some(last) => after = Some(last),
            None => break,
        }
    }
    let s = sealer.clone();
    progress.answers_left = db.call(move |c| answers_elsewhere(c, &s)).await?;
    Ok(progress)
}

/// The `LIKE` pattern of a value sealed under key `id` (hex: no
/// wildcard in it).
fn under(id: &str) -> String {
    format!("s1.{id}.%")
}

/// What one [`reseal_answers`] call did.
#[derive(Debug, Default)]
struct AnswersResealed {
    /// Answers now sealed under the current key.
    sealed: usize,
    /// Answers that did not open.
    unreadable: usize,
    /// The last (scope, key) looked at: the next call's `after`.
    last: Option<(String, String)>,
}

/// Re-seals under the current key at most `limit` kept idempotent answers
/// sealed under another key, in (scope, key) order after `after`. One
/// that does not open is counted and left to expire with its retention.
fn reseal_answers(
    c: &Conn,
    sealer: &Sealer,
    after: Option<&(String, String)>,
    limit: usize,
) -> StoreResult<AnswersResealed> {
    use crate::merchant::idempotent::answer_place;
    let (after_scope, after_key) = after.map_or(("", ""), |(s, k)| (s.as_str(), k.as_str()));
    let rows: Vec<(String, String, String)> = c.query_map(
        "SELECT scope, key, body FROM idempotency
         WHERE (scope > ?1 OR (scope = ?1 AND key > ?2))
           AND body LIKE 's1.%' AND body NOT LIKE ?3
         ORDER BY scope, key LIMIT ?4",
        params![
            after_scope,
            after_key,
            under(sealer.current_id()),
            i64::try_from(limit).unwrap_or(i64::MAX)
        ],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mut done = AnswersResealed::default();
    for (scope, key, body) in rows {
        let place = answer_place(&scope, &key);
        match sealer.open_in(&place, &body) {
            Ok(plain) => {
                done.sealed += c.execute(
                    "UPDATE idempotency SET body = ?4 WHERE scope = ?1 AND key = ?2 AND body = ?3",
                    params![&scope, &key, &body, sealer.seal_in(&place, &plain)],
                )?;
            }
            Err(_) => done.unreadable += 1,
        }
        done.last = Some((scope, key));
    }
    Ok(done)
}

/// How many kept answers are sealed under another key than the current.
fn answers_elsewhere(c: &Conn, sealer: &Sealer) -> StoreResult<i64> {
    c.query_row(
        "SELECT COUNT(*) FROM idempotency WHERE body LIKE 's1.%' AND body NOT LIKE ?1",
        params![under(sealer.current_id())],
        |r| r.get(0),
    )
}

/// Seals every end user still in plaintext (rows written before sealing),
/// in [`RESEAL_BATCH`]es; at start, before serving. How many it sealed.
pub fn seal_plaintext(db: &Db, sealer: &Sealer) -> StoreResult<usize> {
    let mut sealed = 0;
    let mut after: Option<String> = None;
    loop {
        let from = after.take();
        let done =
            db.blocking(|c| end_users::reseal(c, sealer, true, from.as_deref(), RESEAL_BATCH))?;
        sealed += done.sealed;
        match done.last {
            Some(last) => after = Some(last),
            None => break,
        }
    }
    if sealed > 0 {
        eprintln!(
            "link-server: personal data: sealed {sealed} end users stored in plaintext, under key {}",
            sealer.current_id()
        );
    }
    Ok(sealed)
}

/// Prunes and re-seals now and every [`EVERY`] until the process ends; a
/// failure is logged and tried again next time.
pub fn spawn(db: Db, keep_ms: i64, sealer: Sealer) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        let mut said_done = false;
        let mut first = true;
        loop {
            tick.tick().await;
            if let Err(e) = prune_once(&db, crate::clock::now_ms(), keep_ms).await {
                eprintln!("link-server: pruning old records failed: {e}");
            }
            let rewrote = match reseal_once(&db, &sealer, RESEAL_PER_PASS).await {
                Ok(p) => {
                    said_done = report(&sealer, p, said_done);
                    p.sealed + p.answers > 0
                }
                Err(e) => {
                    eprintln!("link-server: re-sealing personal data failed: {e}");
                    false
                }
            };
            // The first pass follows `seal_plaintext`, whose rewrites sit in
            // the WAL while the main file still holds the clear pages.
            if first || rewrote {
                if let Err(e) = checkpoint(&db).await {
                    eprintln!("link-server: checkpointing after sealing failed: {e}");
                }
            }
            first = false;
        }
    })
}

/// On SQLite, copies the WAL into the database file and empties it, so
/// pages rewritten by sealing replace the old ones in the file (deleted
/// content is zeroed: `secure_delete`) instead of waiting for the next
/// automatic checkpoint, and the WAL keeps no older frames. A checkpoint
/// that readers hold back is simply partial. Nothing on PostgreSQL.
async fn checkpoint(db: &Db) -> StoreResult<()> {
    use crate::store::sql::Dialect;
    db.call(|c| {
        if c.dialect() == Dialect::Sqlite {
            c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", params![], |r| {
                r.get::<i64>(0)
            })?;
        }
        Ok(())
    })
    .await
}

/// Logs a pass's progress (never a value); whether "done" has been said.
fn report(sealer: &Sealer, p: SealProgress, said_done: bool) -> bool {
    let id = sealer.current_id();
    let unreadable = p.unreadable + p.answers_unreadable;
    if p.sealed > 0 || p.answers > 0 || unreadable > 0 {
        eprintln!(
            "link-server: personal data: re-sealed {} end users and {} kept answers under key {id}; {} and {} left{}",
            p.sealed,
            p.answers,
            p.left,
            p.answers_left,
            if unreadable > 0 {
                format!(
                    "; {} end users and {} kept answers do not open (sealed under a key that is not loaded, is `personal-data-previous` missing? or moved from another row)",
                    p.unreadable, p.answers_unreadable
                )
            } else {
                String::new()
            }
        );
    }
    // Said once, and only when the key file names a previous key: the
    // sign a rotation is finished and its line can go. The derived
    // fallback of an explicit key file is not such a key (no line to
    // remove), so it never prompts this (`Sealer::previous_ids`).
    let finished = p.left == 0 && p.answers_left == 0;
    if finished && !said_done && !sealer.previous_ids().is_empty() {
        eprintln!(
            "link-server: personal data: every end user is sealed under key {id}; \
             a `personal-data-previous` key is no longer needed"
        );
        return true;
    }
    said_done && finished
}
