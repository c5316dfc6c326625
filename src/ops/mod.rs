//! Every operation of the registry, once. The command line and the HTTP server call these
//! functions and nothing below them.
//!
//! A write reads, checks, writes and appends its audit row inside one transaction; when it
//! returns an error nothing of it was written.
//!
//! **Who begins the transaction.** An operation that is one transaction takes it (`&Tx`)
//! and its caller decides where it begins: the command line wraps it in its own
//! `Store::write` (one write transaction, its lock taken up front), the HTTP server's writer
//! runs many, each in a savepoint of one group commit, so one `fsync` makes a group durable.
//! `delete`, `rotate_secret`, `rotate_token` and every operation in [`dynamic`] have this
//! shape. An operation that must do work outside any write transaction takes the store and begins its
//! own: Argon2 before the lock (`register` with a chosen secret, `replace` repeating one,
//! `verify_secret`, `add_admin`), batches sized to keep the lock short (`prune`), or a file
//! staged whole before one transaction (`apply`). Operations take the clock as an
//! argument-free call to [`crate::time`] and the caller's identity as an [`Actor`].

mod admins;
mod apply;
mod completion;
mod copy;
mod delete;
pub mod dynamic;
mod maintenance;
mod query;
mod register;
mod rotate;
mod tokens;
mod update;

#[cfg(test)]
pub(crate) mod test_support {
    //! What the operations' unit tests share.

    use super::{Actor, Store};

    /// A new registry in a temporary folder, removed when the folder is dropped.
    pub(crate) fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("clients.db")).unwrap();
        (dir, store)
    }

    /// An operator at the command line.
    pub(crate) fn actor() -> Actor {
        Actor::cli("tester")
    }
}

pub use admins::*;
pub use apply::*;
pub use completion::client_ids_starting_with;
pub use copy::{copy, CopyProgress, COPY_BATCH};
pub use delete::delete;
pub use dynamic::{ping, Limits};
pub use maintenance::*;
pub use query::{find_by_name, list, list_whole, require_client, show};
pub use register::{
    check_client_id, check_registration, register, upsert, Register, Registered, Upserted,
};
pub use rotate::{
    check_secret, current_secret_lifetime, end_grace, grace_until, rotate_secret, rotate_token,
    verify_secret, Rejection, RotateSecret,
};
pub use tokens::*;
pub use update::{replace, update, Patch, SecretCheck, SecretVerdict};

pub(crate) use crate::store::StoreError;
pub use crate::store::{
    ListFilter, ListOrder, Location, NameGlob, RegistryCounts, SortKey, Store, Tx,
};
pub use crate::time::Lifetime;

use crate::model::{Action, Event};

use crate::Result;
use serde_json::Value;

/// Shows the caller a result that carries a new secret or token before its transaction
/// commits. When that fails (the reader gone, a full disk), the operation returns
/// [`crate::Error::Undelivered`] and writes nothing, so a credential is never stored without
/// having been shown. The command line keeps back the last bytes of what it prints until the
/// commit succeeded (`cli::deliver`), so that a commit that fails after the result was shown
/// leaves an incomplete document rather than a credential that looks issued. A caller that
/// shows the result itself once the operation returned (the
/// tests, the fuzz target) passes [`after_commit`]. The HTTP server does not use these
/// operations: its own answer only after their commit, as a `201` must mean the client is on
/// disk.
pub type Deliver<'a, T> = &'a mut dyn FnMut(&T) -> std::io::Result<()>;

/// The [`Deliver`] of a caller that hands the result over itself once the operation returns.
pub fn after_commit<T>(_: &T) -> std::io::Result<()> {
    Ok(())
}

/// `value` once `deliver` took it, for the last step of a write transaction.
fn delivered<T>(value: T, deliver: Deliver<'_, T>) -> Result<T> {
    deliver(&value).map_err(|error| crate::Error::Undelivered(error.to_string()))?;
    Ok(value)
}

/// Who performs an operation, as the audit log records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor(String);

impl Actor {
    /// An operator at the command line.
    pub fn cli(user: &str) -> Self {
        Actor(format!("cli:{user}"))
    }

    /// An HTTP caller: a client id, `admin:<name>`, `iat:<id>` or `anonymous`.
    pub fn http(principal: &str) -> Self {
        Actor(format!("http:{principal}"))
    }

    /// The audit form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Append the audit entry of `action` on `client_id` (none for token, account and prune
/// entries) to the transaction that makes the change.
fn record(
    tx: &Tx<'_>,
    actor: &Actor,
    action: Action,
    client_id: Option<&str>,
    now: i64,
    details: Value,
) -> Result<()> {
    tx.append_event(&Event {
        at: now,
        actor: actor.0.clone(),
        action: action.as_str().to_owned(),
        client_id: client_id.map(str::to_owned),
        details,
    })?;
    Ok(())
}

/// A store conflict as the library's own conflict error.
fn conflict(error: crate::store::StoreError) -> crate::Error {
    match error {
        crate::store::StoreError::Conflict { what, id } => crate::Error::Conflict { what, id },
        other => crate::Error::Store(other),
    }
}
