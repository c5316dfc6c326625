//! Changing a client's metadata: patches from the command line, and RFC 7592 full
//! replacement (HTTP `PUT`, `update --replace`).

use super::{delivered, record, Actor, Deliver, Store};
use crate::credentials;
use crate::model::Action;
use crate::model::{response_secret_expiry, Client};
use crate::registration::{
    merge_changes, take_identifier, validate, ClientInformation, MetadataDoc, MetadataError, Policy,
};
use crate::store::Tx;
use crate::{time, Error, Result};
use serde_json::{json, Value};

/// A partial change: fields to set, fields to remove, redirect URIs to add or remove.
#[derive(Debug, Clone, Default)]
pub struct Patch {
    /// Members to set, replacing their current values.
    pub set: MetadataDoc,
    /// Members to remove (defaults apply again where the field has one).
    pub unset: Vec<String>,
    /// Redirect URIs to append when not yet present.
    pub add_redirect_uris: Vec<String>,
    /// Redirect URIs to remove; each must be present.
    pub remove_redirect_uris: Vec<String>,
}

/// The client `client_id`, checked against the revisions the caller accepts (an `If-Match`
/// list: any one of them will do).
pub(super) fn load(tx: &Tx<'_>, client_id: &str, if_revision: Option<&[i64]>) -> Result<Client> {
    let client = tx
        .client(client_id)?
        .ok_or_else(|| Error::client_not_found(client_id))?;
    check_revision(client, if_revision)
}

/// [`load`] for a change: the client is locked until the transaction ends, so what was
/// checked (its revision, its secret) is what the change applies to, on every backend.
pub(super) fn load_for_update(
    tx: &Tx<'_>,
    client_id: &str,
    if_revision: Option<&[i64]>,
) -> Result<Client> {
    let client = tx
        .client_for_update(client_id)?
        .ok_or_else(|| Error::client_not_found(client_id))?;
    check_revision(client, if_revision)
}

/// `client`, unless `if_revision` names revisions and none is its own.
pub(super) fn check_revision(client: Client, if_revision: Option<&[i64]>) -> Result<Client> {
    match if_revision {
        Some(accepted) if !accepted.contains(&client.revision) => Err(Error::PreconditionFailed),
        _ => Ok(client),
    }
}

/// Apply `patch` to a client. A patch that changes nothing writes nothing.
///
/// # Errors
/// [`Error::NotFound`], invalid metadata, a usage error for removing what is not there, or
/// [`Error::PreconditionFailed`] when `if_revision` is stale.
pub fn update(
    store: &mut Store,
    actor: &Actor,
    policy: &Policy,
    client_id: &str,
    patch: &Patch,
    if_revision: Option<&[i64]>,
    deliver: Deliver<'_, ClientInformation>,
) -> Result<ClientInformation> {
    store.write(|tx| {
        let client = load_for_update(tx, client_id, if_revision)?;
        let doc = patched(&client.metadata, patch)?;
        delivered(change_metadata(tx, actor, policy, &client, &doc)?, deliver)
    })
}

fn patched(current: &MetadataDoc, patch: &Patch) -> Result<MetadataDoc> {
    let mut doc = current.clone();
    for field in &patch.unset {
        if doc.shift_remove(field).is_none() {
            return Err(Error::usage(format!(
                "--unset {field}: the client has no such field"
            )));
        }
    }
    let mut doc = merge_changes(&doc, patch.set.clone());
    if patch.add_redirect_uris.is_empty() && patch.remove_redirect_uris.is_empty() {
        return Ok(doc);
    }
    let mut uris: Vec<Value> = doc
        .get("redirect_uris")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for uri in &patch.add_redirect_uris {
        if !uris.iter().any(|u| u.as_str() == Some(uri)) {
            uris.push(Value::String(uri.clone()));
        }
    }
    for uri in &patch.remove_redirect_uris {
        let before = uris.len();
        uris.retain(|u| u.as_str() != Some(uri));
        if uris.len() == before {
            return Err(Error::usage(format!(
                "--remove-redirect-uri {uri}: not one of the client's redirect URIs"
            )));
        }
    }
    doc.insert("redirect_uris".into(), Value::Array(uris));
    Ok(doc)
}

/// Replace a client's whole document (RFC 7592 §2.2). The document may repeat the client's
/// `client_id` and its current `client_secret` (also spelt `ext_param_client_id`,
/// `ext_param_client_secret`); other registry-managed members are refused.
///
/// # Errors
/// As [`update`]; a `client_id` or `client_secret` that does not match is
/// `invalid_client_metadata`.
pub fn replace(
    store: &mut Store,
    actor: &Actor,
    policy: &Policy,
    client_id: &str,
    document: &MetadataDoc,
    if_revision: Option<&[i64]>,
    deliver: Deliver<'_, ClientInformation>,
) -> Result<ClientInformation> {
    let (doc, presented) = replacement_document(document, client_id)?;
    // Fail fast on the document before taking the write lock; it is checked again inside.
    validate(&doc, policy)?;
    // An Argon2id check of a repeated secret runs before the write lock is taken.
    let check = store.read(|tx| secret_check(tx, &load(tx, client_id, None)?, &presented))?;
    let verdict = check.map(SecretCheck::verify);
    store.write(|tx| {
        let client = load_for_update(tx, client_id, if_revision)?;
        check_current_secret(tx, &client, &presented, verdict.as_ref())?;
        delivered(change_metadata(tx, actor, policy, &client, &doc)?, deliver)
    })
}

/// Split a replacement document into the metadata and the secrets it repeats: every
/// `client_id` (or `ext_param_client_id`) in it must be `client_id`.
pub(super) fn replacement_document(
    document: &MetadataDoc,
    client_id: &str,
) -> Result<(MetadataDoc, Vec<String>)> {
    let mut doc = document.clone();
    // One that is absent is taken from the path: some SDKs send none.
    if let Some(id) = take_identifier(&mut doc, "client_id")? {
        if id != client_id {
            return Err(MetadataError::metadata(
                "client_id",
                "does not match the client being replaced",
            )
            .into());
        }
    }
    let presented = take_identifier(&mut doc, "client_secret")?
        .into_iter()
        .collect();
    Ok((doc, presented))
}

/// Presented secrets to check against a client's current secret whose hash is costly
/// (Argon2id), read before the write transaction so that the check runs outside it
/// ([`SecretCheck::verify`]).
pub struct SecretCheck {
    hash: String,
    presented: Vec<String>,
}

// Hand-written: it holds presented secrets.
impl std::fmt::Debug for SecretCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretCheck").finish_non_exhaustive()
    }
}

impl SecretCheck {
    /// Run the check (Argon2id: slow by design; on a blocking thread, never in a write
    /// transaction).
    #[must_use]
    pub fn verify(self) -> SecretVerdict {
        let matches = self
            .presented
            .iter()
            .all(|secret| credentials::verify(secret, &self.hash));
        SecretVerdict {
            hash: self.hash,
            presented: self.presented,
            matches,
        }
    }
}

/// The outcome of a [`SecretCheck`]: it holds for the secrets checked, and for as long as
/// the client's current secret is the one they were checked against; the write transaction
/// makes sure of both.
#[derive(Clone)]
pub struct SecretVerdict {
    hash: String,
    presented: Vec<String>,
    matches: bool,
}

impl SecretVerdict {
    /// Whether every presented secret matched.
    #[must_use]
    pub fn matches(&self) -> bool {
        self.matches
    }
}

impl std::fmt::Debug for SecretVerdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretVerdict")
            .field("matches", &self.matches)
            .finish_non_exhaustive()
    }
}

/// The hash of the client's current, unexpired secret, if it has one; a previous secret in
/// its grace period does not count.
fn current_secret_hash(tx: &Tx<'_>, client: &Client) -> Result<Option<String>> {
    let now = time::now();
    let current_valid = client
        .client_secret_expires_at
        .is_some_and(|expires| expires == 0 || expires > now);
    if !current_valid {
        return Ok(None);
    }
    // The current secret (never superseded) sorts first among the valid ones.
    Ok(tx
        .valid_secret_hashes(&client.client_id, now)?
        .into_iter()
        .next())
}

/// The check `presented` needs outside the write transaction: `Some` when there is a secret
/// to check and the client's current secret is costly to check against.
pub(super) fn secret_check(
    tx: &Tx<'_>,
    client: &Client,
    presented: &[String],
) -> Result<Option<SecretCheck>> {
    if presented.is_empty() {
        return Ok(None);
    }
    Ok(current_secret_hash(tx, client)?
        .filter(|hash| credentials::is_costly(hash))
        .map(|hash| SecretCheck {
            hash,
            presented: presented.to_vec(),
        }))
}

/// Check that every secret in `presented` is the client's current, unexpired secret; a
/// previous secret still in its grace period does not count. A costly (Argon2id) hash is
/// never checked here, inside the write transaction: `verdict` must come from a
/// [`SecretCheck`] of the same secrets against the same hash, made before. A verdict about
/// other secrets or another hash (the client's secret changed since), or none, is a
/// mismatch, and nothing is written.
pub(super) fn check_current_secret(
    tx: &Tx<'_>,
    client: &Client,
    presented: &[String],
    verdict: Option<&SecretVerdict>,
) -> Result<()> {
    if presented.is_empty() {
        return Ok(());
    }
    let matches = match current_secret_hash(tx, client)? {
        None => false,
        Some(hash) if credentials::is_costly(&hash) => verdict.is_some_and(|verdict| {
            verdict.matches && verdict.hash == hash && verdict.presented == presented
        }),
        Some(hash) => presented
            .iter()
            .all(|secret| credentials::verify(secret, &hash)),
    };
    if matches {
        Ok(())
    } else {
        Err(MetadataError::metadata(
            "client_secret",
            "does not match the client's current secret",
        )
        .into())
    }
}

/// Validate `doc` as the client's new metadata and store it, issuing or removing the secret
/// when the authentication method starts or stops needing one. Writes nothing when the
/// effective document is unchanged.
pub(super) fn change_metadata(
    tx: &Tx<'_>,
    actor: &Actor,
    policy: &Policy,
    client: &Client,
    doc: &MetadataDoc,
) -> Result<ClientInformation> {
    change_metadata_issuing(tx, actor, policy, client, doc, None)
}

/// [`change_metadata`], giving a secret it issues the lifetime `secret_lifetime` (never
/// expires when `None`). An issued secret is in the returned `client_secret`.
pub(super) fn change_metadata_issuing(
    tx: &Tx<'_>,
    actor: &Actor,
    policy: &Policy,
    client: &Client,
    doc: &MetadataDoc,
    secret_lifetime: Option<crate::time::Lifetime>,
) -> Result<ClientInformation> {
    let valid = validate(doc, policy)?;
    let mut info = client.information();
    if valid.doc() == &client.metadata && client.metadata.keys().eq(valid.doc().keys()) {
        return Ok(info);
    }
    let now = time::now();
    let uses_secret = valid.auth_method().uses_secret();
    if uses_secret && !client.has_secret {
        let secret = credentials::new_client_secret();
        let expires_at = secret_lifetime.map_or(0, |lifetime| lifetime.expires_at(now));
        tx.replace_secret(
            &client.client_id,
            &credentials::hash_generated(&secret),
            expires_at,
            None,
            now,
        )?;
        info.client_secret = Some(secret.expose().to_owned());
        info.client_secret_expires_at = Some(expires_at);
    } else if !uses_secret && client.has_secret {
        tx.remove_secrets(&client.client_id, now)?;
        info.client_secret_expires_at = response_secret_expiry(None, valid.auth_method());
    }
    tx.update_metadata(&client.client_id, valid.doc(), valid.auth_method(), now)?;
    let changed = changed_fields(&client.metadata, valid.doc());
    record(
        tx,
        actor,
        Action::Update,
        Some(&client.client_id),
        now,
        json!({ "changed": changed }),
    )?;
    info.metadata = valid.into_doc();
    Ok(info)
}

fn changed_fields<'d>(before: &'d MetadataDoc, after: &'d MetadataDoc) -> Vec<&'d str> {
    let mut changed: Vec<&str> = after
        .iter()
        .filter(|(key, value)| before.get(*key) != Some(value))
        .map(|(key, _)| key.as_str())
        .collect();
    changed.extend(
        before
            .keys()
            .filter(|key| !after.contains_key(*key))
            .map(String::as_str),
    );
    changed
}
