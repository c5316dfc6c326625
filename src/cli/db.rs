//! `dcrctl db check` and `dcrctl db backup`

use super::Ctx;
use crate::ops;
use crate::output::{json, sanitize::sanitize, Format};
use anyhow::bail;
use clap::Subcommand;
use serde_json::json;
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
}

pub(crate) fn run(ctx: &Ctx, command: &DbCommand) -> anyhow::Result<()> {
    let mut store = ctx.open_existing_store()?;
    let mut stdout = std::io::stdout().lock();
    match command {
        DbCommand::Check => {
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
                Format::Table => {
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
        }
        DbCommand::Backup { path } => {
            ops::backup(&mut store, path)?;
            let bytes = std::fs::metadata(path).map(|meta| meta.len()).unwrap_or(0);
            match ctx.format {
                Format::Json => {
                    json::write_document(&mut stdout, &json!({ "path": path, "bytes": bytes }))?
                }
                Format::Table => writeln!(
                    stdout,
                    "backed up to {} ({bytes} bytes)",
                    sanitize(&path.display().to_string())
                )?,
            }
            stdout.flush()?;
        }
    }
    Ok(())
}
