//! New secrets and tokens, and checking a presented secret.

use super::{delivered, record, Actor, Deliver, Store};
use crate::credentials::{self, Secret};
use crate::model::Action;
use crate::model::Client;
use crate::registration::ClientInformation;
use crate::store::Tx;
use crate::{time, Error, Result};
use serde_json::json;
use std::time::Duration;

/// Options of a secret rotation.
#[derive(Debug, Clone, Default)]
pub struct RotateSecret {
    /// Keep the previous secret valid this long (never past its own expiry).
    pub grace: Option<Duration>,
    /// Lifetime of the new secret; never expires when `None`.
    pub expires_in: Option<crate::time::Lifetime>,
}

/// Issue a new client secret in the caller's write transaction; the response carries it,
/// once.
///
/// # Errors
/// [`Error::NotFound`]; a usage error for a public client, which has no secret.
pub fn rotate_secret(
    tx: &Tx<'_>,
    actor: &Actor,
    client_id: &str,
    options: &RotateSecret,
    deliver: Deliver<'_, ClientInformation>,
) -> Result<ClientInformation> {
    let client = tx
        .client(client_id)?
        .ok_or_else(|| Error::client_not_found(client_id))?;
    delivered(rotate_secret_of(tx, actor, &client, options)?, deliver)
}

/// The lifetime the client's current secret was issued with (`None`: it never expires, or
/// there is none), for a rotation that keeps the client's lifetime policy.
///
/// # Errors
/// Storage failures.
pub fn current_secret_lifetime(tx: &Tx<'_>, client_id: &str) -> Result<Option<Duration>> {
    Ok(tx
        .current_secret_lifetime(client_id)?
        .and_then(|seconds| u64::try_from(seconds).ok())
        .filter(|&seconds| seconds > 0)
        .map(Duration::from_secs))
}

/// [`rotate_secret`] inside the caller's transaction, for a client it has loaded.
pub(super) fn rotate_secret_of(
    tx: &Tx<'_>,
    actor: &Actor,
    client: &Client,
    options: &RotateSecret,
) -> Result<ClientInformation> {
    let client_id = client.client_id.as_str();
    if client.client_secret_expires_at.is_none() {
        return Err(Error::usage(format!(
            "client {client_id} uses token_endpoint_auth_method {} and has no secret to rotate",
            client.auth_method.as_str()
        )));
    }
    let secret = credentials::new_client_secret();
    let hash = credentials::hash_generated(&secret);
    let now = time::now();
    let expires_at = options
        .expires_in
        .map_or(0, |lifetime| lifetime.expires_at(now));
    let previous_valid_until = options.grace.map(|grace| time::after(now, grace));
    tx.replace_secret(client_id, &hash, expires_at, previous_valid_until, now)?;
    let grace_seconds = options.grace.map(|grace| grace.as_secs());
    record(
        tx,
        actor,
        Action::RotateSecret,
        Some(client_id),
        now,
        json!({ "grace_seconds": grace_seconds, "expires_at": expires_at }),
    )?;
    let mut info = client.information();
    info.client_secret = Some(secret.expose().to_owned());
    info.client_secret_expires_at = Some(expires_at);
    Ok(info)
}

/// Issue a new registration access token in the caller's write transaction; the previous
/// one stops working at once.
///
/// # Errors
/// [`Error::NotFound`].
pub fn rotate_token(
    tx: &Tx<'_>,
    actor: &Actor,
    client_id: &str,
    deliver: Deliver<'_, ClientInformation>,
) -> Result<ClientInformation> {
    let client = tx
        .client(client_id)?
        .ok_or_else(|| Error::client_not_found(client_id))?;
    delivered(rotate_token_of(tx, actor, &client)?, deliver)
}

/// [`rotate_token`] inside the caller's transaction, for a client it has loaded.
pub(super) fn rotate_token_of(
    tx: &Tx<'_>,
    actor: &Actor,
    client: &Client,
) -> Result<ClientInformation> {
    let token = credentials::new_registration_token();
    let hash = credentials::hash_generated(&token);
    let now = time::now();
    tx.set_registration_token(&client.client_id, &hash, now)?;
    record(
        tx,
        actor,
        Action::RotateToken,
        Some(&client.client_id),
        now,
        json!({}),
    )?;
    let mut info = client.information();
    info.registration_access_token = Some(token.expose().to_owned());
    Ok(info)
}

/// End the grace period of the client's previous secrets now, so only its current secret
/// works: for when a rotation was a response to a leak, or every deployment has rolled over.
/// Audited as a `rotate-secret` event when a secret stopped working.
///
/// # Errors
/// [`Error::NotFound`]; a usage error for a client without a secret.
pub fn end_grace(tx: &Tx<'_>, actor: &Actor, client_id: &str) -> Result<u64> {
    let client = tx
        .client_for_update(client_id)?
        .ok_or_else(|| Error::client_not_found(client_id))?;
    if client.client_secret_expires_at.is_none() {
        return Err(Error::usage(format!(
            "client {client_id} uses token_endpoint_auth_method {} and has no secret",
            client.auth_method.as_str()
        )));
    }
    let now = time::now();
    let ended = tx.end_secret_grace(client_id, now)?;
    if ended > 0 {
        record(
            tx,
            actor,
            Action::RotateSecret,
            Some(client_id),
            now,
            json!({ "ended_grace": ended }),
        )?;
    }
    Ok(ended)
}

/// Until when the client's previous secrets still work, when one is in its grace period.
///
/// # Errors
/// [`Error::NotFound`].
pub fn grace_until(store: &mut Store, client_id: &str) -> Result<Option<i64>> {
    let now = time::now();
    store.read(|tx| {
        if !tx.client_exists(client_id)? {
            return Err(Error::client_not_found(client_id));
        }
        Ok(tx.previous_secrets_valid_until(client_id, now)?)
    })
}

/// Why [`check_secret`] rejected a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// It matches no secret the client has had (or the input can be no secret at all).
    WrongSecret,
    /// It is one of the client's secrets, but expired, or a previous one whose grace period
    /// is over.
    Expired,
    /// The client has no secret (a public client, or one authenticating with keys).
    NoSecret,
}

impl Rejection {
    /// The reason as `verify-secret -o json` prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            Rejection::WrongSecret => "wrong_secret",
            Rejection::Expired => "expired_secret",
            Rejection::NoSecret => "no_secret",
        }
    }
}

/// Check `presented` (`None`: input that can be no secret) against the client's current
/// secret and any previous one still in its grace period; on success record `last_used_at`.
/// A rejection says why; telling an expired secret from a wrong one costs verifying the
/// stored expired hashes too, only on the rejection path.
///
/// # Errors
/// [`Error::NotFound`]; storage failures.
pub fn check_secret(
    store: &mut Store,
    client_id: &str,
    presented: Option<&Secret>,
) -> Result<std::result::Result<(), Rejection>> {
    let now = time::now();
    let (valid, all) = store.read(|tx| {
        if tx.client(client_id)?.is_none() {
            return Err(Error::client_not_found(client_id));
        }
        // Every stored hash is later than the earliest time, whatever its expiry.
        Ok((
            tx.valid_secret_hashes(client_id, now)?,
            tx.valid_secret_hashes(client_id, i64::MIN)?,
        ))
    })?;
    if all.is_empty() {
        return Ok(Err(Rejection::NoSecret));
    }
    let Some(presented) = presented else {
        return Ok(Err(Rejection::WrongSecret));
    };
    let matches = |hashes: &[String]| {
        hashes
            .iter()
            .any(|hash| credentials::verify(presented.expose(), hash))
    };
    if matches(&valid) {
        store.write(|tx| Ok::<_, Error>(tx.touch_last_used(client_id, now)?))?;
        return Ok(Ok(()));
    }
    let expired: Vec<String> = all.into_iter().filter(|h| !valid.contains(h)).collect();
    Ok(Err(if matches(&expired) {
        Rejection::Expired
    } else {
        Rejection::WrongSecret
    }))
}

/// Check `presented` against the client's current secret and any previous one still in its
/// grace period; on success record `last_used_at`.
///
/// # Errors
/// [`Error::NotFound`]; [`Error::CredentialExpired`] when it is a secret of the client that
/// has expired (or whose grace period ended), [`Error::CredentialRejected`] when it matches
/// none.
pub fn verify_secret(store: &mut Store, client_id: &str, presented: &Secret) -> Result<()> {
    match check_secret(store, client_id, Some(presented))? {
        Ok(()) => Ok(()),
        Err(Rejection::Expired) => Err(Error::CredentialExpired {
            client_id: client_id.to_owned(),
        }),
        Err(Rejection::WrongSecret | Rejection::NoSecret) => Err(Error::CredentialRejected),
    }
}
