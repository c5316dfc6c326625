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

/// The lifetime a credential is given: a duration from when it is issued, or a point in
/// time. The point is kept as given (not turned into a duration by the caller), so a
/// `--…-expires-at` time is stored to the second whatever time the operation runs at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifetime {
    /// This long after issue.
    For(Duration),
    /// Until this Unix time.
    Until(i64),
}

impl Lifetime {
    /// The Unix time a credential issued at `now` expires at.
    pub fn expires_at(self, now: i64) -> i64 {
        match self {
            Lifetime::For(duration) => after(now, duration),
            Lifetime::Until(at) => at,
        }
    }

    /// Whether the lifetime is empty: a zero duration.
    pub fn is_zero(self) -> bool {
        self == Lifetime::For(Duration::ZERO)
    }
}

impl From<Duration> for Lifetime {
    fn from(duration: Duration) -> Self {
        Lifetime::For(duration)
    }
}

/// The last Unix second RFC 3339 can show: 9999-12-31T23:59:59Z.
const LAST_RFC3339_SECOND: i64 = 253_402_300_799;

/// A Unix time as every table shows times: RFC 3339 in UTC to the second
/// (`2026-01-31T12:00:00Z`). Times RFC 3339 cannot show (before 1970, after 9999) are shown
/// as the Unix seconds they are.
pub(crate) fn format(seconds: i64) -> String {
    if !(0..=LAST_RFC3339_SECOND).contains(&seconds) {
        return seconds.to_string();
    }
    // By date and time of day: jiff's Timestamp stops short of 9999-12-31 (it leaves room
    // for any offset), its civil dates do not.
    let (days, second) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    match jiff::civil::date(1970, 1, 1).checked_add(jiff::Span::new().days(days)) {
        Ok(date) => format!(
            "{date}T{:02}:{:02}:{:02}Z",
            second / 3600,
            second % 3600 / 60,
            second % 60
        ),
        Err(_) => seconds.to_string(),
    }
}

/// A point in time as the command line reads one, in Unix seconds (fractions dropped):
/// an RFC 3339 time with any offset, fractional seconds and lowercase `t`/`z`
/// (`2026-01-31T12:00:00+01:00`); a date (`2026-01-31`, midnight UTC); or a date and
/// time without offset, read as UTC.
///
/// # Errors
/// A message saying what is expected when `text` is none of these.
pub(crate) fn parse(text: &str) -> Result<i64, String> {
    let text = text.trim();
    if let Ok(at) = text.parse::<jiff::Timestamp>() {
        return Ok(at.as_second());
    }
    // Only a date (and time) with no offset at all is read as UTC: an input with a zone or
    // offset that jiff refused is malformed, not local.
    if !text.contains(['z', 'Z', '+', '[']) && text.matches('-').count() <= 2 {
        if let Ok(at) = text
            .parse::<jiff::civil::DateTime>()
            .and_then(|civil| civil.to_zoned(jiff::tz::TimeZone::UTC))
        {
            return Ok(at.timestamp().as_second());
        }
    }
    Err(
        "expected an RFC 3339 time (2026-01-31T12:00:00Z, any offset), a date (2026-01-31) \
         or a duration ago (7d)"
            .to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rfc3339_spelling_is_read() {
        let noon = 1_769_860_800; // 2026-01-31T12:00:00Z
        for text in [
            "2026-01-31T12:00:00Z",
            "2026-01-31t12:00:00z",
            "2026-01-31T13:00:00+01:00",
            "2026-01-31T07:30:00-04:30",
            "2026-01-31T12:00:00.999999Z",
            "2026-01-31 12:00:00Z",
            "2026-01-31T12:00:00+00:00",
            "2026-01-31T12:00:00",
        ] {
            assert_eq!(parse(text), Ok(noon), "{text}");
        }
        assert_eq!(parse("2026-01-31"), Ok(noon - 12 * 3600));
        assert_eq!(parse("1970-01-01T00:00:00Z"), Ok(0));
        for bad in [
            "yesterday",
            "2026-13-01",
            "2026-01-31T12:00:00+1:00",
            "",
            "7d",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tables_show_utc_to_the_second() {
        assert_eq!(format(0), "1970-01-01T00:00:00Z");
        assert_eq!(format(1_769_860_800), "2026-01-31T12:00:00Z");
        assert_eq!(format(LAST_RFC3339_SECOND), "9999-12-31T23:59:59Z");
        assert_eq!(format(LAST_RFC3339_SECOND + 1), "253402300800");
        assert_eq!(format(-1), "-1");
        assert_eq!(format(i64::MAX), i64::MAX.to_string());
    }

    #[test]
    fn a_lifetime_is_a_duration_or_a_time() {
        assert_eq!(Lifetime::For(Duration::from_secs(60)).expires_at(100), 160);
        assert_eq!(Lifetime::Until(5000).expires_at(100), 5000);
        assert!(Lifetime::from(Duration::ZERO).is_zero());
        assert!(!Lifetime::Until(0).is_zero());
    }
}
