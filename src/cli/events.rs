//! `dcrctl events`

use super::args::parse_time;
use super::Ctx;
use clap::Args;

/// Arguments of `events`.
#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Only events about this client
    #[arg(long, value_name = "CLIENT_ID")]
    client: Option<String>,

    /// Only events at or after this time (RFC 3339, or a duration ago such as 7d)
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    since: Option<i64>,

    /// At most this many, newest first
    #[arg(long, value_name = "N")]
    limit: Option<u64>,
}

pub(crate) fn run(_ctx: &Ctx, _args: &EventsArgs) -> anyhow::Result<()> {
    Err(crate::Error::usage("events: not implemented yet").into())
}
