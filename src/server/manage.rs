//! RFC 7592 management of `/register/{client_id}`: read, replace, delete, rotate the secret
//! or the registration access token, with the client's registration access token or as an
//! administrator.
//!
//! Checks run in this order: that there is a credential, the client path, the credential
//! itself, then `If-Match`; a caller without a credential learns nothing else. Every answer
//! carries the headers of [`super::conditional`].

use super::auth::{Auth, ClientIp};
use super::body::{MetadataBody, RotationBody};
use super::conditional::{client_response, if_match, no_store};
use super::error::ApiError;
use super::{off_thread, AppState};
use crate::ops::dynamic::{self, Credential, Outcome};
use crate::ops::Tx;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use std::time::Instant;

/// The client named in the path; a path that does not even decode names no client, the
/// same answer as an unknown one.
type ClientPath = Result<Path<String>, axum::extract::rejection::PathRejection>;

fn client_id_of(path: ClientPath) -> Result<String, ApiError> {
    path.map(|Path(id)| id)
        .map_err(|_| crate::Error::CredentialRejected.into())
}

/// The required credential of a management route.
fn required(credential: Option<Credential>) -> Result<Credential, ApiError> {
    credential.ok_or(ApiError::MissingCredential)
}

/// §4 for a management response: the `registration_client_uri`, and the registration access
/// token when the request was made with it (SPEC §4) unless a new one was just issued.
fn managed_response(state: &AppState, credential: &Credential, done: Outcome) -> Response {
    let mut information = done.information;
    if information.registration_access_token.is_none() {
        if let Credential::Bearer(token) = credential {
            information.registration_access_token = Some(token.expose().to_owned());
        }
    }
    information.registration_client_uri =
        Some(state.registration_client_uri(&information.client_id));
    client_response(StatusCode::OK, &information, done.revision)
}

/// One change to the client named in the path, with the request's credential (and
/// `If-Match`, when `headers` are given), made by the writer in its next group commit; the
/// answer is §4 with the registration access token echoed when the request was made with it.
/// Checks run in this order: that there is a credential, the client path, the credential
/// itself, `If-Match`.
async fn manage<F>(
    state: &AppState,
    credential: Option<Credential>,
    client_id: ClientPath,
    headers: Option<&HeaderMap>,
    event: Option<&'static str>,
    operation: F,
) -> Result<Response, ApiError>
where
    F: FnOnce(&Tx<'_>, &str, &Credential, Option<&[i64]>) -> crate::Result<Outcome>
        + Send
        + 'static,
{
    // A caller without a credential learns nothing else, not even that the path is bad.
    let credential = required(credential)?;
    let client_id = client_id_of(client_id)?;
    let expected = match headers {
        Some(headers) => if_match(headers),
        None => None,
    };
    let (done, credential) = state
        .writer
        .write(move |tx| {
            let done = operation(tx, &client_id, &credential, expected.as_deref())?;
            Ok((done, credential))
        })
        .await?;
    if let Some(event) = event {
        tracing::info!(
            client_id = %done.information.client_id,
            actor = done.actor.as_str(),
            "{event}"
        );
    }
    Ok(managed_response(state, &credential, done))
}

/// `GET /register/{client_id}`.
#[tracing::instrument(skip_all)]
pub(super) async fn read(
    State(state): State<AppState>,
    Auth(credential): Auth,
    client_id: ClientPath,
) -> Result<Response, ApiError> {
    // A caller without a credential learns nothing else, not even that the path is bad.
    let credential = required(credential)?;
    let client_id = client_id_of(client_id)?;
    let (done, use_to_record, credential) = state
        .readers
        .read(move |store| {
            let (done, use_to_record) =
                store.read(|tx| dynamic::read(tx, &client_id, &credential))?;
            Ok((done, use_to_record, credential))
        })
        .await?;
    if let Some(use_to_record) = use_to_record {
        state
            .writer
            .write(move |tx| use_to_record.record(tx))
            .await?;
    }
    Ok(managed_response(&state, &credential, done))
}

/// `PUT /register/{client_id}`: full replacement (RFC 7592 §2.2).
#[tracing::instrument(skip_all)]
pub(super) async fn replace(
    State(state): State<AppState>,
    ClientIp(address): ClientIp,
    Auth(credential): Auth,
    client_id: ClientPath,
    headers: HeaderMap,
    body: Result<MetadataBody, ApiError>,
) -> Result<Response, ApiError> {
    // As on `POST /register`: a caller without a credential learns nothing of its body.
    if credential.is_none() {
        return Err(ApiError::MissingCredential);
    }
    let MetadataBody(document) = body?;
    let policy = state.policy.clone();
    let limits = state.limits.clone();
    // The document is checked before the credential only in effect: its verdict is
    // reported once the credential has been accepted.
    let path_id = client_id.as_ref().map_or("", |Path(id)| id.as_str());
    let mut prepared = dynamic::prepare_replacement(&document, path_id, &policy);
    if let Some(credential) = &credential {
        let client = (credential.clone(), path_id.to_owned());
        prepared = check_secret_first(&state, address, client, prepared).await?;
    }
    manage(
        &state,
        credential,
        client_id,
        Some(&headers),
        Some("client replaced"),
        move |tx, id, credential, expected| {
            dynamic::replace(tx, &policy, &limits, id, credential, prepared, expected)
        },
    )
    .await
}

/// Check a `client_secret` repeated in a `PUT` against the client's current secret when
/// that is an Argon2id hash (an admin chose it): here, on a blocking thread, taking turns
/// with admin password checks ([`super::verifications`]), so that the writer never runs
/// Argon2 inside the write transaction all changes share; it only makes sure the secret did
/// not change since. Skipped when the credential does not open the client: the writer then
/// gives the answer, and nobody without a credential for the client can make the server
/// hash. A wrong secret sends `address`'s next checks to the back of the queue.
async fn check_secret_first(
    state: &AppState,
    address: Option<std::net::IpAddr>,
    (credential, client_id): (Credential, String),
    prepared: dynamic::PreparedReplacement,
) -> Result<dynamic::PreparedReplacement, ApiError> {
    let presented = prepared.presented_secrets().to_vec();
    if presented.is_empty() {
        return Ok(prepared);
    }
    let check = state
        .readers
        .read(move |store| {
            let check =
                store.read(|tx| dynamic::secret_check(tx, &client_id, &credential, &presented));
            Ok(check.ok().flatten())
        })
        .await?;
    let Some(check) = check else {
        return Ok(prepared);
    };
    let guard = state.admin_guard.clone();
    let turn = guard
        .turn(address)
        .await
        .map_err(|_| ApiError::TooManyVerifications)?;
    let verdict = off_thread(move || {
        let _turn = turn;
        check.verify()
    })
    .await?;
    if !verdict.matches() {
        guard.suspect(address, Instant::now());
    }
    Ok(prepared.with_verdict(verdict))
}

/// `POST /register/{client_id}/secret`: a new client secret; the old one stops working.
#[tracing::instrument(skip_all)]
pub(super) async fn rotate_secret(
    State(state): State<AppState>,
    Auth(credential): Auth,
    client_id: ClientPath,
    body: Result<RotationBody, ApiError>,
) -> Result<Response, ApiError> {
    // As on `PUT`: a caller without a credential learns nothing of its body.
    let credential = Some(required(credential)?);
    body?;
    let limits = state.limits.clone();
    manage(
        &state,
        credential,
        client_id,
        None,
        Some("secret rotated"),
        move |tx, id, credential, _| dynamic::rotate_secret(tx, &limits, id, credential),
    )
    .await
}

/// `DELETE` or `POST /register/{client_id}/registration-token`: a new registration access
/// token; the old one is dead at once.
#[tracing::instrument(skip_all)]
pub(super) async fn rotate_token(
    State(state): State<AppState>,
    Auth(credential): Auth,
    client_id: ClientPath,
    body: Result<RotationBody, ApiError>,
) -> Result<Response, ApiError> {
    let credential = Some(required(credential)?);
    body?;
    manage(
        &state,
        credential,
        client_id,
        None,
        Some("registration token rotated"),
        |tx, id, credential, _| dynamic::rotate_token(tx, id, credential),
    )
    .await
}

/// `DELETE /register/{client_id}`.
#[tracing::instrument(skip_all)]
pub(super) async fn delete(
    State(state): State<AppState>,
    Auth(credential): Auth,
    client_id: ClientPath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    // A caller without a credential learns nothing else, not even that the path is bad.
    let credential = required(credential)?;
    let client_id = client_id_of(client_id)?;
    let expected = if_match(&headers);
    let deleted = client_id.clone();
    state
        .writer
        .write(move |tx| dynamic::delete(tx, &client_id, &credential, expected.as_deref()))
        .await?;
    tracing::info!(client_id = %deleted, "client deleted");
    Ok((StatusCode::NO_CONTENT, no_store()).into_response())
}
