//! Request bodies: an `application/json` metadata document (`415` for another type, `413`
//! over [`super::MAX_BODY_BYTES`], refused at once when the announced length already says
//! so), and the optional, ignored body of a rotation request.

use super::error::ApiError;
use crate::registration::{parse_document, MetadataDoc};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};

/// A request body that is an `application/json` metadata document of at most
/// [`super::MAX_BODY_BYTES`], parsed strictly ([`parse_document`]).
#[derive(Debug)]
pub(super) struct MetadataBody(pub(super) MetadataDoc);

impl<S: Send + Sync> FromRequest<S> for MetadataBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        if !is_json(request.headers()) {
            return Err(ApiError::UnsupportedMediaType);
        }
        // A body announced as too large is refused before a byte of it is waited for.
        let announced = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok());
        if announced.is_some_and(|length| length > super::MAX_BODY_BYTES as u64) {
            // Take in (and drop) what is already on its way, briefly: closing a connection
            // with unread data resets it, and the client could lose the 413 it is owed.
            let unread = axum::body::to_bytes(request.into_body(), DRAIN_BYTES);
            let _ = tokio::time::timeout(DRAIN_TIME, unread).await;
            return Err(ApiError::PayloadTooLarge);
        }
        let bytes = read_body(request, state).await?;
        let doc = parse_document(&bytes).map_err(crate::Error::from)?;
        Ok(MetadataBody(doc))
    }
}

/// What a rotation request may carry: nothing, or a JSON body, which is ignored. Any other
/// body is `415` (SPEC §5); a body over [`super::MAX_BODY_BYTES`] is `413`.
#[derive(Debug)]
pub(super) struct RotationBody;

impl<S: Send + Sync> FromRequest<S> for RotationBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let json = is_json(request.headers());
        let bytes = read_body(request, state).await?;
        if bytes.is_empty() || json {
            Ok(RotationBody)
        } else {
            Err(ApiError::UnsupportedMediaType)
        }
    }
}

/// The whole body, within the router's [`super::MAX_BODY_BYTES`] (else `413`).
async fn read_body<S: Send + Sync>(request: Request, state: &S) -> Result<Bytes, ApiError> {
    Bytes::from_request(request, state)
        .await
        .map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::UnreadableBody
            }
        })
}

/// How much of an oversized body is read and dropped before the `413`, and for how long.
const DRAIN_BYTES: usize = 256 * 1024;
const DRAIN_TIME: std::time::Duration = std::time::Duration::from_secs(1);

/// Whether the `Content-Type` is `application/json`, with any parameters.
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

#[cfg(test)]
mod tests {
    use super::is_json;
    use axum::http::{header, HeaderMap, HeaderValue};

    #[test]
    fn json_content_types() {
        let check = |value: Option<&str>| {
            let mut headers = HeaderMap::new();
            if let Some(value) = value {
                headers.insert(header::CONTENT_TYPE, HeaderValue::from_str(value).unwrap());
            }
            is_json(&headers)
        };
        assert!(check(Some("application/json")));
        assert!(check(Some("Application/JSON; charset=utf-8")));
        assert!(!check(Some("text/plain")));
        assert!(!check(Some("application/jsonx")));
        assert!(!check(Some("application/x-www-form-urlencoded")));
        assert!(!check(None));
    }
}
