//! Wall-clock helpers: the registry counts time in Unix seconds, as RFC 7591 does.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch, now.
pub(crate) fn now() -> i64 {
    let wall = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        });
    wall.saturating_add(test_skew())
}

/// Seconds added to the clock: `DCRCTL_TEST_CLOCK_SKEW` in debug builds, which is how the
/// integration tests step past an expiry instead of sleeping through it. Release builds
/// ignore the variable, so no environment can move a production registry's clock.
#[cfg(debug_assertions)]
fn test_skew() -> i64 {
    static SKEW: std::sync::OnceLock<i64> = std::sync::OnceLock::new();
    *SKEW.get_or_init(|| {
        std::env::var("DCRCTL_TEST_CLOCK_SKEW")
            .ok()
            .and_then(|text| text.parse().ok())
            .unwrap_or(0)
    })
}

#[cfg(not(debug_assertions))]
fn test_skew() -> i64 {
    0
}

/// `base + duration` in Unix seconds, saturating instead of overflowing.
pub(crate) fn after(base: i64, duration: Duration) -> i64 {
    base.saturating_add(i64::try_from(duration.as_secs()).unwrap_or(i64::MAX))
}

/// `base - duration` in Unix seconds, saturating.
pub(crate) fn before(base: i64, duration: Duration) -> i64 {
    base.saturating_sub(i64::try_from(duration.as_secs()).unwrap_or(i64::MAX))
}
