//! Reading credentials from the `Authorization` header.
//!
//! Two schemes are understood: `Bearer` (RFC 6750 §2.1) for initial access tokens and
//! registration access tokens, and `Basic` (RFC 7617) for admin accounts. An admin password
//! is verified here, with Argon2 on a blocking thread; a token is checked by the operation
//! it authorizes, in the transaction that makes the change. The extractor hands a token on as
//! a [`Secret`], whose `Debug` is redacted, so neither a span nor a log line can print it; the
//! header itself is never logged.
//!
//! Every admin password check is an Argon2id verification, slow and memory-hungry by design,
//! so it is guarded ([`super::limit::AdminGuard`]): an address with too many recent failures
//! is answered `429` before any hashing, at most a few verifications run at once, and the
//! requests waiting for one are bounded (`429` beyond), with addresses that recently logged
//! in served first and those with recent failures last ([`super::verifications`]).
//!
//! The client's address ([`ClientIp`]) is the peer's, or with `--behind-proxy` the right-most
//! `X-Forwarded-For` entry: the one the trusted proxy appended. Entries to its left were
//! written by the client and prove nothing; without the flag the header is ignored, since any
//! client could then pick its own address.

use super::error::ApiError;
use super::{blocking, AppState};
use crate::credentials::{self, Secret};
use crate::ops;
use crate::ops::dynamic::Credential;
use crate::Error;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

/// The request's credential, if any. A wrong admin name or password is rejected here
/// (`401` with a `Basic` challenge).
#[derive(Debug)]
pub(super) struct Auth(pub(super) Option<Credential>);

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match presented(&parts.headers)? {
            None => Ok(Auth(None)),
            Some(Presented::Bearer(token)) => Ok(Auth(Some(Credential::Bearer(token)))),
            Some(Presented::Basic { name, password }) => {
                let address = client_ip(parts, state.behind_proxy);
                if verify_admin(state, address, name.clone(), password).await? {
                    Ok(Auth(Some(Credential::Admin(name))))
                } else {
                    Err(ApiError::AdminRejected)
                }
            }
        }
    }
}

/// Check an admin's password under the [`super::limit::AdminGuard`]: refused (`429`) while
/// `address` has too many recent failures, or when the queue of verifications for its lane
/// is full; queued behind the cap on verifications otherwise, and a failure counted against
/// `address`.
async fn verify_admin(
    state: &AppState,
    address: Option<IpAddr>,
    name: String,
    password: Secret,
) -> Result<bool, ApiError> {
    let guard = state.admin_guard.clone();
    let refused = |seconds| {
        tracing::info!(?address, "admin authentication refused: too many failures");
        ApiError::TooManyAdminFailures(seconds)
    };
    guard
        .failures
        .spent(address, Instant::now())
        .map_err(refused)?;
    let turn = guard
        .turn(address)
        .await
        .map_err(|_| ApiError::TooManyVerifications)?;
    // Failures recorded while this request waited count too, so a burst from one address
    // cannot run more verifications than the limit plus the turns.
    guard
        .failures
        .spent(address, Instant::now())
        .map_err(refused)?;
    let verified = blocking(state, move |store| {
        // Held until the hashing is done and its outcome recorded, even if the request is
        // abandoned meanwhile: the request the turn goes to next re-checks the failures, and
        // must see this one (recording it after giving the turn back let a burst from one
        // address run one verification too many).
        let _turn = turn;
        let verified = ops::verify_admin(store, &name, &password);
        match verified {
            Ok(true) => guard.succeeded(address, Instant::now()),
            Ok(false) => guard.failed(address, Instant::now()),
            Err(_) => {}
        }
        verified
    })
    .await?;
    Ok(verified)
}

/// The client's address, when the server was started with connection info (in-process tests
/// are not): the key of the per-address limits.
#[derive(Debug)]
pub(super) struct ClientIp(pub(super) Option<IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(ClientIp(client_ip(parts, state.behind_proxy)))
    }
}

/// The peer's address, or with `behind_proxy` the one the proxy reports, falling back to the
/// peer's when the header is absent or its last entry is not an address.
fn client_ip(parts: &Parts, behind_proxy: bool) -> Option<IpAddr> {
    let forwarded = behind_proxy
        .then(|| forwarded_for(&parts.headers))
        .flatten();
    forwarded.or_else(|| {
        parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip())
    })
}

/// The right-most entry of the `X-Forwarded-For` headers (the last header line's last
/// entry), as an address; a port after it (`1.2.3.4:5678`, `[::1]:5678`) is ignored.
fn forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    let last = headers.get_all("x-forwarded-for").iter().next_back()?;
    let entry = last.to_str().ok()?.rsplit(',').next()?.trim();
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|at| at.ip()))
}

/// What the `Authorization` header holds.
enum Presented {
    Bearer(Secret),
    Basic { name: String, password: Secret },
}

/// The credential in `headers`, `None` when there is no `Authorization` header.
///
/// Another scheme counts as no usable credential (`401` with a bare challenge, which tells
/// the caller what is expected); a `Bearer` header without a token, or one that is not
/// visible ASCII, is an invalid token; a `Basic` header that does not decode to
/// `name:password` is a rejected admin.
fn presented(headers: &HeaderMap) -> Result<Option<Presented>, ApiError> {
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    // Taking one of several would let a proxy and the registry disagree on who is calling.
    if values.next().is_some() {
        return Err(ApiError::BadRequest(
            "the request has more than one Authorization header",
        ));
    }
    let value = value
        .to_str()
        .map_err(|_| ApiError::Core(Error::CredentialRejected))?;
    let (scheme, rest) = value.trim().split_once(' ').unwrap_or((value.trim(), ""));
    let rest = rest.trim();
    if scheme.eq_ignore_ascii_case("bearer") {
        if rest.is_empty() {
            return Err(ApiError::Core(Error::CredentialRejected));
        }
        return Ok(Some(Presented::Bearer(Secret::new(rest.to_owned()))));
    }
    if scheme.eq_ignore_ascii_case("basic") {
        let decoded = credentials::decode_base64(rest, credentials::Base64Alphabets::Standard)
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or(ApiError::AdminRejected)?;
        let (name, password) = decoded.split_once(':').ok_or(ApiError::AdminRejected)?;
        return Ok(Some(Presented::Basic {
            name: name.to_owned(),
            password: Secret::new(password.to_owned()),
        }));
    }
    Err(ApiError::MissingCredential)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn parse(value: Option<&str>) -> Result<Option<String>, String> {
        let mut headers = HeaderMap::new();
        if let Some(value) = value {
            headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        }
        presented(&headers)
            .map(|t| {
                t.map(|t| match t {
                    Presented::Bearer(token) => token.expose().to_owned(),
                    Presented::Basic { name, password } => {
                        format!("basic {name} {}", password.expose())
                    }
                })
            })
            .map_err(|e| format!("{e:?}"))
    }

    #[test]
    fn schemes() {
        assert_eq!(parse(None), Ok(None));
        assert_eq!(parse(Some("Bearer abc")), Ok(Some("abc".into())));
        assert_eq!(parse(Some("bearer   abc ")), Ok(Some("abc".into())));
        assert_eq!(parse(Some("Basic YTpi")), Ok(Some("basic a b".into())));
        // "root:pa:ss" — a password may contain a colon.
        assert_eq!(
            parse(Some("basic cm9vdDpwYTpzcw==")),
            Ok(Some("basic root pa:ss".into()))
        );
        assert_eq!(parse(Some("Basic bm9jb2xvbg")), Err("AdminRejected".into()));
        assert_eq!(parse(Some("Basic !!!")), Err("AdminRejected".into()));
        assert_eq!(parse(Some("Digest x")), Err("MissingCredential".into()));
        assert!(parse(Some("Bearer"))
            .unwrap_err()
            .contains("CredentialRejected"));
        assert!(parse(Some("Bearer  "))
            .unwrap_err()
            .contains("CredentialRejected"));
    }

    #[test]
    fn forwarded_for_is_the_right_most_entry() {
        let forwarded = |lines: &[&str]| {
            let mut headers = HeaderMap::new();
            for line in lines {
                headers.append("x-forwarded-for", HeaderValue::from_str(line).unwrap());
            }
            forwarded_for(&headers)
        };
        let ip = |text: &str| Some(text.parse::<IpAddr>().unwrap());
        assert_eq!(forwarded(&[]), None);
        assert_eq!(forwarded(&["203.0.113.7"]), ip("203.0.113.7"));
        assert_eq!(forwarded(&["1.1.1.1, 203.0.113.7"]), ip("203.0.113.7"));
        assert_eq!(
            forwarded(&["1.1.1.1", "2.2.2.2,2001:db8::1 "]),
            ip("2001:db8::1")
        );
        assert_eq!(forwarded(&["203.0.113.7:4711"]), ip("203.0.113.7"));
        assert_eq!(forwarded(&["[2001:db8::1]:4711"]), ip("2001:db8::1"));
        assert_eq!(forwarded(&["1.1.1.1, unknown"]), None);
        assert_eq!(forwarded(&["1.1.1.1,"]), None);
    }
}
