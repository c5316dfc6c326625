//! `POST /register` (RFC 7591 §3) and the admin lookup `GET /register?client_name=`
//! (WSO2-style).
//!
//! Handlers are thin: check the request's shape, hand one operation to the writer thread
//! (changes, committed in groups) or a reader thread (reads), and render §4.

use super::auth::{Auth, ClientIp};
use super::body::MetadataBody;
use super::conditional::{client_response, list_etag, no_store};
use super::error::ApiError;
use super::{off_thread, AppState};
use crate::ops;
use crate::ops::dynamic::{self, Credential};
use crate::registration::ClientInformation;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::time::Instant;

/// `POST /register`.
#[tracing::instrument(skip_all)]
pub(super) async fn register(
    State(state): State<AppState>,
    ClientIp(address): ClientIp,
    Auth(credential): Auth,
    body: Result<MetadataBody, ApiError>,
) -> Result<Response, ApiError> {
    // The credential is judged before the body: a caller without one learns nothing else.
    // An anonymous caller whose limit is spent is refused here; one that is not is counted
    // only once its request proves a valid registration, so malformed requests (415, 400,
    // 413) neither spend its limit nor take a place in the limiter's bounded map.
    let anonymous = credential.is_none();
    if anonymous {
        if !state.open_registration {
            return Err(ApiError::MissingCredential);
        }
        state
            .rate_limiter
            .spent(address, Instant::now())
            .map_err(ApiError::TooManyRequests)?;
    }
    let MetadataBody(metadata) = body?;
    let prepared = if let Some(Credential::Admin(_)) = &credential {
        // An admin may choose a secret, which is hashed with Argon2: off the async threads.
        let (policy, limits) = (state.policy.clone(), state.limits.clone());
        off_thread(move || {
            // The name is checked in the write transaction; preparing needs only the role.
            let admin = Credential::Admin(String::new());
            dynamic::prepare_registration(metadata, &policy, &limits, Some(&admin))
        })
        .await?
    } else {
        dynamic::prepare_registration(metadata, &state.policy, &state.limits, credential.as_ref())
    };
    let prepared = if anonymous {
        // Refused at once when invalid (nothing to check first, no slot spent); counted
        // only when valid, checked and counted at once so concurrent requests cannot all
        // slip under the limit.
        let prepared = prepared.checked()?;
        state
            .rate_limiter
            .check(address, Instant::now())
            .map_err(ApiError::TooManyRequests)?;
        prepared
    } else {
        prepared
    };
    let limits = state.limits.clone();
    let done = state
        .writer
        .write(move |tx| dynamic::register(tx, &limits, prepared, credential.as_ref()))
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

/// `GET /register?client_name=NAME`: an admin's lookup by exact name (WSO2-style).
#[tracing::instrument(skip_all)]
pub(super) async fn lookup(
    State(state): State<AppState>,
    Auth(credential): Auth,
    uri: Uri,
) -> Result<Response, ApiError> {
    let Some(Credential::Admin(_)) = credential else {
        return Err(ApiError::MissingAdmin);
    };
    let name = url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .find(|(key, _)| key == "client_name")
        .map(|(_, value)| value.into_owned())
        .ok_or(ApiError::BadQuery("the query must name a client_name"))?;
    let clients = state
        .readers
        .read(move |store| ops::find_by_name(store, &name))
        .await?;
    let found: Vec<ClientInformation> = clients
        .iter()
        .map(|client| {
            let mut information = client.information();
            information.registration_client_uri =
                Some(state.registration_client_uri(&client.client_id));
            information
        })
        .collect();
    let mut response = (StatusCode::OK, no_store(), Json(found)).into_response();
    if let Ok(tag) = HeaderValue::from_str(&list_etag(&clients)) {
        response.headers_mut().insert(header::ETAG, tag);
    }
    Ok(response)
}
