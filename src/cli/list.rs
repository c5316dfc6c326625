//! `dcrctl list`

use super::args::parse_time;
use super::output::Listing;
use super::Ctx;
use crate::ops::{self, ListFilter, ListOrder, NameGlob, SortKey};
use crate::output::sanitize::sanitize;
use crate::output::{json, table};
use clap::{Args, ValueEnum};
use serde_json::Value;
use std::io::BufWriter;

/// Arguments of `list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only clients whose client_name matches this shell glob (case-sensitive)
    ///
    /// `*` matches any text, `?` one character, `[abc]` / `[a-z]` one character of a set,
    /// `[!abc]` one character not in it; `\` makes the next character literal (`\*`, `\[`).
    #[arg(long, value_name = "GLOB", value_parser = parse_glob)]
    name: Option<NameGlob>,

    /// Only clients with this grant type
    #[arg(long, value_name = "GRANT", value_parser = super::complete::grant_types(), hide_possible_values = true)]
    grant_type: Option<String>,

    /// Only clients whose secret has expired
    #[arg(long)]
    expired: bool,

    /// Only clients registered before this time, not at it (RFC 3339, a date, or a
    /// duration ago such as 7d)
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    created_before: Option<i64>,

    /// Only clients registered at or after this time (RFC 3339, a date, or a duration ago
    /// such as 7d)
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    created_after: Option<i64>,

    /// Order of the listing; ties in registration order
    #[arg(long, value_name = "FIELD", value_enum, default_value_t = SortField::Created)]
    sort: SortField,

    /// Largest first: the --sort order reversed
    #[arg(long)]
    reverse: bool,

    /// Only clients after this one in the listing's order: the last id of the previous
    /// page, to resume a listing that changes meanwhile
    #[arg(long, value_name = "CLIENT_ID", add = super::complete::client_ids())]
    after: Option<String>,

    /// Print at most this many
    #[arg(long, value_name = "N")]
    limit: Option<u64>,

    /// Skip this many first
    #[arg(long, value_name = "N", default_value_t = 0)]
    offset: u64,
}

/// What `list --sort` orders by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SortField {
    /// Registration time
    Created,
    /// client_id
    Id,
    /// client_name; unnamed clients last
    Name,
    /// Last use; never-used clients first
    LastUsed,
}

impl From<SortField> for SortKey {
    fn from(field: SortField) -> Self {
        match field {
            SortField::Created => SortKey::Created,
            SortField::Id => SortKey::Id,
            SortField::Name => SortKey::Name,
            SortField::LastUsed => SortKey::LastUsed,
        }
    }
}

/// Every text is a glob: what is not a wildcard, a class or an escape is literal.
fn parse_glob(text: &str) -> Result<NameGlob, String> {
    Ok(NameGlob::new(text))
}

pub(crate) fn run(ctx: &Ctx, args: &ListArgs) -> anyhow::Result<()> {
    let filter = ListFilter {
        name_glob: args.name.clone(),
        grant_type: args.grant_type.clone(),
        secret_expired_before: args.expired.then(crate::time::now),
        created_before: args.created_before,
        created_after: args.created_after,
        order: ListOrder {
            key: args.sort.into(),
            descending: args.reverse,
        },
        after: args.after.clone(),
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
