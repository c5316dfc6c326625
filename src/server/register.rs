//! The registration routes: `POST /register` (RFC 7591 §3), the admin lookup
//! `GET /register?client_name=`, and RFC 7592 management of `/register/{client_id}` (read,
//! replace, delete, rotate the secret or the registration access token).
//!
//! Handlers are thin: check the request's shape, hand one operation to the writer thread
//! (changes, committed in groups) or a reader thread (reads), and render §4. Every response with client information carries
//! `Cache-Control: no-store`, `Pragma: no-cache` and an `ETag` from the client's revision.

use super::auth::{Auth, ClientIp};
use super::error::ApiError;
use super::AppState;
use crate::ops::dynamic::{self, Credential, Outcome};
use crate::ops::{self, Tx};
use crate::registration::{parse_document, ClientInformation, MetadataDoc};
use axum::body::Bytes;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::time::Instant;

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
        tokio::task::spawn_blocking(move || {
            // The name is checked in the write transaction; preparing needs only the role.
            let admin = Credential::Admin(String::new());
            dynamic::prepare_registration(metadata, &policy, &limits, Some(&admin))
        })
        .await
        .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))?
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

/// An entity tag for a list of clients: changes whenever the set of clients or any of their
/// revisions does (FNV-1a over ids and revisions; a cache validator, not a security check).
fn list_etag(clients: &[crate::model::Client]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for client in clients {
        for byte in client
            .client_id
            .bytes()
            .chain(client.revision.to_le_bytes())
            .chain([0])
        {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("\"l{hash:016x}\"")
}

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

/// The revisions an `If-Match` header accepts (RFC 9110 §13.1.1): `None` without the header
/// or for `*` (the client exists, or the request is refused for that anyway). Otherwise the
/// condition holds when any listed entity tag matches the client's, by strong comparison:
/// only a strong tag of ours (`"r<revision>"`, exactly as an `ETag` spells it) names a
/// revision; weak tags (`W/"r3"`) and foreign ones name none. Several `If-Match` field lines
/// make one list (RFC 9110 §5.3). A value that is not a valid `If-Match` list (`*` beside
/// tags, an unquoted tag) can be proved true of nothing: it matches no revision, so the
/// change is refused, never made unconditionally. The `412` comes only after the credential
/// was accepted (RFC 9110 §13.2.1: a request that would be refused anyway gets that refusal,
/// not a precondition failure).
fn if_match(headers: &HeaderMap) -> Option<Vec<i64>> {
    let mut lines = headers.get_all(header::IF_MATCH).iter();
    let first = lines.next()?;
    let mut list = first.as_bytes().to_vec();
    for line in lines {
        list.extend_from_slice(b", ");
        list.extend_from_slice(line.as_bytes());
    }
    if list.trim_ascii() == b"*" {
        return None;
    }
    let Some(tags) = entity_tags(&list) else {
        return Some(Vec::new());
    };
    let revisions = tags
        .into_iter()
        .filter_map(|(weak, opaque)| if weak { None } else { revision_of_tag(opaque) })
        .collect();
    Some(revisions)
}

/// A list of entity tags (RFC 9110 §8.8.3, §5.6.1): `(weak, opaque-tag without its quotes)`
/// per element; empty elements are allowed and skipped. `None` when the list is invalid.
fn entity_tags(list: &[u8]) -> Option<Vec<(bool, &[u8])>> {
    let is_ows = |b: &u8| matches!(b, b' ' | b'\t');
    let is_etagc = |b: &u8| matches!(b, 0x21 | 0x23..=0x7E | 0x80..=0xFF);
    let mut tags = Vec::new();
    let mut rest = list;
    loop {
        while let Some((first, tail)) = rest.split_first() {
            if is_ows(first) || *first == b',' {
                rest = tail;
            } else {
                break;
            }
        }
        if rest.is_empty() {
            return Some(tags);
        }
        let (weak, tag) = match rest.strip_prefix(b"W/") {
            Some(tag) => (true, tag),
            None => (false, rest),
        };
        let tag = tag.strip_prefix(b"\"")?;
        let end = tag.iter().position(|b| !is_etagc(b))?;
        if tag[end] != b'"' {
            return None;
        }
        tags.push((weak, &tag[..end]));
        rest = &tag[end + 1..];
        while let Some((first, tail)) = rest.split_first() {
            if is_ows(first) {
                rest = tail;
            } else {
                break;
            }
        }
        match rest.split_first() {
            None => return Some(tags),
            Some((b',', tail)) => rest = tail,
            Some(_) => return None,
        }
    }
}

/// The revision an opaque tag of ours names: `r` and the revision in canonical decimal, as
/// [`client_response`] writes it (strong comparison is byte for byte, so `r06` is not `r6`).
fn revision_of_tag(opaque: &[u8]) -> Option<i64> {
    let digits = std::str::from_utf8(opaque.strip_prefix(b"r")?).ok()?;
    let revision = digits.parse::<i64>().ok()?;
    (revision > 0 && revision.to_string() == digits).then_some(revision)
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
    let lane = guard.lane(address, Instant::now());
    let turn = guard.verifications.turn(lane).await.map_err(|_| {
        guard.suspect(address, Instant::now());
        ApiError::TooManyVerifications
    })?;
    let verdict = tokio::task::spawn_blocking(move || {
        let _turn = turn;
        check.verify()
    })
    .await
    .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))?;
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
    use super::{if_match, is_json};
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

    #[test]
    fn if_match_values() {
        let bytes = |value: &[u8]| {
            let mut headers = HeaderMap::new();
            headers.append(header::IF_MATCH, HeaderValue::from_bytes(value).unwrap());
            if_match(&headers)
        };
        let check = |values: &[&str]| {
            let mut headers = HeaderMap::new();
            for value in values {
                headers.append(header::IF_MATCH, HeaderValue::from_str(value).unwrap());
            }
            if_match(&headers)
        };
        assert_eq!(check(&[]), None);
        assert_eq!(check(&["*"]), None);
        assert_eq!(check(&[" * "]), None);
        assert_eq!(check(&["\"r12\""]), Some(vec![12]));
        assert_eq!(check(&[" \"r3\" "]), Some(vec![3]));
        // RFC 9110 §13.1.1: any listed tag may match; weak and foreign tags name nothing.
        assert_eq!(check(&["\"r6\", \"r999\""]), Some(vec![6, 999]));
        assert_eq!(check(&["\"r6\",\"r7\""]), Some(vec![6, 7]));
        assert_eq!(check(&["W/\"r6\", \"r7\""]), Some(vec![7]));
        assert_eq!(check(&["\"x,y\", \t\"r2\" ,, "]), Some(vec![2]));
        assert_eq!(check(&[",\"r2\""]), Some(vec![2]));
        assert_eq!(bytes(b"\"\xff\", \"r2\""), Some(vec![2]));
        // Several field lines are one list.
        assert_eq!(check(&["\"r1\"", "\"r5\""]), Some(vec![1, 5]));
        // Weak tags, strangers and invalid lists can match nothing: 412, once the
        // credential passed.
        for stale in [
            "W/\"r3\"",
            "w/\"r3\"",
            "r3",
            "\"x\"",
            "",
            "\"r03\"",
            "\"r+3\"",
            "\"r0\"",
            "\"r-1\"",
            "\"r99999999999999999999\"",
            "*, \"r3\"",
            "\"r3\" \"r4\"",
            "\"r3",
            "\"r 3\"",
        ] {
            assert_eq!(check(&[stale]), Some(vec![]), "{stale}");
        }
        assert_eq!(check(&["*", "\"r3\""]), Some(vec![]));
        assert_eq!(check(&["\"r3\"", "r4"]), Some(vec![]));
    }
}
