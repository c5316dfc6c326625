//! `dcrctl delete`

use super::{prompt, Ctx};
use crate::ops;
use crate::output::{json, sanitize::sanitize, Format};
use clap::Args;
use serde_json::json;
use std::collections::HashSet;
use std::io::Write;

/// Arguments of `delete`.
#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// The client ids; all are deleted, or none when one does not exist
    #[arg(value_name = "CLIENT_ID", required = true, add = super::complete::client_ids())]
    client_ids: Vec<String>,
}

pub(crate) fn run(ctx: &Ctx, args: &DeleteArgs) -> anyhow::Result<()> {
    // An id given twice is one client: asked about, deleted and reported once.
    let mut seen = HashSet::new();
    let client_ids: Vec<String> = args
        .client_ids
        .iter()
        .filter(|id| seen.insert(id.as_str()))
        .cloned()
        .collect();
    let mut store = ctx.open_store()?;
    // Check existence first, so a typo is reported before anyone is asked to confirm; without
    // reading the rows, so that a damaged one (see `db check`) can be deleted.
    for id in &client_ids {
        ops::require_client(&mut store, id)?;
    }
    let names: Vec<String> = client_ids
        .iter()
        .map(|id| sanitize(id).into_owned())
        .collect();
    let question = match names.as_slice() {
        [one] => format!("Delete client {one} with its secret and token? This cannot be undone"),
        many => format!(
            "Delete {} clients ({}) with their secrets and tokens? This cannot be undone",
            many.len(),
            many.join(", ")
        ),
    };
    prompt::confirm(ctx, &question)?;
    store.write(|tx| ops::delete(tx, &ctx.actor, &client_ids))?;
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
