//! How the page waits for an institution's approval: it asks the service
//! again with backoff, never faster than every 2 s, slower after a minute
//! (a person approving in their bank's app takes seconds, or minutes).

use crate::time::Millis;

/// The fastest the page asks.
pub const FIRST_DELAY_MS: Millis = 2_000;

/// After this long the page says approving can take minutes, and asks
/// less often.
pub const SLOW_AFTER_MS: Millis = 60_000;

/// How long to wait before asking again, `elapsed_ms` after the wait
/// began: every 2 s for the first minute, then every 5 s, then every 15 s
/// after five minutes.
pub fn poll_delay(elapsed_ms: Millis) -> Millis {
    if elapsed_ms < SLOW_AFTER_MS {
        FIRST_DELAY_MS
    } else if elapsed_ms < 5 * SLOW_AFTER_MS {
        5_000
    } else {
        15_000
    }
}

/// Whether the wait has gone on long enough to say so.
pub fn is_slow(elapsed_ms: Millis) -> bool {
    elapsed_ms >= SLOW_AFTER_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_faster_than_two_seconds_and_slower_after_a_minute() {
        assert_eq!(poll_delay(0), 2_000);
        assert_eq!(poll_delay(59_999), 2_000);
        assert_eq!(poll_delay(60_000), 5_000);
        assert_eq!(poll_delay(300_000), 15_000);
        for t in (0..1_000_000).step_by(7_919) {
            assert!(poll_delay(t) >= FIRST_DELAY_MS);
            assert!(poll_delay(t + 1) >= poll_delay(t));
        }
        assert!(!is_slow(59_999));
        assert!(is_slow(60_000));
    }
}
