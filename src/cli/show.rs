//! `dcrctl show`

use super::Ctx;
use crate::ops;
use crate::output::{json, table, Format};
use crate::Error;
use clap::Args;
use std::io::Write;

/// Arguments of `show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The client id
    #[arg(
        value_name = "CLIENT_ID",
        add = super::complete::client_ids(),
        required_unless_present = "name",
        conflicts_with = "name"
    )]
    client_id: Option<String>,

    /// Find the client by its exact client_name instead
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
}

pub(crate) fn run(ctx: &Ctx, args: &ShowArgs) -> anyhow::Result<()> {
    let mut store = ctx.open_store()?;
    let client = match (&args.client_id, &args.name) {
        (Some(id), _) => ops::show(&mut store, id)?,
        (None, Some(name)) => {
            let mut found = ops::find_by_name(&mut store, name)?;
            match found.len() {
                0 => {
                    return Err(Error::NotFound {
                        what: crate::model::Entity::ClientNamed,
                        id: name.clone(),
                    }
                    .into())
                }
                1 => found.remove(0),
                n => {
                    let ids: Vec<&str> = found.iter().map(|c| c.client_id.as_str()).collect();
                    return Err(Error::usage(format!(
                        "{n} clients are named {name:?} ({}); show one by its id",
                        ids.join(", ")
                    ))
                    .into());
                }
            }
        }
        (None, None) => return Err(Error::usage("give a CLIENT_ID or --name").into()),
    };
    let mut stdout = std::io::stdout().lock();
    match ctx.format {
        Format::Json => json::write_document(&mut stdout, &json::client(&client))?,
        Format::Table => writeln!(stdout, "{}", table::client(&client))?,
    }
    Ok(stdout.flush()?)
}
