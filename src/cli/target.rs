//! Naming the client a command acts on: by its id, or with `--name` by its exact
//! `client_name`. One rule for every command that takes one client, so `show`, `update`,
//! `delete`, `rotate-*` and `verify-secret` all accept both.

use crate::model::{Client, Entity};
use crate::ops::{self, Store};
use crate::output::sanitize::sanitize;
use crate::Error;
use clap::Args;

/// The client a command acts on.
#[derive(Debug, Clone, Args)]
pub(crate) struct ClientArg {
    /// The client id
    #[arg(
        value_name = "CLIENT_ID",
        add = super::complete::client_ids(),
        required_unless_present = "name",
        conflicts_with = "name"
    )]
    client_id: Option<String>,

    /// Find the client by its exact client_name instead of its id
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
}

impl ClientArg {
    /// What was typed: the id, or the name given with `--name`.
    pub(crate) fn given(&self) -> &str {
        self.client_id
            .as_deref()
            .or(self.name.as_deref())
            .unwrap_or_default()
    }

    /// The id of the client meant: the id given, or that of the one client with the name.
    ///
    /// # Errors
    /// Not found (exit 3) when no client has the name; a usage error (exit 2) listing the
    /// ids when several do, since acting on one of them would be a guess.
    pub(crate) fn resolve(&self, store: &mut Store) -> anyhow::Result<String> {
        match (&self.client_id, &self.name) {
            (Some(id), _) => Ok(id.clone()),
            (None, Some(name)) => Ok(client_named(store, name)?.client_id),
            (None, None) => Err(Error::usage("give a CLIENT_ID or --name").into()),
        }
    }
}

/// The one client whose `client_name` is exactly `name`.
///
/// # Errors
/// As [`ClientArg::resolve`].
pub(crate) fn client_named(store: &mut Store, name: &str) -> anyhow::Result<Client> {
    let mut found = ops::find_by_name(store, name)?;
    match found.len() {
        0 => Err(Error::NotFound {
            what: Entity::ClientNamed,
            id: name.to_owned(),
        }
        .into()),
        1 => Ok(found.remove(0)),
        n => {
            let ids: Vec<String> = found
                .iter()
                .map(|client| sanitize(&client.client_id).into_owned())
                .collect();
            Err(Error::usage(format!(
                "{n} clients are named {:?} ({}); give one by its id",
                sanitize(name),
                ids.join(", ")
            ))
            .into())
        }
    }
}
