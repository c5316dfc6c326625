//! Wall-clock helpers: the registry counts time in Unix seconds, as RFC 7591 does.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch, now.
pub(crate) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}

/// `base + duration` in Unix seconds, saturating instead of overflowing.
pub(crate) fn after(base: i64, duration: Duration) -> i64 {
    base.saturating_add(i64::try_from(duration.as_secs()).unwrap_or(i64::MAX))
}

/// `base - duration` in Unix seconds, saturating.
pub(crate) fn before(base: i64, duration: Duration) -> i64 {
    base.saturating_sub(i64::try_from(duration.as_secs()).unwrap_or(i64::MAX))
}
