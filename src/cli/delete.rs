//! `dcrctl delete`, and the one rule for deleting something absent, which `token revoke` and
//! `admin remove` share: an absent id is exit 3, unless `--ignore-missing` says it is
//! already the wanted state.

use super::target::client_named;
use super::{prompt, Ctx};
use crate::ops;
use crate::output::{json, sanitize::sanitize, Format};
use crate::{Error, ErrorKind};
use clap::Args;
use serde_json::json;
use std::collections::HashSet;
use std::io::Write;

/// Arguments of `delete`.
#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// The client ids; all are deleted, or none when one does not exist
    #[arg(
        value_name = "CLIENT_ID",
        required_unless_present = "name",
        conflicts_with = "name",
        add = super::complete::client_ids()
    )]
    client_ids: Vec<String>,

    /// Delete the client with exactly this client_name instead (one client; several with
    /// the name is an error listing their ids)
    #[arg(long, value_name = "NAME")]
    name: Option<String>,

    #[command(flatten)]
    missing: IgnoreMissing,
}

/// `--ignore-missing` of the commands that delete or revoke.
#[derive(Debug, Clone, Copy, Args)]
pub struct IgnoreMissing {
    /// Succeed when something named does not exist (or is already revoked) instead of exiting 3
    #[arg(long)]
    ignore_missing: bool,
}

impl IgnoreMissing {
    /// Whether the thing to remove is there (`outcome` of looking for it); when it is absent
    /// and that is allowed, `false`, said in a note on stderr.
    pub(crate) fn absent_is_fine(
        self,
        ctx: &Ctx,
        outcome: anyhow::Result<()>,
    ) -> anyhow::Result<bool> {
        match outcome {
            Ok(()) => Ok(true),
            Err(error) if self.ignore_missing && is_not_found(&error) => {
                ctx.note(format_args!("note: {}", sanitize(&format!("{error:#}"))));
                Ok(false)
            }
            Err(error) => Err(error),
        }
    }
}

/// Whether `error` (or a cause in its chain) says something named does not exist.
pub(crate) fn is_not_found(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|cause| cause.downcast_ref::<Error>())
        .any(|error| error.kind() == ErrorKind::NotFound)
}

pub(crate) fn run(ctx: &Ctx, args: &DeleteArgs) -> anyhow::Result<()> {
    // An id given twice is one client: asked about, deleted and reported once.
    let mut seen = HashSet::new();
    let mut client_ids: Vec<String> = args
        .client_ids
        .iter()
        .filter(|id| seen.insert(id.as_str()))
        .cloned()
        .collect();
    let mut store = ctx.open_store()?;
    if let Some(name) = &args.name {
        match client_named(&mut store, name) {
            Ok(client) => client_ids.push(client.client_id),
            Err(error) => {
                args.missing.absent_is_fine(ctx, Err(error))?;
            }
        }
    }
    // Check existence first, so a typo is reported before anyone is asked to confirm; without
    // reading the rows, so that a damaged one (see `db check`) can be deleted.
    let mut present = Vec::with_capacity(client_ids.len());
    for id in client_ids.drain(..) {
        let found = ops::require_client(&mut store, &id).map_err(anyhow::Error::from);
        if args.missing.absent_is_fine(ctx, found)? {
            present.push(id);
        }
    }
    let client_ids = present;
    let names: Vec<String> = client_ids
        .iter()
        .map(|id| sanitize(id).into_owned())
        .collect();
    if !names.is_empty() {
        prompt::confirm(ctx, &what_is_deleted(&names))?;
        store.write(|tx| ops::delete(tx, &ctx.actor, &client_ids))?;
    }
    let mut stdout = std::io::stdout().lock();
    match ctx.format {
        Format::Json => json::write_document(&mut stdout, &json!({ "deleted": client_ids }))?,
        Format::Table => {
            for name in &names {
                writeln!(stdout, "deleted {name}")?;
            }
        }
        Format::Name => {
            for name in &names {
                writeln!(stdout, "{name}")?;
            }
        }
    }
    Ok(stdout.flush()?)
}

/// What a confirmation of deleting `names` says: every id up to a screenful, then a count.
fn what_is_deleted(names: &[String]) -> String {
    const SHOWN: usize = 10;
    match names {
        [one] => format!(
            "Client {one} will be deleted\nwith its secret and registration access token. \
             This cannot be undone."
        ),
        many => {
            let mut text = format!(
                "{} clients will be deleted\nwith their secrets and registration access \
                 tokens. This cannot be undone:",
                many.len()
            );
            for name in many.iter().take(SHOWN) {
                text.push_str("\n  ");
                text.push_str(name);
            }
            if many.len() > SHOWN {
                text.push_str(&format!("\n  … and {} more", many.len() - SHOWN));
            }
            text
        }
    }
}
