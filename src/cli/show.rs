//! `dcrctl show`

use super::target::client_named;
use super::Ctx;
use crate::ops;
use crate::output::sanitize::sanitize;
use crate::output::table::{self, StreamTable};
use crate::output::{json, width, Format};
use crate::Error;
use clap::Args;
use serde_json::Value;
use std::collections::HashSet;
use std::io::Write;

/// Arguments of `show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The client ids; with several, all are shown, or none when one does not exist
    #[arg(
        value_name = "CLIENT_ID",
        add = super::complete::client_ids(),
        required_unless_present = "name",
        conflicts_with = "name"
    )]
    client_ids: Vec<String>,

    /// Find the client by its exact client_name instead
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
}

pub(crate) fn run(ctx: &Ctx, args: &ShowArgs) -> anyhow::Result<()> {
    let mut store = ctx.open_store()?;
    let clients = match (args.client_ids.as_slice(), &args.name) {
        ([], Some(name)) => {
            // Found by name, then read as by id, so both show the same (the grace period).
            let client_id = client_named(&mut store, name)?.client_id;
            vec![ops::show(&mut store, &client_id)?]
        }
        ([], None) => return Err(Error::usage("give a CLIENT_ID or --name").into()),
        // An id given twice is one client, shown once, as `delete` counts it.
        (ids, _) => {
            let mut seen = HashSet::new();
            ids.iter()
                .filter(|id| seen.insert(id.as_str()))
                .map(|id| ops::show(&mut store, id))
                .collect::<Result<Vec<_>, _>>()?
        }
    };
    let several = clients.len() > 1;
    let mut stdout = std::io::stdout().lock();
    match ctx.format {
        Format::Json => {
            let objects: Vec<Value> = clients
                .iter()
                .map(|client| {
                    let object = json::client(client);
                    match &ctx.fields {
                        Some(selection) => selection.project(&object),
                        None => object,
                    }
                })
                .collect();
            let document = if several {
                Value::Array(objects)
            } else {
                objects.into_iter().next().unwrap_or(Value::Null)
            };
            json::write_document(&mut stdout, &document)?;
        }
        Format::Table => match &ctx.fields {
            Some(selection) => {
                let mut table =
                    StreamTable::new(&mut stdout, selection.columns(), width::stdout_width());
                for client in &clients {
                    table.push(selection.row(&json::client(client)))?;
                }
                table.finish()?;
            }
            None => {
                for (i, client) in clients.iter().enumerate() {
                    if i > 0 {
                        writeln!(stdout)?;
                    }
                    table::write_client(&mut stdout, client, width::stdout_width())?;
                }
            }
        },
        Format::Name => {
            for client in &clients {
                writeln!(stdout, "{}", sanitize(&client.client_id))?;
            }
        }
    }
    Ok(stdout.flush()?)
}
