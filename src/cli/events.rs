//! `dcrctl events`

use super::args::parse_time;
use super::output::Listing;
use super::Ctx;
use crate::ops::{self, EventFilter};
use crate::output::sanitize::sanitize;
use crate::output::table::{timestamp, Column};
use clap::Args;
use serde_json::json;
use std::io::BufWriter;

/// Arguments of `events`.
#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Only events about this client
    #[arg(long, value_name = "CLIENT_ID", add = super::complete::client_ids())]
    client: Option<String>,

    /// Only events at or after this time (RFC 3339, a date, or a duration ago such as 7d)
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    since: Option<i64>,

    /// Only events before this time, not at it (RFC 3339, a date, or a duration ago)
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    until: Option<i64>,

    /// Only events with this action, e.g. register, delete (repeatable or comma-separated)
    ///
    /// Actions: register, update, delete, rotate-secret, rotate-token, prune, prune-tokens,
    /// prune-events, token-create, token-revoke, admin-add, admin-remove, admin-passwd, copy.
    #[arg(long, value_name = "ACTION", value_delimiter = ',')]
    action: Vec<String>,

    /// At most this many, newest first
    #[arg(long, value_name = "N")]
    limit: Option<u64>,
}

pub(crate) fn run(ctx: &Ctx, args: &EventsArgs) -> anyhow::Result<()> {
    let filter = EventFilter {
        client_id: args.client.clone(),
        since: args.since,
        until: args.until,
        actions: args.action.clone(),
        limit: args.limit,
    };
    let mut store = ctx.open_store()?;
    let stdout = BufWriter::new(std::io::stdout().lock());
    let columns = vec![
        Column::whole("TIME"),
        Column::shrink("ACTOR", 1, 12),
        Column::whole("ACTION"),
        Column::id("CLIENT_ID"),
        Column::shrink("DETAILS", 0, 12),
    ];
    let mut listing = Listing::new(ctx, stdout, columns)?;
    ops::events(&mut store, &filter, |event| {
        Ok(listing.push(
            unreachable_name,
            || {
                vec![
                    timestamp(event.at),
                    sanitize(&event.actor).into_owned(),
                    sanitize(&event.action).into_owned(),
                    sanitize(event.client_id.as_deref().unwrap_or("-")).into_owned(),
                    sanitize(&event.details.to_string()).into_owned(),
                ]
            },
            || {
                let mut entry = json!({
                    "at": event.at,
                    "actor": event.actor,
                    "action": event.action,
                    "details": event.details,
                });
                if let Some(client_id) = &event.client_id {
                    entry["client_id"] = client_id.clone().into();
                }
                entry
            },
        )?)
    })?;
    listing.finish()?;
    Ok(())
}

/// `-o name` is refused for `events` before it runs (see `output::check`): events have no
/// ids of their own.
fn unreachable_name() -> String {
    String::new()
}
