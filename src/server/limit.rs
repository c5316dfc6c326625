//! The per-address rate limit of open registration (`serve --rate-limit N/PERIOD`).
//!
//! A fixed window per client IP: the first request from an address opens a window of
//! `period`, in which `limit` requests are allowed; the next is refused with the seconds until
//! the window ends. The map is bounded: when it is full, windows that have ended are dropped,
//! and if it is still full the window that started first is evicted to make room. A flood
//! from very many addresses thus never grows the map and never locks newcomers out: it can
//! only make the limiter forget its oldest windows (failing open for those addresses, which
//! then start afresh), never refuse an address that has not spent its own limit.
//!
//! The same limiter bounds failed admin authentications ([`AdminGuard`]), where only failures
//! are counted: [`RateLimiter::spent`] asks before the expensive work, [`RateLimiter::record`]
//! counts after it failed.

use crate::Error;
use std::collections::{BTreeSet, HashMap};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The most addresses tracked at once.
pub(super) const MAX_TRACKED_ADDRESSES: usize = 10_000;

/// `N/PERIOD`: at most `limit` requests per `period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per window; at least 1.
    pub limit: u32,
    /// Length of a window; at least one second.
    pub period: Duration,
}

impl Default for RateLimit {
    /// `20/min`.
    fn default() -> Self {
        RateLimit {
            limit: 20,
            period: Duration::from_secs(60),
        }
    }
}

/// Parse `--rate-limit`: `N/PERIOD`, where `PERIOD` is `s`, `sec`, `second`, `min`,
/// `minute`, `h`, `hour`, `d`, `day`, or a duration such as `10m` or `30s`.
///
/// # Errors
/// [`Error::Usage`] naming the rule broken.
pub fn parse_rate_limit(text: &str) -> crate::Result<RateLimit> {
    let rule = || {
        Error::usage(format!(
            "--rate-limit {text:?}: expected N/PERIOD, e.g. 20/min or 100/1h"
        ))
    };
    let (count, period) = text.split_once('/').ok_or_else(rule)?;
    let limit: u32 = count.trim().parse().map_err(|_| rule())?;
    if limit == 0 {
        return Err(Error::usage(format!(
            "--rate-limit {text:?}: N must be at least 1"
        )));
    }
    let period = match period.trim() {
        "s" | "sec" | "second" => Duration::from_secs(1),
        "m" | "min" | "minute" => Duration::from_secs(60),
        "h" | "hour" => Duration::from_secs(3600),
        "d" | "day" => Duration::from_secs(86_400),
        other => humantime::parse_duration(other).map_err(|_| rule())?,
    };
    if period < Duration::from_secs(1) || period > Duration::from_secs(86_400 * 366) {
        return Err(Error::usage(format!(
            "--rate-limit {text:?}: PERIOD must be between 1 second and a year"
        )));
    }
    Ok(RateLimit { limit, period })
}

/// The key a client's requests are counted under: its IPv4 address (also when written as an
/// IPv4-mapped IPv6 one), or its IPv6 /64. A single IPv6 host is usually given a whole /64,
/// and counting each of its 2^64 addresses apart would make any per-address limit moot.
pub(super) fn client_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(
                u128::from(v6) & 0xffff_ffff_ffff_ffff_0000_0000_0000_0000,
            )),
        },
    }
}

/// Fixed windows per address, behind a mutex held only for a map lookup.
#[derive(Debug)]
pub struct RateLimiter {
    rule: RateLimit,
    capacity: usize,
    windows: Mutex<Windows>,
}

/// Each tracked address's window (its start and the count in it), and the same windows
/// ordered by start, so the oldest is found in O(log n) when one must go.
#[derive(Debug, Default)]
struct Windows {
    by_address: HashMap<IpAddr, (Instant, u32)>,
    by_start: BTreeSet<(Instant, IpAddr)>,
}

impl Windows {
    fn len(&self) -> usize {
        self.by_address.len()
    }

    /// Start a new window for `address` at `now` (replacing its old one).
    fn open(&mut self, address: IpAddr, now: Instant) {
        if let Some((start, _)) = self.by_address.insert(address, (now, 0)) {
            self.by_start.remove(&(start, address));
        }
        self.by_start.insert((now, address));
    }

    /// Drop the window that started first.
    fn evict_oldest(&mut self) {
        if let Some((_, address)) = self.by_start.pop_first() {
            self.by_address.remove(&address);
        }
    }

    /// Drop every window that ended by `now`.
    fn drop_ended(&mut self, now: Instant, period: Duration) {
        while let Some(&(start, _)) = self.by_start.first() {
            if now.saturating_duration_since(start) < period {
                break;
            }
            self.evict_oldest();
        }
    }
}

impl RateLimiter {
    /// A limiter applying `rule`.
    pub fn new(rule: RateLimit) -> Self {
        RateLimiter::with_capacity(rule, MAX_TRACKED_ADDRESSES)
    }

    fn with_capacity(rule: RateLimit, capacity: usize) -> Self {
        RateLimiter {
            rule,
            capacity,
            windows: Mutex::new(Windows::default()),
        }
    }

    /// Count one request from `address` (the unspecified address when unknown) at `now`;
    /// `Err(seconds)` until it may retry when over the limit.
    pub fn check(&self, address: Option<IpAddr>, now: Instant) -> Result<(), u64> {
        self.window(address, now, true)
    }

    /// Whether `address` is over the limit at `now` (`Err(seconds)` until it may retry),
    /// without counting anything: for limits on failures, which are counted only once they
    /// have happened ([`RateLimiter::record`]), and for requests not yet known to deserve a
    /// slot. An address with nothing counted is never refused, and asking never adds it to
    /// the map.
    pub fn spent(&self, address: Option<IpAddr>, now: Instant) -> Result<(), u64> {
        self.window(address, now, false)
    }

    /// Count one event (a failure) from `address` at `now`; one beyond the limit is not
    /// counted further.
    pub fn record(&self, address: Option<IpAddr>, now: Instant) {
        let _ = self.window(address, now, true);
    }

    fn window(&self, address: Option<IpAddr>, now: Instant, count: bool) -> Result<(), u64> {
        let address = client_key(address.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)));
        let period = self.rule.period;
        let retry = |start: Instant| {
            let left = (start + period).saturating_duration_since(now);
            // Round up: retrying after the floor would still be inside the window.
            left.as_secs() + u64::from(left.subsec_nanos() > 0)
        };
        // A poisoned lock only means another request panicked mid-update; the map is
        // still a valid map.
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(&(start, _)) = windows.by_address.get(&address) else {
            if !count {
                // Nothing counted yet; asking must not take a slot (successful admin logins
                // and requests not yet known to be valid registrations only ever ask).
                return Ok(());
            }
            if windows.len() >= self.capacity {
                windows.drop_ended(now, period);
            }
            while windows.len() >= self.capacity.max(1) {
                // Full of live windows: forget the oldest rather than refuse a newcomer.
                windows.evict_oldest();
            }
            windows.open(address, now);
            if let Some(window) = windows.by_address.get_mut(&address) {
                window.1 = 1;
            }
            return Ok(());
        };
        if now.saturating_duration_since(start) >= period {
            windows.open(address, now);
        }
        let Some(window) = windows.by_address.get_mut(&address) else {
            return Ok(());
        };
        if window.1 >= self.rule.limit {
            return Err(retry(window.0).max(1));
        }
        if count {
            window.1 += 1;
        }
        Ok(())
    }
}

/// The default per-address limit of failed admin authentications: `10/min`.
pub const DEFAULT_ADMIN_FAILURE_LIMIT: RateLimit = RateLimit {
    limit: 10,
    period: Duration::from_secs(60),
};

/// The most admin password verifications (Argon2id, deliberately slow and memory-hungry)
/// running at once; further ones wait their turn, in a bounded queue
/// ([`super::verifications`]).
pub const MAX_CONCURRENT_VERIFICATIONS: usize = 2;

use super::verifications::{Busy, Lane, Turn, Verifications};

/// How long an address an admin logged in from is served first ([`Lane::Trusted`]).
const TRUSTED_FOR: Duration = Duration::from_secs(86_400);

/// What bounds the cost of admin Basic authentication, where every attempt is an Argon2id
/// verification (and of checking a client secret an admin chose, also Argon2id, which takes
/// its turns from the same [`Verifications`]): a per-address limit on failures, checked before any hashing, and a cap on
/// verifications in progress with a bounded queue, so a flood of wrong passwords can neither
/// pin every core nor exhaust memory, nor queue a correct login behind it. Successful logins
/// are never counted as failures.
#[derive(Debug)]
pub struct AdminGuard {
    /// Failed authentications per address.
    pub failures: RateLimiter,
    /// Turns for running a verification.
    pub verifications: std::sync::Arc<Verifications>,
    /// Addresses with a failure, or a request refused for a full lane, in the current window
    /// of `failures` ([`Lane::Suspect`]).
    suspects: RateLimiter,
    /// Addresses an admin logged in from recently ([`Lane::Trusted`]).
    trusted: RateLimiter,
}

impl AdminGuard {
    /// A guard allowing `failures` per address.
    pub fn new(failures: RateLimit) -> Self {
        // A limit of one: "spent" means an event was recorded in the current window.
        let seen = |period| RateLimiter::new(RateLimit { limit: 1, period });
        AdminGuard {
            failures: RateLimiter::new(failures),
            verifications: Verifications::new(MAX_CONCURRENT_VERIFICATIONS),
            suspects: seen(failures.period),
            trusted: seen(TRUSTED_FOR),
        }
    }

    /// The lane a verification for `address` waits in at `now`.
    pub fn lane(&self, address: Option<IpAddr>, now: Instant) -> Lane {
        if self.trusted.spent(address, now).is_err() {
            Lane::Trusted
        } else if self.suspects.spent(address, now).is_err() {
            Lane::Suspect
        } else {
            Lane::Unknown
        }
    }

    /// A turn to run one verification for `address`, in its lane ([`AdminGuard::lane`]).
    ///
    /// # Errors
    /// [`Busy`] when the lane is full; the address then waits in the suspect lane next time.
    pub async fn turn(&self, address: Option<IpAddr>) -> Result<Turn, Busy> {
        let lane = self.lane(address, Instant::now());
        self.verifications.turn(lane).await.inspect_err(|_| {
            tracing::info!(
                ?address,
                ?lane,
                "password verification refused: too many waiting"
            );
            self.suspect(address, Instant::now());
        })
    }

    /// Count a failed authentication from `address` at `now`.
    pub fn failed(&self, address: Option<IpAddr>, now: Instant) {
        self.failures.record(address, now);
        self.suspects.record(address, now);
    }

    /// Send the next verifications for `address` to the suspect lane for the window of
    /// `failures`, from `now`: after a request refused because its lane was full (a flood
    /// from many addresses so leaves the unknown lane after one try from each, to addresses
    /// that have not tried yet), or a wrong client secret. Not counted as a failed login.
    pub fn suspect(&self, address: Option<IpAddr>, now: Instant) {
        self.suspects.record(address, now);
    }

    /// Remember a successful login from `address` at `now`.
    pub fn succeeded(&self, address: Option<IpAddr>, now: Instant) {
        self.trusted.record(address, now);
    }
}

#[cfg(test)]
mod admin_guard_tests {
    use super::*;

    #[test]
    fn lanes_follow_an_addresses_recent_successes_and_failures() {
        let guard = AdminGuard::new(DEFAULT_ADMIN_FAILURE_LIMIT);
        let (admin, attacker, stranger) = (
            Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1))),
            Some(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 7))),
            Some(IpAddr::V4(Ipv4Addr::new(203, 0, 113, 9))),
        );
        let t0 = Instant::now();
        guard.succeeded(admin, t0);
        guard.failed(admin, t0);
        guard.failed(attacker, t0);
        let refused = Some(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 8)));
        guard.suspect(refused, t0);
        assert_eq!(guard.lane(refused, t0), Lane::Suspect);
        assert!(guard.failures.spent(refused, t0).is_ok());
        assert_eq!(guard.lane(admin, t0), Lane::Trusted);
        assert_eq!(guard.lane(attacker, t0), Lane::Suspect);
        assert_eq!(guard.lane(stranger, t0), Lane::Unknown);
        // Failures are forgotten with their window; trust lasts a day.
        let later = t0 + DEFAULT_ADMIN_FAILURE_LIMIT.period;
        assert_eq!(guard.lane(attacker, later), Lane::Unknown);
        assert_eq!(guard.lane(admin, later), Lane::Trusted);
        assert_eq!(guard.lane(admin, t0 + TRUSTED_FOR), Lane::Unknown);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing() {
        assert_eq!(parse_rate_limit("20/min").unwrap(), RateLimit::default());
        assert_eq!(
            parse_rate_limit("3/10m").unwrap().period,
            Duration::from_secs(600)
        );
        assert_eq!(parse_rate_limit("1/s").unwrap().limit, 1);
        for bad in [
            "",
            "20",
            "0/min",
            "x/min",
            "5/fortnightly",
            "5/0s",
            "-1/min",
        ] {
            assert!(parse_rate_limit(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn fixed_windows_per_address() {
        let limiter = RateLimiter::new(RateLimit {
            limit: 2,
            period: Duration::from_secs(60),
        });
        let a = Some("127.0.0.1".parse().unwrap());
        let b = Some("127.0.0.2".parse().unwrap());
        let t0 = Instant::now();
        assert!(limiter.check(a, t0).is_ok());
        assert!(limiter.check(a, t0).is_ok());
        assert_eq!(limiter.check(a, t0 + Duration::from_millis(500)), Err(60));
        assert_eq!(limiter.check(a, t0 + Duration::from_secs(59)), Err(1));
        assert!(limiter.check(b, t0).is_ok());
        assert!(limiter.check(a, t0 + Duration::from_secs(60)).is_ok());
    }

    #[test]
    fn failures_are_counted_only_when_recorded() {
        let limiter = RateLimiter::new(RateLimit {
            limit: 2,
            period: Duration::from_secs(60),
        });
        let a = Some("127.0.0.1".parse().unwrap());
        let t0 = Instant::now();
        for _ in 0..5 {
            assert!(limiter.spent(a, t0).is_ok());
        }
        limiter.record(a, t0);
        assert!(limiter.spent(a, t0).is_ok());
        limiter.record(a, t0);
        assert_eq!(limiter.spent(a, t0 + Duration::from_secs(20)), Err(40));
        limiter.record(a, t0);
        assert!(limiter.spent(a, t0 + Duration::from_secs(60)).is_ok());
        // Asking takes no slot, even when the map is full.
        let full = RateLimiter::with_capacity(limiter.rule, 1);
        full.record(a, t0);
        let b = Some("127.0.0.2".parse().unwrap());
        assert!(full.spent(b, t0).is_ok());
        assert_eq!(full.windows.lock().unwrap().len(), 1);
    }

    #[test]
    fn an_ipv6_slash_64_is_one_client_and_mapped_ipv4_is_ipv4() {
        let rule = RateLimit {
            limit: 1,
            period: Duration::from_secs(60),
        };
        let limiter = RateLimiter::new(rule);
        let now = Instant::now();
        let v6 = |text: &str| Some(text.parse::<IpAddr>().unwrap());
        assert!(limiter.check(v6("2001:db8:1:2::1"), now).is_ok());
        assert!(limiter.check(v6("2001:db8:1:2:ffff::9"), now).is_err());
        assert!(limiter.check(v6("2001:db8:1:3::1"), now).is_ok());
        assert!(limiter.check(v6("192.0.2.7"), now).is_ok());
        assert!(limiter.check(v6("::ffff:192.0.2.7"), now).is_err());
    }

    #[test]
    fn the_map_is_bounded() {
        let rule = RateLimit {
            limit: 1,
            period: Duration::from_secs(10),
        };
        let limiter = RateLimiter::with_capacity(rule, 2);
        let ip = |n: u8| Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, n)));
        let t0 = Instant::now();
        let at = |seconds: u64| t0 + Duration::from_secs(seconds);
        assert!(limiter.check(ip(1), t0).is_ok());
        assert!(limiter.check(ip(2), at(1)).is_ok());
        // Full of live windows: a newcomer is let in and the oldest window (ip 1) forgotten.
        assert!(limiter.check(ip(3), at(4)).is_ok());
        assert_eq!(limiter.windows.lock().unwrap().len(), 2);
        assert_eq!(limiter.check(ip(2), at(4)), Err(7));
        assert_eq!(limiter.check(ip(3), at(4)), Err(10));
        assert!(limiter.check(ip(1), at(5)).is_ok(), "ip 1 starts afresh");
        // Ended windows go first, whatever their order.
        assert!(limiter.check(ip(4), at(12)).is_ok());
        assert_eq!(limiter.check(ip(1), at(12)), Err(3));
        assert!(limiter.windows.lock().unwrap().len() <= 2);
    }

    /// Issue 12 item 2: 10,000 addresses (distinct IPv6 /64s) spending one request each
    /// filled the map, and every new address was then refused for the rest of the window.
    #[test]
    fn a_flood_from_many_addresses_never_locks_a_newcomer_out() {
        let limiter = RateLimiter::new(RateLimit::default());
        let t0 = Instant::now();
        let flood = |n: u64| {
            let bits = 0x2001_0db8_0000_0000_0000_0000_0000_0000_u128 | (u128::from(n) << 64);
            Some(IpAddr::V6(Ipv6Addr::from(bits)))
        };
        for n in 0..(MAX_TRACKED_ADDRESSES as u64 * 3) {
            assert!(limiter.check(flood(n), t0).is_ok(), "flood address {n}");
        }
        assert_eq!(limiter.windows.lock().unwrap().len(), MAX_TRACKED_ADDRESSES);
        let newcomer = Some("192.0.2.1".parse().unwrap());
        for _ in 0..20 {
            assert!(limiter.check(newcomer, t0 + Duration::from_secs(1)).is_ok());
        }
        assert_eq!(
            limiter.check(newcomer, t0 + Duration::from_secs(1)),
            Err(60)
        );
        let windows = limiter.windows.lock().unwrap();
        assert_eq!(windows.by_start.len(), windows.by_address.len());
    }
}
