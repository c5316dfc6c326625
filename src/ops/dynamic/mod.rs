//! Operations of the HTTP registration API (RFC 7591 §3, RFC 7592), where the caller proves
//! itself with a token rather than being a trusted operator: registration (`register`) and
//! the management of one registered client (`manage`).
//!
//! Each operation is one function that takes the transaction it runs in; the server decides
//! where transactions begin (its writer's group commit, a reader's snapshot). What must not
//! run inside a write transaction — validation, Argon2 for an admin-chosen secret or for a
//! repeated one — is a `prepare_*` step before it, whose verdict is reported only once the
//! credential has been accepted, so a caller without one learns nothing about the rules.
//!
//! The credential check and the change it authorizes happen in one transaction: an initial
//! access token is consumed in the same transaction that inserts the client, so a one-use
//! token admits exactly one registration however many arrive at once, and a failed
//! registration spends no use. A registration access token is checked in the transaction
//! that changes its client. An unknown client and a wrong token are the same answer
//! ([`Error::CredentialRejected`]), so client ids cannot be probed.

mod manage;
mod register;
#[cfg(test)]
mod tests;

pub use manage::{
    delete, prepare_replacement, read, replace, rotate_secret, rotate_token, secret_check,
    PreparedReplacement, UseToRecord, LAST_USED_RESOLUTION_SECS,
};
pub use register::{prepare_registration, register, PreparedRegistration, ADMIN_ONLY_FIELDS};

use super::Actor;
use crate::credentials::Secret;
use crate::registration::ClientInformation;
use crate::store::Tx;
use crate::{Error, Result};
use std::time::Duration;

/// The server's limits on HTTP registration, beside the metadata [`Policy`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Limits {
    /// Refuse a registration when the registry already holds this many clients (all of them,
    /// however registered).
    pub max_clients: Option<u64>,
    /// Lifetime of secrets issued over HTTP (registration, rotation, a `PUT` that starts
    /// needing one); never expire when `None`.
    pub secret_lifetime: Option<Duration>,
}

/// What an HTTP caller presented in its `Authorization` header.
#[derive(Debug, Clone)]
pub enum Credential {
    /// `Bearer`, not yet checked: an initial access token on `POST /register`, the client's
    /// registration access token on `/register/{client_id}`.
    Bearer(Secret),
    /// `Basic` with an administrator's password, which the caller has verified
    /// ([`super::verify_admin`]); the account must still exist when the change is made.
    Admin(String),
}

/// The outcome of every operation here.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The §4 response, with any credential just issued.
    pub information: ClientInformation,
    /// The client's revision after the operation, from which the HTTP `ETag` is derived.
    pub revision: i64,
    /// Who acted, as the audit log records it: `http:iat:<token id>`, `http:anonymous`,
    /// `http:admin:<name>` or `http:<client_id>`.
    pub actor: Actor,
}

/// The actor of an admin whose password was verified; the account must still exist.
fn admin_actor(tx: &Tx<'_>, name: &str) -> Result<Actor> {
    if tx.admin_password_hash(name)?.is_none() {
        return Err(Error::CredentialRejected);
    }
    Ok(Actor::http(&format!("admin:{name}")))
}

fn revision_of(tx: &Tx<'_>, client_id: &str) -> Result<i64> {
    Ok(tx
        .client(client_id)?
        .ok_or_else(|| Error::client_not_found(client_id))?
        .revision)
}

/// Whether the database answers a query: the server's health check.
///
/// # Errors
/// Storage failures.
pub fn ping(tx: &Tx<'_>) -> Result<()> {
    tx.client("").map(|_| ()).map_err(Error::from)
}
