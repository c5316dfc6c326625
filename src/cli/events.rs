//! `dcrctl events`

use super::args::parse_time;
use super::Ctx;
use crate::ops::{self, EventFilter};
use crate::output::json::ArrayWriter;
use crate::output::sanitize::sanitize;
use crate::output::table::timestamp;
use crate::output::Format;
use clap::Args;
use serde_json::json;
use std::io::{BufWriter, Write};

/// Arguments of `events`.
#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Only events about this client
    #[arg(long, value_name = "CLIENT_ID", add = super::complete::client_ids())]
    client: Option<String>,

    /// Only events at or after this time (RFC 3339, or a duration ago such as 7d)
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    since: Option<i64>,

    /// At most this many, newest first
    #[arg(long, value_name = "N")]
    limit: Option<u64>,
}

pub(crate) fn run(ctx: &Ctx, args: &EventsArgs) -> anyhow::Result<()> {
    let filter = EventFilter {
        client_id: args.client.clone(),
        since: args.since,
        limit: args.limit,
    };
    let mut store = ctx.open_store()?;
    let mut stdout = BufWriter::new(std::io::stdout().lock());
    match ctx.format {
        Format::Json => {
            let mut writer = ArrayWriter::new(stdout)?;
            ops::events(&mut store, &filter, |event| {
                let mut entry = json!({
                    "at": event.at,
                    "actor": event.actor,
                    "action": event.action,
                    "details": event.details,
                });
                if let Some(client_id) = event.client_id {
                    entry["client_id"] = client_id.into();
                }
                Ok(writer.push_with(|out| {
                    serde_json::to_writer(out, &entry).map_err(std::io::Error::from)
                })?)
            })?;
            writer.finish()?;
        }
        Format::Table => {
            writeln!(
                stdout,
                "{:<20}  {:<24}  {:<14}  {:<22}  DETAILS",
                "TIME", "ACTOR", "ACTION", "CLIENT_ID"
            )?;
            ops::events(&mut store, &filter, |event| {
                writeln!(
                    stdout,
                    "{:<20}  {:<24}  {:<14}  {:<22}  {}",
                    timestamp(event.at),
                    sanitize(&event.actor),
                    sanitize(&event.action),
                    sanitize(event.client_id.as_deref().unwrap_or("-")),
                    sanitize(&event.details.to_string())
                )?;
                Ok(())
            })?;
            stdout.flush()?;
        }
    }
    Ok(())
}
