//! `dcrctl prune`

use super::args::parse_duration;
use super::{progress, Ctx};
use crate::ops::{self, Prune, PruneCriteria};
use crate::output::{json, sanitize::sanitize, Format};
use crate::time;
use clap::Args;
use serde_json::json;
use std::io::Write;
use std::time::Duration;

/// Arguments of `prune`. At least one of --expired-for, --unused-for, --keep-events.
///
/// Initial access tokens that are expired, used up or revoked are removed on every run.
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

pub(crate) fn run(ctx: &Ctx, args: &PruneArgs) -> anyhow::Result<()> {
    let now = time::now();
    let ago = |duration: Duration| time::before(now, duration);
    let request = Prune {
        criteria: PruneCriteria {
            expired_before: args.expired_for.map(ago),
            unused_since: args.unused_for.map(ago),
            include_provisioned: args.include_provisioned,
        },
        events_before: args.keep_events.map(ago),
        dry_run: args.dry_run,
    };
    let mut store = ctx.open_store()?;
    let bar = progress::counter(
        ctx,
        if args.dry_run {
            "clients to prune"
        } else {
            "clients pruned"
        },
    );
    let pruned = ops::prune(&mut store, &ctx.actor, &request, &mut |n| bar.inc(n))?;
    bar.finish_and_clear();
    let mut stdout = std::io::stdout().lock();
    match ctx.format {
        Format::Json => {
            let mut document = json!({
                "dry_run": args.dry_run,
                "clients": {
                    "expired": pruned.expired_clients,
                    "unused": pruned.unused_clients,
                },
                "initial_access_tokens": pruned.initial_access_tokens,
                "events": pruned.events,
            });
            if args.dry_run {
                document["would_remove"] = pruned
                    .would_remove
                    .iter()
                    .map(|(id, reason)| json!({ "client_id": id, "reason": reason.as_str() }))
                    .collect();
            }
            json::write_document(&mut stdout, &document)?;
        }
        Format::Table => {
            for (id, reason) in &pruned.would_remove {
                writeln!(stdout, "would prune {} ({})", sanitize(id), reason.as_str())?;
            }
            writeln!(
                stdout,
                "{} {} clients ({} expired, {} unused), {} initial access tokens, {} audit entries",
                if args.dry_run {
                    "would prune"
                } else {
                    "pruned"
                },
                pruned.expired_clients + pruned.unused_clients,
                pruned.expired_clients,
                pruned.unused_clients,
                pruned.initial_access_tokens,
                pruned.events
            )?;
        }
    }
    Ok(stdout.flush()?)
}
