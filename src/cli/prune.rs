//! `dcrctl prune`

use super::args::parse_duration;
use super::{progress, prompt, Ctx};
use crate::ops::{self, Prune, PruneCriteria, PruneReason};
use crate::output::{json, sanitize::sanitize, Format};
use crate::time;
use clap::Args;
use serde::Serialize;
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
    confirm_on_terminal(ctx, &mut store, &request)?;
    let bar = progress::counter(
        ctx,
        if args.dry_run {
            "clients to prune"
        } else {
            "clients pruned"
        },
    );
    let mut report = Report::new(ctx.format, args.dry_run);
    let pruned = ops::prune(&mut store, &ctx.actor, &request, &mut |id, reason| {
        bar.inc(1);
        report.add(id, reason);
    });
    bar.finish_and_clear();
    let pruned = pruned?;
    report.error?;
    let mut stdout = std::io::stdout().lock();
    match ctx.format {
        Format::Json => {
            let listed = Listed(&report.listed);
            let document = Document {
                dry_run: args.dry_run,
                clients: Counts {
                    expired: pruned.expired_clients,
                    unused: pruned.unused_clients,
                },
                initial_access_tokens: pruned.initial_access_tokens,
                events: pruned.events,
                pruned: listed,
                // The name dry runs printed the list under before `pruned`; kept for scripts
                // that read it, serialized from the same list.
                would_remove: args.dry_run.then_some(listed),
            };
            let mut text = serde_json::to_vec_pretty(&document)?;
            text.push(b'\n');
            json::write_escaped(&mut stdout, &text)?;
        }
        Format::Table => {
            if !args.dry_run {
                for (client_id, reason) in &report.listed {
                    ctx.note(format_args!(
                        "pruned {} ({})",
                        sanitize(client_id),
                        reason.as_str()
                    ));
                }
                if report.unlisted > 0 {
                    ctx.note(format_args!("… and {} more clients", report.unlisted));
                }
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
        Format::Name => {}
    }
    Ok(stdout.flush()?)
}

/// At most this many pruned clients are named on stderr in a table run; beyond, a count.
const NAMED_ON_STDERR: usize = 20;

/// The clients a prune removes, as it removes them: all of them for `-o json`; streamed to
/// stdout for `-o name` and a dry run's table; the first [`NAMED_ON_STDERR`] and a count for
/// a real run's table, so a prune of a million clients holds twenty ids.
struct Report {
    format: Format,
    dry_run: bool,
    listed: Vec<(String, PruneReason)>,
    unlisted: u64,
    /// The first failure to write to stdout; the prune goes on (its batches are committed
    /// anyway) and the command fails after it.
    error: std::io::Result<()>,
}

impl Report {
    fn new(format: Format, dry_run: bool) -> Self {
        Report {
            format,
            dry_run,
            listed: Vec::new(),
            unlisted: 0,
            error: Ok(()),
        }
    }

    fn add(&mut self, id: &str, reason: PruneReason) {
        let streamed = match (self.format, self.dry_run) {
            (Format::Name, _) => Some(sanitize(id).into_owned()),
            (Format::Table, true) => Some(format!(
                "would prune {} ({})",
                sanitize(id),
                reason.as_str()
            )),
            (Format::Json, _) => {
                self.listed.push((id.to_owned(), reason));
                None
            }
            (Format::Table, false) => {
                if self.listed.len() < NAMED_ON_STDERR {
                    self.listed.push((id.to_owned(), reason));
                } else {
                    self.unlisted += 1;
                }
                None
            }
        };
        if let (Some(line), Ok(())) = (streamed, &self.error) {
            self.error = writeln!(std::io::stdout().lock(), "{line}");
        }
    }
}

/// `prune -o json`: the counts, then the clients removed.
#[derive(Serialize)]
struct Document<'a> {
    dry_run: bool,
    clients: Counts,
    initial_access_tokens: u64,
    events: u64,
    pruned: Listed<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    would_remove: Option<Listed<'a>>,
}

#[derive(Serialize)]
struct Counts {
    expired: u64,
    unused: u64,
}

/// The clients removed as `[{"client_id", "reason"}]`, written from the list as it is held
/// (compactly, not as a JSON value per client).
#[derive(Clone, Copy)]
struct Listed<'a>(&'a [(String, PruneReason)]);

impl Serialize for Listed<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Entry<'a> {
            client_id: &'a str,
            reason: &'static str,
        }
        serializer.collect_seq(self.0.iter().map(|(client_id, reason)| Entry {
            client_id,
            reason: reason.as_str(),
        }))
    }
}

/// On a terminal, deleting clients is confirmed first, as `delete` does, saying how many;
/// without one (cron, prune's main use) it proceeds, since cleaning up is what it was asked
/// to do. Audit entries and dead initial access tokens are not worth a question.
fn confirm_on_terminal(ctx: &Ctx, store: &mut ops::Store, request: &Prune) -> anyhow::Result<()> {
    let deletes_clients =
        request.criteria.expired_before.is_some() || request.criteria.unused_since.is_some();
    if request.dry_run || !deletes_clients || !ctx.interactive || ctx.yes {
        return Ok(());
    }
    let preview = Prune {
        dry_run: true,
        ..*request
    };
    let found = ops::prune(store, &ctx.actor, &preview, &mut |_, _| {})?;
    let clients = found.expired_clients + found.unused_clients;
    if clients == 0 {
        return Ok(());
    }
    prompt::confirm(
        ctx,
        &format!(
            "This deletes {clients} client{} ({} with a secret expired, {} unused)\nwith \
             their secrets and tokens; it cannot be undone. See which with --dry-run.",
            if clients == 1 { "" } else { "s" },
            found.expired_clients,
            found.unused_clients
        ),
    )
}
