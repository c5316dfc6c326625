//! The API's one error type and the one place that maps errors to HTTP.
//!
//! Every failure a handler can meet becomes an [`ApiError`]; [`ApiError::into_response`]
//! decides status, `error` code and headers. Library errors are mapped by their
//! [`ErrorKind`] in an exhaustive match, so a new kind does not compile until it is mapped
//! here. A server-side fault answers `500` with a generic description; its detail goes to the
//! log, and no error message here ever contains a secret or token.

use crate::registration::ErrorCode;
use crate::{Error, ErrorKind};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// Everything that can go wrong while answering a request.
#[derive(Debug)]
pub enum ApiError {
    /// No credential where one is needed: `401` with a bare `WWW-Authenticate: Bearer`
    /// (RFC 6750 §3.1: no error code).
    MissingCredential,
    /// No admin credential where one is needed: `401` with a bare
    /// `WWW-Authenticate: Basic realm="dcrctl"`.
    MissingAdmin,
    /// A `Basic` credential with a wrong admin name or password, or one that does not decode:
    /// `401 invalid_token` with a `Basic` challenge.
    AdminRejected,
    /// The open-registration rate limit for this address is spent: `429` with `Retry-After`
    /// (seconds).
    TooManyRequests(u64),
    /// Too many failed admin authentications from this address: `429` with `Retry-After`
    /// (seconds), answered before any password is checked.
    TooManyAdminFailures(u64),
    /// Too many password verifications are waiting for their turn: `429` with
    /// `Retry-After: 1`, answered at once rather than queued behind them.
    TooManyVerifications,
    /// A query the route does not understand: `400 invalid_request`.
    BadQuery(&'static str),
    /// A malformed request head (a repeated `Authorization`, no `Host`): `400
    /// invalid_request`.
    BadRequest(&'static str),
    /// The body is not `application/json`: `415`.
    UnsupportedMediaType,
    /// The body is larger than the limit: `413`.
    PayloadTooLarge,
    /// The body could not be read (other than for its size): `400 invalid_request`.
    UnreadableBody,
    /// No such route: `404`.
    RouteNotFound,
    /// The route exists but not with this method: `405`.
    MethodNotAllowed,
    /// A failure of the library.
    Core(Error),
    /// A fault of the server itself (a panicked or cancelled task): `500`.
    Internal(String),
    /// The request took longer than this (the state's `request_timeout`): `408
    /// temporarily_unavailable`. A change it asked for was not made: it is answered so only
    /// when the change was abandoned before the writer took it in hand.
    Timeout(std::time::Duration),
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        ApiError::Core(error)
    }
}

/// The RFC 6750 `error` code of a rejected bearer token.
const INVALID_TOKEN: &str = "invalid_token";

/// The challenge of a route that takes admin Basic auth.
const BASIC_CHALLENGE: &str = "Basic realm=\"dcrctl\"";

impl ApiError {
    /// Status, `error` code and description; `None` code means no JSON body member `error`
    /// is meaningful, so only the challenge is sent.
    fn parts(&self) -> (StatusCode, Option<&'static str>, String) {
        match self {
            ApiError::MissingCredential => (
                StatusCode::UNAUTHORIZED,
                None,
                "this endpoint needs a bearer token".into(),
            ),
            ApiError::MissingAdmin => (
                StatusCode::UNAUTHORIZED,
                None,
                "this endpoint needs an administrator's credentials".into(),
            ),
            ApiError::AdminRejected => (
                StatusCode::UNAUTHORIZED,
                Some(INVALID_TOKEN),
                "the administrator name or password is wrong".into(),
            ),
            ApiError::TooManyRequests(seconds) => (
                StatusCode::TOO_MANY_REQUESTS,
                Some("too_many_requests"),
                format!("too many registrations from this address; retry in {seconds} s"),
            ),
            ApiError::TooManyAdminFailures(seconds) => (
                StatusCode::TOO_MANY_REQUESTS,
                Some("too_many_requests"),
                format!(
                    "too many failed administrator logins from this address; retry in {seconds} s"
                ),
            ),
            ApiError::TooManyVerifications => (
                StatusCode::TOO_MANY_REQUESTS,
                Some("too_many_requests"),
                "too many password checks are waiting; retry in 1 s".into(),
            ),
            ApiError::BadQuery(rule) | ApiError::BadRequest(rule) => (
                StatusCode::BAD_REQUEST,
                Some("invalid_request"),
                (*rule).into(),
            ),
            ApiError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                Some("invalid_request"),
                "the request body must be application/json".into(),
            ),
            ApiError::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                Some("invalid_request"),
                format!(
                    "the request body is larger than {} bytes",
                    super::MAX_BODY_BYTES
                ),
            ),
            ApiError::UnreadableBody => (
                StatusCode::BAD_REQUEST,
                Some("invalid_request"),
                "the request body could not be read".into(),
            ),
            ApiError::RouteNotFound => (
                StatusCode::NOT_FOUND,
                Some("not_found"),
                "no such resource".into(),
            ),
            ApiError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                Some("method_not_allowed"),
                "this resource does not support that method".into(),
            ),
            ApiError::Internal(_) => internal(),
            ApiError::Timeout(limit) => (
                StatusCode::REQUEST_TIMEOUT,
                Some("temporarily_unavailable"),
                format!(
                    "the request was not completed within {}; nothing it asked for was changed",
                    humantime::format_duration(*limit)
                ),
            ),
            ApiError::Core(error) => core_parts(error),
        }
    }
}

fn internal() -> (StatusCode, Option<&'static str>, String) {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Some("server_error"),
        "the server could not complete the request".into(),
    )
}

/// The mapping of library errors, by kind.
fn core_parts(error: &Error) -> (StatusCode, Option<&'static str>, String) {
    match error.kind() {
        ErrorKind::Usage => (
            StatusCode::BAD_REQUEST,
            Some("invalid_request"),
            error.to_string(),
        ),
        ErrorKind::InvalidMetadata => {
            let (code, description) = match error {
                Error::InvalidMetadata(m) => (m.code, format!("{}: {}", m.field, m.rule)),
                other => (ErrorCode::InvalidClientMetadata, other.to_string()),
            };
            (StatusCode::BAD_REQUEST, Some(code.as_str()), description)
        }
        // RFC 7592 §2: an unknown client is the same answer as a wrong token, never 404.
        ErrorKind::NotFound | ErrorKind::CredentialRejected => (
            StatusCode::UNAUTHORIZED,
            Some(INVALID_TOKEN),
            "the access token is invalid, expired, used up or revoked".into(),
        ),
        ErrorKind::Conflict => (
            StatusCode::CONFLICT,
            Some("invalid_client_metadata"),
            error.to_string(),
        ),
        ErrorKind::PreconditionFailed => (
            StatusCode::PRECONDITION_FAILED,
            Some("precondition_failed"),
            error.to_string(),
        ),
        ErrorKind::Forbidden => (
            StatusCode::FORBIDDEN,
            Some("access_denied"),
            error.to_string(),
        ),
        // Nobody is asked anything over HTTP; a declined prompt here is a bug.
        ErrorKind::Declined | ErrorKind::Internal => internal(),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, description) = self.parts();
        if status.is_server_error() {
            // The detail is for the operator; the client gets the generic description.
            match &self {
                ApiError::Core(error) => {
                    tracing::error!(error = %format!("{error:#}"), "request failed")
                }
                ApiError::Internal(detail) => tracing::error!(error = %detail, "request failed"),
                _ => tracing::error!("request failed"),
            }
        }
        let challenge = match (&self, status) {
            (ApiError::MissingCredential, _) => Some("Bearer"),
            (ApiError::MissingAdmin | ApiError::AdminRejected, _) => Some(BASIC_CHALLENGE),
            (_, StatusCode::UNAUTHORIZED) => Some("Bearer error=\"invalid_token\""),
            _ => None,
        };
        let mut response = match code {
            Some(code) => (
                status,
                Json(json!({ "error": code, "error_description": description })),
            )
                .into_response(),
            None => status.into_response(),
        };
        if let Some(challenge) = challenge {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
        }
        let retry_after = match self {
            ApiError::TooManyRequests(seconds) | ApiError::TooManyAdminFailures(seconds) => {
                Some(seconds)
            }
            ApiError::TooManyVerifications => Some(1),
            _ => None,
        };
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registration::MetadataError;

    fn status(error: ApiError) -> (StatusCode, Option<String>) {
        let response = error.into_response();
        let challenge = response
            .headers()
            .get(header::WWW_AUTHENTICATE)
            .map(|v| v.to_str().unwrap().to_owned());
        (response.status(), challenge)
    }

    #[test]
    fn statuses_and_challenges() {
        assert_eq!(
            status(ApiError::MissingCredential),
            (StatusCode::UNAUTHORIZED, Some("Bearer".into()))
        );
        let invalid = Some("Bearer error=\"invalid_token\"".to_owned());
        assert_eq!(
            status(Error::CredentialRejected.into()),
            (StatusCode::UNAUTHORIZED, invalid.clone())
        );
        assert_eq!(
            status(Error::client_not_found("x").into()),
            (StatusCode::UNAUTHORIZED, invalid)
        );
        let redirect = MetadataError::redirect("redirect_uris[0]", "bad");
        assert_eq!(
            status(Error::InvalidMetadata(redirect).into()).0,
            StatusCode::BAD_REQUEST
        );
        let basic = Some("Basic realm=\"dcrctl\"".to_owned());
        assert_eq!(
            status(ApiError::AdminRejected),
            (StatusCode::UNAUTHORIZED, basic.clone())
        );
        assert_eq!(
            status(ApiError::MissingAdmin),
            (StatusCode::UNAUTHORIZED, basic)
        );
        let limited = ApiError::TooManyRequests(42).into_response();
        assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(limited.headers()[header::RETRY_AFTER], "42");
        let admin = ApiError::TooManyAdminFailures(7).into_response();
        assert_eq!(admin.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(admin.headers()[header::RETRY_AFTER], "7");
        assert!(admin.headers().get(header::WWW_AUTHENTICATE).is_none());
        let busy = ApiError::TooManyVerifications.into_response();
        assert_eq!(busy.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(busy.headers()[header::RETRY_AFTER], "1");
        assert_eq!(
            status(Error::Forbidden("full".into()).into()).0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            status(Error::PreconditionFailed.into()).0,
            StatusCode::PRECONDITION_FAILED
        );
        assert_eq!(
            status(ApiError::Internal("boom".into())).0,
            StatusCode::INTERNAL_SERVER_ERROR
        );
        let io = Error::Io(std::io::Error::other("disk /secret/path"));
        let (code, _, description) = ApiError::Core(io).parts();
        assert_eq!(code, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!description.contains("secret"));
    }
}
