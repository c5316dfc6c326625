//! RFC 7592 management of one registered client: read, replace, rotate its credentials,
//! delete, with its registration access token or as an administrator.

use super::{admin_actor, revision_of, Credential, Limits, Outcome};
use crate::credentials;
use crate::model::{Action, Client};
use crate::ops::update::{
    self, change_metadata_issuing, check_current_secret, check_revision, replacement_document,
    SecretCheck, SecretVerdict,
};
use crate::ops::{record, rotate, Actor, RotateSecret};
use crate::registration::{validate, MetadataDoc, Policy};
use crate::store::Tx;
use crate::{time, Error, Result};
use serde_json::json;

/// How stale a client's `last_used_at` may be before a read with its registration access
/// token records the use again. Reads are the hot path of the API; writing on every one
/// would make each a durable commit. `--unused-for` periods are days, so a minute's
/// resolution loses nothing.
pub const LAST_USED_RESOLUTION_SECS: i64 = 60;

/// What a caller does with the client it is authorized for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Read,
    Change,
}

/// Check `credential` for `client_id` inside the caller's transaction and load the client,
/// checked against `if_revision`. A registration access token opens only its own client. An
/// unknown client is the same answer as a wrong token. For a change the client is locked
/// before the credential is checked, so a rotation or deletion on another connection cannot
/// come between the check and the change.
fn authorize(
    tx: &Tx<'_>,
    client_id: &str,
    credential: &Credential,
    if_revision: Option<&[i64]>,
    access: Access,
) -> Result<(Client, Actor)> {
    let locked = match access {
        Access::Change => Some(tx.client_for_update(client_id)?),
        Access::Read => None,
    };
    let actor = match credential {
        Credential::Bearer(token) => {
            let accepted = tx
                .registration_token_hash(client_id)?
                .is_some_and(|hash| credentials::verify(token.expose(), &hash));
            if !accepted {
                return Err(Error::CredentialRejected);
            }
            Actor::http(client_id)
        }
        Credential::Admin(name) => admin_actor(tx, name)?,
    };
    let client = match locked {
        Some(client) => client,
        None => tx.client(client_id)?,
    }
    .ok_or(Error::CredentialRejected)?;
    let client = check_revision(client, if_revision)?;
    // Named on the operation's span only now: a path that opened no client may hold
    // anything, a pasted token included.
    tracing::Span::current().record("client_id", client_id);
    Ok((client, actor))
}

/// [`authorize`] for a change: a registration access token's use is recorded with it.
fn authorize_change(
    tx: &Tx<'_>,
    client_id: &str,
    credential: &Credential,
    if_revision: Option<&[i64]>,
) -> Result<(Client, Actor)> {
    let authorized = authorize(tx, client_id, credential, if_revision, Access::Change)?;
    if let Credential::Bearer(_) = credential {
        tx.touch_last_used(client_id, time::now())?;
    }
    Ok(authorized)
}

/// A use of a registration access token that a read found due for recording
/// ([`LAST_USED_RESOLUTION_SECS`]); [`UseToRecord::record`] writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UseToRecord {
    client_id: String,
    at: i64,
}

impl UseToRecord {
    /// Record the use in `tx`.
    ///
    /// # Errors
    /// Storage failures.
    pub fn record(&self, tx: &Tx<'_>) -> Result<()> {
        Ok(tx.touch_last_used(&self.client_id, self.at)?)
    }
}

/// Read a client (RFC 7592 §2.1) with its registration access token or as an admin, in the
/// caller's transaction (a read needs no more than a snapshot); also says whether the token's
/// use is due to be recorded, which the caller does with [`UseToRecord::record`] in a write
/// transaction when it can.
///
/// # Errors
/// [`Error::CredentialRejected`] for an unknown client or a wrong credential; storage
/// failures.
#[tracing::instrument(name = "read", level = "debug", skip_all, fields(client_id = tracing::field::Empty))]
pub fn read(
    tx: &Tx<'_>,
    client_id: &str,
    credential: &Credential,
) -> Result<(Outcome, Option<UseToRecord>)> {
    let (client, actor) = authorize(tx, client_id, credential, None, Access::Read)?;
    let now = time::now();
    let due = matches!(credential, Credential::Bearer(_))
        && client
            .last_used_at
            .is_none_or(|at| now - at >= LAST_USED_RESOLUTION_SECS || at > now);
    let record = due.then(|| UseToRecord {
        client_id: client_id.to_owned(),
        at: now,
    });
    Ok((
        Outcome {
            information: client.information(),
            revision: client.revision,
            actor,
        },
        record,
    ))
}

/// A replacement document (RFC 7592 §2.2) checked against `policy`, ready for
/// [`replace`]; or the reason it must be refused once the credential is accepted. A
/// `client_secret` it repeats is checked against a costly (Argon2id) hash before the write
/// transaction ([`secret_check`], [`PreparedReplacement::with_verdict`]).
pub struct PreparedReplacement {
    document: Result<(MetadataDoc, Vec<String>)>,
    verdict: Option<SecretVerdict>,
}

// Hand-written: it may hold a presented client secret.
impl std::fmt::Debug for PreparedReplacement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedReplacement")
            .finish_non_exhaustive()
    }
}

impl PreparedReplacement {
    /// The client secrets the document repeats (none when it is refused anyway).
    #[must_use]
    pub fn presented_secrets(&self) -> &[String] {
        match &self.document {
            Ok((_, presented)) => presented,
            Err(_) => &[],
        }
    }

    /// This replacement with the verdict of the check of its secrets, made outside the write
    /// transaction.
    #[must_use]
    pub fn with_verdict(mut self, verdict: SecretVerdict) -> Self {
        self.verdict = Some(verdict);
        self
    }
}

/// The part of [`replace`] that needs no database: the document's own checks and
/// validation under `policy`.
#[must_use]
pub fn prepare_replacement(
    document: &MetadataDoc,
    client_id: &str,
    policy: &Policy,
) -> PreparedReplacement {
    PreparedReplacement {
        document: replacement_document(document, client_id).and_then(|(doc, presented)| {
            validate(&doc, policy)?;
            Ok((doc, presented))
        }),
        verdict: None,
    }
}

/// The check that the secrets `presented` in a replacement of `client_id` need before the
/// write transaction, in a read transaction: `Some` only when `credential` opens the client
/// and its current secret is costly to check against (Argon2id), so that nobody without a
/// credential for the client can make the registry run Argon2.
///
/// # Errors
/// As [`read`].
pub fn secret_check(
    tx: &Tx<'_>,
    client_id: &str,
    credential: &Credential,
    presented: &[String],
) -> Result<Option<SecretCheck>> {
    if presented.is_empty() {
        return Ok(None);
    }
    let (client, _) = authorize(tx, client_id, credential, None, Access::Read)?;
    update::secret_check(tx, &client, presented)
}

/// Replace a client's document (RFC 7592 §2.2) in the caller's write transaction, checking
/// the credential, `if_revision`, a repeated `client_id` and a repeated `client_secret`
/// (which must be the current secret, not one in its grace period; a costly hash only
/// through the verdict of a [`secret_check`] made before). A secret the new document needs is
/// issued with `limits.secret_lifetime`.
///
/// # Errors
/// As [`read`]; [`Error::PreconditionFailed`] when no tag of `if_revision` is current;
/// `invalid_client_metadata` for a mismatched id or secret, a registry-managed member, or
/// metadata that fails validation under `policy`.
#[tracing::instrument(name = "replace", level = "debug", skip_all, fields(client_id = tracing::field::Empty))]
pub fn replace(
    tx: &Tx<'_>,
    policy: &Policy,
    limits: &Limits,
    client_id: &str,
    credential: &Credential,
    prepared: PreparedReplacement,
    if_revision: Option<&[i64]>,
) -> Result<Outcome> {
    let (client, actor) = authorize_change(tx, client_id, credential, if_revision)?;
    let (doc, presented) = prepared.document?;
    check_current_secret(tx, &client, &presented, prepared.verdict.as_ref())?;
    let information = change_metadata_issuing(
        tx,
        &actor,
        policy,
        &client,
        &doc,
        limits.secret_lifetime.map(Into::into),
    )?;
    Ok(Outcome {
        information,
        revision: revision_of(tx, client_id)?,
        actor,
    })
}

/// Issue a new client secret (lifetime `limits.secret_lifetime`) in the caller's write
/// transaction; the previous one stops working at once.
///
/// # Errors
/// As [`read`]; a usage error for a client without a secret.
#[tracing::instrument(name = "rotate_secret", level = "debug", skip_all, fields(client_id = tracing::field::Empty))]
pub fn rotate_secret(
    tx: &Tx<'_>,
    limits: &Limits,
    client_id: &str,
    credential: &Credential,
) -> Result<Outcome> {
    let options = RotateSecret {
        grace: None,
        expires_in: limits.secret_lifetime.map(Into::into),
    };
    let (client, actor) = authorize_change(tx, client_id, credential, None)?;
    let information = rotate::rotate_secret_of(tx, &actor, &client, &options)?;
    Ok(Outcome {
        information,
        revision: revision_of(tx, client_id)?,
        actor,
    })
}

/// Issue a new registration access token in the caller's write transaction; the previous
/// one stops working at once.
///
/// # Errors
/// As [`read`].
#[tracing::instrument(name = "rotate_token", level = "debug", skip_all, fields(client_id = tracing::field::Empty))]
pub fn rotate_token(tx: &Tx<'_>, client_id: &str, credential: &Credential) -> Result<Outcome> {
    let (client, actor) = authorize_change(tx, client_id, credential, None)?;
    let information = rotate::rotate_token_of(tx, &actor, &client)?;
    Ok(Outcome {
        information,
        revision: revision_of(tx, client_id)?,
        actor,
    })
}

/// Delete `client_id` (RFC 7592 §2.3) in the caller's write transaction, checking the
/// credential and `if_revision`; its secret and token stop working at once.
///
/// # Errors
/// As [`read`]; [`Error::PreconditionFailed`] when no tag of `if_revision` is current.
#[tracing::instrument(name = "delete", level = "debug", skip_all, fields(client_id = tracing::field::Empty))]
pub fn delete(
    tx: &Tx<'_>,
    client_id: &str,
    credential: &Credential,
    if_revision: Option<&[i64]>,
) -> Result<()> {
    let (_, actor) = authorize(tx, client_id, credential, if_revision, Access::Change)?;
    if !tx.delete_client(client_id)? {
        return Err(Error::CredentialRejected);
    }
    record(
        tx,
        &actor,
        Action::Delete,
        Some(client_id),
        time::now(),
        json!({ "via": "http" }),
    )
}
