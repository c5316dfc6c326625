//! Reading credentials from the `Authorization` header.
//!
//! Only the `Bearer` scheme (RFC 6750 §2.1) is understood so far. The extractors hand the
//! token on as a [`Secret`], whose `Debug` is redacted, so neither a span nor a log line can
//! print it; the header itself is never logged.

use super::error::ApiError;
use crate::credentials::Secret;
use crate::Error;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};

/// A bearer token the route requires: its absence is a `401` with a bare challenge.
#[derive(Debug)]
pub(super) struct Bearer(pub(super) Secret);

/// A bearer token the route may do without (open registration).
#[derive(Debug)]
pub(super) struct MaybeBearer(pub(super) Option<Secret>);

impl<S: Send + Sync> FromRequestParts<S> for Bearer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        bearer_token(&parts.headers)?
            .map(Bearer)
            .ok_or(ApiError::MissingCredential)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for MaybeBearer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        bearer_token(&parts.headers).map(MaybeBearer)
    }
}

/// The bearer token in `headers`, `None` when there is no `Authorization` header.
///
/// Another scheme counts as no usable credential (`401` with a bare challenge, which tells
/// the caller what is expected); a `Bearer` header without a token, or one that is not
/// visible ASCII, is an invalid token.
fn bearer_token(headers: &HeaderMap) -> Result<Option<Secret>, ApiError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| ApiError::Core(Error::CredentialRejected))?;
    let (scheme, token) = value.trim().split_once(' ').unwrap_or((value.trim(), ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(ApiError::MissingCredential);
    }
    let token = token.trim();
    if token.is_empty() {
        return Err(ApiError::Core(Error::CredentialRejected));
    }
    Ok(Some(Secret::new(token.to_owned())))
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
        bearer_token(&headers)
            .map(|t| t.map(|t| t.expose().to_owned()))
            .map_err(|e| format!("{e:?}"))
    }

    #[test]
    fn schemes() {
        assert_eq!(parse(None), Ok(None));
        assert_eq!(parse(Some("Bearer abc")), Ok(Some("abc".into())));
        assert_eq!(parse(Some("bearer   abc ")), Ok(Some("abc".into())));
        assert_eq!(parse(Some("Basic YTpi")), Err("MissingCredential".into()));
        assert!(parse(Some("Bearer"))
            .unwrap_err()
            .contains("CredentialRejected"));
        assert!(parse(Some("Bearer  "))
            .unwrap_err()
            .contains("CredentialRejected"));
    }
}
