//! `dcrctl rotate-secret`, `rotate-token` and `verify-secret`.

use super::args::{lifetime, parse_duration, parse_expiry, try_read_secret_stdin};
use super::delete::is_not_found;
use super::deliver::Delivery;
use super::register::{remind_issued, write_issued};
use super::target::ClientArg;
use super::{prompt, Ctx};
use crate::credentials::Secret;
use crate::ops::{self, Rejection, RotateSecret};
use crate::output::{json, sanitize::sanitize, Format};
use crate::time::Lifetime;
use clap::Args;
use serde_json::json;
use std::io::Write;
use std::time::Duration;

/// Arguments of `rotate-secret`.
#[derive(Debug, Args)]
pub struct RotateSecretArgs {
    #[command(flatten)]
    client: ClientArg,

    /// Keep the previous secret valid this long, e.g. 1h, so deployments can roll over
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    grace: Option<Duration>,

    /// Lifetime of the new secret, e.g. 90d [default: the current secret's lifetime, or never]
    // `--expires-in` is its name before secret lifetimes were all named --secret-expires-*.
    #[arg(long, alias = "expires-in", value_name = "DURATION", value_parser = parse_duration)]
    secret_expires_in: Option<Duration>,

    /// When the new secret expires: an RFC 3339 time or a date, in the future
    #[arg(long, value_name = "TIME", value_parser = parse_expiry, conflicts_with = "secret_expires_in")]
    secret_expires_at: Option<i64>,

    /// Let the new secret never expire, even if the current one has a lifetime
    #[arg(long, conflicts_with_all = ["secret_expires_in", "secret_expires_at"])]
    no_expiry: bool,

    /// Issue no new secret: end the grace period of the previous ones now, so only the
    /// current secret works (`show` says until when they would have)
    #[arg(long, conflicts_with_all = ["grace", "secret_expires_in", "secret_expires_at", "no_expiry"])]
    end_grace: bool,
}

/// Arguments of `rotate-token`.
#[derive(Debug, Args)]
pub struct RotateTokenArgs {
    #[command(flatten)]
    client: ClientArg,
}

/// Arguments of `verify-secret`.
#[derive(Debug, Args)]
pub struct VerifySecretArgs {
    /// The client (the secret is read from stdin)
    #[command(flatten)]
    client: ClientArg,
}

pub(crate) fn run_secret(ctx: &Ctx, args: &RotateSecretArgs) -> anyhow::Result<()> {
    let mut store = ctx.open_store()?;
    let client_id = args.client.resolve(&mut store)?;
    if args.end_grace {
        return end_grace(ctx, &mut store, &client_id);
    }
    let mut kept = None;
    let mut delivery = Delivery::default();
    let info = store.write(|tx| {
        // A plain rotation keeps the client's lifetime policy: the new secret lives as long
        // as the current one was issued for, read in the rotation's own transaction.
        let chosen = lifetime(args.secret_expires_in, args.secret_expires_at);
        let expires_in = match (chosen, args.no_expiry) {
            (Some(chosen), _) => Some(chosen),
            (None, true) => None,
            (None, false) => {
                kept = ops::current_secret_lifetime(tx, &client_id)?;
                kept.map(Lifetime::For)
            }
        };
        let options = RotateSecret {
            grace: args.grace,
            expires_in,
        };
        ops::rotate_secret(tx, &ctx.actor, &client_id, &options, &mut |info| {
            delivery.show(ctx, |out| write_issued(out, ctx, info))
        })
    });
    let info = delivery.finish(info)?;
    remind_issued(ctx, &info);
    // Rotating ends the old secret, and a plain one keeps its lifetime: neither is visible
    // in the output, so say them.
    if args.grace.is_none() {
        ctx.note("note: the previous secret stopped working (--grace keeps it valid a while)");
    }
    if let Some(lifetime) = kept {
        ctx.note(format_args!(
            "note: the new secret keeps the previous one's lifetime: it expires in {}",
            as_flag_value(lifetime)
        ));
    }
    Ok(())
}

fn end_grace(ctx: &Ctx, store: &mut ops::Store, client_id: &str) -> anyhow::Result<()> {
    let ended = store.write(|tx| ops::end_grace(tx, &ctx.actor, client_id))?;
    let mut stdout = std::io::stdout().lock();
    match ctx.format {
        Format::Json => json::write_document(
            &mut stdout,
            &json!({ "client_id": client_id, "ended_grace": ended }),
        )?,
        // `-o name` is refused for rotate-secret before it runs (see `output::check`).
        Format::Table | Format::Name => {
            let client_id = sanitize(client_id);
            match ended {
                0 => writeln!(stdout, "no previous secret of {client_id} was still valid")?,
                1 => writeln!(stdout, "the previous secret of {client_id} stopped working")?,
                n => writeln!(
                    stdout,
                    "{n} previous secrets of {client_id} stopped working"
                )?,
            }
        }
    }
    Ok(stdout.flush()?)
}

/// `lifetime` as `--expires-in` takes it, in its largest whole unit (`90d`, `36h`, `90s`).
fn as_flag_value(lifetime: Duration) -> String {
    let seconds = lifetime.as_secs();
    [(86_400, "d"), (3_600, "h"), (60, "m")]
        .iter()
        .find(|(unit, _)| seconds % unit == 0)
        .map_or_else(
            || format!("{seconds}s"),
            |(unit, suffix)| format!("{}{suffix}", seconds / unit),
        )
}

pub(crate) fn run_token(ctx: &Ctx, args: &RotateTokenArgs) -> anyhow::Result<()> {
    let mut store = ctx.open_store()?;
    let client_id = args.client.resolve(&mut store)?;
    let mut delivery = Delivery::default();
    let info = store.write(|tx| {
        ops::rotate_token(tx, &ctx.actor, &client_id, &mut |info| {
            delivery.show(ctx, |out| write_issued(out, ctx, info))
        })
    });
    let info = delivery.finish(info)?;
    remind_issued(ctx, &info);
    Ok(())
}

pub(crate) fn run_verify(ctx: &Ctx, args: &VerifySecretArgs) -> anyhow::Result<()> {
    let presented = match prompt::secret_from_terminal(ctx, "Client secret")? {
        Some(typed) => Some(typed),
        // Input too long or not UTF-8 can be no registered secret: it is a wrong credential,
        // not a usage error.
        None => try_read_secret_stdin("client secret")?.ok(),
    };
    let mut store = ctx.open_store()?;
    let presented = presented.map(Secret::new);
    let client_id = match args.client.resolve(&mut store) {
        Ok(client_id) => client_id,
        Err(error) => {
            if is_not_found(&error) {
                write_verdict(ctx, args.client.given(), Err("no_such_client"))?;
            }
            return Err(error);
        }
    };
    let verdict = match ops::check_secret(&mut store, &client_id, presented.as_ref()) {
        Ok(verdict) => verdict,
        Err(error @ crate::Error::NotFound { .. }) => {
            write_verdict(ctx, &client_id, Err("no_such_client"))?;
            return Err(error.into());
        }
        Err(error) => return Err(error.into()),
    };
    write_verdict(ctx, &client_id, verdict.map_err(Rejection::as_str))?;
    match verdict {
        Ok(()) => {
            if ctx.format == Format::Table {
                ctx.note(format_args!(
                    "secret is valid for client {}",
                    sanitize(&client_id)
                ));
            }
            Ok(())
        }
        // An expired secret's holder needs a new one, not a second look at a typo: its
        // error says so and names the command.
        Err(Rejection::Expired) => Err(crate::Error::CredentialExpired {
            client_id: client_id.clone(),
        }
        .into()),
        Err(_) => Err(crate::Error::CredentialRejected.into()),
    }
}

/// With `-o json`, the verdict as one document, a rejection included:
/// `{"client_id", "valid", "reason"}`.
fn write_verdict(ctx: &Ctx, client_id: &str, verdict: Result<(), &str>) -> anyhow::Result<()> {
    if ctx.format != Format::Json {
        return Ok(());
    }
    let document = match verdict {
        Ok(()) => json!({ "client_id": client_id, "valid": true }),
        Err(reason) => json!({ "client_id": client_id, "valid": false, "reason": reason }),
    };
    json::write_document(&mut std::io::stdout().lock(), &document)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_are_said_as_the_flag_takes_them() {
        let said = |seconds| as_flag_value(Duration::from_secs(seconds));
        assert_eq!(said(90 * 86_400), "90d");
        assert_eq!(said(36 * 3_600), "36h");
        assert_eq!(said(90 * 60), "90m");
        assert_eq!(said(61), "61s");
    }
}
