//! Creating clients, and the create-or-modify of `register --upsert`.

use super::update::change_metadata_issuing;
use super::{delivered, record, Actor, Deliver, Store};
use crate::credentials::{self, Secret};
use crate::model::Action;
use crate::model::{response_secret_expiry, RegisteredVia};
use crate::registration::{
    merge_changes, validate, ClientInformation, MetadataDoc, MetadataError, Policy, ValidMetadata,
};
use crate::store::NewClient;
use crate::{time, Result};
use serde_json::json;

/// A registration request, from either face.
#[derive(Debug, Clone)]
pub struct Register {
    /// The metadata document as received.
    pub metadata: MetadataDoc,
    /// An admin-chosen id; generated when `None`.
    pub client_id: Option<String>,
    /// An admin-chosen secret (hashed with Argon2id); generated when `None`.
    pub client_secret: Option<Secret>,
    /// Lifetime of the secret; never expires when `None`.
    pub secret_expires_in: Option<crate::time::Lifetime>,
    /// Which face registered it.
    pub via: RegisteredVia,
}

/// What `--upsert` did.
#[derive(Debug, Clone)]
pub enum Upserted {
    /// A new client; its credentials are in the response.
    Created(ClientInformation),
    /// An existing client was modified. It carries no credential, except a secret the change
    /// had to issue because the client's new authentication method needs one.
    Updated(ClientInformation),
}

/// The response of a successful registration, credentials included.
pub type Registered = ClientInformation;

/// Credentials prepared before the write lock is taken, since Argon2 takes tens of ms.
pub(super) struct Minted {
    /// The secret's plaintext (`None` when the admin chose it) and its stored hash.
    secret: Option<(Option<Secret>, String)>,
    token: Secret,
    token_hash: String,
}

impl Minted {
    /// Generated credentials: a registration access token, and a secret when the client's
    /// authentication method uses one.
    pub(super) fn generate(uses_secret: bool) -> Minted {
        let secret = uses_secret.then(|| {
            let secret = credentials::new_client_secret();
            let hash = credentials::hash_generated(&secret);
            (Some(secret), hash)
        });
        let token = credentials::new_registration_token();
        let token_hash = credentials::hash_generated(&token);
        Minted {
            secret,
            token,
            token_hash,
        }
    }
}

/// Credentials for `request`: its chosen secret hashed with Argon2id, or generated ones.
pub(super) fn mint(request: &Register, uses_secret: bool) -> Result<Minted> {
    let Some(chosen) = &request.client_secret else {
        return Ok(Minted::generate(uses_secret));
    };
    if !uses_secret {
        return Err(MetadataError::metadata(
            "client_secret",
            "this client's token_endpoint_auth_method does not use a secret",
        )
        .into());
    }
    if chosen.expose().is_empty() {
        return Err(MetadataError::metadata("client_secret", "must not be empty").into());
    }
    let hash = credentials::hash_password(chosen)
        .map_err(|e| MetadataError::metadata("client_secret", e.to_string()))?;
    Ok(Minted {
        secret: Some((None, hash)),
        ..Minted::generate(false)
    })
}

/// Check an admin-chosen client id: 1–128 characters of `[A-Za-z0-9._~-]`.
///
/// # Errors
/// `invalid_client_metadata` naming `client_id`.
pub fn check_client_id(client_id: &str) -> Result<(), MetadataError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '~' | '-');
    // "." and ".." would be dot-segments in /register/{client_id} (RFC 3986 §5.2.4).
    let dot_segment = client_id == "." || client_id == "..";
    if client_id.is_empty()
        || client_id.len() > 128
        || !client_id.chars().all(allowed)
        || dot_segment
    {
        return Err(MetadataError::metadata(
            "client_id",
            "must be 1-128 characters of A-Z a-z 0-9 . _ ~ - (and not . or ..)",
        ));
    }
    Ok(())
}

/// Check a registration as [`register`] will, without a store: for a caller that must not
/// open (and maybe create) a registry for a request that can only be refused.
///
/// # Errors
/// Invalid metadata or client id, or a secret lifetime for a client without a secret.
pub fn check_registration(request: &Register, policy: &Policy) -> Result<()> {
    if let Some(id) = &request.client_id {
        check_client_id(id)?;
    }
    check_secret_lifetime(request, &validate(&request.metadata, policy)?)
}

/// Register a new client.
///
/// # Errors
/// Invalid metadata or client id; [`crate::Error::Conflict`] when the chosen id exists.
pub fn register(
    store: &mut Store,
    actor: &Actor,
    policy: &Policy,
    request: Register,
    deliver: Deliver<'_, Registered>,
) -> Result<Registered> {
    if let Some(id) = &request.client_id {
        check_client_id(id)?;
    }
    let valid = validate(&request.metadata, policy)?;
    check_secret_lifetime(&request, &valid)?;
    let minted = mint(&request, valid.auth_method().uses_secret())?;
    let client_id = request
        .client_id
        .clone()
        .unwrap_or_else(credentials::new_client_id);
    store.write(|tx| {
        delivered(
            create(tx, actor, &client_id, &valid, &request, minted)?,
            deliver,
        )
    })
}

/// A secret lifetime is refused for a client that will have no secret, rather than ignored.
fn check_secret_lifetime(request: &Register, valid: &ValidMetadata) -> Result<()> {
    if request.secret_expires_in.is_some() && !valid.auth_method().uses_secret() {
        return Err(crate::Error::usage(format!(
            "--secret-expires-in/--secret-expires-at: token_endpoint_auth_method {} uses no client secret",
            valid.auth_method().as_str()
        )));
    }
    Ok(())
}

/// Insert a new client with its credentials and audit row: the one way clients are created,
/// for `register`, `--upsert` and `apply`. Only `request.via` and `request.secret_expires_in`
/// are read from `request`; the id and metadata were checked by the caller.
pub(super) fn create(
    tx: &crate::store::Tx<'_>,
    actor: &Actor,
    client_id: &str,
    valid: &ValidMetadata,
    request: &Register,
    minted: Minted,
) -> Result<Registered> {
    let now = time::now();
    let metadata = valid.doc();
    let auth_method = valid.auth_method();
    let secret_expires_at = minted.secret.as_ref().map(|_| {
        request
            .secret_expires_in
            .map_or(0, |lifetime| lifetime.expires_at(now))
    });
    tx.insert_client(&NewClient {
        client_id,
        metadata,
        auth_method,
        issued_at: now,
        secret_expires_at,
        registration_token_hash: &minted.token_hash,
        registered_via: request.via,
    })?;
    let mut client_secret = None;
    if let (Some((plaintext, hash)), Some(expires_at)) = (minted.secret, secret_expires_at) {
        tx.insert_secret(client_id, &hash, expires_at, now)?;
        client_secret = plaintext.map(|s| s.expose().to_owned());
    }
    let fields: Vec<&String> = metadata.keys().collect();
    record(
        tx,
        actor,
        Action::Register,
        Some(client_id),
        now,
        json!({ "via": request.via.as_str(), "fields": fields }),
    )?;
    Ok(ClientInformation {
        client_id: client_id.to_owned(),
        client_secret,
        client_id_issued_at: now,
        client_secret_expires_at: response_secret_expiry(secret_expires_at, auth_method),
        registration_access_token: Some(minted.token.expose().to_owned()),
        registration_client_uri: None,
        metadata: metadata.clone(),
    })
}

/// Create the client `request.client_id`, or when it exists, set the given metadata fields on
/// it (and its secret, when one is supplied). Credentials are issued only on create, except a
/// secret for an existing client whose new authentication method needs one (as `update` does).
///
/// # Errors
/// A usage error without a client id, or for `secret_expires_in` on an existing client when
/// no secret is set or issued; a chosen secret for a client whose (merged) authentication
/// method uses none is `invalid_client_metadata`; otherwise as [`register`] and
/// [`super::update`].
pub fn upsert(
    store: &mut Store,
    actor: &Actor,
    policy: &Policy,
    request: Register,
    deliver: Deliver<'_, Upserted>,
) -> Result<Upserted> {
    let Some(client_id) = request.client_id.clone() else {
        return Err(crate::Error::usage("--upsert needs --client-id"));
    };
    check_client_id(&client_id)?;
    // Mint for the create path up front; the secret-using decision is the document's, or
    // confidential when the document is silent, and re-checked inside the transaction.
    let create_valid = validate(&request.metadata, policy);
    let uses_secret = create_valid
        .as_ref()
        .map_or(true, |v| v.auth_method().uses_secret());
    let minted = mint(&request, uses_secret)?;
    store.write(|tx| {
        let upserted = upsert_in(
            tx,
            actor,
            policy,
            &request,
            &client_id,
            create_valid,
            minted,
        )?;
        delivered(upserted, deliver)
    })
}

/// [`upsert`] inside its transaction.
fn upsert_in(
    tx: &crate::store::Tx<'_>,
    actor: &Actor,
    policy: &Policy,
    request: &Register,
    client_id: &str,
    create_valid: Result<ValidMetadata, MetadataError>,
    minted: Minted,
) -> Result<Upserted> {
    let chosen_hash = match &minted.secret {
        Some((None, hash)) => Some(hash.clone()),
        _ => None,
    };
    // Whether the id is free decides between insert and update: no other writer may decide
    // the same meanwhile.
    tx.lock_registry()?;
    match tx.client(client_id)? {
        None => {
            let valid = create_valid?;
            check_secret_lifetime(request, &valid)?;
            create(tx, actor, client_id, &valid, request, minted).map(Upserted::Created)
        }
        Some(existing) => {
            let merged = merge_changes(&existing.metadata, request.metadata.clone());
            // The client's own method decides, not the request's default: an upsert that names
            // no method must not give a public client a secret.
            let uses_secret = validate(&merged, policy)?.auth_method().uses_secret();
            if chosen_hash.is_some() && !uses_secret {
                return Err(MetadataError::metadata(
                    "client_secret",
                    "this client's token_endpoint_auth_method does not use a secret",
                )
                .into());
            }
            // A secret the change issues (the client starts needing one) gets the requested
            // lifetime and is returned, so it is printed once like any new secret.
            let mut info = change_metadata_issuing(
                tx,
                actor,
                policy,
                &existing,
                &merged,
                request.secret_expires_in,
            )?;
            if let Some(hash) = chosen_hash {
                let now = time::now();
                let expires_at = request.secret_expires_in.map_or(0, |l| l.expires_at(now));
                tx.replace_secret(client_id, &hash, expires_at, None, now)?;
                record(
                    tx,
                    actor,
                    Action::RotateSecret,
                    Some(client_id),
                    now,
                    json!({ "chosen": true }),
                )?;
                info.client_secret_expires_at = Some(expires_at);
                // The admin's own secret replaced any secret the change just issued.
                info.client_secret = None;
            } else if request.secret_expires_in.is_some() && info.client_secret.is_none() {
                // Rolls back the metadata change: nothing is written.
                return Err(crate::Error::usage(
                    "--secret-expires-in applies to a new secret; use rotate-secret --secret-expires-in",
                ));
            }
            Ok(Upserted::Updated(info))
        }
    }
}
