//! `dcrctl prune`

use super::args::parse_duration;
use super::Ctx;
use clap::Args;
use std::time::Duration;

/// Arguments of `prune`. At least one of --expired-for, --unused-for, --keep-events.
#[derive(Debug, Args)]
pub struct PruneArgs {
    /// Delete clients whose secret expired more than this long ago, e.g. 30d
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    expired_for: Option<Duration>,

    /// Delete clients registered over HTTP and unused for this long (never used: since registration)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    unused_for: Option<Duration>,

    /// With --unused-for, also consider clients registered with the CLI or apply
    #[arg(long, requires = "unused_for")]
    include_provisioned: bool,

    /// Delete audit log entries older than this, e.g. 365d
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    keep_events: Option<Duration>,

    /// List what would be deleted without deleting it
    #[arg(long)]
    dry_run: bool,
}

pub(crate) fn run(_ctx: &Ctx, _args: &PruneArgs) -> anyhow::Result<()> {
    Err(crate::Error::usage("prune: not implemented yet").into())
}
