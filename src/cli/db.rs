//! `dcrctl db check`, `dcrctl db backup` and `dcrctl db copy`

use super::{progress, Ctx};
use crate::ops::{self, Location, RegistryCounts};
use crate::output::{json, sanitize::sanitize, Format};
use anyhow::bail;
use clap::Subcommand;
use serde_json::json;
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

/// `db` subcommands.
#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Check integrity, foreign keys and client rows (exit 1 on damage)
    Check,
    /// Write a consistent copy of the database while others keep using it
    Backup {
        /// Where to write the backup (must not exist; created 0600)
        #[arg(value_name = "PATH")]
        path: PathBuf,
    },
    /// Copy a whole registry into an empty database, on either backend
    ///
    /// Every client with its stored hashes, every initial access token, admin account and
    /// audit entry is copied as stored, so each secret, registration access token, initial
    /// access token and admin password keeps working. The source is read in one snapshot; the
    /// destination (created if missing: a SQLite file 0600, or the schema in a PostgreSQL
    /// database) is written in one transaction and must be empty (exit 4 otherwise, nothing
    /// written). The copy is recorded in the destination's audit log. --db is not used.
    Copy {
        /// The registry to copy: a SQLite file or a postgres:// URL
        #[arg(value_name = "SRC")]
        source: OsString,
        /// Where to copy it: a SQLite file or a postgres:// URL
        #[arg(value_name = "DST")]
        destination: OsString,
    },
}

pub(crate) fn run(ctx: &Ctx, command: &DbCommand) -> anyhow::Result<()> {
    match command {
        DbCommand::Check => check(ctx),
        DbCommand::Backup { path } => backup(ctx, path),
        DbCommand::Copy {
            source,
            destination,
        } => copy(ctx, source, destination),
    }
}

fn check(ctx: &Ctx) -> anyhow::Result<()> {
    let mut store = ctx.open_store()?;
    let mut stdout = std::io::stdout().lock();
    let report = ops::check(&mut store)?;
    match ctx.format {
        Format::Json => json::write_document(
            &mut stdout,
            &json!({
                "ok": report.is_ok(),
                "integrity": report.integrity,
                "foreign_key_violations": report.foreign_key_violations,
                "damaged_rows": report.damaged_rows,
                "schema_version": report.schema_version,
            }),
        )?,
        Format::Table | Format::Name => {
            for line in report
                .integrity
                .iter()
                .chain(&report.foreign_key_violations)
                .chain(&report.damaged_rows)
            {
                writeln!(stdout, "{}", sanitize(line))?;
            }
            writeln!(stdout, "schema version {}", report.schema_version)?;
        }
    }
    stdout.flush()?;
    if !report.is_ok() {
        bail!("the database is damaged (see the report above)");
    }
    Ok(())
}

fn backup(ctx: &Ctx, path: &std::path::Path) -> anyhow::Result<()> {
    let mut store = ctx.open_store()?;
    let mut stdout = std::io::stdout().lock();
    ops::backup(&mut store, path)?;
    let bytes = std::fs::metadata(path).map(|meta| meta.len()).unwrap_or(0);
    match ctx.format {
        Format::Json => {
            json::write_document(&mut stdout, &json!({ "path": path, "bytes": bytes }))?
        }
        Format::Table | Format::Name => writeln!(
            stdout,
            "backed up to {} ({bytes} bytes)",
            sanitize(&path.display().to_string())
        )?,
    }
    stdout.flush()?;
    Ok(())
}

fn copy(ctx: &Ctx, source: &OsString, destination: &OsString) -> anyhow::Result<()> {
    let from = Location::parse(source);
    let to = Location::parse(destination);
    // A missing source is a mistake, never an empty registry to copy: do not create it.
    let mut source = super::open_existing(from.clone())?;
    let mut destination = super::open(to.clone())?;
    let mut bar = None;
    let copied = ops::copy(
        &mut source,
        &mut destination,
        &ctx.actor,
        (&from, &to),
        &mut |done, total| {
            bar.get_or_insert_with(|| progress::bar(ctx, total, "copying"))
                .set_position(done);
        },
    );
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    print_copied(ctx, &from, &to, &copied?)
}

fn print_copied(
    ctx: &Ctx,
    from: &Location,
    to: &Location,
    copied: &RegistryCounts,
) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match ctx.format {
        Format::Json => json::write_document(
            &mut stdout,
            &json!({
                "source": from.to_string(),
                "destination": to.to_string(),
                "clients": copied.clients,
                "client_secrets": copied.client_secrets,
                "initial_access_tokens": copied.initial_access_tokens,
                "admins": copied.admins,
                "events": copied.events,
            }),
        )?,
        Format::Table | Format::Name => {
            writeln!(
                stdout,
                "copied {} to {}",
                sanitize(&from.to_string()),
                sanitize(&to.to_string())
            )?;
            for (table, count) in [
                ("clients", copied.clients),
                ("client_secrets", copied.client_secrets),
                ("initial_access_tokens", copied.initial_access_tokens),
                ("admins", copied.admins),
                ("events", copied.events),
            ] {
                writeln!(stdout, "{table:<22} {count:>10}")?;
            }
        }
    }
    stdout.flush()?;
    Ok(())
}
