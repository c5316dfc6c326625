//! What every handler shares: where the database is, the public URLs, and the policy.
//!
//! Built once from checked arguments; the issuer and prefix are normalized here (no trailing
//! slash), so every URL the server prints is formed the same way.

use super::limit::{AdminGuard, RateLimit, RateLimiter, DEFAULT_ADMIN_FAILURE_LIMIT};
use super::readers::Readers;
use super::writer::Writer;
use crate::ops::Limits;
use crate::ops::Location;
use crate::registration::Policy;
use crate::Error;
use serde_json::{Map, Value};
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// The server's shared, cheaply cloneable state.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database file; each blocking task opens its own connection to it.
    pub db: Arc<Location>,
    /// The public base URL, without a trailing slash.
    pub issuer: Arc<str>,
    /// The path prefix of the `/register` routes: empty, or `/seg[/seg…]`.
    pub prefix: Arc<str>,
    /// Whether `POST /register` is allowed without a credential.
    pub open_registration: bool,
    /// Restrictions on what dynamic registration may ask for.
    pub policy: Arc<Policy>,
    /// `--max-clients` and `--secret-expires-in`.
    pub limits: Arc<Limits>,
    /// The per-address limit of registrations without a credential.
    pub rate_limiter: Arc<RateLimiter>,
    /// The real authorization server's metadata (`--as-metadata`), under which the discovery
    /// document is merged; empty when not given.
    pub as_metadata: Arc<Map<String, Value>>,
    /// Whether a TLS-terminating proxy is in front (`--behind-proxy`), so the client's
    /// address is the one it appends to `X-Forwarded-For`.
    pub behind_proxy: bool,
    /// The bounds on admin password verification.
    pub admin_guard: Arc<AdminGuard>,
    /// How long one request may take before it is answered `408`.
    pub request_timeout: Duration,
    /// How long a client may take to send a request head.
    pub header_read_timeout: Duration,
    /// The thread that makes every change, in group commits.
    pub(super) writer: Arc<Writer>,
    /// The threads that answer reads.
    pub(super) readers: Arc<Readers>,
}

impl AppState {
    /// State for serving `db` as `issuer` with the routes under `prefix`.
    ///
    /// # Errors
    /// [`Error::Usage`] saying what is wrong with the issuer or prefix (see [`parse_issuer`] and
    /// [`parse_prefix`]).
    pub fn new(
        db: Location,
        issuer: &str,
        prefix: &str,
        open_registration: bool,
        policy: Policy,
    ) -> crate::Result<AppState> {
        let issuer = parse_issuer(issuer)?;
        let prefix = parse_prefix(prefix)?;
        let db = Arc::new(db);
        Ok(AppState {
            writer: Arc::new(Writer::start(db.clone())),
            readers: Arc::new(Readers::start(&db, reader_threads())),
            db,
            issuer: issuer.into(),
            prefix: prefix.into(),
            open_registration,
            policy: Arc::new(policy),
            limits: Arc::new(Limits::default()),
            rate_limiter: Arc::new(RateLimiter::new(RateLimit::default())),
            as_metadata: Arc::new(Map::new()),
            behind_proxy: false,
            admin_guard: Arc::new(AdminGuard::new(DEFAULT_ADMIN_FAILURE_LIMIT)),
            request_timeout: super::REQUEST_TIMEOUT,
            header_read_timeout: super::HEADER_READ_TIMEOUT,
        })
    }

    /// This state with `limits` on HTTP registration.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = Arc::new(limits);
        self
    }

    /// This state with the open-registration rate limit `rule` (default `20/min`).
    #[must_use]
    pub fn with_rate_limit(mut self, rule: RateLimit) -> Self {
        self.rate_limiter = Arc::new(RateLimiter::new(rule));
        self
    }

    /// This state trusting the right-most `X-Forwarded-For` entry as the client's address
    /// (`--behind-proxy`).
    #[must_use]
    pub fn with_behind_proxy(mut self, behind_proxy: bool) -> Self {
        self.behind_proxy = behind_proxy;
        self
    }

    /// This state allowing `rule` failed admin authentications per address (default
    /// `10/min`).
    #[must_use]
    pub fn with_admin_failure_limit(mut self, rule: RateLimit) -> Self {
        self.admin_guard = Arc::new(AdminGuard::new(rule));
        self
    }

    /// This state answering `408` to requests not done within `timeout` (default
    /// [`super::REQUEST_TIMEOUT`]).
    #[must_use]
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// This state closing connections whose request head takes longer than `timeout`
    /// (default [`super::HEADER_READ_TIMEOUT`]).
    #[must_use]
    pub fn with_header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// This state serving discovery merged over `metadata` (see [`super::discovery`]).
    ///
    /// # Errors
    /// [`Error::Usage`] when `metadata` names an `issuer` other than this server's (RFC 8414 §3.3:
    /// the issuer in the document must be the one it is served for).
    pub fn with_as_metadata(mut self, metadata: Map<String, Value>) -> crate::Result<Self> {
        if let Some(issuer) = metadata.get("issuer") {
            let same = issuer
                .as_str()
                .is_some_and(|given| given.trim_end_matches('/') == &*self.issuer);
            if !same {
                return Err(Error::Usage(format!(
                    "--as-metadata: its issuer {issuer} is not --issuer {:?}; RFC 8414 §3.3 \
                     requires the metadata's issuer to be the one it is served for",
                    &*self.issuer
                )));
            }
        }
        self.as_metadata = Arc::new(metadata);
        Ok(self)
    }

    /// `{issuer}{prefix}/register`.
    pub fn registration_endpoint(&self) -> String {
        format!("{}{}/register", self.issuer, self.prefix)
    }

    /// `{issuer}{prefix}/register/{client_id}`.
    pub fn registration_client_uri(&self, client_id: &str) -> String {
        format!("{}/{client_id}", self.registration_endpoint())
    }

    /// The path part of the issuer (`""` or `/seg…`), which RFC 8414 §3 appends to the
    /// well-known path.
    pub fn issuer_path(&self) -> &str {
        // The issuer was checked to be an absolute URL, so it has "scheme://authority".
        let after_scheme = self.issuer.split_once("://").map_or("", |(_, rest)| rest);
        after_scheme.find('/').map_or("", |at| &after_scheme[at..])
    }
}

/// Check `--issuer`: an absolute `http` or `https` URL with a host and no user info, query
/// or fragment, whose path segments are plain (see [`parse_prefix`]). Returns it without a
/// trailing slash.
///
/// # Errors
/// [`Error::Usage`] naming the rule broken.
pub fn parse_issuer(text: &str) -> crate::Result<String> {
    let url = Url::parse(text).map_err(|e| Error::Usage(format!("--issuer {text:?}: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::Usage(format!(
            "--issuer {text:?}: must be an http or https URL"
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::Usage(format!("--issuer {text:?}: must name a host")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Usage(format!(
            "--issuer {text:?}: must not contain user info"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Usage(format!(
            "--issuer {text:?}: must not have a query or fragment"
        )));
    }
    let path = url.path().trim_end_matches('/');
    check_segments(path).map_err(|rule| Error::Usage(format!("--issuer {text:?}: path {rule}")))?;
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// Check `--path-prefix`: empty or `/`, or `/` followed by segments of
/// `A-Z a-z 0-9 . _ ~ -` (not `.` or `..`). Returns it without a trailing slash.
///
/// # Errors
/// [`Error::Usage`] naming the rule broken.
pub fn parse_prefix(text: &str) -> crate::Result<String> {
    let prefix = text.trim_end_matches('/');
    if prefix.is_empty() {
        return Ok(String::new());
    }
    if !prefix.starts_with('/') {
        return Err(Error::Usage(format!(
            "--path-prefix {text:?}: must start with /"
        )));
    }
    check_segments(prefix)
        .map_err(|rule| Error::Usage(format!("--path-prefix {text:?}: {rule}")))?;
    Ok(prefix.to_owned())
}

/// `path` is empty or `/seg/seg…` with plain, non-dot segments: nothing a router could read
/// as a parameter or a URL could normalize away.
fn check_segments(path: &str) -> Result<(), &'static str> {
    if path.is_empty() {
        return Ok(());
    }
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '~' | '-');
    let ok = path.strip_prefix('/').is_some_and(|rest| {
        rest.split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != ".." && seg.chars().all(plain))
    });
    if ok {
        Ok(())
    } else {
        Err("must be /-separated segments of A-Z a-z 0-9 . _ ~ - (not . or ..)")
    }
}

/// One reader per core, at least two so one slow read does not queue the others.
fn reader_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers() {
        assert_eq!(
            parse_issuer("https://as.example.com/").unwrap(),
            "https://as.example.com"
        );
        assert_eq!(
            parse_issuer("http://127.0.0.1:8080/tenant/a/").unwrap(),
            "http://127.0.0.1:8080/tenant/a"
        );
        for bad in [
            "as.example.com",
            "/relative",
            "ftp://as.example.com",
            "https://as.example.com/?q=1",
            "https://as.example.com/#f",
            "https://u:p@as.example.com",
            "https://as.example.com/a/{id}",
            "https://as.example.com/a//b",
            "mailto:x@example.com",
        ] {
            assert!(parse_issuer(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn prefixes() {
        assert_eq!(parse_prefix("").unwrap(), "");
        assert_eq!(parse_prefix("/").unwrap(), "");
        assert_eq!(parse_prefix("/oauth/").unwrap(), "/oauth");
        assert_eq!(
            parse_prefix("/api/identity/oauth2/dcr/v1.1").unwrap(),
            "/api/identity/oauth2/dcr/v1.1"
        );
        for bad in [
            "oauth", "/a/../b", "/{x}", "/:x", "/*x", "/a b", "/a//b", "/a?b",
        ] {
            assert!(parse_prefix(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn urls() {
        let state = AppState::new(
            Location::Sqlite("db".into()),
            "https://as.example.com/t",
            "/oauth",
            false,
            Policy::default(),
        )
        .unwrap();
        assert_eq!(
            state.registration_endpoint(),
            "https://as.example.com/t/oauth/register"
        );
        assert_eq!(
            state.registration_client_uri("abc"),
            "https://as.example.com/t/oauth/register/abc"
        );
        assert_eq!(state.issuer_path(), "/t");
        let root = AppState::new(
            Location::Sqlite("db".into()),
            "http://h:1",
            "",
            false,
            Policy::default(),
        )
        .unwrap();
        assert_eq!(root.issuer_path(), "");
        assert_eq!(root.registration_endpoint(), "http://h:1/register");
    }
}
