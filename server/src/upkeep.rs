//! Housekeeping while the service runs: idempotency answers older than
//! their retention (`--idempotency-hours`, 24 by default) and rate-limit
//! state older than ten minutes (a bucket untouched for a minute is full
//! again) are deleted, at start and every ten minutes. Several instances
//! may prune at once; each delete is idempotent.

use crate::store::db::Db;
use crate::store::error::StoreResult;
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
        Ok(answers + rates)
    })
    .await
}

/// Prunes now and every [`EVERY`] until the process ends; a failure is
/// logged and tried again next time.
pub fn spawn(db: Db, keep_ms: i64) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        loop {
            tick.tick().await;
            if let Err(e) = prune_once(&db, crate::clock::now_ms(), keep_ms).await {
                eprintln!("link-server: pruning old records failed: {e}");
            }
        }
    })
}
