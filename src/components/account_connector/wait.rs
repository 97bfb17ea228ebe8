//! The live wait for an institution's approval: the page asks the
//! service again with `druo_core::wait`'s backoff, pauses while the tab is
//! hidden and asks at once when the person comes back (from the bank's
//! app), and stops when the step goes away. Nothing runs during the
//! server's render.

use crate::api::{self, ApiError};
use crate::browser::{now_ms, LIVE};
use druo_core::dto::PublicAccount;
use druo_core::wait::{is_slow, poll_delay};
use leptos::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// How often the wait looks at the tab's visibility while it sleeps.
const SLICE_MS: i32 = 250;

/// Whether the page's tab is hidden (the person is in another app).
fn hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

/// Sleeps up to `ms`, in slices; returns early when the tab comes back
/// into view after being hidden, or when `alive` turns false.
async fn nap(ms: i64, alive: &AtomicBool) {
    let mut was_hidden = hidden();
    let mut left = ms;
    while left > 0 && alive.load(Ordering::Relaxed) {
        api::sleep(SLICE_MS).await;
        left -= i64::from(SLICE_MS);
        let now_hidden = hidden();
        if was_hidden && !now_hidden {
            return;
        }
        was_hidden = now_hidden;
    }
}

/// Starts the wait for `account` while the current owner lives: each
/// read goes through `refresh` (its answer moves the connector on), and
/// `slow` turns true after a minute.
pub fn watch(
    account: RwSignal<Option<PublicAccount>>,
    refresh: Action<String, Result<PublicAccount, ApiError>>,
    slow: RwSignal<bool>,
) {
    if !LIVE {
        return;
    }
    let alive = Arc::new(AtomicBool::new(true));
    let stop = alive.clone();
    on_cleanup(move || stop.store(false, Ordering::Relaxed));
    let started = now_ms();
    leptos::task::spawn_local(async move {
        loop {
            let elapsed = (now_ms() - started) as i64;
            nap(poll_delay(elapsed), &alive).await;
            if !alive.load(Ordering::Relaxed) {
                return;
            }
            let elapsed = (now_ms() - started) as i64;
            _ = slow.try_set(is_slow(elapsed));
            // Paused while hidden; a read still in flight is not doubled.
            if hidden() || refresh.pending().try_get_untracked() != Some(false) {
                continue;
            }
            let Some(uuid) = account
                .try_with_untracked(|a| a.as_ref().map(|a| a.uuid.clone()))
                .flatten()
            else {
                return;
            };
            refresh.dispatch(uuid);
        }
    });
}
