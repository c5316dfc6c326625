//! What to do next, added to an error where there is an obvious next step: the library's
//! messages are shared with the HTTP face and say only what went wrong; the command line
//! knows its own commands and can name the one that helps.

use super::Ctx;
use crate::model::Entity;
use crate::ops::{self, StoreError};
use crate::output::sanitize::sanitize;
use crate::Error;
use std::fmt;

/// An error with the next step, printed on the same `error:` line; the exit code is the
/// wrapped error's.
#[derive(Debug)]
pub(crate) struct WithNextStep {
    pub(crate) error: anyhow::Error,
    next: String,
}

impl fmt::Display for WithNextStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#}; {}", self.error, self.next)
    }
}

impl std::error::Error for WithNextStep {}

/// `error`, with the next step when there is one.
pub(crate) fn attach(ctx: &Ctx, error: anyhow::Error) -> anyhow::Error {
    let Some(cause) = error
        .chain()
        .find_map(|cause| cause.downcast_ref::<Error>())
    else {
        return error;
    };
    match next_step(ctx, cause) {
        Some(next) => WithNextStep { error, next }.into(),
        None => error,
    }
}

fn next_step(ctx: &Ctx, error: &Error) -> Option<String> {
    match error {
        // A duplicate is found by the operation or, in a race, by the store's unique index.
        Error::Conflict { what, id } | Error::Store(StoreError::Conflict { what, id }) => {
            match what {
                Entity::Client => Some(format!(
                    "to change it, run `dcrctl update {}`, or register with --upsert",
                    sanitize(id)
                )),
                Entity::Account => Some(format!(
                    "to change its password, run `dcrctl admin passwd {}`",
                    sanitize(id)
                )),
                _ => None,
            }
        }
        Error::NotFound {
            what: Entity::Client,
            id,
        } => named_so(ctx, id),
        Error::CredentialExpired { client_id } => Some(format!(
            "issue a new one with `dcrctl rotate-secret {}`",
            sanitize(client_id)
        )),
        _ => None,
    }
}

/// When no client has the id `id` but some are named so, the user probably typed a name:
/// say which ids those clients have.
fn named_so(ctx: &Ctx, id: &str) -> Option<String> {
    // Only an existing registry is looked in; any failure just means no hint.
    let mut store = super::open_existing(ctx.location().ok()?).ok()?;
    let named = ops::find_by_name(&mut store, id).ok()?;
    let ids: Vec<String> = named
        .iter()
        .map(|client| sanitize(&client.client_id).into_owned())
        .collect();
    match ids.as_slice() {
        [] => None,
        [one] => Some(format!(
            "a client is named {}: its id is {one} (or select it with --name)",
            sanitize(id)
        )),
        many => Some(format!(
            "{} clients are named {}, with ids {}",
            many.len(),
            sanitize(id),
            many.join(", ")
        )),
    }
}
