//! `dcrctl list`

use super::args::parse_time;
use super::output::Listing;
use super::Ctx;
use crate::ops::{self, ListFilter};
use crate::output::sanitize::sanitize;
use crate::output::{json, table};
use clap::Args;
use serde_json::Value;
use std::io::BufWriter;

/// Arguments of `list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only clients whose client_name matches this glob (*, ?, [..]; case-sensitive)
    #[arg(long, value_name = "GLOB")]
    name: Option<String>,

    /// Only clients with this grant type
    #[arg(long, value_name = "GRANT", value_parser = super::complete::grant_types(), hide_possible_values = true)]
    grant_type: Option<String>,

    /// Only clients whose secret has expired
    #[arg(long)]
    expired: bool,

    /// Only clients registered before this time (RFC 3339, or a duration ago such as 7d)
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    created_before: Option<i64>,

    /// Only clients registered after this time (RFC 3339, or a duration ago such as 7d)
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    created_after: Option<i64>,

    /// Print at most this many
    #[arg(long, value_name = "N")]
    limit: Option<u64>,

    /// Skip this many first
    #[arg(long, value_name = "N", default_value_t = 0)]
    offset: u64,
}

pub(crate) fn run(ctx: &Ctx, args: &ListArgs) -> anyhow::Result<()> {
    let filter = ListFilter {
        name_glob: args.name.clone(),
        grant_type: args.grant_type.clone(),
        secret_expired_before: args.expired.then(crate::time::now),
        created_before: args.created_before,
        created_after: args.created_after,
        limit: args.limit,
        offset: args.offset,
    };
    let mut store = ctx.open_store()?;
    let stdout = BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    let mut listing = Listing::new(ctx, stdout, table::list_columns())?;
    if listing.is_json() && !listing.selects() {
        let listed = ops::list_whole(&mut store, &filter, |client| {
            Ok(listing.push_json_with(|out| json::write_summary(out, client))?)
        });
        if let Err(error) = listed {
            // Dropping the BufWriter would flush the half-written array; take the buffer
            // out unwritten instead, so a listing that fits in the buffer leaves stdout
            // empty. A damaged row refuses the listing before its first element (see
            // `ops::list_whole`), so it always leaves stdout empty. What can still fail
            // after earlier 64 KiB blocks went out (a read or write error) cannot take
            // those back, but the array is never closed as if complete.
            let (_stdout, _unwritten) = listing.abandon().into_parts();
            return Err(error.into());
        }
    } else {
        ops::list(&mut store, &filter, |client| {
            Ok(listing.push(
                || sanitize(client.client_id).into_owned(),
                || table::list_row(client),
                || summary_object(client),
            )?)
        })?;
    }
    listing.finish()?;
    Ok(())
}

/// A listed client as the JSON object `list -o json` prints, for field selection.
fn summary_object(client: &crate::model::ClientSummary<'_>) -> Value {
    let mut text = Vec::new();
    match json::write_summary(&mut text, client) {
        Ok(()) => serde_json::from_slice(&text).unwrap_or(Value::Null),
        Err(_) => Value::Null,
    }
}
