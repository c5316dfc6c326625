//! The registration routes: `POST /register` (RFC 7591 §3) and `GET`/`DELETE
//! /register/{client_id}` (RFC 7592 §2).
//!
//! Handlers are thin: check the request's shape, run one operation on a blocking thread with
//! its own connection, and render §4. Every response with client information carries
//! `Cache-Control: no-store`, `Pragma: no-cache` and an `ETag` from the client's revision.

use super::auth::{Bearer, MaybeBearer};
use super::error::ApiError;
use super::{blocking, AppState};
use crate::ops;
use crate::registration::{parse_document, ClientInformation, MetadataDoc};
use axum::body::Bytes;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

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
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::PayloadTooLarge
                } else {
                    ApiError::UnreadableBody
                }
            })?;
        let doc = parse_document(&bytes).map_err(crate::Error::from)?;
        Ok(MetadataBody(doc))
    }
}

/// Whether the `Content-Type` is `application/json`, with any parameters.
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

/// `POST /register`.
#[tracing::instrument(skip_all)]
pub(super) async fn register(
    State(state): State<AppState>,
    MaybeBearer(token): MaybeBearer,
    MetadataBody(metadata): MetadataBody,
) -> Result<Response, ApiError> {
    if token.is_none() && !state.open_registration {
        return Err(ApiError::MissingCredential);
    }
    let policy = state.policy.clone();
    let done = blocking(&state, move |store| {
        let token = token.as_ref().map(|t| t.expose());
        ops::register_dynamic(store, &policy, metadata, token)
    })
    .await?;
    let mut information = done.information;
    tracing::info!(
        client_id = %information.client_id,
        actor = done.actor.as_str(),
        "client registered"
    );
    let uri = state.registration_client_uri(&information.client_id);
    information.registration_client_uri = Some(uri.clone());
    let mut response = client_response(StatusCode::CREATED, &information, done.revision);
    if let Ok(location) = HeaderValue::from_str(&uri) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// `GET /register/{client_id}`.
#[tracing::instrument(skip_all)]
pub(super) async fn read(
    State(state): State<AppState>,
    Bearer(token): Bearer,
    client_id: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<Response, ApiError> {
    // A path that does not even decode names no client: the same answer as an unknown one.
    let Path(client_id) = client_id.map_err(|_| crate::Error::CredentialRejected)?;
    let (client, token) = blocking(&state, move |store| {
        let client = ops::check_registration_token(store, &client_id, &token)?;
        Ok((client, token))
    })
    .await?;
    let mut information = client.information();
    // SPEC §4: a response to a request made with the registration access token carries it.
    information.registration_access_token = Some(token.expose().to_owned());
    information.registration_client_uri = Some(state.registration_client_uri(&client.client_id));
    Ok(client_response(
        StatusCode::OK,
        &information,
        client.revision,
    ))
}

/// `DELETE /register/{client_id}`.
#[tracing::instrument(skip_all)]
pub(super) async fn delete(
    State(state): State<AppState>,
    Bearer(token): Bearer,
    client_id: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<Response, ApiError> {
    let Path(client_id) = client_id.map_err(|_| crate::Error::CredentialRejected)?;
    let deleted = client_id.clone();
    blocking(&state, move |store| {
        ops::delete_with_token(store, &client_id, &token)
    })
    .await?;
    tracing::info!(client_id = %deleted, "client deleted");
    Ok((StatusCode::NO_CONTENT, no_store()).into_response())
}

fn no_store() -> [(header::HeaderName, HeaderValue); 2] {
    [
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (header::PRAGMA, HeaderValue::from_static("no-cache")),
    ]
}

/// §4 JSON with the headers every client information response has.
fn client_response(status: StatusCode, information: &ClientInformation, revision: i64) -> Response {
    let etag = HeaderValue::from_str(&format!("\"r{revision}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("\"r0\""));
    let mut response = (status, no_store(), Json(information)).into_response();
    response.headers_mut().insert(header::ETAG, etag);
    response
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
